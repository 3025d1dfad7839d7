// Maximal covering location: a hand-computed case where greedy is not optimal, brute force over all
// subsets = exact on small seeded random instances, greedy ≥ (1 − 1/e) × exact, and the best single site.
import { describe, expect, test } from 'vitest';
import { mulberry32, randInt } from '../prng.ts';
import { bestSingleSite, bruteForceMaxCover, coveredWeight, coverSets, exactMaxCover, greedyMaxCover } from './index.ts';

const I = Infinity;

describe('hand-computed', () => {
	// Demand weights a..e = 5, 5, 4, 4, 3; threshold 30 min.
	// Candidate 0 covers a, c (minutes 10, 30); 1 covers b, d; 2 covers a, b, e (5+5+3 = 13).
	// Greedy takes 2 (13), then 0 or 1 adds 4 → 17. The optimum for q = 2 is {0, 1}: 5+5+4+4 = 18.
	const weights = [5, 5, 4, 4, 3];
	// prettier-ignore
	const minutes = [
		10, I, 30, 31, I, //  candidate 0
		40, 20, I, 5, I, //   candidate 1
		0, 29, I, 60, 30 //   candidate 2
	];
	const sets = coverSets({ candidates: 3, weights, minutes, threshold: 30, q: 2 });

	test('covering sets, single gains and the best single site', () => {
		expect(Array.from(sets.cover.subarray(sets.start[0], sets.start[1]))).toEqual([0, 2]);
		expect(Array.from(sets.cover.subarray(sets.start[2], sets.start[3]))).toEqual([0, 1, 4]);
		expect(bestSingleSite(sets)).toEqual({ candidate: 2, covered: 13 });
	});

	test('greedy takes the big site first and misses the optimum; exact finds it', async () => {
		const g = greedyMaxCover(sets, 2);
		expect(g).toEqual({ chosen: [2, 0], covered: 17, gains: [13, 4] });
		const e = await exactMaxCover(sets, 2, { start: g });
		expect(e).toMatchObject({ chosen: [0, 1], covered: 18, gains: [9, 9], status: 'optimal', bound: 18, gap: 0 });
		expect(bruteForceMaxCover(sets, 2).covered).toBe(18);
	});

	test('q = 1 and q larger than the candidates; zero-weight demand is ignored', async () => {
		expect((await exactMaxCover(sets, 1)).covered).toBe(13);
		expect((await exactMaxCover(sets, 5)).covered).toBe(21);
		const none = coverSets({ candidates: 2, weights: [0, 0], minutes: [1, 1, 1, 1], threshold: 30, q: 1 });
		expect(greedyMaxCover(none, 1)).toEqual({ chosen: [], covered: 0, gains: [] });
		expect(await exactMaxCover(none, 1)).toMatchObject({ chosen: [], covered: 0, gap: 0 });
		expect(bestSingleSite(none)).toBeNull();
	});

	test('bad input names the field', () => {
		expect(() => coverSets({ candidates: 2, weights, minutes, threshold: 30, q: 1 })).toThrow(/candidates × demand = 2 × 5/);
		expect(() => coverSets({ candidates: 3, weights, minutes, threshold: 30, q: 0 })).toThrow(/^q must/);
		expect(() => coverSets({ candidates: 3, weights: [5, -1, 4, 4, 3], minutes, threshold: 30, q: 1 })).toThrow(/weights\[1\]/);
	});
});

describe('random instances (seeded)', () => {
	test('exact = brute force over all subsets; greedy ≥ (1 − 1/e) × exact; bound ≥ covered', async () => {
		const ratio = 1 - 1 / Math.E;
		let greedyBelowExact = 0;
		for (let seed = 1; seed <= 60; seed++) {
			const rand = mulberry32(seed * 2654435761);
			const m = randInt(rand, 3, 10);
			const n = randInt(rand, 3, 30);
			const q = randInt(rand, 1, Math.min(4, m));
			const weights = Array.from({ length: n }, () => (rand() < 0.2 ? 0 : randInt(rand, 1, 30)));
			const minutes = Array.from({ length: m * n }, () => (rand() < 0.15 ? Infinity : randInt(rand, 0, 90)));
			const sets = coverSets({ candidates: m, weights, minutes, threshold: 15, q });
			const where = `seed ${seed}: m ${m} n ${n} q ${q}`;
			const brute = bruteForceMaxCover(sets, q);
			const greedy = greedyMaxCover(sets, q);
			const exact = await exactMaxCover(sets, q, { start: greedy });
			expect(exact.status, where).toBe('optimal');
			expect(exact.covered, where).toBe(brute.covered);
			expect(exact.chosen.length, where).toBeLessThanOrEqual(q);
			expect(coveredWeight(sets, exact.chosen), where).toBe(exact.covered);
			expect(exact.gains.reduce((s, g) => s + g, 0), where).toBe(exact.covered);
			expect(exact.bound, where).toBeGreaterThanOrEqual(exact.covered);
			expect(greedy.covered, where).toBeLessThanOrEqual(exact.covered);
			expect(greedy.covered, where).toBeGreaterThanOrEqual(ratio * exact.covered - 1e-9);
			expect(coveredWeight(sets, greedy.chosen), where).toBe(greedy.covered);
			if (greedy.covered < exact.covered) greedyBelowExact++;
		}
		// The instances are not all trivial: greedy is beaten on some of them.
		expect(greedyBelowExact).toBeGreaterThan(0);
	});
});
