import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	ahpWeights,
	checkPairwise,
	competitionRanks,
	minMaxNormalise,
	pairwiseFromUpper,
	perturbWeights,
	scoreSites,
	sensitivity,
	SuitabilityInputError,
	type Criterion,
	type SiteCriteria
} from './index.ts';

const criteria: Criterion[] = [
	{ id: 'capacity', direction: 'benefit' },
	{ id: 'minutes', direction: 'cost' }
];
// D is best on both but lies in a flood zone: it must not set the scale nor get a rank.
const sites: SiteCriteria[] = [
	{ id: 'A', values: [100, 10] },
	{ id: 'B', values: [300, 30] },
	{ id: 'C', values: [200, 20] },
	{ id: 'D', values: [500, 5], exclusions: ['flood'] }
];

describe('weighted sum of min–max normalised criteria', () => {
	it('matches the hand computation, with the excluded site out of the scale and the ranking', () => {
		// Eligible ranges: capacity 100…300, minutes 10…30.
		// A: capacity 0, minutes (30−10)/20 = 1; B: 1, 0; C: 0.5, 0.5.
		// Weights 3 : 2 → 0.6, 0.4. A = 0.4, B = 0.6, C = 0.5 → B 1st, C 2nd, A 3rd.
		// D: capacity (500−100)/200 = 2 → 1, minutes (30−5)/20 = 1.25 → 1; score 1, no rank.
		const r = scoreSites(criteria, sites, [3, 2]);
		expect(r.weights).toEqual([0.6, 0.4]);
		const by = Object.fromEntries(r.sites.map((s) => [s.id, s]));
		expect(by.A.normalised).toEqual([0, 1]);
		expect(by.B.normalised).toEqual([1, 0]);
		expect(by.C.normalised).toEqual([0.5, 0.5]);
		expect(by.A.score).toBeCloseTo(0.4, 12);
		expect(by.B.score).toBeCloseTo(0.6, 12);
		expect(by.C.score).toBeCloseTo(0.5, 12);
		expect([by.A.rank, by.B.rank, by.C.rank]).toEqual([3, 1, 2]);
		expect(by.D).toMatchObject({ rank: null, excluded: true, exclusions: ['flood'], normalised: [1, 1] });
	});

	it('gives unreachable values the worst score, constant columns 1, and ties one rank', () => {
		expect(minMaxNormalise([10, Infinity, 20, null], 'cost')).toEqual([1, 0, 0, 0]);
		expect(minMaxNormalise([7, 7, 7], 'benefit')).toEqual([1, 1, 1]);
		expect(competitionRanks([0.5, 0.9, 0.5, 0.1], [true, true, true, true])).toEqual([2, 1, 2, 4]);
		expect(competitionRanks([0.5, 0.9, 0.5], [true, false, true])).toEqual([1, null, 1]);
	});

	it('names the field of bad input', () => {
		expect(() => scoreSites(criteria, sites, [1])).toThrow(/weights: expected 2/);
		expect(() => scoreSites(criteria, sites, [1, -1])).toThrow(/weights\[1\]/);
		expect(() => scoreSites(criteria, sites, [0, 0])).toThrow(/at least one weight/);
		expect(() => scoreSites(criteria, [{ id: 'X', values: [1] }], [1, 1])).toThrow(/sites\[0\]\.values/);
		expect(() => scoreSites([{ id: 'a', direction: 'up' as never }], [], [1])).toThrow(/criteria\[0\]\.direction/);
	});

	it('ranks as a brute-force sort does, for random matrices and weights', () => {
		fc.assert(
			fc.property(
				fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), fc.boolean()), { minLength: 1, maxLength: 12 }),
				fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 })),
				(rows, [w1, w2]) => {
					const input = rows.map(([a, b, out], i) => ({ id: `s${i}`, values: [a, b], exclusions: out ? ['flood'] : [] }));
					const r = scoreSites(criteria, input, [w1, w2]);
					const eligible = r.sites.filter((s) => !s.excluded);
					for (const s of r.sites) {
						expect(s.score).toBeGreaterThanOrEqual(-1e-12);
						expect(s.score).toBeLessThanOrEqual(1 + 1e-12);
					}
					// Rank = 1 + number of eligible sites with a strictly higher score.
					for (const s of eligible) expect(s.rank).toBe(1 + eligible.filter((t) => t.score > s.score + 1e-12).length);
				}
			)
		);
	});
});

describe('AHP', () => {
	it('reproduces the classic 3 × 3 worked example (Saaty)', () => {
		// a12 = 3, a13 = 5, a23 = 3. For n = 3 the principal eigenvector equals the normalised row
		// geometric means: ∛15 = 2.46621, ∛1 = 1, ∛(1/15) = 0.40548; sum 3.87169 →
		// 0.63699, 0.25828, 0.10473. λmax = 1 + r + 1/r with r = ∛(a13 / (a12·a23)) = ∛(5/9) = 0.82207:
		// λmax = 1 + 0.82207 + 1.21644 = 3.03851, CI = 0.01926, CR = 0.01926 / 0.58 = 0.03320 < 0.1.
		const a = [
			[1, 3, 5],
			[1 / 3, 1, 3],
			[1 / 5, 1 / 3, 1]
		];
		const r = ahpWeights(a);
		expect(r.weights[0]).toBeCloseTo(0.63699, 5);
		expect(r.weights[1]).toBeCloseTo(0.25828, 5);
		expect(r.weights[2]).toBeCloseTo(0.10473, 5);
		expect(r.lambdaMax).toBeCloseTo(3.0385, 4);
		expect(r.ci).toBeCloseTo(0.019256, 6);
		expect(r.ri).toBe(0.58);
		expect(r.cr).toBeCloseTo(0.0332, 4);
		expect(r.acceptable).toBe(true);
	});

	it('recovers the weights of a perfectly consistent matrix with CR 0', () => {
		// a_ij = w_i / w_j for w = (0.5, 0.25, 0.125, 0.125): λmax = n exactly.
		const w = [0.5, 0.25, 0.125, 0.125];
		const a = w.map((wi) => w.map((wj) => wi / wj));
		const r = ahpWeights(a);
		r.weights.forEach((v, i) => expect(v).toBeCloseTo(w[i], 12));
		expect(r.lambdaMax).toBeCloseTo(4, 10);
		expect(r.cr).toBeCloseTo(0, 10);
	});

	it('flags intransitive judgements (CR above 0.1)', () => {
		// 1 ≫ 2 ≫ 3 but 3 ≫ 1.
		const r = ahpWeights(pairwiseFromUpper(3, [9, 1 / 9, 9]));
		expect(r.cr).toBeGreaterThan(0.1);
		expect(r.acceptable).toBe(false);
	});

	it('agrees with the row geometric mean for every 3 × 3 reciprocal matrix', () => {
		const saaty = fc.constantFrom(1 / 9, 1 / 7, 1 / 5, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9);
		fc.assert(
			fc.property(saaty, saaty, saaty, (x, y, z) => {
				const a = pairwiseFromUpper(3, [x, y, z]);
				const gm = a.map((row) => Math.cbrt(row[0] * row[1] * row[2]));
				const s = gm[0] + gm[1] + gm[2];
				const r = ahpWeights(a);
				r.weights.forEach((v, i) => expect(v).toBeCloseTo(gm[i] / s, 9));
				const q = Math.cbrt(y / (x * z));
				expect(r.lambdaMax).toBeCloseTo(1 + q + 1 / q, 9);
			})
		);
	});

	it('refuses a matrix that is not reciprocal or off the scale, naming the cell', () => {
		expect(() => checkPairwise([[1, 3], [3, 1]])).toThrow(/pairwise\[1\]\[0\]/);
		expect(() => checkPairwise([[1, 12], [1 / 12, 1]])).toThrow(/pairwise\[0\]\[1\].*Saaty/);
		expect(() => checkPairwise([[2]])).toThrow(/diagonal/);
		expect(() => checkPairwise([[1, 2], [0.5]])).toThrow(/pairwise\[1\]/);
	});
});

describe('weight sensitivity', () => {
	it('gives the hand-computed rank ranges', () => {
		// Base weights 0.6 / 0.4; normalised A (0, 1), B (1, 0), C (0.5, 0.5).
		// capacity ×0.8 → 0.48 / 0.52: A .52, C .50, B .48 → A 1st, B 3rd.
		// capacity ×1.2 → 0.72 / 0.28, minutes ×0.8 → 0.68 / 0.32, ×1.2 → 0.52 / 0.48: B 1st, A 3rd.
		// C scores 0.5 whatever the weights: always 2nd.
		const r = sensitivity(criteria, sites, [0.6, 0.4]);
		expect(r.ranges).toEqual([
			{ id: 'A', baseRank: 3, minRank: 1, maxRank: 3 },
			{ id: 'B', baseRank: 1, minRank: 1, maxRank: 3 },
			{ id: 'C', baseRank: 2, minRank: 2, maxRank: 2 }
		]);
		expect(r.cases).toHaveLength(4);
		const capDown = r.cases.find((c) => c.criterion === 'capacity' && c.factor === 0.8)!;
		expect(capDown.weights[0]).toBeCloseTo(0.48, 12);
		expect(capDown.weights[1]).toBeCloseTo(0.52, 12);
		expect(capDown.ranks).toEqual({ A: 1, C: 2, B: 3 });
	});

	it('keeps the weights summing to 1 and the others in proportion', () => {
		fc.assert(
			fc.property(fc.array(fc.double({ min: 0.01, max: 10, noNaN: true }), { minLength: 2, maxLength: 8 }), fc.nat(), fc.constantFrom(0.8, 1.2), (w, c0, f) => {
				const c = c0 % w.length;
				const p = perturbWeights(w, c, f);
				expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
				const sum = w.reduce((a, b) => a + b, 0);
				expect(p[c]).toBeCloseTo(Math.min(1, (w[c] / sum) * f), 12);
				const others = w.map((_, i) => i).filter((i) => i !== c);
				// At the cap (w'c = 1) the others are all 0 and have no proportions left.
				if (p[others[0]] > 0) for (const i of others) expect(p[i] / p[others[0]]).toBeCloseTo(w[i] / w[others[0]], 9);
			})
		);
	});

	it('leaves a single criterion at weight 1', () => {
		expect(perturbWeights([1, 0], 0, 1.2)).toEqual([1, 0]);
	});

	it('is a SuitabilityInputError for bad weights', () => {
		expect(() => sensitivity(criteria, sites, [NaN, 1])).toThrow(SuitabilityInputError);
	});
});
