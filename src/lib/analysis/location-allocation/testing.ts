// Test support: seeded random instances and the invariants every result must satisfy.
import { mulberry32, randInt } from '../prng.ts';
import type { LocationProblem, LocationResult, SitingMode } from './types.ts';

export interface RandomSpec {
	seed: number;
	capacitated: boolean;
	split?: boolean;
	minSites?: boolean;
	/** Share of group–site pairs that are not allowed (Infinity). */
	forbidden?: number;
	maxGroups?: number;
	maxSites?: number;
}

/** A small random instance: integer weights 1..30, costs 1..50, capacities 20..90 or ∞. */
export function randomProblem(spec: RandomSpec): LocationProblem {
	const rand = mulberry32(spec.seed);
	const n = randInt(rand, 3, spec.maxGroups ?? 7);
	const m = randInt(rand, 3, spec.maxSites ?? 6);
	const groups = Array.from({ length: n }, (_, i) => ({ id: `g${i}`, weight: randInt(rand, 1, 30) }));
	const sites = Array.from({ length: m }, (_, j) => ({
		id: `s${j}`,
		...(spec.capacitated ? { capacity: randInt(rand, 20, 90) } : {})
	}));
	const forbidden = spec.forbidden ?? 0.15;
	const cost = groups.map(() => Array.from({ length: m }, () => (rand() < forbidden ? Infinity : randInt(rand, 1, 50))));
	const mode: SitingMode = spec.minSites ? { kind: 'min-sites' } : { kind: 'p', p: randInt(rand, 1, Math.max(1, m - 1)) };
	return { groups, sites, cost, mode, allowSplit: spec.split === true };
}

/** Penalised objective: what the solvers minimise. */
export function total(r: LocationResult): number {
	return r.objective + r.unassignedPenalty * r.shortfall;
}

/**
 * Throws with a description if the result breaks an invariant: p sites (p mode), capacities,
 * every group assigned or reported, assignments only at open allowed sites, single-sourcing,
 * objective = Σ weight · cost recomputed from the problem, 0 ≤ gap ≤ 1, bound ≤ objective.
 */
export function checkInvariants(problem: LocationProblem, r: LocationResult): void {
	const fail = (msg: string) => {
		throw new Error(`invariant: ${msg}`);
	};
	const siteIndex = new Map(problem.sites.map((s, j) => [s.id, j]));
	const groupIndex = new Map(problem.groups.map((g, i) => [g.id, i]));
	const open = new Set(r.open);
	if (open.size !== r.open.length) fail('a site is listed twice in open');
	if (problem.mode.kind === 'p' && r.open.length !== problem.mode.p) fail(`${r.open.length} sites open, p = ${problem.mode.p}`);
	const load = new Map<string, number>();
	const placed = new Float64Array(problem.groups.length);
	const unplaced = new Float64Array(problem.groups.length);
	const entries = new Uint32Array(problem.groups.length);
	let objective = 0;
	for (const a of r.assignment) {
		const i = groupIndex.get(a.group);
		const j = siteIndex.get(a.site);
		if (i === undefined || j === undefined) fail(`unknown id in ${JSON.stringify(a)}`);
		if (!open.has(a.site)) fail(`${a.group} assigned to closed site ${a.site}`);
		const c = problem.cost[i!][j!];
		if (c !== a.cost) fail(`cost of ${a.group}→${a.site} is ${c}, reported ${a.cost}`);
		if (c === Infinity || c > (problem.maxCost ?? Infinity)) fail(`${a.group}→${a.site} is not allowed`);
		if (!(a.weight >= 0)) fail(`negative weight in ${JSON.stringify(a)}`);
		load.set(a.site, (load.get(a.site) ?? 0) + a.weight);
		placed[i!] += a.weight;
		entries[i!]++;
		objective += a.weight * c;
	}
	for (const u of r.unassigned) {
		const i = groupIndex.get(u.group);
		if (i === undefined) fail(`unknown group ${u.group} in unassigned`);
		unplaced[i!] += u.weight;
		entries[i!]++;
	}
	problem.groups.forEach((g, i) => {
		if (entries[i] === 0) fail(`group ${g.id} neither assigned nor unassigned`);
		if (Math.abs(placed[i] + unplaced[i] - g.weight) > 1e-6 * Math.max(1, g.weight)) {
			fail(`group ${g.id}: placed ${placed[i]} + unplaced ${unplaced[i]} ≠ weight ${g.weight}`);
		}
		if (!problem.allowSplit && placed[i] > 0 && (entries[i] > 1 || placed[i] !== g.weight)) fail(`group ${g.id} split`);
	});
	for (const [site, l] of load) {
		const c = problem.sites[siteIndex.get(site)!].capacity ?? Infinity;
		if (l > c + 1e-6 * Math.max(1, c)) fail(`site ${site} holds ${l} > capacity ${c}`);
	}
	if (Math.abs(objective - r.objective) > 1e-9 * Math.max(1, objective)) fail(`objective ${r.objective} ≠ recomputed ${objective}`);
	if (!(r.gap >= 0 && r.gap <= 1)) fail(`gap ${r.gap}`);
	if (r.bound > r.objective * (1 + 1e-9) + 1e-9) fail(`bound ${r.bound} above the objective ${r.objective}`);
}
