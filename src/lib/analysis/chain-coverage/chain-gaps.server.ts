// Industrial-chain gaps and "where would one new site help most", as analysis runs: the SQL and
// travel-time steps (network-minutes.server.ts) feed the pure cores (chain-coverage, max-cover); the
// results are suppressed (counts 1..k−1 never leave the server) and stored by startRun, which also
// reuses a finished run while the scenario and the data it read are unchanged.
import { sql, type Kysely } from 'kysely';
import type { Database } from '$lib/server/db/types.ts';
import { startRun, type RunContext } from '$lib/server/analysis/runs.server.ts';
import type { DataTable } from '$lib/server/db/data-version.ts';
import { CHAINS as CHAIN_LIST, DEFAULT_K, STAGES, type Stage } from '$lib/layers/params.ts';
import { travelTimeMatrix, type PointInput } from '../travel-time/index.ts';
import { bestSingleSite, coverSets, exactMaxCover, greedyMaxCover } from '../max-cover/index.ts';
import { chainCoverage } from './chain-coverage.ts';
import { roundMinutes, shownCount, suppressChainCoverage, type PublicChainGap, type PublicStageCoverage } from './suppress.ts';
import { toCsv } from './export.ts';
import { chainMinutes, InputError, poorHouseholds, scenarioInputs, type Chain } from './network-minutes.server.ts';

type Db = Kysely<Database>;

/** Tables a chain-gaps or max-cover answer reads (their data versions are part of the run's cache key). */
const TABLES: readonly DataTable[] = ['villages', 'households', 'industry_sites', 'roads', 'regions', 'facilities'];

export interface ChainGapsRequest {
	county: string;
	chain: Chain;
	year: number;
	scenarioId: number | null;
}

export interface ChainGapsResult {
	county: string;
	chain: Chain;
	year: number;
	k: number;
	scenario: { id: number; name: string } | null;
	thresholds: { stage: Stage; minutes: number }[];
	villages: number;
	poor_villages: number;
	/** Villages by stages reached, 0..5. */
	by_stages_reached: number[];
	stages: (PublicStageCoverage<Stage> & { operating_sites: number })[];
	gaps: PublicChainGap<Stage>[];
	network: { nodes: number; segments: number; roads: number; unsnapped_villages: number };
	timings: { sqlMs: number; graphMs: number; dijkstraMs: number; coreMs: number };
}

/** The chain-gaps answer, computed now (the run's work; also used by the layer's tests and the bench). */
export async function computeChainGaps(db: Db, req: ChainGapsRequest, progress?: RunContext['progress']): Promise<ChainGapsResult> {
	const inputs = await scenarioInputs(db, req.county, req.scenarioId);
	const cm = await chainMinutes(db, req.county, req.chain, inputs.speeds, progress);
	const poor = await poorHouseholds(db, req.county, req.year);
	const t0 = performance.now();
	// Plain literals, not spreads: 17,000 villages at province scale.
	const villages = cm.villages.map((v) => ({ code: v.code, name_zh: v.name_zh, township_zh: v.township_zh, poor_households: poor.get(v.code) ?? 0 }));
	const coverage = chainCoverage({ stages: STAGES, villages, minutes: cm.minutes, thresholds: inputs.thresholds });
	const k = DEFAULT_K;
	const pub = suppressChainCoverage(coverage, (i) => villages[i].poor_households, k);
	const coreMs = performance.now() - t0;
	const operating = (stage: Stage) => cm.sites.filter((s) => s.stage === stage && s.status === 'operating').length;
	return {
		county: req.county,
		chain: req.chain,
		year: req.year,
		k,
		scenario: inputs.scenario,
		thresholds: STAGES.map((stage, i) => ({ stage, minutes: inputs.thresholds[i] })),
		villages: villages.length,
		poor_villages: villages.filter((v) => v.poor_households > 0).length,
		by_stages_reached: coverage.byStagesReached,
		stages: pub.stages.map((s) => ({ ...s, operating_sites: operating(s.stage) })),
		gaps: pub.gaps,
		network: { nodes: cm.network.graph.nodeCount, segments: cm.network.graph.segmentCount, roads: cm.network.roadCount, unsnapped_villages: cm.unsnapped },
		timings: { ...cm.timings, coreMs }
	};
}

export function startChainGaps(db: Db, req: ChainGapsRequest) {
	return startRun(
		db,
		{ county: req.county, scenarioId: req.scenarioId, kind: 'chain-gaps', params: { chain: req.chain, year: req.year }, tables: TABLES },
		(ctx) => computeChainGaps(db, req, (f, stage) => ctx.progress(f * 0.95, stage))
	);
}

/** The gap list as CSV (UTF-8 with BOM), header in the requested language. */
/** The gap list as a table: header and rows (household counts of 1..k−1 written as "<k"). */
export function chainGapsTable(result: ChainGapsResult, locale: 'zh-CN' | 'en'): { header: string[]; rows: (string | number | null)[][] } {
	const zh = locale === 'zh-CN';
	const stageName = (s: Stage) => (zh ? STAGE_ZH[s] : s);
	const header = zh
		? ['村代码', '村', '乡镇', '环节', '到最近站点(分钟)', '门槛(分钟)', '未脱贫户']
		: ['village_code', 'village', 'township', 'stage', 'minutes_to_nearest_site', 'threshold_minutes', 'poor_households'];
	const hidden = `<${result.k}`;
	const rows = result.gaps.map((g) => [g.code, g.name_zh, g.township_zh, stageName(g.stage), g.minutes, g.threshold, g.poor_households === null ? hidden : g.poor_households]);
	return { header, rows };
}

export function chainGapsCsv(result: ChainGapsResult, locale: 'zh-CN' | 'en'): Uint8Array {
	const { header, rows } = chainGapsTable(result, locale);
	return toCsv(header, rows);
}

const STAGE_ZH: Record<Stage, string> = { production: '生产基地', processing: '加工', cold_chain: '仓储冷链', logistics: '物流', marketing: '营销电商' };

// ---- maximal covering ----------------------------------------------------------------------------

export type CandidateSpec = 'villages' | 'townships' | { lon: number; lat: number }[];

export interface MaxCoverRequest extends ChainGapsRequest {
	stage: Stage;
	q: number;
	candidates: CandidateSpec;
}

export interface Candidate {
	kind: 'village' | 'township' | 'point';
	/** Village code, facility id or the point's index. */
	ref: string;
	name_zh: string | null;
	lon: number;
	lat: number;
}

export interface ChosenSite extends Candidate {
	rank: number;
	/** Poor households this site newly covers beyond the sites chosen before it; null when 1..k−1. */
	poor_households: number | null;
	/** The poor villages it newly covers. */
	villages: { code: string; name_zh: string; lon: number; lat: number; minutes: number | null }[];
}

export interface MaxCoverResult {
	county: string;
	chain: Chain;
	stage: Stage;
	year: number;
	q: number;
	k: number;
	threshold: number;
	scenario: { id: number; name: string } | null;
	candidates: { kind: 'villages' | 'townships' | 'points'; count: number };
	/** Poor villages the stage's operating sites do not reach (the demand). */
	uncovered_poor_villages: number;
	/** Their poor households, shown counts only (see suppress.ts), and the villages left out of that sum. */
	uncovered_poor_households: number;
	uncovered_poor_villages_suppressed: number;
	chosen: ChosenSite[];
	/**
	 * Newly covered poor households by all chosen sites: the sum of the chosen sites' shown counts
	 * (a site whose own gain is 1..k−1 is left out and counted in `covered_sites_suppressed`, so the
	 * total never reveals it); null when the sum itself is 1..k−1.
	 */
	covered: number | null;
	covered_sites_suppressed: number;
	/** The greedy solution's total, only when every one of its gains may be shown. */
	greedy_covered: number | null;
	/** Exact solver: status, proved upper bound and relative gap. */
	status: 'optimal' | 'time-limit' | 'other';
	bound: number | null;
	gap: number;
	best_single: (Candidate & { poor_households: number | null; villages: number }) | null;
	timings: { matrixMs: number; solveMs: number };
}

const MAX_POINTS = 500;

async function candidatesOf(db: Db, county: string, spec: CandidateSpec, villages: { code: string; name_zh: string; lon: number; lat: number }[]): Promise<Candidate[]> {
	if (spec === 'villages') return villages.map((v) => ({ kind: 'village', ref: v.code, name_zh: v.name_zh, lon: v.lon, lat: v.lat }));
	if (spec === 'townships') {
		const { rows } = await sql<{ id: number; name_zh: string; lon: number; lat: number }>`
			select id, name_zh, ST_X(geom) as lon, ST_Y(geom) as lat from facilities
			where county_code = ${county} and kind = 'township_seat' order by id`.execute(db);
		return rows.map((r) => ({ kind: 'township', ref: String(r.id), name_zh: r.name_zh, lon: Number(r.lon), lat: Number(r.lat) }));
	}
	return spec.map((p, i) => ({ kind: 'point', ref: String(i), name_zh: null, lon: p.lon, lat: p.lat }));
}

export async function computeMaxCover(db: Db, req: MaxCoverRequest, progress?: RunContext['progress']): Promise<MaxCoverResult> {
	const k = DEFAULT_K;
	const s = STAGES.indexOf(req.stage);
	const inputs = await scenarioInputs(db, req.county, req.scenarioId);
	const threshold = inputs.thresholds[s];
	const cm = await chainMinutes(db, req.county, req.chain, inputs.speeds, (f, st) => progress?.(f * 0.4, st));
	const poor = await poorHouseholds(db, req.county, req.year);
	const S = STAGES.length;
	// Demand: poor villages the stage does not reach yet, weighted by their poor households.
	const demand: number[] = [];
	cm.villages.forEach((v, i) => {
		if ((poor.get(v.code) ?? 0) > 0 && !(cm.minutes[i * S + s] <= threshold)) demand.push(i);
	});
	const weights = demand.map((i) => poor.get(cm.villages[i].code)!);
	const candidates = await candidatesOf(db, req.county, req.candidates, cm.villages);
	progress?.(0.45, 'analysis.chain.stage.matrix');
	const t0 = performance.now();
	const graph = cm.network.graph;
	const origins: PointInput[] = demand.map((i) => cm.snapped[i]);
	const dest: PointInput[] = candidates.map((c, j) => ({ id: j, lon: c.lon, lat: c.lat }));
	const matrix = travelTimeMatrix(graph, origins, dest, {
		cutoffMinutes: threshold,
		onProgress: (d, total) => progress?.(0.45 + (0.35 * d) / total, 'analysis.chain.stage.matrix')
	});
	// Candidate-major for the covering core.
	const n = demand.length;
	const m = candidates.length;
	const minutes = new Float64Array(m * n);
	for (let o = 0; o < n; o++) for (let d = 0; d < m; d++) minutes[d * n + o] = matrix.minutes[o * m + d];
	const matrixMs = performance.now() - t0;
	progress?.(0.8, 'analysis.chain.stage.solve');
	const sets = coverSets({ candidates: m, weights, minutes, threshold, q: req.q });
	const greedy = greedyMaxCover(sets, req.q);
	const exact = await exactMaxCover(sets, req.q, { start: greedy, timeLimitSec: 30 });
	// Chosen sites in order of marginal gain (largest first), each with the villages it newly covers.
	const order = exact.chosen.map((j, x) => ({ j, gain: exact.gains[x] }));
	const seen = new Uint8Array(n);
	const chosen: ChosenSite[] = [];
	for (const { j } of order.sort((a, b) => b.gain - a.gain || a.j - b.j)) {
		const vs: ChosenSite['villages'] = [];
		let gain = 0;
		for (let x = sets.start[j]; x < sets.start[j + 1]; x++) {
			const o = sets.cover[x];
			if (seen[o]) continue;
			seen[o] = 1;
			gain += weights[o];
			const v = cm.villages[demand[o]];
			vs.push({ code: v.code, name_zh: v.name_zh, lon: v.lon, lat: v.lat, minutes: roundMinutes(minutes[j * n + o]) });
		}
		chosen.push({ ...candidates[j], rank: chosen.length + 1, poor_households: shownCount(gain, k), villages: vs });
	}
	const best = bestSingleSite(sets);
	const hidden = weights.filter((w) => shownCount(w, k) === null).length;
	// Totals are published only as sums of shown parts: otherwise total − shown sites = a hidden count.
	const hiddenSites = chosen.filter((c) => c.poor_households === null && c.villages.length > 0).length;
	const shownSum = chosen.reduce((t, c) => t + (c.poor_households ?? 0), 0);
	const greedyShowable = greedy.gains.every((g) => shownCount(g, k) !== null);
	return {
		county: req.county,
		chain: req.chain,
		stage: req.stage,
		year: req.year,
		q: req.q,
		k,
		threshold,
		scenario: inputs.scenario,
		candidates: { kind: Array.isArray(req.candidates) ? 'points' : req.candidates, count: m },
		uncovered_poor_villages: n,
		uncovered_poor_households: weights.reduce((t, w) => t + (shownCount(w, k) === null ? 0 : w), 0),
		uncovered_poor_villages_suppressed: hidden,
		chosen,
		covered: shownCount(shownSum, k),
		covered_sites_suppressed: hiddenSites,
		greedy_covered: greedyShowable ? shownCount(greedy.covered, k) : null,
		status: exact.status,
		// The bound equals the total when proved optimal: shown only when the total is.
		bound: Number.isFinite(exact.bound) && hiddenSites === 0 ? shownCount(Math.round(exact.bound * 1000) / 1000, k) : null,
		gap: exact.gap,
		best_single: best
			? { ...candidates[best.candidate], poor_households: shownCount(best.covered, k), villages: sets.start[best.candidate + 1] - sets.start[best.candidate] }
			: null,
		timings: { matrixMs, solveMs: exact.solveMs }
	};
}

export function startMaxCover(db: Db, req: MaxCoverRequest) {
	return startRun(
		db,
		{
			county: req.county,
			scenarioId: req.scenarioId,
			kind: 'max-cover',
			params: { chain: req.chain, stage: req.stage, year: req.year, q: req.q, candidates: req.candidates },
			tables: TABLES
		},
		(ctx) => computeMaxCover(db, req, (f, stage) => ctx.progress(f * 0.98, stage))
	);
}

/** The latest finished max-cover run of a county, chain and stage (for the result layer), or null. */
export async function latestMaxCover(db: Db, county: string, chain: Chain, stage: Stage): Promise<MaxCoverResult | null> {
	const row = await db
		.selectFrom('analysis_runs')
		.select('result')
		.where('county_code', '=', county)
		.where('kind', '=', 'max-cover')
		.where('status', '=', 'done')
		.where(sql<boolean>`params->>'chain' = ${chain} and params->>'stage' = ${stage}`)
		.orderBy('finished_at', 'desc')
		.orderBy('id', 'desc')
		.limit(1)
		.executeTakeFirst();
	if (!row) return null;
	return (typeof row.result === 'string' ? JSON.parse(row.result) : row.result) as MaxCoverResult;
}

// ---- request parsing (the API's 400s) --------------------------------------------------------------

const YEARS = [2014, 2015, 2016, 2017, 2018, 2019, 2020];

function field<T>(body: Record<string, unknown>, name: string): T | undefined {
	return body[name] as T | undefined;
}

export function parseChainGapsRequest(raw: unknown): ChainGapsRequest {
	if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError('body', 'must be a JSON object');
	const body = raw as Record<string, unknown>;
	const county = field<unknown>(body, 'county');
	if (typeof county !== 'string' || !/^[0-9]{6}$/.test(county)) throw new InputError('county', 'must be a 6-digit county code');
	const chain = field<unknown>(body, 'chain');
	if (typeof chain !== 'string' || !(CHAIN_LIST as readonly string[]).includes(chain)) throw new InputError('chain', `must be one of ${CHAIN_LIST.join(', ')}`);
	const year = field<unknown>(body, 'year');
	if (typeof year !== 'number' || !YEARS.includes(year)) throw new InputError('year', `must be one of ${YEARS.join(', ')}`);
	const scenario = field<unknown>(body, 'scenario');
	if (scenario !== undefined && scenario !== null && !(typeof scenario === 'number' && Number.isInteger(scenario) && scenario > 0)) {
		throw new InputError('scenario', 'must be a positive integer');
	}
	return { county, chain: chain as Chain, year, scenarioId: (scenario as number | null | undefined) ?? null };
}

/** The gaps fields (county, chain, year, scenario) through parseChainGapsRequest, then max cover's own. */
export function parseMaxCoverRequest(raw: unknown): MaxCoverRequest {
	const base = parseChainGapsRequest(raw);
	const body = raw as Record<string, unknown>;
	const stage = body.stage;
	if (typeof stage !== 'string' || !(STAGES as readonly string[]).includes(stage)) throw new InputError('stage', `must be one of ${STAGES.join(', ')}`);
	const q = body.q;
	if (!(typeof q === 'number' && Number.isInteger(q) && q >= 1 && q <= 20)) throw new InputError('q', 'must be an integer from 1 to 20');
	const c = body.candidates;
	let candidates: CandidateSpec;
	if (c === 'villages' || c === 'townships') candidates = c;
	else if (Array.isArray(c)) {
		if (c.length === 0 || c.length > MAX_POINTS) throw new InputError('candidates', `a list of 1 to ${MAX_POINTS} points`);
		candidates = c.map((p, i) => {
			const lon = (p as { lon?: unknown })?.lon;
			const lat = (p as { lat?: unknown })?.lat;
			if (!(typeof lon === 'number' && Number.isFinite(lon) && lon >= -180 && lon <= 180)) throw new InputError(`candidates[${i}].lon`, 'must be a longitude in degrees (WGS84)');
			if (!(typeof lat === 'number' && Number.isFinite(lat) && lat >= -90 && lat <= 90)) throw new InputError(`candidates[${i}].lat`, 'must be a latitude in degrees (WGS84)');
			return { lon, lat };
		});
	} else throw new InputError('candidates', "must be 'villages', 'townships' or a list of {lon, lat} points");
	return { ...base, stage: stage as Stage, q, candidates };
}

/** Checks a parsed request against the database (the county has villages, the scenario is the county's), so the API can answer 400 before a run starts. */
export async function checkRequest(db: Db, req: ChainGapsRequest): Promise<void> {
	const v = await db.selectFrom('villages').select('code').where('county_code', '=', req.county).limit(1).executeTakeFirst();
	if (!v) throw new InputError('county', `no villages loaded for county ${req.county}`);
	await scenarioInputs(db, req.county, req.scenarioId);
}
