// Maximal covering location (Church & ReVelle 1974), the pure core: from `m` candidate points choose
// `q` new sites so that the weight of demand points newly covered (travel ≤ threshold to some chosen
// site) is as large as possible. Weights are the poor households not yet covered by the existing
// sites, so "newly covered" is what the caller passes in.
//
//   max  Σ_i w_i z_i
//   s.t. z_i ≤ Σ_{j ∈ N_i} y_j   ∀ i        (N_i: candidates within the threshold of demand i)
//        Σ_j y_j ≤ q
//        y binary, z ∈ [0, 1]               (z is integral at an optimum: a 0/1 y makes z = min(1, ·))
//
// Greedy (largest marginal gain first, lazily re-evaluated) is within 1 − 1/e of the optimum
// (coverage is monotone submodular; Nemhauser, Wolsey & Fisher 1978); the exact answer comes from
// HiGHS, warm-started with the greedy solution, with its bound and gap reported.

import { getHighs } from '../location-allocation/highs.ts';

export interface MaxCoverInput {
	/** Number of candidate points. */
	candidates: number;
	/** Weight per demand point (≥ 0): poor households not yet covered. */
	weights: ArrayLike<number>;
	/** Candidate-major: minutes from candidate `j` to demand `i` at `j * demand + i`; Infinity = unreachable. */
	minutes: ArrayLike<number>;
	/** A demand point is covered by a candidate when minutes ≤ threshold. */
	threshold: number;
	/** Number of new sites to choose (more than the candidates: all of them). */
	q: number;
}

/** Covering sets: for each candidate, the demand points of positive weight it covers. */
export interface CoverSets {
	m: number;
	n: number;
	w: Float64Array;
	/** CSR: demand points covered by candidate j at cover[start[j] .. start[j+1]). */
	start: Int32Array;
	cover: Int32Array;
}

export interface MaxCoverSolution {
	/** Chosen candidate indices, in the order greedy added them (exact: by index). */
	chosen: number[];
	/** Total newly covered weight. */
	covered: number;
	/** Marginal gain of each chosen site, same order as `chosen`. */
	gains: number[];
}

export interface ExactMaxCover extends MaxCoverSolution {
	status: 'optimal' | 'time-limit' | 'other';
	/** Proved upper bound on the covered weight (≥ covered). */
	bound: number;
	/** (bound − covered) / bound; 0 when proved optimal. */
	gap: number;
	solveMs: number;
}

export function coverSets(input: MaxCoverInput): CoverSets {
	const m = input.candidates;
	const n = input.weights.length;
	if (!(Number.isInteger(m) && m >= 0)) throw new RangeError(`candidates must be an integer ≥ 0, got ${m}`);
	if (input.minutes.length !== m * n) throw new RangeError(`minutes: ${input.minutes.length} values, expected candidates × demand = ${m} × ${n}`);
	if (!(input.threshold >= 0)) throw new RangeError(`threshold must be ≥ 0, got ${input.threshold}`);
	if (!(Number.isInteger(input.q) && input.q >= 1)) throw new RangeError(`q must be an integer ≥ 1, got ${input.q}`);
	const w = Float64Array.from(input.weights);
	w.forEach((x, i) => {
		if (!(Number.isFinite(x) && x >= 0)) throw new RangeError(`weights[${i}] must be a finite number ≥ 0, got ${x}`);
	});
	const start = new Int32Array(m + 1);
	const list: number[] = [];
	for (let j = 0; j < m; j++) {
		for (let i = 0; i < n; i++) if (w[i] > 0 && input.minutes[j * n + i] <= input.threshold) list.push(i);
		start[j + 1] = list.length;
	}
	return { m, n, w, start, cover: Int32Array.from(list) };
}

/** Weight covered by a set of candidates. */
export function coveredWeight(sets: CoverSets, chosen: readonly number[]): number {
	const seen = new Uint8Array(sets.n);
	let total = 0;
	for (const j of chosen)
		for (let k = sets.start[j]; k < sets.start[j + 1]; k++) {
			const i = sets.cover[k];
			if (!seen[i]) {
				seen[i] = 1;
				total += sets.w[i];
			}
		}
	return total;
}

/** Weight each candidate covers on its own. */
export function singleGains(sets: CoverSets): Float64Array {
	const g = new Float64Array(sets.m);
	for (let j = 0; j < sets.m; j++) for (let k = sets.start[j]; k < sets.start[j + 1]; k++) g[j] += sets.w[sets.cover[k]];
	return g;
}

/**
 * Greedy: add the candidate with the largest marginal gain (ties: lower index) until q are chosen or
 * nothing more can be gained. Lazy evaluation: a gain can only fall as sites are added, so a stale
 * gain that still tops every other stale gain is re-evaluated and taken if it stays on top.
 */
export function greedyMaxCover(sets: CoverSets, q: number): MaxCoverSolution {
	const covered = new Uint8Array(sets.n);
	const stale = singleGains(sets);
	const taken = new Uint8Array(sets.m);
	const chosen: number[] = [];
	const gains: number[] = [];
	const gainOf = (j: number) => {
		let g = 0;
		for (let k = sets.start[j]; k < sets.start[j + 1]; k++) if (!covered[sets.cover[k]]) g += sets.w[sets.cover[k]];
		return g;
	};
	while (chosen.length < Math.min(q, sets.m)) {
		let pick = -1;
		for (;;) {
			// The candidate with the largest stale gain (lowest index on ties).
			let best = -1;
			for (let j = 0; j < sets.m; j++) if (!taken[j] && (best < 0 || stale[j] > stale[best])) best = j;
			if (best < 0) break;
			const fresh = gainOf(best);
			const unchanged = fresh === stale[best];
			stale[best] = fresh;
			if (unchanged) {
				// Still on top (others' stale gains are upper bounds); a lower index with an equal
				// stale gain would have been found first, so ties go to the lower index.
				pick = best;
				break;
			}
		}
		if (pick < 0 || stale[pick] <= 0) break;
		taken[pick] = 1;
		chosen.push(pick);
		gains.push(stale[pick]);
		for (let k = sets.start[pick]; k < sets.start[pick + 1]; k++) covered[sets.cover[k]] = 1;
	}
	return { chosen, covered: gains.reduce((s, g) => s + g, 0), gains };
}

/** Marginal gains of a set of chosen sites, in the given order. */
function gainsInOrder(sets: CoverSets, chosen: readonly number[]): number[] {
	const seen = new Uint8Array(sets.n);
	return chosen.map((j) => {
		let g = 0;
		for (let k = sets.start[j]; k < sets.start[j + 1]; k++) {
			const i = sets.cover[k];
			if (!seen[i]) {
				seen[i] = 1;
				g += sets.w[i];
			}
		}
		return g;
	});
}

export interface ExactOptions {
	timeLimitSec?: number;
	relativeGap?: number;
	/** A feasible start (e.g. the greedy solution); greedy is computed when not given. */
	start?: MaxCoverSolution;
}

/**
 * The exact maximal covering solution with HiGHS. Only demand points some candidate covers enter the
 * model; candidates that cover nothing get no column. Warm-started with the greedy solution, which is
 * also the answer if HiGHS finds nothing better within the time limit.
 */
export async function exactMaxCover(sets: CoverSets, q: number, options: ExactOptions = {}): Promise<ExactMaxCover> {
	const greedy = options.start ?? greedyMaxCover(sets, q);
	const useful: number[] = [];
	for (let j = 0; j < sets.m; j++) if (sets.start[j + 1] > sets.start[j]) useful.push(j);
	const coveredBy: number[][] = Array.from({ length: sets.n }, () => []);
	for (const j of useful) for (let k = sets.start[j]; k < sets.start[j + 1]; k++) coveredBy[sets.cover[k]].push(j);
	const demand: number[] = [];
	for (let i = 0; i < sets.n; i++) if (coveredBy[i].length > 0 && sets.w[i] > 0) demand.push(i);
	const upper = demand.reduce((s, i) => s + sets.w[i], 0);
	// Trivial cases: nothing to cover, or enough sites for every useful candidate.
	if (demand.length === 0 || q >= useful.length) {
		const chosen = demand.length === 0 ? [] : useful;
		const covered = coveredWeight(sets, chosen);
		return { chosen, covered, gains: gainsInOrder(sets, chosen), status: 'optimal', bound: covered, gap: 0, solveMs: 0 };
	}
	const col = new Map(useful.map((j, c) => [j, c]));
	const out: string[] = ['Maximize\n obj:'];
	for (const j of useful) out.push(` + 0 y${j}\n`);
	for (const i of demand) out.push(` + ${sets.w[i]} z${i}\n`);
	out.push('Subject To\n');
	for (const i of demand) {
		out.push(` c${i}: z${i}`);
		for (const j of coveredBy[i]) out.push(` - y${j}`);
		out.push(' <= 0\n');
	}
	out.push(' q:');
	for (const j of useful) out.push(` + y${j}`);
	out.push(` <= ${q}\nBounds\n`);
	for (const j of useful) out.push(` 0 <= y${j} <= 1\n`);
	for (const i of demand) out.push(` 0 <= z${i} <= 1\n`);
	out.push('Binary\n');
	for (const j of useful) out.push(` y${j}\n`);
	out.push('End\n');

	const highs = await getHighs();
	const h = highs.createModel({ format: 'lp', data: out.join('') });
	try {
		const numCols = useful.length + demand.length;
		if (h.getDimensions().numCols !== numCols || h.getColName(0) !== `y${useful[0]}`) {
			throw new Error(`max-cover: HiGHS read ${h.getDimensions().numCols} columns, expected ${numCols}`);
		}
		h.options.set({
			output_flag: false,
			time_limit: Math.max(0.001, options.timeLimitSec ?? 60),
			mip_rel_gap: options.relativeGap ?? 1e-9,
			mip_abs_gap: 1e-9,
			// Costs more than it finds on these models, and we always pass a start.
			mip_heuristic_run_feasibility_jump: false
		});
		// Warm start: the greedy sites and the demand they cover.
		const start = new Float64Array(numCols);
		const seen = new Uint8Array(sets.n);
		for (const j of greedy.chosen) {
			if (!col.has(j)) continue;
			start[col.get(j)!] = 1;
			for (let k = sets.start[j]; k < sets.start[j + 1]; k++) seen[sets.cover[k]] = 1;
		}
		demand.forEach((i, d) => (start[useful.length + d] = seen[i] ? 1 : 0));
		h.setSolution({ colValue: start });
		const t0 = performance.now();
		h.run();
		const solveMs = performance.now() - t0;
		const code = h.getModelStatus();
		const ms = highs.constants.modelStatus;
		const status = code === ms.optimal ? 'optimal' : code === ms.timeLimit ? 'time-limit' : 'other';
		let chosen = greedy.chosen;
		if (Number(h.info.get('primal_solution_status')) === 2) {
			const value = h.getSolution().colValue;
			const picked = useful.filter((_, c) => value[c] > 0.5);
			if (coveredWeight(sets, picked) > greedy.covered) chosen = picked;
		}
		const covered = coveredWeight(sets, chosen);
		// HiGHS reports the dual bound in the objective's own sense (an upper bound when maximising).
		const dual = Number(h.info.get('mip_dual_bound'));
		const bound = status === 'optimal' ? covered : Math.max(covered, Number.isFinite(dual) ? Math.min(dual, upper) : upper);
		return {
			chosen: [...chosen].sort((a, b) => a - b),
			covered,
			gains: gainsInOrder(sets, [...chosen].sort((a, b) => a - b)),
			status,
			bound,
			gap: bound > 0 ? (bound - covered) / bound : 0,
			solveMs
		};
	} finally {
		h.dispose();
	}
}

/** Every subset of exactly min(q, m) candidates (tests and tiny instances only). */
export function bruteForceMaxCover(sets: CoverSets, q: number): MaxCoverSolution {
	const size = Math.min(q, sets.m);
	let best: number[] = [];
	let bestW = -1;
	const pick: number[] = [];
	const rec = (from: number) => {
		if (pick.length === size) {
			const w = coveredWeight(sets, pick);
			if (w > bestW) {
				bestW = w;
				best = [...pick];
			}
			return;
		}
		for (let j = from; j <= sets.m - (size - pick.length); j++) {
			pick.push(j);
			rec(j + 1);
			pick.pop();
		}
	};
	rec(0);
	return { chosen: best, covered: Math.max(0, bestW), gains: gainsInOrder(sets, best) };
}

/** The best single new site: the candidate covering the most weight alone (ties: lower index); null if none covers anything. */
export function bestSingleSite(sets: CoverSets): { candidate: number; covered: number } | null {
	const g = singleGains(sets);
	let best = -1;
	for (let j = 0; j < sets.m; j++) if (g[j] > 0 && (best < 0 || g[j] > g[best])) best = j;
	return best < 0 ? null : { candidate: best, covered: g[best] };
}
