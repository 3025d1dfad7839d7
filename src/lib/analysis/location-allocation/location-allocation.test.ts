// Hand-computed cases: the arithmetic is in the comments, so a failure points at the rule broken.
import { describe, expect, it } from 'vitest';
import { locateAllocate, solveExact, solveHeuristic } from './index.ts';
import { checkInvariants } from './testing.ts';
import { polishSingle } from './assign.ts';
import { buildInstance, simpleBound } from './instance.ts';
import type { LocationProblem, LocationResult, Progress } from './types.ts';

const solvers: [string, (p: LocationProblem) => Promise<LocationResult>][] = [
	['exact', (p) => solveExact(p)],
	['heuristic', (p) => solveHeuristic(p)],
	['locateAllocate', (p) => locateAllocate(p)]
];

// Five villages on a road at km 0, 1, 2, 10, 11 (households 1, 1, 1, 3, 2); a candidate site in
// each village; cost = distance in km.
const line = (p: number): LocationProblem => {
	const x = [0, 1, 2, 10, 11];
	return {
		groups: [1, 1, 1, 3, 2].map((weight, i) => ({ id: `v${i}`, weight })),
		sites: x.map((_, j) => ({ id: `s${j}` })),
		cost: x.map((xi) => x.map((xj) => Math.abs(xi - xj))),
		mode: { kind: 'p', p }
	};
};

describe.each(solvers)('%s on hand-computed cases', (_name, solve) => {
	it('p = 1 on the road picks the weighted median', async () => {
		// At km 10: 10 + 9 + 8 + 0·3 + 1·2 = 29; km 11: 11 + 10 + 9 + 3 + 0 = 33; km 2: 2 + 1 + 0 + 24 + 18 = 45.
		const r = await solve(line(1));
		checkInvariants(line(1), r);
		expect(r.open).toEqual(['s3']);
		expect(r.objective).toBe(29);
		expect(r.unassigned).toEqual([]);
	});

	it('p = 2 on the road opens km 1 and km 10', async () => {
		// {1, 10}: 1 + 0 + 1 + 0 + 1·2 = 4; {1, 11}: 2 + 3·1 = 5; {2, 10}: 2 + 1 + 0 + 0 + 2 = 5; {0, 10}: 0 + 1 + 2 + 2 = 5.
		const r = await solve(line(2));
		checkInvariants(line(2), r);
		expect(r.open).toEqual(['s1', 's3']);
		expect(r.objective).toBe(4);
		expect(r.assignment.map((a) => `${a.group}→${a.site}`)).toEqual(['v0→s1', 'v1→s1', 'v2→s1', 'v3→s3', 'v4→s3']);
		expect(r.gap).toBeLessThan(1e-9);
	});

	// Three villages, two sites that must both open. S1 is nearest for everyone but holds 40.
	//        S1 (cap 40)  S2 (cap 60)
	//  A 30      1            4
	//  B 20      2            3
	//  C 10      1            9
	const capacitated = (allowSplit: boolean, cap1 = 40): LocationProblem => ({
		groups: [
			{ id: 'A', weight: 30 },
			{ id: 'B', weight: 20 },
			{ id: 'C', weight: 10 }
		],
		sites: [
			{ id: 'S1', capacity: cap1 },
			{ id: 'S2', capacity: 60 }
		],
		cost: [
			[1, 4],
			[2, 3],
			[1, 9]
		],
		mode: { kind: 'p', p: 2 },
		allowSplit
	});

	it('single-sourcing moves the village that loses least when the nearest site is full', async () => {
		// S1 can take {A, C} = 40: 30·1 + 10·1 + B at S2 20·3 = 100; {B, C}: 40 + 10 + A 30·4 = 170;
		// {A} alone: 30 + 60 + 90 = 180. So B moves: 100.
		const r = await solve(capacitated(false));
		checkInvariants(capacitated(false), r);
		expect(r.objective).toBe(100);
		expect(r.assignment.map((a) => `${a.group}→${a.site}`)).toEqual(['A→S1', 'B→S2', 'C→S1']);
	});

	it('splitting lets part of a village fill the last places', async () => {
		// S1 holds 45: single-sourcing still gives 100 ({A, C} = 40, B at S2). Split: A 30 + C 10 +
		// 5 of B at S1 = 45, 15 of B at S2: 30 + 10 + 5·2 + 15·3 = 95.
		const single = await solve(capacitated(false, 45));
		expect(single.objective).toBe(100);
		const r = await solve(capacitated(true, 45));
		checkInvariants(capacitated(true, 45), r);
		expect(r.objective).toBeCloseTo(95, 9);
		const b = r.assignment.filter((a) => a.group === 'B').map((a) => [a.site, a.weight]);
		expect(b).toEqual([
			['S1', 5],
			['S2', 15]
		]);
	});

	// Reasons for not placing a group. Sites S1 (cap 55) and S2 (cap 40); p = 1; maxCost 60.
	//        S1   S2
	//  G1 10  5    ∞     only S1
	//  G2 50  3    4     S2 too small for 50 (single-sourcing), so only S1
	//  G3  5  ∞    ∞     → no-site-in-reach
	//  G4 100 1    2     bigger than both sites → group-too-large
	//  G5 10  70   80    beyond maxCost 60 → no-site-in-reach
	const reasons: LocationProblem = {
		groups: [
			{ id: 'G1', weight: 10 },
			{ id: 'G2', weight: 50 },
			{ id: 'G3', weight: 5 },
			{ id: 'G4', weight: 100 },
			{ id: 'G5', weight: 10 }
		],
		sites: [
			{ id: 'S1', capacity: 55 },
			{ id: 'S2', capacity: 40 }
		],
		cost: [
			[5, Infinity],
			[3, 4],
			[Infinity, Infinity],
			[1, 2],
			[70, 80]
		],
		mode: { kind: 'p', p: 1 },
		maxCost: 60
	};

	it('reports every group it cannot place, with the reason', async () => {
		// S1 (55) cannot hold G1 + G2 = 60: leaving G1 out leaves 10 households unplaced (cost
		// 50·3 = 150), leaving G2 out leaves 50: placing the most households comes first → G1 out.
		// Opening S2 instead places nobody (G1 not in reach, G2 too big for it).
		const r = await solve(reasons);
		checkInvariants(reasons, r);
		expect(r.open).toEqual(['S1']);
		expect(r.objective).toBe(150);
		expect(r.shortfall).toBe(10);
		expect(r.unassigned).toEqual([
			{ group: 'G1', weight: 10, reason: 'capacity-exhausted' },
			{ group: 'G3', weight: 5, reason: 'no-site-in-reach' },
			{ group: 'G4', weight: 100, reason: 'group-too-large' },
			{ group: 'G5', weight: 10, reason: 'no-site-in-reach' }
		]);
	});

	it('says when p is too small to reach everyone', async () => {
		// Two clusters 100 minutes apart, 30-minute limit, one site: the bigger cluster wins
		// (7 households placed at cost 2·3 + 0·4 = 6 vs 2 households).
		const problem: LocationProblem = {
			groups: [
				{ id: 'east1', weight: 3 },
				{ id: 'east2', weight: 4 },
				{ id: 'west', weight: 2 }
			],
			sites: [{ id: 'E' }, { id: 'W' }],
			cost: [
				[2, 100],
				[0, 102],
				[100, 0]
			],
			mode: { kind: 'p', p: 1 },
			maxCost: 30
		};
		const r = await solve(problem);
		checkInvariants(problem, r);
		expect(r.open).toEqual(['E']);
		expect(r.objective).toBe(6);
		expect(r.unassigned).toEqual([{ group: 'west', weight: 2, reason: 'no-open-site-in-reach' }]);
	});

	// Min-sites. Total demand 90.
	//        S1 (60)  S2 (60)  S3 (cap3)
	//  A 30    1        5        10
	//  B 30    2        1        10
	//  C 30    8        3        10
	const minSites = (cap3: number): LocationProblem => ({
		groups: ['A', 'B', 'C'].map((id) => ({ id, weight: 30 })),
		sites: [
			{ id: 'S1', capacity: 60 },
			{ id: 'S2', capacity: 60 },
			{ id: 'S3', capacity: cap3 }
		],
		cost: [
			[1, 5, 10],
			[2, 1, 10],
			[8, 3, 10]
		],
		mode: { kind: 'min-sites' }
	});

	it('min-sites prefers one site over a cheaper pair', async () => {
		// Only S3 (100) holds 90 alone: 90·10 = 900, although {S1, S2} would cost 150.
		const r = await solve(minSites(100));
		checkInvariants(minSites(100), r);
		expect(r.open).toEqual(['S3']);
		expect(r.objective).toBe(900);
	});

	it('min-sites then picks the cheapest pair', async () => {
		// No site holds 90 (S3 = 80), so two: {S1, S2}: A→S1 30, B→S2 30, C→S2 90 (S2 load 60) = 150;
		// {S1, S3}: 30 + 60 + 300 = 390; {S2, S3}: 30 + 90 + 300 = 420.
		const r = await solve(minSites(80));
		checkInvariants(minSites(80), r);
		expect(r.open).toEqual(['S1', 'S2']);
		expect(r.objective).toBe(150);
		expect(r.minSitesLowerBound).toBe(2);
	});

	it('keeps a zero-weight group in the assignment', async () => {
		const problem: LocationProblem = {
			groups: [
				{ id: 'empty', weight: 0 },
				{ id: 'full', weight: 5 }
			],
			sites: [{ id: 'S', capacity: 5 }],
			cost: [[3], [2]],
			mode: { kind: 'p', p: 1 }
		};
		const r = await solve(problem);
		checkInvariants(problem, r);
		expect(r.assignment).toEqual([
			{ group: 'empty', site: 'S', weight: 0, cost: 3 },
			{ group: 'full', site: 'S', weight: 5, cost: 2 }
		]);
		expect(r.objective).toBe(10);
	});
});

describe('bounds, methods and options', () => {
	it('the heuristic reports the LP bound when it fits and the simple bound otherwise', async () => {
		const lp = await solveHeuristic(line(2));
		expect(lp.boundKind).toBe('lp-relaxation');
		expect(lp.bound).toBeCloseTo(4, 6); // this LP relaxation is integral
		const simple = await solveHeuristic(line(2), { bound: 'simple' });
		// Every village at its own site: Σ w · 0 = 0.
		expect(simple.boundKind).toBe('simple');
		expect(simple.bound).toBe(0);
		expect(simple.gap).toBe(1);
	});

	it('the exact solver reports the MILP bound and status', async () => {
		const r = await solveExact(line(2));
		expect(r).toMatchObject({ method: 'exact', status: 'optimal', boundKind: 'milp' });
		expect(r.bound).toBeCloseTo(4, 6);
	});

	it('locateAllocate chooses by size', async () => {
		expect((await locateAllocate(line(2))).method).toBe('exact');
		expect((await locateAllocate(line(2), { exactMaxPairs: 10 })).method).toBe('heuristic');
	});

	it('reports progress', async () => {
		const seen: Progress[] = [];
		await locateAllocate(line(2), { onProgress: (p) => seen.push(p), progressIntervalMs: 0 });
		expect(seen.length).toBeGreaterThan(0);
		expect(seen.map((p) => p.phase)).toContain('assignment');
		for (const p of seen) expect(p.elapsedMs).toBeGreaterThanOrEqual(0);
	});

	it('accepts a warm start', async () => {
		const r = await solveExact(line(2), { warmStart: ['s0', 's4'] });
		expect(r.objective).toBe(4);
	});

	// One site of 4 households for three villages (p = 1 cannot house everyone): F (4) is far,
	// N1 and N2 (2 each) are near. Any solution places at most 4, so 6 stay unplaced either way;
	// the cheapest 4 placed are N1 + N2: 2·1 + 2·2 = 6 minutes (F alone: 4·10 = 40).
	const short: LocationProblem = {
		groups: [
			{ id: 'F', weight: 4 },
			{ id: 'N1', weight: 2 },
			{ id: 'N2', weight: 2 }
		],
		sites: [{ id: 'S', capacity: 4 }],
		cost: [[10], [1], [2]],
		mode: { kind: 'p', p: 1 }
	};

	it('with p too small, bound and gap are in minutes over placements of the same size', async () => {
		for (const r of [await solveExact(short), await solveHeuristic(short), await locateAllocate(short)]) {
			checkInvariants(short, r);
			expect(r.shortfall).toBe(4);
			expect(r.objective).toBe(6);
			// Not 6 + penalty · 4: the penalty never enters bound or gap.
			expect(r.bound).toBeCloseTo(6, 6);
			expect(r.gap).toBeLessThan(1e-9);
		}
	});

	it('the single-sourcing polish trades one placed village for two cheaper ones of the same weight', () => {
		// From F alone at S (40 minutes): no village can move, and N1 or N2 alone replacing F would
		// place less. Only the pair insertion gets to N1 + N2 (6 minutes), as much weight placed.
		const inst = buildInstance(short);
		const polished = polishSingle(inst, { open: Uint8Array.of(1), flows: [0, 0, 4] });
		expect(polished.alloc.flows).toEqual([1, 0, 2, 2, 0, 2]);
		expect(polished.cost).toBe(6 + 4 * inst.penalty);
		// The simple bound for 4 placed: the cheapest 4 households at their nearest site, 2·1 + 2·2.
		expect(simpleBound(inst, 4)).toBe(6);
		expect(simpleBound(inst, 0)).toBe(4 * 10 + 6);
	});

	it('rejects malformed problems', async () => {
		await expect(solveExact({ ...line(2), mode: { kind: 'p', p: 6 } })).rejects.toThrow(/p = 6/);
		await expect(solveExact({ ...line(2), mode: { kind: 'p', p: 0 } })).rejects.toThrow(/p = 0/);
		const bad = line(1);
		await expect(solveExact({ ...bad, cost: bad.cost.slice(1) })).rejects.toThrow(/rows/);
		await expect(solveExact({ ...bad, cost: bad.cost.map((r, i) => (i === 0 ? [-1, 0, 0, 0, 0] : r)) })).rejects.toThrow(/≥ 0/);
		await expect(solveExact({ ...bad, cost: bad.cost.map((r, i) => (i === 0 ? [NaN, 0, 0, 0, 0] : r)) })).rejects.toThrow(/cost\[0\]\[0\]/);
		await expect(solveExact({ ...bad, groups: bad.groups.map((g) => ({ ...g, id: 'same' })) })).rejects.toThrow(/duplicate group/);
		await expect(solveExact({ ...bad, groups: [{ id: 'x', weight: NaN }, ...bad.groups.slice(1)] })).rejects.toThrow(/weight/);
		await expect(solveExact({ ...bad, sites: bad.sites.map((s) => ({ ...s, capacity: -1 })) })).rejects.toThrow(/capacity/);
	});
});
