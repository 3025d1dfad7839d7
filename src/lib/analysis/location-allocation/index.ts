// Location-allocation for relocation settlements: which candidate sites to open, and which origin
// village groups go where. Pure TypeScript on typed arrays plus HiGHS (WebAssembly) for the exact
// model; no database and no DOM. See README.md beside this file for the model and the measured sizes.
import { exactFromInstance } from './exact.ts';
import { heuristicFromInstance } from './heuristic.ts';
import { allocationOf, buildInstance } from './instance.ts';
import type { LocateOptions, LocationProblem, LocationResult } from './types.ts';

export { solveExact, EXACT_TIME_LIMIT_MS } from './exact.ts';
export { solveHeuristic, LP_BOUND_MAX_PAIRS } from './heuristic.ts';
export type * from './types.ts';

/**
 * Default size (allowed group–site pairs, i.e. x columns) up to which `locateAllocate` solves
 * exactly. Measured on a shared 2-core machine (README.md): p-median 10 000 pairs (pmed1, pmed5)
 * optimal in < 1 s, 40 000 pairs in 2.5–6 s; county-like capacitated single-sourcing 8 800 pairs in
 * 27 s and 18 800 in 23 s, while 53 000 pairs hit a 60 s limit (gap 0.02 %). The time limit guards
 * the hard cases, and the heuristic's solution is HiGHS's start, so a time-limited run is no worse.
 */
export const EXACT_MAX_PAIRS = 20_000;

/**
 * Exact (HiGHS, started from the heuristic's solution) when the model is small enough, else the
 * heuristic with the best bound that fits.
 */
export async function locateAllocate(problem: LocationProblem, options: LocateOptions = {}): Promise<LocationResult> {
	const t0 = performance.now();
	const inst = buildInstance(problem, options.unassignedPenalty);
	const method = options.method ?? 'auto';
	const pairs = inst.nbr.length;
	const exact = method === 'exact' || (method === 'auto' && pairs <= (options.exactMaxPairs ?? EXACT_MAX_PAIRS));
	if (!exact) return heuristicFromInstance(inst, options, t0);
	// The heuristic's solution gives HiGHS an incumbent at once, so a time-limited run is never worse.
	const start = await heuristicFromInstance(inst, { ...options, bound: 'simple' }, t0);
	const alloc = allocationOf(inst, start);
	const result = await exactFromInstance(inst, options, t0, { open: alloc.open, alloc });
	if (result.status === 'optimal' || !better(start, result, problem.mode.kind === 'min-sites')) return result;
	// HiGHS ran out of time without improving on its start: report the start, with HiGHS's bound
	// (it covers every solution that places as much as HiGHS's, so every one that places as much as the start).
	const bound = Math.min(result.bound, start.objective);
	return { ...start, bound, boundKind: result.boundKind, gap: start.objective > 0 ? (start.objective - bound) / start.objective : 0 };
}

/** a better than b: less unplaced weight, then (min-sites) fewer sites, then lower cost. */
function better(a: LocationResult, b: LocationResult, minSites: boolean) {
	const tol = (x: number, y: number) => 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
	if (Math.abs(a.shortfall - b.shortfall) > tol(a.shortfall, b.shortfall)) return a.shortfall < b.shortfall;
	if (minSites && a.open.length !== b.open.length) return a.open.length < b.open.length;
	return a.objective < b.objective - tol(a.objective, b.objective);
}
