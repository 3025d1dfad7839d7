// The MILP in CPLEX LP format, and one HiGHS run of it.
//
//   min  Σ_ij w_i d_ij x_ij + P Σ_i w_i u_i             (objective 'cost')
//   or   Σ_j y_j + P' Σ_i w_i u_i                       (objective 'sites', phase 1 of min-sites)
//   s.t. Σ_j x_ij + u_i = 1            ∀ i              (u_i only where a group can be left unplaced)
//        Σ_i w_i u_i ≤ S                                (S = a known solution's shortfall; S = 0: no u)
//        Σ_i w_i x_ij − c_j y_j ≤ 0    ∀ j, c_j finite
//        x_ij − y_j ≤ 0                ∀ allowed (i, j) (the strong linking that makes the LP tight)
//        Σ_j y_j = p                                    (when p is fixed)
//        y binary; x binary when single-sourcing with capacities, else continuous (with capacities
//        ∞ the best assignment for fixed y is integral anyway; with split it is meant fractional).
// Only allowed pairs get an x column. Columns are declared in the objective in a fixed order
// (y, then x by group then site, then u), which is the order HiGHS numbers them in.
import { assign, assignNearest, assignSplit } from './assign.ts';
import type { Allocation, Instance } from './instance.ts';
import { getHighs } from './highs.ts';

export interface ModelSpec {
	/** Σ y = p; undefined leaves the number of sites free. */
	p?: number;
	objective: 'cost' | 'sites';
	/** Per unit of unplaced weight, for objective 'sites'. */
	sitesPenalty?: number;
	/** LP relaxation: y in [0, 1], no integrality. */
	relax: boolean;
	/** Fix every y to this open set (the assignment problem for given sites). */
	fixed?: Uint8Array;
	/**
	 * At most this much weight unplaced (Σ w_i u_i ≤ maxShortfall): the shortfall of a known
	 * solution, which a better one under the penalised objective never exceeds. 0 removes the u
	 * columns and their large penalty costs altogether.
	 */
	maxShortfall?: number;
	/**
	 * Objective 'cost': charge the penalty per unit of unplaced weight (default). False when the
	 * shortfall is already proved minimal and held by `maxShortfall`: then the objective is the
	 * assignment cost alone, in minutes, and HiGHS's gap and bound mean what a planner reads.
	 */
	penalise?: boolean;
}

export interface BuiltModel {
	lp: string;
	numCols: number;
	/** Column of the first x; x columns follow in `pairs` order. */
	xStart: number;
	/** a * m + j for each x column. */
	pairs: Int32Array;
	/** Column of u_a, or -1 when group a must be placed. */
	uCol: Int32Array;
	integralX: boolean;
}

/** Groups whose assignment row gets an "unplaced" slack: capacities may bind, or not every site is allowed. */
function needsSlack(inst: Instance, a: number) {
	return inst.capacitated || inst.nbrStart[a + 1] - inst.nbrStart[a] < inst.m;
}

export function buildLp(inst: Instance, spec: ModelSpec): BuiltModel {
	const { n, m, w, d, cap, nbr, nbrStart } = inst;
	const integralX = !spec.relax && inst.capacitated && !inst.split;
	const uPenalty = spec.objective === 'cost' ? (spec.penalise === false ? 0 : inst.penalty) : (spec.sitesPenalty ?? m + 1);
	const yCost = spec.objective === 'sites' ? '1' : '0';
	const numPairs = nbrStart[n];
	const pairs = new Int32Array(numPairs);
	const uCol = new Int32Array(n).fill(-1);
	// Pairs by group, then by site index (nbr is sorted by cost; re-sort a copy by index).
	let k = 0;
	for (let a = 0; a < n; a++) {
		const row = Array.from(nbr.subarray(nbrStart[a], nbrStart[a + 1])).sort((x, y) => x - y);
		for (const j of row) pairs[k++] = a * m + j;
	}
	const xStart = m;
	let numCols = m + numPairs;
	const noSlack = spec.maxShortfall !== undefined && spec.maxShortfall <= 0;
	for (let a = 0; a < n; a++) if ((!noSlack || w[a] === 0) && needsSlack(inst, a)) uCol[a] = numCols++;

	const out: string[] = ['Minimize\n obj:'];
	for (let j = 0; j < m; j++) out.push(` + ${yCost} y${j}\n`);
	for (let q = 0; q < numPairs; q++) {
		const a = (pairs[q] / m) | 0;
		const j = pairs[q] - a * m;
		out.push(` + ${spec.objective === 'cost' ? num(w[a] * d[pairs[q]]) : '0'} x${a}_${j}\n`);
	}
	for (let a = 0; a < n; a++) if (uCol[a] >= 0) out.push(` + ${num(uPenalty * w[a])} u${a}\n`);

	out.push('Subject To\n');
	// Assignment rows: the x of group a are contiguous in `pairs`.
	for (let a = 0, q = 0; a < n; a++) {
		out.push(` a${a}:`);
		for (const end = nbrStart[a + 1]; q < end; q++) out.push(` + x${a}_${pairs[q] - a * m}`);
		out.push(uCol[a] >= 0 ? ` + u${a} = 1\n` : ' = 1\n');
	}
	// Capacity rows: collect the allowed groups per site.
	if (inst.capacitated) {
		const bySite: number[][] = Array.from({ length: m }, () => []);
		for (let q = 0; q < numPairs; q++) {
			const a = (pairs[q] / m) | 0;
			if (w[a] > 0) bySite[pairs[q] - a * m].push(a);
		}
		for (let j = 0; j < m; j++) {
			if (cap[j] === Infinity || bySite[j].length === 0) continue;
			out.push(` c${j}:`);
			for (const a of bySite[j]) out.push(` + ${num(w[a])} x${a}_${j}`);
			out.push(` - ${num(cap[j])} y${j} <= 0\n`);
		}
	}
	for (let q = 0; q < numPairs; q++) {
		const a = (pairs[q] / m) | 0;
		const j = pairs[q] - a * m;
		out.push(` l${a}_${j}: x${a}_${j} - y${j} <= 0\n`);
	}
	if (spec.maxShortfall !== undefined && spec.maxShortfall > 0 && uCol.some((c) => c >= 0)) {
		out.push(' s:');
		for (let a = 0; a < n; a++) if (uCol[a] >= 0) out.push(` + ${num(w[a])} u${a}`);
		out.push(` <= ${num(spec.maxShortfall)}\n`);
	}
	if (spec.p !== undefined) {
		out.push(' p:');
		for (let j = 0; j < m; j++) out.push(` + y${j}`);
		out.push(` = ${spec.p}\n`);
	}
	out.push('Bounds\n');
	for (let j = 0; j < m; j++) out.push(spec.fixed ? ` y${j} = ${spec.fixed[j] ? 1 : 0}\n` : ` y${j} <= 1\n`);
	if (!spec.relax) {
		out.push('Binary\n');
		for (let j = 0; j < m; j++) out.push(` y${j}\n`);
		if (integralX) for (let q = 0; q < numPairs; q++) out.push(` x${(pairs[q] / m) | 0}_${pairs[q] % m}\n`);
	}
	out.push('End\n');
	return { lp: out.join(''), numCols, xStart, pairs, uCol, integralX };
}

/** Shortest round-trip decimal; LP format reads exponents. */
function num(x: number): string {
	return Object.is(x, -0) ? '0' : String(x);
}

export interface RunOptions {
	timeLimitSec: number;
	relativeGap: number;
	/** Dense start vector (a feasible solution) for branch-and-bound. */
	start?: Float64Array;
	onProgress?: (incumbent: number | undefined, bound: number | undefined) => void;
}

export interface RunResult {
	status: 'optimal' | 'time-limit' | 'infeasible' | 'other';
	statusCode: number;
	/** Objective of the returned solution (undefined when there is none). */
	objective?: number;
	/** Proved lower bound (MILP dual bound, or the LP optimum). */
	bound?: number;
	colValue?: Float64Array;
	buildMs: number;
	solveMs: number;
}

export async function runModel(model: BuiltModel, isMip: boolean, options: RunOptions): Promise<RunResult> {
	const highs = await getHighs();
	const t0 = performance.now();
	const h = highs.createModel({ format: 'lp', data: model.lp });
	try {
		const buildMs = performance.now() - t0;
		const dims = h.getDimensions();
		if (dims.numCols !== model.numCols || (model.numCols > 0 && h.getColName(0) !== 'y0')) {
			throw new Error(`location-allocation: HiGHS read ${dims.numCols} columns, expected ${model.numCols}`);
		}
		h.options.set({
			output_flag: false,
			time_limit: Math.max(0.001, options.timeLimitSec),
			mip_rel_gap: options.relativeGap,
			mip_abs_gap: 1e-9,
			// Feasibility jump costs ~250 ms even on a 5 × 5 model in this build, and we always pass
			// a start solution: off.
			mip_heuristic_run_feasibility_jump: false
		});
		if (options.start && isMip) h.setSolution({ colValue: options.start });
		const t1 = performance.now();
		const { callbackType } = highs.constants;
		const report = options.onProgress;
		h.run(
			report
				? {
						[callbackType.mipImprovingSolution](event) {
							report(event.data.mip_primal_bound, event.data.mip_dual_bound);
						},
						[callbackType.mipLogging](event) {
							report(event.data.mip_primal_bound, event.data.mip_dual_bound);
						}
					}
				: undefined
		);
		const solveMs = performance.now() - t1;
		const code = h.getModelStatus();
		const ms = highs.constants.modelStatus;
		const status =
			code === ms.optimal ? 'optimal' : code === ms.timeLimit ? 'time-limit' : code === ms.infeasible ? 'infeasible' : 'other';
		const hasPrimal = Number(h.info.get('primal_solution_status')) === 2;
		const result: RunResult = { status, statusCode: code, buildMs, solveMs };
		if (hasPrimal) {
			result.objective = h.getObjectiveValue();
			result.colValue = h.getSolution().colValue;
		}
		if (isMip) {
			const bound = Number(h.info.get('mip_dual_bound'));
			if (Number.isFinite(bound)) result.bound = bound;
		} else if (status === 'optimal') result.bound = result.objective;
		return result;
	} finally {
		h.dispose();
	}
}

export function openFrom(inst: Instance, col: Float64Array): Uint8Array {
	const open = new Uint8Array(inst.m);
	for (let j = 0; j < inst.m; j++) open[j] = col[j] > 0.5 ? 1 : 0;
	return open;
}

/**
 * The allocation for a MILP solution. For fixed y the assignment is re-derived exactly where that
 * is cheap (nearest open site; the transportation problem when split), which removes LP rounding
 * noise; with capacities and single-sourcing the binary x are read.
 */
export function allocationFrom(inst: Instance, model: BuiltModel, col: Float64Array): Allocation {
	const open = openFrom(inst, col);
	if (!inst.capacitated) return assignNearest(inst, open).alloc;
	if (inst.split) return assignSplit(inst, open).alloc;
	// A zero-weight group may be left out by the MILP at no cost: give it its nearest open site.
	const { m, w } = inst;
	const flows: number[] = [];
	const placed = new Uint8Array(inst.n);
	for (let q = 0; q < model.pairs.length; q++) {
		if (col[model.xStart + q] > 0.5) {
			const a = (model.pairs[q] / m) | 0;
			const j = model.pairs[q] - a * m;
			if (!open[j] || placed[a]) continue;
			flows.push(a, j, w[a]);
			placed[a] = 1;
		}
	}
	for (let a = 0; a < inst.n; a++) {
		if (placed[a] || w[a] > 0) continue;
		for (let k = inst.nbrStart[a]; k < inst.nbrStart[a + 1]; k++) {
			if (open[inst.nbr[k]]) {
				flows.push(a, inst.nbr[k], 0);
				break;
			}
		}
	}
	return { open, flows };
}

/** A dense start vector for an open set (assigned by the heuristic assignment) or a given allocation. */
export function startVector(inst: Instance, model: BuiltModel, open: Uint8Array, alloc?: Allocation): Float64Array {
	const { m, w } = inst;
	const flows = (alloc ?? assign(inst, open, true).alloc).flows;
	const col = new Float64Array(model.numCols);
	for (let j = 0; j < m; j++) col[j] = open[j];
	const xIndex = new Map<number, number>();
	for (let q = 0; q < model.pairs.length; q++) xIndex.set(model.pairs[q], model.xStart + q);
	const share = new Float64Array(inst.n);
	for (let k = 0; k < flows.length; k += 3) {
		const a = flows[k];
		const x = w[a] > 0 ? flows[k + 2] / w[a] : 1;
		const c = xIndex.get(a * m + flows[k + 1]);
		if (c === undefined) continue;
		col[c] += x;
		share[a] += x;
	}
	for (let a = 0; a < inst.n; a++) if (model.uCol[a] >= 0) col[model.uCol[a]] = Math.max(0, 1 - share[a]);
	return col;
}
