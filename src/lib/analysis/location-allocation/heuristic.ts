// Heuristic location-allocation for instances too large for the MILP: greedy add, then vertex
// substitution, then iterated local search (seeded random kicks); in min-sites mode greedy add until
// everyone placeable is placed, then greedy drop while that still holds. Deterministic: the same
// problem and seed give the same answer; ties go to the lowest index. `timeLimitMs` stops the
// substitution and the iterated search; the greedy construction always completes.
//
// Two engines behind one interface:
// - uncapacitated: `FastInterchange` (Resende–Werneck bookkeeping, best-improvement swaps);
// - capacitated: Teitz–Bart substitution (first improvement) where each trial configuration is
//   evaluated incrementally (`capacitated.ts`), with candidate lists to keep the number of trials
//   per pass at about 10·p.
import { assign, type Assigned, assignNearest } from './assign.ts';
import { CapacitatedEngine } from './capacitated.ts';
import {
	buildInstance,
	buildResult,
	capacitySitesBound,
	type Instance,
	penalisedCost,
	progressReporter,
	restrictTo,
	shortfallLowerBound,
	shortfallOf,
	simpleBound
} from './instance.ts';
import { FastInterchange } from './interchange.ts';
import { mulberry32 } from '../prng.ts';
import { allocationFrom, buildLp, runModel, startVector } from './milp.ts';
import type { BoundKind, HeuristicOptions, LocationProblem, LocationResult, Progress } from './types.ts';

interface Engine {
	readonly open: Uint8Array;
	readonly p: number;
	readonly cost: number;
	add(f: number): void;
	remove(r: number): void;
	setOpen(target: Uint8Array): void;
	bestAdd(): number;
	bestDrop(): number;
	unplacedWeight(): number;
	localSearch(deadline: number, onStep?: () => void): number;
	snapshot(): unknown;
	restore(state: unknown): void;
	/** The final allocation (capacitated single-sourcing: with the polishing moves). */
	final(): Assigned;
}

class UncapacitatedEngine extends FastInterchange implements Engine {
	final(): Assigned {
		return assignNearest(this.inst, this.open);
	}

	snapshot(): unknown {
		return this.open.slice();
	}

	restore(state: unknown) {
		this.setOpen(state as Uint8Array);
	}
}

export interface HeuristicCoreResult {
	assigned: Assigned;
	p: number;
	/** Min-sites: a lower bound on the number of sites (capacity), for the report. */
	minSitesLowerBound?: number;
}

export interface CoreOptions {
	deadline: number;
	/** Skip the substitution phase (a quick start for the MILP). */
	greedyOnly?: boolean;
	/** Iterated-local-search rounds after the first local optimum (default 200, capacitated 20). */
	rounds?: number;
	seed?: number;
	report: (p: Omit<Progress, 'elapsedMs'>, force?: boolean) => void;
}

export function heuristicCore(inst: Instance, options: CoreOptions): HeuristicCoreResult {
	const { mode } = inst.problem;
	const { deadline, report } = options;
	const maxOpen = mode.kind === 'p' ? mode.p + 1 : Math.min(inst.m, 16);
	const engine: Engine = inst.capacitated ? new CapacitatedEngine(inst) : new UncapacitatedEngine(inst, maxOpen);
	const step = (phase: Progress['phase']) => () => report({ phase, objective: engine.cost, p: engine.p });
	const search = () => {
		if (!options.greedyOnly) engine.localSearch(deadline, step('interchange'));
	};

	// Iterated local search: kick the local optimum with one or two random swaps (seeded), search
	// again, keep the result only if it is better. The penalised objective never trades placed
	// households for cost, so in min-sites mode this cannot undo the placement either.
	const perturb = () => {
		// Default: no more rounds than twice the number of single swaps (tiny instances need few).
		const rounds = options.greedyOnly
			? 0
			: (options.rounds ?? Math.min(inst.capacitated ? 20 : 200, 2 * engine.p * (inst.m - engine.p)));
		if (rounds === 0 || engine.p === 0 || engine.p === inst.m) return;
		const rand = mulberry32(options.seed ?? 1);
		let best = engine.snapshot();
		let bestCost = engine.cost;
		for (let round = 0; round < rounds && performance.now() < deadline; round++) {
			for (let kick = 0; kick <= round % 2; kick++) {
				const opened: number[] = [];
				const closed: number[] = [];
				for (let j = 0; j < inst.m; j++) (engine.open[j] ? opened : closed).push(j);
				engine.add(closed[Math.floor(rand() * closed.length)]);
				engine.remove(opened[Math.floor(rand() * opened.length)]);
			}
			engine.localSearch(deadline, step('interchange'));
			if (engine.cost < bestCost - 1e-9 * Math.max(1, Math.abs(bestCost))) {
				best = engine.snapshot();
				bestCost = engine.cost;
			} else engine.restore(best);
		}
	};

	if (mode.kind === 'p') {
		while (engine.p < mode.p) {
			engine.add(engine.bestAdd());
			step('greedy')();
		}
		search();
		perturb();
		return { assigned: engine.final(), p: engine.p };
	}

	// Min-sites: the weight that stays unplaced even with every site open is the target.
	const all = new Uint8Array(inst.m).fill(1);
	const target = inst.capacitated ? unplaced(inst, assign(inst, all, true)) : 0;
	let total = 0;
	for (let a = 0; a < inst.n; a++) total += inst.w[a];
	const lower = total - target > 0 ? capacitySitesBound(inst, total - target) : 0;
	const tol = 1e-9 * Math.max(1, total);
	// (At least one site when any group is in reach, even if it has no weight, like the MILP.)
	while ((engine.unplacedWeight() > target + tol || (engine.p === 0 && inst.n > 0)) && engine.p < inst.m) {
		engine.add(engine.bestAdd());
		step('min-sites')();
	}
	search();
	while (engine.p > Math.max(lower, 1) && performance.now() < deadline) {
		const before = engine.snapshot();
		engine.remove(engine.bestDrop());
		search();
		step('min-sites')();
		if (engine.unplacedWeight() > target + tol) {
			engine.restore(before);
			break;
		}
	}
	perturb();
	return { assigned: engine.final(), p: engine.p, minSitesLowerBound: lower };
}

function unplaced(inst: Instance, assigned: Assigned): number {
	const placed = new Float64Array(inst.n);
	const f = assigned.alloc.flows;
	for (let k = 0; k < f.length; k += 3) placed[f[k]] += f[k + 2];
	let s = 0;
	for (let a = 0; a < inst.n; a++) s += Math.max(0, inst.w[a] - placed[a]);
	return s;
}

/** Wall-clock cap of HiGHS's look at the assignment for the heuristic's sites. */
export const EXACT_ASSIGNMENT_MAX_MS = 2000;

/** Default size (allowed group–site pairs) up to which the heuristic reports the LP-relaxation bound. */
export const LP_BOUND_MAX_PAIRS = 60_000;

export async function solveHeuristic(problem: LocationProblem, options: HeuristicOptions = {}): Promise<LocationResult> {
	const t0 = performance.now();
	const inst = buildInstance(problem, options.unassignedPenalty);
	return heuristicFromInstance(inst, options, t0);
}

export async function heuristicFromInstance(
	inst: Instance,
	options: HeuristicOptions,
	t0: number
): Promise<LocationResult> {
	const progress = progressReporter(t0, options.onProgress, options.progressIntervalMs);
	const deadline = t0 + (options.timeLimitMs ?? 60_000);
	const core = heuristicCore(inst, { deadline, report: progress.report, rounds: options.rounds, seed: options.seed });
	progress.report({ phase: 'assignment', objective: core.assigned.cost, p: core.p }, true);

	let assigned = core.assigned;
	// Single-sourcing with capacities: the assignment for the chosen sites is a generalised
	// assignment problem, where the regret greedy and its moves can leave households unplaced that
	// fit, or a few minutes on the table. When it is small, HiGHS (y fixed, started from the
	// heuristic's assignment) gets a short look: a polish, not a proof — tight capacities make this
	// problem hard to close, and most of what HiGHS finds, it finds in its first second.
	const open = assigned.alloc.open;
	if (inst.capacitated && !inst.split && (options.exactAssignment ?? true)) {
		const sub = restrictTo(inst, open);
		if (sub.nbr.length <= (options.lpMaxPairs ?? LP_BOUND_MAX_PAIRS)) {
			progress.report({ phase: 'assignment', objective: assigned.cost, p: core.p }, true);
			const short = shortfallOf(inst, assigned.alloc);
			const model = buildLp(sub, {
				p: core.p,
				objective: 'cost',
				relax: false,
				fixed: open,
				maxShortfall: short,
				penalise: short > shortfallLowerBound(inst, { open }) + 1e-9 * Math.max(1, short)
			});
			const run = await runModel(model, true, {
				timeLimitSec: Math.max(0.2, Math.min(EXACT_ASSIGNMENT_MAX_MS, deadline - performance.now()) / 1000),
				relativeGap: 1e-9,
				start: startVector(sub, model, open, assigned.alloc)
			});
			if (run.colValue) {
				const alloc = allocationFrom(sub, model, run.colValue);
				const cost = penalisedCost(inst, alloc);
				if (cost < assigned.cost) assigned = { alloc, cost };
			}
		}
	}

	// Bounds on the minutes of any solution with these many sites that places at least as much.
	const short = shortfallOf(inst, assigned.alloc);
	let bound = simpleBound(inst, short);
	let boundKind: BoundKind = 'simple';
	const want = options.bound ?? 'auto';
	const pairs = inst.nbr.length;
	if (want === 'lp' || (want === 'auto' && pairs <= (options.lpMaxPairs ?? LP_BOUND_MAX_PAIRS))) {
		progress.report({ phase: 'lp-bound', objective: assigned.cost, p: core.p }, true);
		const lp = await lpRelaxationBound(inst, core.p, short, Math.max(1, (deadline - performance.now()) / 1000));
		if (lp !== undefined && lp > bound) {
			bound = lp;
			boundKind = 'lp-relaxation';
		}
	}
	return buildResult(inst, assigned.alloc, {
		bound,
		boundKind,
		method: 'heuristic',
		status: 'heuristic',
		elapsedMs: performance.now() - t0,
		...(core.minSitesLowerBound !== undefined ? { minSitesLowerBound: core.minSitesLowerBound } : {})
	});
}

/**
 * Optimum of the LP relaxation with p sites and at most `shortfall` weight unplaced, in minutes
 * (the penalty is not in its objective): a bound on every solution that places at least as much.
 * Undefined if HiGHS did not finish.
 */
export async function lpRelaxationBound(inst: Instance, p: number, shortfall: number, timeLimitSec: number): Promise<number | undefined> {
	if (inst.n === 0) return 0;
	const model = buildLp(inst, { p, objective: 'cost', relax: true, maxShortfall: shortfall, penalise: false });
	const run = await runModel(model, false, { timeLimitSec, relativeGap: 0 });
	return run.status === 'optimal' ? run.bound : undefined;
}
