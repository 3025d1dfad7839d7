// Exact location-allocation with HiGHS. p mode: one MILP. Min-sites mode: two — first the fewest
// sites (Σ y, with unplaced weight costing more than every site together, so that placing everyone
// placeable comes first), then the cheapest assignment with that many sites, started from the first
// solution. The first is skipped when the start already proves it: it places all the weight that
// capacity allows with as few sites as capacity allows.
//
// Placing households comes before cost. When the start's shortfall is the capacity minimum
// (`shortfallLowerBound`: 0 whenever everyone fits), the MILP keeps it as a constraint and minimises
// minutes alone — no penalty in the objective, so HiGHS's gap and bound are in minutes, and with
// shortfall 0 the u columns disappear. Otherwise the penalised objective, with the start's shortfall
// as a cap (a better solution never leaves more unplaced).
import { assign } from './assign.ts';
import {
	type Allocation,
	allocationOf,
	buildInstance,
	buildResult,
	capacitySitesBound,
	type Instance,
	progressReporter,
	shortfallLowerBound,
	shortfallOf,
	simpleBound,
	totalWeight
} from './instance.ts';
import { heuristicCore, lpRelaxationBound } from './heuristic.ts';
import { allocationFrom, type BuiltModel, buildLp, openFrom, runModel, type RunResult, startVector } from './milp.ts';
import type { BoundKind, ExactOptions, LocationProblem, LocationResult, SolveStatus } from './types.ts';

/** Default time budget of an exact solve. */
export const EXACT_TIME_LIMIT_MS = 60_000;

export async function solveExact(problem: LocationProblem, options: ExactOptions = {}): Promise<LocationResult> {
	const t0 = performance.now();
	const inst = buildInstance(problem, options.unassignedPenalty);
	let warm: Uint8Array | undefined;
	if (options.warmStart) {
		warm = new Uint8Array(inst.m);
		const index = new Map(problem.sites.map((s, j) => [s.id, j]));
		for (const id of options.warmStart) {
			const j = index.get(id);
			if (j === undefined) throw new RangeError(`location-allocation: warm start names unknown site ${id}`);
			warm[j] = 1;
		}
	}
	if (options.start) {
		const alloc = allocationOf(inst, options.start);
		return exactFromInstance(inst, options, t0, { open: alloc.open, alloc });
	}
	return exactFromInstance(inst, options, t0, warm && { open: warm });
}

/** A start for branch-and-bound: the sites, and optionally their allocation (else re-assigned). */
export interface ExactStart {
	open: Uint8Array;
	alloc?: Allocation;
}

export async function exactFromInstance(inst: Instance, options: ExactOptions, t0: number, warm?: ExactStart): Promise<LocationResult> {
	const progress = progressReporter(t0, options.onProgress, options.progressIntervalMs);
	const deadline = t0 + (options.timeLimitMs ?? EXACT_TIME_LIMIT_MS);
	const relativeGap = options.relativeGap ?? 1e-9;
	const remainingSec = (share = 1) => Math.max(0.05, ((deadline - performance.now()) * share) / 1000);
	const { mode } = inst.problem;
	const onProgress = (p?: number) => (incumbent: number | undefined, bound: number | undefined) =>
		progress.report({ phase: 'milp', objective: incumbent, bound, p });
	const tol = 1e-9 * Math.max(1, totalWeight(inst));

	// A start for branch-and-bound: the caller's, else a greedy construction (cheap).
	const quickStart = (): ExactStart => ({ open: heuristicCore(inst, { deadline, greedyOnly: true, report: () => {} }).assigned.alloc.open });
	const allocOf = (s: ExactStart) => (s.alloc ??= assign(inst, s.open, true).alloc);

	let p: number;
	let minSitesLowerBound: number | undefined;
	let start = warm;
	if (mode.kind === 'p') {
		p = mode.p;
		if (start && count(start.open) !== p) start = undefined;
	} else {
		start ??= quickStart();
		const minShort = shortfallLowerBound(inst, {});
		const demand = totalWeight(inst) - minShort;
		if (demand > tol && shortfallOf(inst, allocOf(start)) <= minShort + tol && count(start.open) <= capacitySitesBound(inst, demand)) {
			// The start places all that capacity allows with as few sites as capacity allows.
			p = count(start.open);
			minSitesLowerBound = p;
		} else {
			const model = buildLp(inst, { objective: 'sites', relax: false, sitesPenalty: inst.m + 1 });
			const run = await runModel(model, true, {
				timeLimitSec: remainingSec(0.5),
				relativeGap: 0,
				start: startVector(inst, model, start.open, allocOf(start)),
				onProgress: onProgress()
			});
			if (run.colValue) start = { open: openFrom(inst, run.colValue) };
			p = count(start.open);
			minSitesLowerBound =
				run.status === 'optimal' ? p : run.bound !== undefined && unplacedIn(inst, model, run) === 0 ? Math.ceil(run.bound - 1e-6) : undefined;
		}
	}

	start ??= quickStart();
	const startAlloc = allocOf(start);
	const startShort = shortfallOf(inst, startAlloc);
	const proved = startShort <= shortfallLowerBound(inst, { p }) + tol;
	const model = buildLp(inst, { p, objective: 'cost', relax: false, maxShortfall: startShort, penalise: !proved });
	const run = await runModel(model, true, {
		timeLimitSec: remainingSec(),
		relativeGap,
		start: startVector(inst, model, start.open, startAlloc),
		onProgress: onProgress(p)
	});

	let alloc: Allocation;
	let status: SolveStatus;
	if (run.colValue) {
		alloc = allocationFrom(inst, model, run.colValue);
		status = run.status === 'optimal' ? 'optimal' : 'time-limit';
	} else {
		// HiGHS stopped before it had any solution: report the start, with whatever bound exists.
		alloc = startAlloc;
		status = 'time-limit';
	}
	// HiGHS's dual bound, in minutes: as is when the objective is minutes alone; else the penalised
	// bound less the penalty of this solution's shortfall (for any solution that leaves at most as
	// much unplaced, cost ≥ bound − penalty × its shortfall ≥ bound − penalty × this shortfall).
	const short = shortfallOf(inst, alloc);
	let bound = simpleBound(inst, short);
	let boundKind: BoundKind = 'simple';
	const milp = run.bound === undefined ? undefined : proved ? run.bound : run.bound - inst.penalty * short;
	if (milp !== undefined && milp > bound) {
		bound = milp;
		boundKind = 'milp';
	} else if (milp === undefined) {
		// Stopped before the root LP was solved: the LP relaxation is still a quick, better bound.
		const lp = await lpRelaxationBound(inst, p, short, Math.max(1, remainingSec()));
		if (lp !== undefined && lp > bound) {
			bound = lp;
			boundKind = 'lp-relaxation';
		}
	}
	return buildResult(inst, alloc, {
		bound,
		boundKind,
		method: 'exact',
		status,
		elapsedMs: performance.now() - t0,
		...(minSitesLowerBound !== undefined ? { minSitesLowerBound } : {})
	});
}

function count(open: Uint8Array) {
	let s = 0;
	for (let j = 0; j < open.length; j++) s += open[j];
	return s;
}

function unplacedIn(inst: Instance, model: BuiltModel, run: RunResult) {
	let s = 0;
	for (let a = 0; a < inst.n; a++) if (model.uCol[a] >= 0) s += inst.w[a] * run.colValue![model.uCol[a]];
	return s > 1e-6 ? s : 0;
}
