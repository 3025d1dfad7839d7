// Suitability of candidate settlement sites: public types. Pure data (no DB, no DOM).
//
// A criteria matrix is sites × criteria. Each criterion says whether more is better ('benefit',
// e.g. capacity) or worse ('cost', e.g. minutes to the nearest clinic). Hard exclusions (the "four
// avoids" 四避开: geohazard, flood, ecological red line, permanent basic farmland) take a site out of
// the ranking whatever its score; the reasons travel with the site.

export type Direction = 'benefit' | 'cost';

export interface Criterion {
	id: string;
	direction: Direction;
}

export interface SiteCriteria {
	id: string;
	/**
	 * One value per criterion, in criteria order. Non-finite (Infinity, NaN; null in JSON) means
	 * "not reachable / unknown": the worst normalised score (0) on that criterion.
	 */
	values: ReadonlyArray<number | null>;
	/** Reasons the site is out (e.g. ['flood', 'farmland']); empty or absent = eligible. */
	exclusions?: readonly string[];
}

export interface SiteScore {
	id: string;
	/** Normalised values in [0, 1] (1 = best), criteria order. */
	normalised: number[];
	/** Σ weight × normalised, in [0, 1]. */
	score: number;
	/** 1 = best among eligible sites (competition ranking: ties share a rank); null when excluded. */
	rank: number | null;
	excluded: boolean;
	exclusions: string[];
}

export interface SuitabilityResult {
	criteria: Criterion[];
	/** The weights used, summing to 1. */
	weights: number[];
	/** Sites in input order. */
	sites: SiteScore[];
}

export interface AhpResult {
	/** Principal eigenvector, normalised to sum 1. */
	weights: number[];
	lambdaMax: number;
	/** Consistency index (λmax − n) / (n − 1); 0 for n ≤ 2. */
	ci: number;
	/** Random index for this n (Saaty). */
	ri: number;
	/** Consistency ratio CI / RI; 0 for n ≤ 2. */
	cr: number;
	/** CR < 0.1: Saaty's limit for acceptable consistency. */
	acceptable: boolean;
	iterations: number;
}

export interface RankRange {
	id: string;
	baseRank: number;
	minRank: number;
	maxRank: number;
}

export interface SensitivityCase {
	/** Criterion whose weight was scaled. */
	criterion: string;
	factor: number;
	weights: number[];
	/** Rank of each eligible site (input order of the eligible sites). */
	ranks: Record<string, number>;
}

export interface SensitivityResult {
	factors: number[];
	/** Eligible sites only, in input order. */
	ranges: RankRange[];
	cases: SensitivityCase[];
}
