// Exact location-allocation with HiGHS. p mode: one MILP. Min-sites mode: two — first the fewest
// sites (Σ y, with unplaced weight costing more than every site together, so that placing everyone
// placeable comes first), then the cheapest assignment with that many sites, started from the first
// solution.
import { assign } from './assign.ts';
import { type Allocation, buildInstance, buildResult, type Instance, progressReporter, simpleBound } from './instance.ts';
import { heuristicCore } from './heuristic.ts';
import { allocationFrom, type BuiltModel, buildLp, openFrom, runModel, type RunResult, startVector } from './milp.ts';
import type { ExactOptions, LocationProblem, LocationResult, SolveStatus } from './types.ts';

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
	return exactFromInstance(inst, options, t0, warm);
}

export async function exactFromInstance(
	inst: Instance,
	options: ExactOptions,
	t0: number,
	warm?: Uint8Array
): Promise<LocationResult> {
	const progress = progressReporter(t0, options.onProgress, options.progressIntervalMs);
	const deadline = t0 + (options.timeLimitMs ?? EXACT_TIME_LIMIT_MS);
	const relativeGap = options.relativeGap ?? 1e-9;
	const remainingSec = (share = 1) => Math.max(0.05, ((deadline - performance.now()) * share) / 1000);
	const { mode } = inst.problem;
	const onProgress = (p?: number) => (incumbent: number | undefined, bound: number | undefined) =>
		progress.report({ phase: 'milp', objective: incumbent, bound, p });

	// A start for branch-and-bound: the caller's, else a greedy construction (cheap).
	const quickStart = () =>
		heuristicCore(inst, { deadline, greedyOnly: true, report: () => {} }).assigned.alloc.open;

	let p: number;
	let minSitesLowerBound: number | undefined;
	let start = warm;
	if (mode.kind === 'p') {
		p = mode.p;
		if (start && count(start) !== p) start = undefined;
	} else {
		start ??= quickStart();
		const model = buildLp(inst, { objective: 'sites', relax: false, sitesPenalty: inst.m + 1 });
		const run = await runModel(model, true, {
			timeLimitSec: remainingSec(0.5),
			relativeGap: 0,
			start: startVector(inst, model, start),
			onProgress: onProgress()
		});
		const open = run.colValue ? openFrom(inst, run.colValue) : start;
		p = count(open);
		start = open;
		minSitesLowerBound =
			run.status === 'optimal' ? p : run.bound !== undefined && unplacedIn(inst, model, run) === 0 ? Math.ceil(run.bound - 1e-6) : undefined;
	}

	start ??= quickStart();
	const model = buildLp(inst, { p, objective: 'cost', relax: false });
	const run = await runModel(model, true, {
		timeLimitSec: remainingSec(),
		relativeGap,
		start: startVector(inst, model, start),
		onProgress: onProgress(p)
	});

	let alloc: Allocation;
	let status: SolveStatus;
	if (run.colValue) {
		alloc = allocationFrom(inst, model, run.colValue);
		status = run.status === 'optimal' ? 'optimal' : 'time-limit';
	} else {
		// HiGHS stopped before it had any solution: report the start, with whatever bound exists.
		alloc = assign(inst, start, true).alloc;
		status = 'time-limit';
	}
	const bound = run.bound ?? simpleBound(inst);
	return buildResult(inst, alloc, {
		bound,
		boundKind: run.bound !== undefined ? 'milp' : 'simple',
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
