// The max-cover-result layer's data, the pure part (no DB, no DOM; client-safe types): a stored
// maximal-covering run (chain-gaps.server.ts, computeMaxCover) turned into what the map draws — the
// chosen new sites, ranked, and the poor villages each one newly brings within the stage's
// threshold. Counts are suppressed again at the request's k (a meeting asks for k = 10 while runs
// store k = 5), and the total is only ever a sum of shown counts.
import { DEFAULT_K, type Stage } from '../params.ts';
import type { Chain } from '../industrial-chain-coverage/coverage.ts';
import type { MaxCoverResult } from '../../analysis/chain-coverage/chain-gaps.server.ts';

/**
 * The stored result fields this layer reads: a subset of the analysis's MaxCoverResult (a type-only
 * import — erased at build, so no server code reaches the client).
 */
export type StoredMaxCover = Pick<
	MaxCoverResult,
	'county' | 'chain' | 'stage' | 'year' | 'q' | 'k' | 'threshold' | 'scenario' | 'candidates' | 'uncovered_poor_villages' | 'chosen' | 'status'
>;

export interface NewSite {
	kind: 'site';
	/** `<run>-<rank>`: unique on the map, for hover. */
	id: string;
	rank: number;
	candidate: 'village' | 'township' | 'point';
	name_zh: string | null;
	position: [number, number];
	/** Poor households it newly brings within the threshold; null when 1..k−1. */
	poor_households: number | null;
	/** Poor villages it newly brings within the threshold. */
	villages: number;
}

export interface NewlyCoveredVillage {
	kind: 'village';
	code: string;
	name_zh: string;
	position: [number, number];
	/** Minutes by road to the new site (0.1 precision); null if not stored. */
	minutes: number | null;
	/** Rank of the new site that brings it in, and that site's position (for the link line). */
	rank: number;
	site_position: [number, number];
}

export interface MaxCoverResultData {
	layer: 'max-cover-result';
	county: string | null;
	/** The run drawn; null when there is none yet. */
	run: number | null;
	finished_at: string | null;
	chain: Chain | null;
	stage: Stage | null;
	year: number | null;
	q: number | null;
	k: number;
	threshold: number | null;
	scenario: { id: number; name: string } | null;
	candidates: { kind: 'villages' | 'townships' | 'points'; count: number } | null;
	status: StoredMaxCover['status'] | null;
	/** Poor villages the stage's operating sites did not reach when the run was made. */
	uncovered_poor_villages: number | null;
	sites: NewSite[];
	villages: NewlyCoveredVillage[];
	/** Sum of the sites' shown counts; sites with a withheld count are in `covered_sites_suppressed`. */
	covered: number;
	covered_sites_suppressed: number;
}

export function emptyMaxCoverResult(county: string | null, k: number): MaxCoverResultData {
	return {
		layer: 'max-cover-result',
		county,
		run: null,
		finished_at: null,
		chain: null,
		stage: null,
		year: null,
		q: null,
		k,
		threshold: null,
		scenario: null,
		candidates: null,
		status: null,
		uncovered_poor_villages: null,
		sites: [],
		villages: [],
		covered: 0,
		covered_sites_suppressed: 0
	};
}

/** A count as shown at k: null for 1..k−1 (a stored null stays null). */
const shown = (n: number | null, k: number) => (n === null || (n >= 1 && n < k) ? null : n);

/** The layer's data from a stored run, suppressed at `k` (never below the run's own k or DEFAULT_K). */
export function maxCoverResultData(run: { id: number; finished_at: string | null }, r: StoredMaxCover, requestK: number): MaxCoverResultData {
	const k = Math.max(requestK, r.k, DEFAULT_K);
	const sites: NewSite[] = r.chosen.map((c) => ({
		kind: 'site',
		id: `${run.id}-${c.rank}`,
		rank: c.rank,
		candidate: c.kind,
		name_zh: c.name_zh,
		position: [c.lon, c.lat],
		poor_households: shown(c.poor_households, k),
		villages: c.villages.length
	}));
	const villages: NewlyCoveredVillage[] = r.chosen.flatMap((c) =>
		c.villages.map((v) => ({
			kind: 'village' as const,
			code: v.code,
			name_zh: v.name_zh,
			position: [v.lon, v.lat] as [number, number],
			minutes: v.minutes,
			rank: c.rank,
			site_position: [c.lon, c.lat] as [number, number]
		}))
	);
	return {
		layer: 'max-cover-result',
		county: r.county,
		run: run.id,
		finished_at: run.finished_at,
		chain: r.chain,
		stage: r.stage,
		year: r.year,
		q: r.q,
		k,
		threshold: r.threshold,
		scenario: r.scenario,
		candidates: r.candidates,
		status: r.status,
		uncovered_poor_villages: r.uncovered_poor_villages,
		sites,
		villages,
		covered: sites.reduce((t, s) => t + (s.poor_households ?? 0), 0),
		// A site with villages but a withheld count (a site with none was not chosen for a gain).
		covered_sites_suppressed: sites.filter((s) => s.poor_households === null && s.villages > 0).length
	};
}
