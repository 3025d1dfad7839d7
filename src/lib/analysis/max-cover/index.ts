// Maximal covering location: greedy, exact (HiGHS) and brute force on covering sets.
export {
	bestSingleSite,
	bruteForceMaxCover,
	coveredWeight,
	coverSets,
	exactMaxCover,
	greedyMaxCover,
	singleGains,
	type CoverSets,
	type ExactMaxCover,
	type ExactOptions,
	type MaxCoverInput,
	type MaxCoverSolution
} from './max-cover.ts';
