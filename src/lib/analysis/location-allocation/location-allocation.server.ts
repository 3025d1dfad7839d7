// Capacitated location-allocation for a county's relocation (the glue): demand = the county's
// relocating households grouped by origin village (weight = households); facilities = candidate
// and approved sites outside every constraint zone, with their capacities; cost = road minutes
// village → site (travelTimeMatrix on the county graph). The core (locateAllocate) solves exactly
// with HiGHS when the model fits and heuristically otherwise, always with a bound and a gap. The
// result carries the housing-cost gap of each chosen site under the scenario's policy parameters.
//
// What leaves the server is suppressed like the relocation layers (cells.ts over the village × site
// table of the result): household counts of 1..k−1, and the counts that would give one back by
// subtraction, are null. Adopting a result writes only which sites and which village goes where.
import { sql, type Kysely } from 'kysely';
import type { Database } from '$lib/server/db/types.ts';
import { getRun, startRun, type RunContext } from '$lib/server/analysis/runs.server.ts';
import { loadRoadNetwork } from '$lib/analysis/travel-time/network.server.ts';
import { snapPoints, travelTimeMatrix } from '$lib/analysis/travel-time';
import { aggregateHousingGaps, housingGapExact, type HousingGapResult } from '$lib/analysis/housing-gap';
import { suppressTable } from '$lib/layers/relocation-sites/cells.ts';
import { suppressCount } from '$lib/layers/suppress.ts';
import { DEFAULT_K } from '$lib/layers/params.ts';
import { EXACT_MAX_PAIRS, locateAllocate, solveExact, solveHeuristic } from './index.ts';
import type { LocationProblem, LocationResult, UnassignedReason } from './types.ts';
import { candidateSites, originVillages, sitingScenario } from '../suitability/inputs.server.ts';
import { RequestFieldError, type LocationAllocationRequest } from '../suitability/request.ts';

export interface SiteGap {
	households: number;
	costYuan: number;
	subsidyYuan: number;
	selfFundingYuan: number;
	/** Σ of the core's per-household gap (money nobody has planned for), yuan. */
	gapYuan: number;
	gapPerHouseholdYuan: number;
	/** Share of households whose required self-funding exceeds the cap; null when it would reveal a small count. */
	overCapShare: number | null;
}

export interface ChosenSite {
	id: number;
	name: string;
	kind: string;
	status: string;
	capacity: number;
	position: [number, number];
	/** Households assigned; null when withheld (1..k−1, or protecting such a count). */
	households: number | null;
	villages: number;
	/** Household-weighted mean minutes of its villages; null with `households`. */
	meanMinutes: number | null;
	gap: SiteGap | null;
}

export interface SitePoint {
	id: number;
	name: string;
	capacity: number;
	position: [number, number];
	exclusions: string[];
}

export interface VillageAssignment {
	village: string;
	villageName: string;
	from: [number, number];
	site: number;
	siteName: string;
	to: [number, number];
	households: number | null;
	minutes: number;
}

export interface VillageUnassigned {
	village: string;
	villageName: string;
	households: number | null;
	reason: UnassignedReason;
}

export interface LocationAllocationOutput {
	county: string;
	scenario: { id: number | null; name: string | null };
	k: number;
	mode: LocationAllocationRequest['mode'];
	maxMinutes: number | null;
	solver: {
		method: LocationResult['method'];
		status: LocationResult['status'];
		/** Household-minutes of the assignment. */
		objective: number;
		bound: number;
		boundKind: LocationResult['boundKind'];
		gap: number;
		elapsedMs: number;
		minSitesLowerBound: number | null;
		pairs: number;
	};
	chosen: ChosenSite[];
	/** Eligible candidates not chosen. */
	unchosen: SitePoint[];
	/** Candidates in a constraint zone (never offered to the solver). */
	excluded: SitePoint[];
	assignments: VillageAssignment[];
	unassigned: VillageUnassigned[];
	totals: {
		/** The county's relocating households (demand); null when withheld. */
		households: number | null;
		/** Households placed; null when withheld. */
		placed: number | null;
		unplaced: number | null;
		/** Household-weighted mean minutes over the placed households. */
		meanMinutes: number | null;
		costYuan: number | null;
		gapYuan: number | null;
		sites: number;
		capacity: number;
	};
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const pos = (lon: number, lat: number): [number, number] => [Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6];
const UNASSIGNED_COL = '-';

/**
 * Wall-clock budget of one analysis from the panel (loading, travel times and solve): a planner
 * waits for it. 10 s: the heuristic with its LP bound takes a few seconds on the largest demo
 * county, and HiGHS gets the rest to improve the answer or tighten the bound; the result always
 * says how far from optimal it can be.
 */
export const SOLVE_BUDGET_MS = 10_000;

/**
 * HiGHS's stopping gap for an interactive run: 0.01 % of the household-minutes (HiGHS's own
 * default). Proving the last 0.01 % of a tightly capacitated county can take minutes; the planner's
 * decision does not turn on it.
 */
export const INTERACTIVE_RELATIVE_GAP = 1e-4;

/** What 'auto' keeps back from HiGHS's time limit for reading the model and the answer. */
const AUTO_MARGIN_MS = 600;

/**
 * 'auto' for an interactive run: the heuristic with its LP bound first (seconds on a county);
 * when that does not already prove the answer (gap above INTERACTIVE_RELATIVE_GAP) and the model
 * fits, HiGHS from the heuristic's solution for what is left of the budget. The better solution is
 * kept, and the best of both bounds reported: after a time limit HiGHS's dual bound can be weaker
 * than the LP relaxation the heuristic computed. Bounds are in minutes over the solutions that place
 * at least as many households as the answer, so the better answer's bound is the larger of the two.
 */
async function solveAuto(problem: LocationProblem, budgetMs: number, exactMaxPairs = EXACT_MAX_PAIRS, onProgress?: (p: { elapsedMs: number }) => void): Promise<LocationResult> {
	const t0 = performance.now();
	// The heuristic's iterated search stops at 60 % of the budget, so HiGHS gets a real share.
	const h = await solveHeuristic(problem, { timeLimitMs: 0.6 * budgetMs, onProgress });
	let pairs = 0;
	for (const row of problem.cost) for (let j = 0; j < row.length; j++) if (Number.isFinite(row[j]) && (problem.maxCost === undefined || row[j] <= problem.maxCost)) pairs++;
	const left = budgetMs - (performance.now() - t0);
	if (h.gap <= INTERACTIVE_RELATIVE_GAP || pairs > exactMaxPairs || left < 2000) return h;
	// (Less a margin: HiGHS reads the model before its clock starts and returns after it stops.)
	const e = await solveExact(problem, { timeLimitMs: left - AUTO_MARGIN_MS, start: h, relativeGap: INTERACTIVE_RELATIVE_GAP, onProgress });
	// Better: fewer households unplaced, then (min-sites) fewer sites, then fewer minutes.
	const tol = (x: number) => 1e-9 * Math.max(1, Math.abs(x));
	const eBetter =
		Math.abs(e.shortfall - h.shortfall) > tol(h.shortfall)
			? e.shortfall < h.shortfall
			: problem.mode.kind === 'min-sites' && e.open.length !== h.open.length
				? e.open.length < h.open.length
				: e.objective < h.objective - tol(h.objective);
	const best = eBetter ? e : h;
	const other = eBetter ? h : e;
	// The other bound holds for the better answer too when it was taken over at least as many sites
	// and at least as much unplaced: a superset of the better answer's alternatives.
	const covers = other.open.length >= best.open.length && other.shortfall >= best.shortfall - tol(best.shortfall);
	const bound = Math.min(best.objective, covers ? Math.max(best.bound, other.bound) : best.bound);
	const gap = best.objective > 0 ? (best.objective - bound) / best.objective : 0;
	const status = eBetter || e.status !== 'optimal' ? best.status : 'optimal';
	return { ...best, bound, boundKind: bound === best.bound ? best.boundKind : other.boundKind, gap, status, elapsedMs: performance.now() - t0 };
}

/** The analysis itself (no run bookkeeping): tests and the bench call it directly. */
export async function computeLocationAllocation(
	db: Kysely<Database>,
	request: LocationAllocationRequest,
	ctx?: Pick<RunContext, 'progress'>,
	options: { k?: number; exactMaxPairs?: number; timeLimitMs?: number } = {}
): Promise<LocationAllocationOutput> {
	const started = performance.now();
	const k = Math.max(options.k ?? DEFAULT_K, DEFAULT_K);
	const progress = (f: number, stage: string) => ctx?.progress(f, stage);
	progress(0.02, 'analysis.siting.stage.load');
	const scenario = await sitingScenario(db, request.county, request.scenario);
	const all = await candidateSites(db, request.county);
	const villages = await originVillages(db, request.county);
	const eligible = all.filter((s) => s.exclusions.length === 0);
	const excluded = all.filter((s) => s.exclusions.length > 0);
	if (request.mode.kind === 'p' && request.mode.p > eligible.length)
		throw new RequestFieldError('mode.p', `the county has ${eligible.length} eligible candidate sites, fewer than p = ${request.mode.p}`);

	progress(0.08, 'analysis.siting.stage.network');
	const net = await loadRoadNetwork(db, [request.county], scenario.speeds);
	progress(0.12, 'analysis.siting.stage.matrix');
	const snappedSites = snapPoints(net.graph, eligible.map((s) => ({ id: s.id, lon: s.lon, lat: s.lat })));
	const matrix = travelTimeMatrix(net.graph, villages.map((v) => ({ id: v.code, lon: v.lon, lat: v.lat })), snappedSites, {
		cutoffMinutes: request.maxMinutes ?? undefined,
		onProgress: (d, t) => progress(0.12 + 0.38 * (d / Math.max(1, t)), 'analysis.siting.stage.matrix')
	});
	const nS = eligible.length;
	const cost = villages.map((_, i) => matrix.minutes.subarray(i * nS, (i + 1) * nS));

	progress(0.5, 'analysis.siting.stage.solve');
	const problem = {
		groups: villages.map((v) => ({ id: v.code, weight: v.households })),
		sites: eligible.map((s) => ({ id: String(s.id), capacity: s.capacity })),
		cost,
		mode: request.mode,
		maxCost: request.maxMinutes ?? undefined
	};
	// The budget is for the whole analysis: what loading and the matrix took is the solver's less.
	const budget = Math.max(2000, (options.timeLimitMs ?? SOLVE_BUDGET_MS) - (performance.now() - started));
	const onProgress = (p: { elapsedMs: number }) => progress(0.5 + 0.45 * Math.min(1, p.elapsedMs / budget), 'analysis.siting.stage.solve');
	const result =
		request.method === 'auto'
			? await solveAuto(problem, budget, options.exactMaxPairs, onProgress)
			: await locateAllocate(problem, { method: request.method, exactMaxPairs: options.exactMaxPairs, timeLimitMs: budget, onProgress });
	progress(0.96, 'analysis.siting.stage.gap');
	return shapeResult(request, scenario, villages, eligible, excluded, result, k, cost);
}

function shapeResult(
	request: LocationAllocationRequest,
	scenario: Awaited<ReturnType<typeof sitingScenario>>,
	villages: Awaited<ReturnType<typeof originVillages>>,
	eligible: Awaited<ReturnType<typeof candidateSites>>,
	excluded: Awaited<ReturnType<typeof candidateSites>>,
	result: LocationResult,
	k: number,
	cost: ArrayLike<number>[]
): LocationAllocationOutput {
	const villageBy = new Map(villages.map((v, i) => [v.code, { v, i }]));
	const siteBy = new Map(eligible.map((s) => [String(s.id), s]));

	// The village × site table of the result, suppressed as one table.
	const cells = [
		...result.assignment.map((a) => ({ row: a.group, col: a.site, count: a.weight })),
		...result.unassigned.map((u) => ({ row: u.group, col: UNASSIGNED_COL, count: u.weight }))
	];
	const sup = suppressTable(cells, k);
	const hiddenCell = (i: number) => sup.cells[i];
	const hiddenCols = [...sup.cols];
	const colTotal = (col: string) => cells.filter((c) => c.col === col).reduce((s, c) => s + c.count, 0);
	const hiddenSum = hiddenCols.reduce((s, c) => s + colTotal(c), 0);
	// The grand total minus the shown column totals would give back a lone hidden one.
	const grandHidden = hiddenCols.length === 1 || (hiddenSum >= 1 && hiddenSum < k);

	// Housing-cost gap of each chosen site's households (exact, rounded after summing).
	const rows: { group: string; result: HousingGapResult }[] = [];
	for (const a of result.assignment) {
		const v = villageBy.get(a.group)!.v;
		// Single-sourcing: the whole village goes to one site.
		v.members.forEach((m, h) => rows.push({ group: a.site, result: housingGapExact({ members: m, perCapitaIncomeYuan: v.incomes[h] }, scenario.policy) }));
	}
	const gaps = aggregateHousingGaps(rows);
	const gapBy = new Map(gaps.groups.map((g) => [g.group, g]));

	const chosen: ChosenSite[] = result.open.map((id) => {
		const s = siteBy.get(id)!;
		const mine = result.assignment.filter((a) => a.site === id);
		const n = mine.reduce((t, a) => t + a.weight, 0);
		const hidden = sup.cols.has(id);
		const g = gapBy.get(id);
		let gap: SiteGap | null = null;
		if (!hidden && g && g.households > 0) {
			const over = g.overCapHouseholds;
			const shareShown = !suppressCount(over, k).suppressed && !suppressCount(n - over, k).suppressed;
			gap = {
				households: g.households,
				costYuan: g.totalCostYuan,
				subsidyYuan: g.totalSubsidyYuan,
				selfFundingYuan: g.totalAskedSelfFundingYuan,
				gapYuan: g.totalGapYuan,
				gapPerHouseholdYuan: g.meanGapPerHouseholdYuan,
				overCapShare: shareShown ? Math.round(g.overCapShare * 1000) / 1000 : null
			};
		}
		return {
			id: s.id,
			name: s.name,
			kind: s.kind,
			status: s.status,
			capacity: s.capacity,
			position: pos(s.lon, s.lat),
			households: hidden ? null : n,
			villages: mine.length,
			meanMinutes: hidden || n === 0 ? null : round2(mine.reduce((t, a) => t + a.weight * a.cost, 0) / n),
			gap
		};
	});
	const open = new Set(result.open);
	const point = (s: (typeof eligible)[number]): SitePoint => ({ id: s.id, name: s.name, capacity: s.capacity, position: pos(s.lon, s.lat), exclusions: s.exclusions });

	const assignments: VillageAssignment[] = result.assignment.map((a, i) => {
		const v = villageBy.get(a.group)!.v;
		const s = siteBy.get(a.site)!;
		return {
			village: v.code,
			villageName: v.name,
			from: pos(v.lon, v.lat),
			site: s.id,
			siteName: s.name,
			to: pos(s.lon, s.lat),
			households: hiddenCell(i) ? null : a.weight,
			minutes: round2(a.cost)
		};
	});
	const nA = result.assignment.length;
	const unassigned: VillageUnassigned[] = result.unassigned.map((u, i) => {
		const v = villageBy.get(u.group)!.v;
		return { village: v.code, villageName: v.name, households: hiddenCell(nA + i) ? null : u.weight, reason: u.reason };
	});

	const demand = villages.reduce((s, v) => s + v.households, 0);
	const placed = result.assignment.reduce((s, a) => s + a.weight, 0);
	const unplaced = demand - placed;
	const unplacedHidden = sup.cols.has(UNASSIGNED_COL) || suppressCount(unplaced, k).suppressed;
	void cost;
	return {
		county: request.county,
		scenario: { id: scenario.id, name: scenario.name },
		k,
		mode: request.mode,
		maxMinutes: request.maxMinutes,
		solver: {
			method: result.method,
			status: result.status,
			objective: round2(result.objective),
			bound: round2(result.bound),
			boundKind: result.boundKind,
			gap: result.gap,
			elapsedMs: Math.round(result.elapsedMs),
			minSitesLowerBound: result.minSitesLowerBound ?? null,
			pairs: cells.length
		},
		chosen,
		unchosen: eligible.filter((s) => !open.has(String(s.id))).map(point),
		excluded: excluded.map(point),
		assignments,
		unassigned,
		totals: {
			households: grandHidden || suppressCount(demand, k).suppressed ? null : demand,
			placed: grandHidden || suppressCount(placed, k).suppressed ? null : placed,
			unplaced: grandHidden || (unplaced > 0 && unplacedHidden) ? null : unplaced,
			meanMinutes: placed > 0 ? round2(result.objective / placed) : null,
			costYuan: grandHidden ? null : gaps.total.totalCostYuan,
			gapYuan: grandHidden ? null : gaps.total.totalGapYuan,
			sites: chosen.length,
			capacity: chosen.reduce((s, c) => s + c.capacity, 0)
		}
	};
}

/** Start (or reuse) a location-allocation run; resolves with its id at once. */
export async function startLocationAllocationRun(db: Kysely<Database>, request: LocationAllocationRequest) {
	const scenario = await sitingScenario(db, request.county, request.scenario);
	return startRun<LocationAllocationOutput>(
		db,
		{
			county: request.county,
			scenarioId: scenario.id,
			kind: 'location-allocation',
			params: { mode: request.mode, maxMinutes: request.maxMinutes, method: request.method },
			tables: ['relocation_sites', 'constraint_zones', 'households', 'villages', 'roads']
		},
		(ctx) => computeLocationAllocation(db, { ...request, scenario: scenario.id }, ctx)
	);
}

export interface SitingDecision {
	runId: number;
	adoptedAt: string;
	mode: LocationAllocationRequest['mode'];
	sites: number[];
	assignments: { village: string; site: number }[];
}

/**
 * Store a finished run's chosen sites and village → site assignments in the scenario's decisions
 * under 'siting' (one statement: the other keys of `decisions` are kept). The scenario must belong
 * to the run's county, and be the run's own scenario when the run had one.
 */
export async function adoptLocationAllocation(db: Kysely<Database>, runId: number, scenarioId: number): Promise<SitingDecision> {
	const run = await getRun<LocationAllocationOutput>(db, runId);
	if (!run || run.kind !== 'location-allocation') throw new RequestFieldError('runId', `there is no location-allocation run ${runId}`);
	if (run.status !== 'done' || !run.result) throw new RequestFieldError('runId', `run ${runId} is ${run.status}, not done`);
	const scenario = await db.selectFrom('scenarios').select(['id', 'county_code']).where('id', '=', scenarioId).executeTakeFirst();
	if (!scenario) throw new RequestFieldError('scenario', `there is no scenario ${scenarioId}`);
	if (scenario.county_code !== run.county) throw new RequestFieldError('scenario', `scenario ${scenarioId} belongs to county ${scenario.county_code}, the run to ${run.county}`);
	if (run.scenarioId !== null && run.scenarioId !== scenarioId)
		throw new RequestFieldError('scenario', `run ${runId} was computed with scenario ${run.scenarioId}, not ${scenarioId}`);
	const decision: SitingDecision = {
		runId,
		adoptedAt: new Date().toISOString(),
		mode: run.result.mode,
		sites: run.result.chosen.map((c) => c.id),
		assignments: run.result.assignments.map((a) => ({ village: a.village, site: a.site }))
	};
	await sql`update scenarios
	             set decisions = decisions || jsonb_build_object('siting', ${JSON.stringify(decision)}::jsonb), updated_at = now()
	           where id = ${scenarioId}`.execute(db);
	return decision;
}

/** The latest finished location-allocation run of a county (and scenario, when given). */
export async function latestLocationAllocation(db: Kysely<Database>, county: string, scenarioId: number | null): Promise<{ id: number; result: LocationAllocationOutput } | null> {
	const row = await db
		.selectFrom('analysis_runs')
		.select('id')
		.where('kind', '=', 'location-allocation')
		.where('county_code', '=', county)
		.where('status', '=', 'done')
		.$if(scenarioId !== null, (q) => q.where('scenario_id', '=', scenarioId!))
		.orderBy('finished_at', 'desc')
		.orderBy('id', 'desc')
		.limit(1)
		.executeTakeFirst();
	if (!row) return null;
	const run = await getRun<LocationAllocationOutput>(db, row.id);
	return run?.result ? { id: row.id, result: run.result } : null;
}
