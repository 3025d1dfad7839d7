// Analytic hierarchy process (Saaty): weights from a pairwise comparison matrix.
//
// a[i][j] says how much more important criterion i is than j on Saaty's 1–9 scale (1 equal,
// 3 moderate, 5 strong, 7 very strong, 9 extreme; 2, 4, 6, 8 between), and a[j][i] = 1 / a[i][j].
// The weights are the principal right eigenvector (power iteration; a positive matrix has a unique
// positive one, Perron–Frobenius), λmax its eigenvalue, CI = (λmax − n) / (n − 1) and
// CR = CI / RI with Saaty's random index RI for n. CR < 0.1 is Saaty's limit for judgements
// consistent enough to use; above it the panel warns and the planner should revise.
import { SuitabilityInputError } from './score.ts';
import type { AhpResult } from './types.ts';

/**
 * Saaty's random consistency index by matrix order (Saaty 1980, The Analytic Hierarchy Process,
 * Table 1.7 as usually reprinted): mean CI of random reciprocal matrices.
 */
export const RANDOM_INDEX: readonly number[] = [0, 0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49];
export const CR_LIMIT = 0.1;
const SCALE_MIN = 1 / 9;
const SCALE_MAX = 9;
const REL_TOL = 1e-6;

/** Check a pairwise matrix: square, ones on the diagonal, Saaty's range, reciprocal. Names the cell at fault. */
export function checkPairwise(a: ReadonlyArray<ReadonlyArray<number>>, field = 'pairwise'): void {
	const n = a.length;
	if (n < 1) throw new SuitabilityInputError(field, 'needs at least one criterion');
	if (n > RANDOM_INDEX.length - 1) throw new SuitabilityInputError(field, `at most ${RANDOM_INDEX.length - 1} criteria (Saaty's random index table), got ${n}`);
	for (let i = 0; i < n; i++) {
		if (!Array.isArray(a[i]) || a[i].length !== n) throw new SuitabilityInputError(`${field}[${i}]`, `row must have ${n} entries`);
		for (let j = 0; j < n; j++) {
			const v = a[i][j];
			if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new SuitabilityInputError(`${field}[${i}][${j}]`, `must be a positive number, got ${v}`);
			if (i === j && Math.abs(v - 1) > REL_TOL) throw new SuitabilityInputError(`${field}[${i}][${j}]`, `the diagonal must be 1, got ${v}`);
			if (v < SCALE_MIN * (1 - REL_TOL) || v > SCALE_MAX * (1 + REL_TOL))
				throw new SuitabilityInputError(`${field}[${i}][${j}]`, `must be on Saaty's scale 1/9 … 9, got ${v}`);
		}
	}
	for (let i = 0; i < n; i++)
		for (let j = i + 1; j < n; j++)
			if (Math.abs(a[i][j] * a[j][i] - 1) > 1e-3)
				throw new SuitabilityInputError(`${field}[${j}][${i}]`, `must be 1 / ${field}[${i}][${j}] = ${1 / a[i][j]}, got ${a[j][i]}`);
}

/** A full reciprocal matrix from its upper triangle (row-major, i < j), e.g. what a grid of n(n−1)/2 inputs gives. */
export function pairwiseFromUpper(n: number, upper: readonly number[]): number[][] {
	if (upper.length !== (n * (n - 1)) / 2) throw new SuitabilityInputError('pairwise', `expected ${(n * (n - 1)) / 2} judgements for ${n} criteria, got ${upper.length}`);
	const a = Array.from({ length: n }, () => new Array<number>(n).fill(1));
	let k = 0;
	for (let i = 0; i < n; i++)
		for (let j = i + 1; j < n; j++) {
			a[i][j] = upper[k++];
			a[j][i] = 1 / a[i][j];
		}
	return a;
}

/** AHP weights and consistency of a pairwise comparison matrix (checked first). */
export function ahpWeights(a: ReadonlyArray<ReadonlyArray<number>>, options: { tolerance?: number; maxIterations?: number } = {}): AhpResult {
	checkPairwise(a);
	const n = a.length;
	const tol = options.tolerance ?? 1e-13;
	const maxIt = options.maxIterations ?? 10_000;
	let w = new Array<number>(n).fill(1 / n);
	let iterations = 0;
	for (; iterations < maxIt; iterations++) {
		const next = new Array<number>(n).fill(0);
		for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) next[i] += a[i][j] * w[j];
		const sum = next.reduce((s, v) => s + v, 0);
		for (let i = 0; i < n; i++) next[i] /= sum;
		const delta = next.reduce((m, v, i) => Math.max(m, Math.abs(v - w[i])), 0);
		w = next;
		if (delta < tol) {
			iterations++;
			break;
		}
	}
	// λmax: the mean of (A w)_i / w_i (all equal at convergence).
	let lambda = 0;
	for (let i = 0; i < n; i++) {
		let aw = 0;
		for (let j = 0; j < n; j++) aw += a[i][j] * w[j];
		lambda += aw / w[i];
	}
	const lambdaMax = lambda / n;
	const ci = n > 2 ? Math.max(0, (lambdaMax - n) / (n - 1)) : 0;
	const ri = RANDOM_INDEX[n];
	const cr = ri > 0 ? ci / ri : 0;
	return { weights: w, lambdaMax, ci, ri, cr, acceptable: cr < CR_LIMIT, iterations };
}
