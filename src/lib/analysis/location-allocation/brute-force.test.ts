// Against brute force on small seeded random instances: the exact solver equals the enumeration,
// the heuristic is never better than the optimum and is close to it, and every result keeps the
// invariants (p sites, capacities, everyone assigned or reported, objective = recomputed cost).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bruteForce } from './brute-force.ts';
import { locateAllocate, solveExact, solveHeuristic } from './index.ts';
import { checkInvariants, randomProblem, type RandomSpec, total } from './testing.ts';

const kinds: [string, Omit<RandomSpec, 'seed'>][] = [
	['uncapacitated p-median', { capacitated: false }],
	['uncapacitated, 40 % of pairs forbidden', { capacitated: false, forbidden: 0.4 }],
	['capacitated, single-sourcing', { capacitated: true }],
	['capacitated, split', { capacitated: true, split: true }],
	['min-sites, single-sourcing', { capacitated: true, minSites: true, maxSites: 5 }],
	['min-sites, split', { capacitated: true, split: true, minSites: true, maxSites: 5 }],
	['min-sites, uncapacitated with forbidden pairs', { capacitated: false, minSites: true, forbidden: 0.5 }]
];

const INSTANCES = 12;
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

describe.each(kinds)('%s', (name, kind) => {
	it(`exact = brute force, heuristic ≥ exact and close, on ${INSTANCES} instances`, async () => {
		const gaps: number[] = [];
		for (let seed = 1; seed <= INSTANCES; seed++) {
			const problem = randomProblem({ seed: seed * 7919 + name.length, ...kind });
			const exact = await solveExact(problem);
			const heuristic = await solveHeuristic(problem);
			const brute = await bruteForce(problem, exact.unassignedPenalty);
			const where = `seed ${seed}: ${JSON.stringify(problem)}`;
			checkInvariants(problem, exact);
			checkInvariants(problem, heuristic);
			expect(exact.status, where).toBe('optimal');
			expect(close(total(exact), brute.total), `${where}\nexact ${total(exact)} brute ${brute.total}`).toBe(true);
			expect(close(exact.shortfall, brute.unplaced), where).toBe(true);
			if (problem.mode.kind === 'min-sites') {
				expect(exact.open.length, where).toBe(brute.sites);
				expect(exact.minSitesLowerBound, where).toBe(brute.sites);
			}
			// The heuristic never beats the optimum (same number of sites in min-sites mode).
			if (problem.mode.kind === 'p' || heuristic.open.length === exact.open.length) {
				expect(total(heuristic), where).toBeGreaterThanOrEqual(total(exact) - 1e-6 * Math.max(1, total(exact)));
				gaps.push((total(heuristic) - total(exact)) / Math.max(1e-9, total(exact)));
			}
			// Bounds are in minutes and valid: the optimum places at least as much as the heuristic
			// (with at most as many sites), so it costs no less than the heuristic's bound.
			expect(close(exact.objective, brute.total - exact.unassignedPenalty * brute.unplaced), where).toBe(true);
			expect(heuristic.bound, where).toBeLessThanOrEqual(exact.objective * (1 + 1e-9) + 1e-9);
			expect(exact.bound, where).toBeLessThanOrEqual(exact.objective * (1 + 1e-9) + 1e-9);
			// Min-sites: the heuristic places as much and uses at most one site more than needed.
			if (problem.mode.kind === 'min-sites') {
				expect(heuristic.shortfall, where).toBeLessThanOrEqual(exact.shortfall + 1e-6);
				expect(heuristic.open.length, where).toBeLessThanOrEqual(exact.open.length + 1);
			}
		}
		const mean = gaps.reduce((s, g) => s + g, 0) / Math.max(1, gaps.length);
		expect(mean).toBeLessThan(0.01);
		expect(Math.max(0, ...gaps)).toBeLessThan(0.05);
	});
});

describe('properties (fast-check, seeded)', () => {
	it('locateAllocate keeps the invariants on random instances of every kind', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 1, max: 1_000_000 }),
				fc.constantFrom(...kinds.map(([, k]) => k)),
				fc.constantFrom<'auto' | 'heuristic'>('auto', 'heuristic'),
				async (seed, kind, method) => {
					const problem = randomProblem({ seed, ...kind, maxGroups: 12, maxSites: 8 });
					const r = await locateAllocate(problem, { method });
					checkInvariants(problem, r);
				}
			),
			{ seed: 20260, numRuns: 40 }
		);
	});

	it('is deterministic: the same problem gives the same answer', async () => {
		const problem = randomProblem({ seed: 99, capacitated: true, maxGroups: 12, maxSites: 8 });
		const a = await solveHeuristic(problem);
		const b = await solveHeuristic(problem);
		expect({ ...b, elapsedMs: 0 }).toEqual({ ...a, elapsedMs: 0 });
	});
});
