// The problem in solver form: validated, flattened into typed arrays, with groups that no solution
// can place set aside up front (with their reason), and the shared result builder — so the exact
// and the heuristic solver report in exactly the same way.
import type {
	Assignment,
	BoundKind,
	LocationProblem,
	LocationResult,
	SolveStatus,
	Unassigned,
	UnassignedReason
} from './types.ts';

export interface Instance {
	problem: LocationProblem;
	/** Groups that some solution can place (instance index → problem index). */
	groups: Int32Array;
	n: number;
	m: number;
	w: Float64Array;
	/** Capacity per site; Infinity when uncapacitated. */
	cap: Float64Array;
	/**
	 * n × m, row-major: cost per unit weight, Infinity where not allowed — beyond `maxCost`, or (when
	 * single-sourcing) at a site smaller than the group.
	 */
	d: Float64Array;
	split: boolean;
	/** Some site has a finite capacity. */
	capacitated: boolean;
	/** Cost per unit of weight left unplaced; larger than every finite d. */
	penalty: number;
	/** Groups no solution can place, with the reason. */
	excluded: { index: number; reason: UnassignedReason }[];
	/** Allowed sites per group sorted by cost (ties by index): CSR arrays. */
	nbrStart: Int32Array;
	nbr: Int32Array;
}

export function buildInstance(problem: LocationProblem, penalty?: number): Instance {
	const { groups, sites, cost } = problem;
	const split = problem.allowSplit === true;
	const maxCost = problem.maxCost ?? Infinity;
	const m = sites.length;
	if (m === 0) throw new RangeError('location-allocation: no candidate sites');
	checkUnique(groups.map((g) => g.id), 'group');
	checkUnique(sites.map((s) => s.id), 'site');
	if (cost.length !== groups.length) {
		throw new RangeError(`location-allocation: cost has ${cost.length} rows for ${groups.length} groups`);
	}
	if (!(maxCost >= 0)) throw new RangeError('location-allocation: maxCost must be ≥ 0');
	const cap = new Float64Array(m);
	let capacitated = false;
	for (let j = 0; j < m; j++) {
		const c = sites[j].capacity ?? Infinity;
		if (!(c >= 0)) throw new RangeError(`location-allocation: site ${sites[j].id} has capacity ${c}`);
		cap[j] = c;
		if (c !== Infinity) capacitated = true;
	}
	if (problem.mode.kind === 'p') {
		const p = problem.mode.p;
		if (!Number.isInteger(p) || p < 1 || p > m) {
			throw new RangeError(`location-allocation: p = ${p} must be an integer in 1..${m} (the number of sites)`);
		}
	}

	const kept: number[] = [];
	const excluded: Instance['excluded'] = [];
	for (let i = 0; i < groups.length; i++) {
		const wi = groups[i].weight;
		if (!(wi >= 0) || wi === Infinity) {
			throw new RangeError(`location-allocation: group ${groups[i].id} has weight ${wi}`);
		}
		const row = cost[i];
		if (row.length !== m) {
			throw new RangeError(`location-allocation: cost row ${i} has ${row.length} entries for ${m} sites`);
		}
		let inReach = false;
		let fits = false;
		for (let j = 0; j < m; j++) {
			const c = row[j];
			if (Number.isNaN(c) || c < 0) {
				throw new RangeError(`location-allocation: cost[${i}][${j}] = ${c} (must be ≥ 0 or Infinity)`);
			}
			if (c <= maxCost && c !== Infinity) {
				inReach = true;
				if (split || wi <= cap[j]) fits = true;
			}
		}
		if (!inReach) excluded.push({ index: i, reason: 'no-site-in-reach' });
		else if (!fits) excluded.push({ index: i, reason: 'group-too-large' });
		else kept.push(i);
	}

	const n = kept.length;
	const w = new Float64Array(n);
	const d = new Float64Array(n * m);
	let worst = 0;
	for (let a = 0; a < n; a++) {
		const i = kept[a];
		w[a] = groups[i].weight;
		const row = cost[i];
		let rowMax = 0;
		for (let j = 0; j < m; j++) {
			const c = row[j];
			const allowed = c <= maxCost && c !== Infinity && (split || w[a] <= cap[j]);
			d[a * m + j] = allowed ? c : Infinity;
			if (allowed && c > rowMax) rowMax = c;
		}
		worst += w[a] * rowMax;
	}
	let maxD = 0;
	for (let k = 0; k < d.length; k++) if (d[k] !== Infinity && d[k] > maxD) maxD = d[k];
	// Default: one unit of weight left unplaced costs more than the whole assignment, so the solver
	// places as much as it can first (strictly so whenever weights are whole households).
	const P = penalty ?? Math.max(1 + worst, 2 * maxD + 1);
	if (!(P > maxD) || P === Infinity) {
		throw new RangeError(`location-allocation: unassignedPenalty ${P} must be finite and exceed every allowed cost (${maxD})`);
	}

	// Sorted allowed sites per group (ties by site index, so every later choice is deterministic).
	const nbrStart = new Int32Array(n + 1);
	for (let a = 0; a < n; a++) {
		let count = 0;
		for (let j = 0; j < m; j++) if (d[a * m + j] !== Infinity) count++;
		nbrStart[a + 1] = nbrStart[a] + count;
	}
	const nbr = new Int32Array(nbrStart[n]);
	const tmp: number[] = [];
	for (let a = 0; a < n; a++) {
		tmp.length = 0;
		const base = a * m;
		for (let j = 0; j < m; j++) if (d[base + j] !== Infinity) tmp.push(j);
		tmp.sort((x, y) => d[base + x] - d[base + y] || x - y);
		nbr.set(tmp, nbrStart[a]);
	}

	return {
		problem,
		groups: Int32Array.from(kept),
		n,
		m,
		w,
		cap,
		d,
		split,
		capacitated,
		penalty: P,
		excluded,
		nbrStart,
		nbr
	};
}

/** The same instance with only the `open` sites allowed (for the assignment problem of one configuration). */
export function restrictTo(inst: Instance, open: Uint8Array): Instance {
	const { n, m } = inst;
	const d = Float64Array.from(inst.d);
	for (let a = 0; a < n; a++) for (let j = 0; j < m; j++) if (!open[j]) d[a * m + j] = Infinity;
	const nbrStart = new Int32Array(n + 1);
	const list: number[] = [];
	for (let a = 0; a < n; a++) {
		for (let k = inst.nbrStart[a]; k < inst.nbrStart[a + 1]; k++) if (open[inst.nbr[k]]) list.push(inst.nbr[k]);
		nbrStart[a + 1] = list.length;
	}
	return { ...inst, d, nbrStart, nbr: Int32Array.from(list) };
}

function checkUnique(ids: string[], what: string) {
	const seen = new Set<string>();
	for (const id of ids) {
		if (seen.has(id)) throw new RangeError(`location-allocation: duplicate ${what} id ${JSON.stringify(id)}`);
		seen.add(id);
	}
}

/**
 * Σ_i w_i · min_j d_ij: every group at its nearest allowed site, capacities and p ignored. With
 * `shortfall` > 0, the cheapest way to place all but that much weight (units at their nearest site,
 * cheapest units first): a bound on the cost of any solution that places at least as much.
 */
export function simpleBound(inst: Instance, shortfall = 0): number {
	const unit: [number, number][] = [];
	for (let a = 0; a < inst.n; a++) unit.push([inst.d[a * inst.m + inst.nbr[inst.nbrStart[a]]], inst.w[a]]);
	if (shortfall > 0) unit.sort((x, y) => x[0] - y[0]);
	let left = -shortfall;
	for (const [, w] of unit) left += w;
	let s = 0;
	for (const [c, w] of unit) {
		if (left <= 0) break;
		s += c * Math.min(w, left);
		left -= w;
	}
	return s;
}

/** Σ of the instance's weights (the demand that some solution could place). */
export function totalWeight(inst: Instance): number {
	let s = 0;
	for (let a = 0; a < inst.n; a++) s += inst.w[a];
	return s;
}

/**
 * Weight that every solution leaves unplaced, by capacity alone: demand beyond the `p` largest
 * capacities (all sites when p is undefined), or beyond the capacity of `open` when given. When a
 * solution's shortfall equals it, placing as much as possible is proved and only cost is left.
 */
export function shortfallLowerBound(inst: Instance, sites: { p?: number; open?: Uint8Array }): number {
	if (!inst.capacitated) return 0;
	const caps = sites.open ? Array.from(inst.cap).filter((_, j) => sites.open![j]) : Array.from(inst.cap).sort((x, y) => y - x);
	const k = sites.open ? caps.length : Math.min(sites.p ?? inst.m, inst.m);
	let room = 0;
	for (let j = 0; j < k; j++) room += caps[j];
	return Math.max(0, totalWeight(inst) - room);
}

/** Weight an allocation leaves unplaced. */
export function shortfallOf(inst: Instance, alloc: Allocation): number {
	const f = alloc.flows;
	let placed = 0;
	for (let k = 0; k < f.length; k += 3) placed += f[k + 2];
	const s = totalWeight(inst) - placed;
	return s > 1e-9 * Math.max(1, placed) ? s : 0;
}

/**
 * A solution in instance indices: the open sites and, per group, the weight placed at each site
 * (a flat list of group, site, amount triples). Weight not listed is unplaced.
 */
export interface Allocation {
	open: Uint8Array;
	/** group, site, amount, group, site, amount, ... */
	flows: number[];
}

/** A problem-level result back in instance indices (e.g. the heuristic's solution as a MILP start). */
export function allocationOf(inst: Instance, result: Pick<LocationResult, 'open' | 'assignment'>): Allocation {
	const site = new Map(inst.problem.sites.map((s, j) => [s.id, j]));
	const unknown = [...result.open, ...result.assignment.map((a) => a.site)].find((id) => !site.has(id));
	if (unknown !== undefined) throw new RangeError(`location-allocation: start names unknown site ${unknown}`);
	const group = new Map<string, number>();
	inst.groups.forEach((i, a) => group.set(inst.problem.groups[i].id, a));
	const open = new Uint8Array(inst.m);
	for (const id of result.open) open[site.get(id)!] = 1;
	const flows: number[] = [];
	for (const x of result.assignment) {
		const a = group.get(x.group);
		if (a !== undefined) flows.push(a, site.get(x.site)!, x.weight);
	}
	return { open, flows };
}

/** Penalised objective of an allocation (what both solvers minimise). */
export function penalisedCost(inst: Instance, alloc: Allocation): number {
	const placed = new Float64Array(inst.n);
	let s = 0;
	const f = alloc.flows;
	for (let k = 0; k < f.length; k += 3) {
		s += f[k + 2] * inst.d[f[k] * inst.m + f[k + 1]];
		placed[f[k]] += f[k + 2];
	}
	for (let a = 0; a < inst.n; a++) s += Math.max(0, inst.w[a] - placed[a]) * inst.penalty;
	return s;
}

export interface ResultMeta {
	/**
	 * Lower bound on the assignment cost (household-minutes, no penalty) of every solution that
	 * places at least as much weight as this allocation.
	 */
	bound: number;
	boundKind: BoundKind;
	method: LocationResult['method'];
	status: SolveStatus;
	elapsedMs: number;
	minSitesLowerBound?: number;
}

/** Problem-level result from an allocation; `objective` is summed over the returned assignment. */
export function buildResult(inst: Instance, alloc: Allocation, meta: ResultMeta): LocationResult {
	const { problem, m } = inst;
	const { groups, sites, cost } = problem;
	const open: string[] = [];
	for (let j = 0; j < m; j++) if (alloc.open[j]) open.push(sites[j].id);

	// Merge repeated (group, site) pairs and sort by group then site, so output is canonical.
	const amount = new Map<number, number>();
	const f = alloc.flows;
	const hasFlow = new Uint8Array(inst.n);
	for (let k = 0; k < f.length; k += 3) {
		if (!(f[k + 2] >= 0)) continue;
		if (!alloc.open[f[k + 1]]) throw new Error('location-allocation: flow to a closed site');
		hasFlow[f[k]] = 1;
		const key = f[k] * m + f[k + 1];
		amount.set(key, (amount.get(key) ?? 0) + f[k + 2]);
	}
	const keys = [...amount.keys()].sort((x, y) => x - y);
	const placed = new Float64Array(inst.n);
	const assignment: Assignment[] = [];
	let objective = 0;
	for (const key of keys) {
		const a = Math.floor(key / m);
		const j = key - a * m;
		const i = inst.groups[a];
		// Snap to the whole group when the solver's floating-point amount is within rounding of it.
		let weight = amount.get(key)!;
		if (Math.abs(weight - inst.w[a]) <= 1e-9 * Math.max(1, inst.w[a])) weight = inst.w[a];
		placed[a] += weight;
		const c = Number(cost[i][j]);
		assignment.push({ group: groups[i].id, site: sites[j].id, weight, cost: c });
		objective += weight * c;
	}

	const unassigned: (Unassigned & { index: number })[] = inst.excluded.map((e) => ({
		index: e.index,
		group: groups[e.index].id,
		weight: groups[e.index].weight,
		reason: e.reason
	}));
	let shortfall = 0;
	for (let a = 0; a < inst.n; a++) {
		const left = inst.w[a] - placed[a];
		// (A zero-weight group is still listed: assigned with weight 0, or unassigned with weight 0.)
		if (left <= 1e-9 * Math.max(1, inst.w[a]) && (hasFlow[a] || inst.w[a] > 0)) continue;
		let reachable = false;
		for (let k = inst.nbrStart[a]; k < inst.nbrStart[a + 1]; k++) {
			if (alloc.open[inst.nbr[k]]) {
				reachable = true;
				break;
			}
		}
		shortfall += Math.max(0, left);
		unassigned.push({
			index: inst.groups[a],
			group: groups[inst.groups[a]].id,
			weight: Math.max(0, left),
			reason: reachable ? 'capacity-exhausted' : 'no-open-site-in-reach'
		});
	}
	unassigned.sort((x, y) => x.index - y.index);

	const bound = Math.max(0, Math.min(meta.bound, objective));
	return {
		open,
		assignment,
		unassigned: unassigned.map(({ group, weight, reason }) => ({ group, weight, reason })),
		objective,
		shortfall,
		unassignedPenalty: inst.penalty,
		bound,
		boundKind: meta.boundKind,
		// (A relative difference below 1e-12 is rounding: reported as 0.)
		gap: objective > 0 && (objective - bound) / objective > 1e-12 ? (objective - bound) / objective : 0,
		method: meta.method,
		status: meta.status,
		...(meta.minSitesLowerBound !== undefined ? { minSitesLowerBound: meta.minSitesLowerBound } : {}),
		elapsedMs: meta.elapsedMs
	};
}

/**
 * Capacity lower bound on the number of sites that can place `demand`: the fewest largest
 * capacities that add up to it (1 when uncapacitated and there is demand).
 */
export function capacitySitesBound(inst: Instance, demand: number): number {
	if (demand <= 0) return 1;
	const caps = Array.from(inst.cap).sort((x, y) => y - x);
	let s = 0;
	for (let k = 0; k < caps.length; k++) {
		s += caps[k];
		if (s >= demand * (1 - 1e-12)) return k + 1;
	}
	return caps.length;
}

/** Milliseconds since `t0`, and a throttled progress reporter. */
export function progressReporter(
	t0: number,
	onProgress: ((p: import('./types.ts').Progress) => void) | undefined,
	intervalMs = 250
) {
	let last = -Infinity;
	return {
		elapsed: () => performance.now() - t0,
		report(p: Omit<import('./types.ts').Progress, 'elapsedMs'>, force = false) {
			if (!onProgress) return;
			const now = performance.now();
			if (!force && now - last < intervalMs) return;
			last = now;
			onProgress({ ...p, elapsedMs: now - t0 });
		}
	};
}
