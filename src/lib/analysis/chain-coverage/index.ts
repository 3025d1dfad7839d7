// Industrial-chain coverage on travel time: pure core, suppression for output, CSV export.
export {
	chainCoverage,
	type ChainCoverage,
	type ChainCoverageInput,
	type ChainGap,
	type ChainVillage,
	type StageCoverage,
	type VillageCoverage
} from './chain-coverage.ts';
export { roundMinutes, shownCount, suppressChainCoverage, type PublicChainGap, type PublicStageCoverage } from './suppress.ts';
export { csvCell, toCsv, type CsvCell } from './export.ts';
