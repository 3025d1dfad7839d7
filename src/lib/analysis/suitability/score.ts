// Criteria matrix → normalised values → weighted sum → ranks.
//
// Normalisation is min–max over the *eligible* sites (an excluded site must not stretch or squeeze
// the scale of the others): benefit (v − min) / (max − min), cost (max − v) / (max − min), so 1 is
// always best. Excluded sites are scored on the same scale, clamped to [0, 1], for display only.
// A criterion on which every eligible site has the same value tells them apart in no way: each gets
// 1 (it adds the same to every score, so ranks do not change). A non-finite value (unreachable,
// unknown) gets 0, the worst, and does not enter min or max.
import type { Criterion, SiteCriteria, SiteScore, SuitabilityResult } from './types.ts';

export class SuitabilityInputError extends Error {
	constructor(
		readonly field: string,
		message: string
	) {
		super(`${field}: ${message}`);
		this.name = 'SuitabilityInputError';
	}
}

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Weights checked (finite, ≥ 0, one per criterion, not all 0) and scaled to sum 1. */
export function normaliseWeights(weights: readonly number[], n: number, field = 'weights'): number[] {
	if (weights.length !== n) throw new SuitabilityInputError(field, `expected ${n} weights, got ${weights.length}`);
	weights.forEach((w, i) => {
		if (!(Number.isFinite(w) && w >= 0)) throw new SuitabilityInputError(`${field}[${i}]`, `must be a finite number ≥ 0, got ${w}`);
	});
	const sum = weights.reduce((a, b) => a + b, 0);
	if (!(sum > 0)) throw new SuitabilityInputError(field, 'at least one weight must be above 0');
	return weights.map((w) => w / sum);
}

/** Min–max normalisation of one column (see the file comment); `eligible[i]` marks the sites that set the range. */
export function minMaxNormalise(values: ReadonlyArray<number | null>, direction: Criterion['direction'], eligible?: readonly boolean[]): number[] {
	let min = Infinity;
	let max = -Infinity;
	values.forEach((v, i) => {
		if (!finite(v) || (eligible && !eligible[i])) return;
		if (v < min) min = v;
		if (v > max) max = v;
	});
	return values.map((v) => {
		if (!finite(v)) return 0;
		if (!(max > min)) return min === Infinity ? 0 : 1;
		const t = direction === 'benefit' ? (v - min) / (max - min) : (max - v) / (max - min);
		return Math.min(1, Math.max(0, t));
	});
}

/**
 * Competition ranks ("1224") of `scores` among the indices where `eligible` is true, best (highest)
 * first; others get null. Scores equal within 1e-12 share a rank, so float noise never splits a tie.
 */
export function competitionRanks(scores: readonly number[], eligible: readonly boolean[]): (number | null)[] {
	const idx = scores.map((_, i) => i).filter((i) => eligible[i]);
	idx.sort((a, b) => scores[b] - scores[a] || a - b);
	const ranks: (number | null)[] = scores.map(() => null);
	idx.forEach((i, pos) => {
		const prev = idx[pos - 1];
		ranks[i] = pos > 0 && Math.abs(scores[prev] - scores[i]) <= 1e-12 ? ranks[prev] : pos + 1;
	});
	return ranks;
}

function checkMatrix(criteria: readonly Criterion[], sites: readonly SiteCriteria[]) {
	if (criteria.length === 0) throw new SuitabilityInputError('criteria', 'at least one criterion is needed');
	const seen = new Set<string>();
	criteria.forEach((c, j) => {
		if (!c.id) throw new SuitabilityInputError(`criteria[${j}].id`, 'must not be empty');
		if (seen.has(c.id)) throw new SuitabilityInputError(`criteria[${j}].id`, `duplicate criterion ${c.id}`);
		seen.add(c.id);
		if (c.direction !== 'benefit' && c.direction !== 'cost')
			throw new SuitabilityInputError(`criteria[${j}].direction`, `must be 'benefit' or 'cost', got ${String(c.direction)}`);
	});
	sites.forEach((s, i) => {
		if (s.values.length !== criteria.length)
			throw new SuitabilityInputError(`sites[${i}].values`, `site ${s.id} has ${s.values.length} values for ${criteria.length} criteria`);
	});
}

/** Scores and ranks of every site under the given weights (any non-negative numbers; scaled to sum 1). */
export function scoreSites(criteria: readonly Criterion[], sites: readonly SiteCriteria[], weights: readonly number[]): SuitabilityResult {
	checkMatrix(criteria, sites);
	const w = normaliseWeights(weights, criteria.length);
	const eligible = sites.map((s) => !s.exclusions?.length);
	const columns = criteria.map((c, j) => minMaxNormalise(sites.map((s) => s.values[j]), c.direction, eligible));
	const normalised = sites.map((_, i) => columns.map((col) => col[i]));
	const scores = normalised.map((row) => row.reduce((sum, v, j) => sum + w[j] * v, 0));
	const ranks = competitionRanks(scores, eligible);
	const out: SiteScore[] = sites.map((s, i) => ({
		id: s.id,
		normalised: normalised[i],
		score: scores[i],
		rank: ranks[i],
		excluded: !eligible[i],
		exclusions: [...(s.exclusions ?? [])]
	}));
	return { criteria: criteria.map((c) => ({ ...c })), weights: w, sites: out };
}
