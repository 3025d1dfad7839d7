// One-at-a-time weight sensitivity: each criterion's weight scaled by each factor (default ×0.8 and
// ×1.2), the other weights rescaled in proportion so the total stays 1, and the ranking redone.
// A site's rank range (best and worst rank over the base case and every perturbed case) tells a
// planner how firm its place is: a site that stays 1st under every change is a safe choice.
import { competitionRanks, normaliseWeights, scoreSites } from './score.ts';
import type { Criterion, SensitivityCase, SensitivityResult, SiteCriteria } from './types.ts';

export const DEFAULT_FACTORS: readonly number[] = [0.8, 1.2];

/**
 * Weights with criterion `c` scaled by `factor` (capped at 1) and the others rescaled by
 * (1 − w'c) / (1 − wc) so they keep their proportions and the total stays 1. When the others are
 * all 0 nothing can be rescaled, and the weights are returned unchanged.
 */
export function perturbWeights(weights: readonly number[], c: number, factor: number): number[] {
	const w = normaliseWeights(weights, weights.length);
	const rest = 1 - w[c];
	if (!(rest > 1e-15)) return w;
	const wc = Math.min(1, w[c] * factor);
	const k = (1 - wc) / rest;
	return w.map((v, i) => (i === c ? wc : v * k));
}

export function sensitivity(
	criteria: readonly Criterion[],
	sites: readonly SiteCriteria[],
	weights: readonly number[],
	factors: readonly number[] = DEFAULT_FACTORS
): SensitivityResult {
	const base = scoreSites(criteria, sites, weights);
	const eligible = base.sites.map((s) => !s.excluded);
	const ranges = base.sites
		.filter((s) => !s.excluded)
		.map((s) => ({ id: s.id, baseRank: s.rank!, minRank: s.rank!, maxRank: s.rank! }));
	const byId = new Map(ranges.map((r) => [r.id, r]));
	const cases: SensitivityCase[] = [];
	criteria.forEach((criterion, c) => {
		for (const factor of factors) {
			const w = perturbWeights(base.weights, c, factor);
			// The normalised matrix does not depend on the weights: reuse it.
			const scores = base.sites.map((s) => s.normalised.reduce((sum, v, j) => sum + w[j] * v, 0));
			const ranks = competitionRanks(scores, eligible);
			const record: Record<string, number> = {};
			base.sites.forEach((s, i) => {
				if (ranks[i] === null) return;
				record[s.id] = ranks[i]!;
				const r = byId.get(s.id)!;
				r.minRank = Math.min(r.minRank, ranks[i]!);
				r.maxRank = Math.max(r.maxRank, ranks[i]!);
			});
			cases.push({ criterion: criterion.id, factor, weights: w, ranks: record });
		}
	});
	return { factors: [...factors], ranges, cases };
}
