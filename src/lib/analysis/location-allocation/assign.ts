// The allocation step: given the open sites, place every group.
// - uncapacitated: each group at its nearest open site (optimal);
// - capacitated, split allowed: a transportation problem, solved exactly by successive shortest
//   paths with node potentials (Ahuja, Magnanti & Orlin, "Network Flows", ch. 9);
// - capacitated, single-sourcing (a generalised assignment problem, NP-hard): regret greedy
//   (largest weighted difference between a group's best and second-best feasible site first),
//   then shift moves, ejections and replacements for unplaced groups, and — when `polish` —
//   pairwise swaps.
// Weight that cannot be placed pays the instance's penalty per unit.
import { MinHeap } from './heap.ts';
import type { Allocation, Instance } from './instance.ts';

export interface Assigned {
	alloc: Allocation;
	/** Penalised cost: Σ amount · d + penalty · unplaced weight. */
	cost: number;
}

export function assign(inst: Instance, open: Uint8Array, polish = false): Assigned {
	if (!inst.capacitated) return assignNearest(inst, open);
	return inst.split ? assignSplit(inst, open) : assignSingle(inst, open, polish);
}

export function assignNearest(inst: Instance, open: Uint8Array): Assigned {
	const { n, m, w, d, nbr, nbrStart, penalty } = inst;
	const flows: number[] = [];
	let cost = 0;
	for (let a = 0; a < n; a++) {
		let placed = false;
		for (let k = nbrStart[a]; k < nbrStart[a + 1]; k++) {
			const j = nbr[k];
			if (open[j]) {
				flows.push(a, j, w[a]);
				cost += w[a] * d[a * m + j];
				placed = true;
				break;
			}
		}
		if (!placed) cost += w[a] * penalty;
	}
	return { alloc: { open: open.slice(), flows }, cost };
}

const tolerance = (x: number) => 1e-9 * Math.max(1, x);

// ---------------------------------------------------------------------------------------------
// Single-sourcing

/**
 * Two starts, each improved by the same moves; the better wins: the regret greedy, and the
 * transportation optimum (split allowed) rounded — groups it keeps whole stay, the few it splits
 * (at most one fewer than the open sites, at a basic solution) are placed where room is left.
 * The rounded start is strong when capacity is tight (it maximises the weight placed), the regret
 * greedy when it is not.
 */
export function assignSingle(inst: Instance, open: Uint8Array, polish: boolean): Assigned {
	const a = improveSingle(inst, open, regretStart(inst, open), polish);
	// Without polish (inside the local search) the second start only when weight is left unplaced.
	if (!polish && !leavesUnplaced(inst, a)) return a;
	const b = improveSingle(inst, open, roundedStart(inst, open), polish);
	return b.cost < a.cost ? b : a;
}

/**
 * Single-sourcing: the polishing moves (swaps, multi-exchanges) from a given allocation, e.g. the
 * local search's own, which the fresh starts of `assignSingle` do not always reach.
 */
export function polishSingle(inst: Instance, alloc: Allocation): Assigned {
	const site = new Int32Array(inst.n).fill(-1);
	for (let k = 0; k < alloc.flows.length; k += 3) if (inst.w[alloc.flows[k]] > 0 || site[alloc.flows[k]] < 0) site[alloc.flows[k]] = alloc.flows[k + 1];
	return improveSingle(inst, alloc.open, site, true);
}

function leavesUnplaced(inst: Instance, assigned: Assigned): boolean {
	let placed = 0;
	let total = 0;
	const f = assigned.alloc.flows;
	for (let k = 0; k < f.length; k += 3) placed += f[k + 2];
	for (let a = 0; a < inst.n; a++) total += inst.w[a];
	return placed < total - tolerance(total);
}

function roundedStart(inst: Instance, open: Uint8Array): Int32Array {
	const { n, m, w, d, nbr, nbrStart, cap } = inst;
	const site = new Int32Array(n).fill(-1);
	const rem = Float64Array.from(cap);
	const relaxed = assignSplit({ ...inst, split: true }, open).alloc.flows;
	const whole = new Int32Array(n).fill(-1);
	const parts = new Int32Array(n);
	for (let k = 0; k < relaxed.length; k += 3) {
		const a = relaxed[k];
		parts[a]++;
		if (relaxed[k + 2] >= w[a] - tolerance(w[a])) whole[a] = relaxed[k + 1];
	}
	const rest: number[] = [];
	for (let a = 0; a < n; a++) {
		// A whole group at a site it may use single-sourced (w ≤ capacity is part of d's definition).
		if (parts[a] === 1 && whole[a] >= 0 && d[a * m + whole[a]] !== Infinity) {
			site[a] = whole[a];
			rem[whole[a]] -= w[a];
		} else rest.push(a);
	}
	rest.sort((x, y) => w[y] - w[x] || x - y);
	for (const a of rest) {
		for (let k = nbrStart[a]; k < nbrStart[a + 1]; k++) {
			const j = nbr[k];
			if (open[j] && rem[j] >= w[a] - tolerance(w[a])) {
				site[a] = j;
				rem[j] -= w[a];
				break;
			}
		}
	}
	return site;
}

function regretStart(inst: Instance, open: Uint8Array): Int32Array {
	const { n, m, w, d, nbr, nbrStart, cap } = inst;
	const site = new Int32Array(n).fill(-1);
	const rem = Float64Array.from(cap);
	const fits = (j: number, a: number) => open[j] === 1 && rem[j] >= w[a] - tolerance(w[a]);

	// Regret greedy with lazy keys: a group's key is recomputed when popped and pushed back if it
	// changed (its best or second-best site filled up meanwhile).
	const p1 = new Int32Array(n);
	const p2 = new Int32Array(n);
	const fit = (a: number, from: number) => {
		const end = nbrStart[a + 1];
		for (let k = from; k < end; k++) if (fits(nbr[k], a)) return k;
		return end;
	};
	const key = (a: number) => {
		const end = nbrStart[a + 1];
		const d1 = p1[a] < end ? d[a * m + nbr[p1[a]]] : inst.penalty;
		const d2 = p2[a] < end ? d[a * m + nbr[p2[a]]] : inst.penalty;
		return -w[a] * (d2 - d1);
	};
	const heap = new MinHeap(n);
	for (let a = 0; a < n; a++) {
		p1[a] = fit(a, nbrStart[a]);
		p2[a] = p1[a] < nbrStart[a + 1] ? fit(a, p1[a] + 1) : p1[a];
		heap.push(key(a), a);
	}
	while (heap.size > 0) {
		const old = heap.peekKey();
		const a = heap.pop();
		const end = nbrStart[a + 1];
		if (p1[a] < end && !fits(nbr[p1[a]], a)) p1[a] = fit(a, p1[a]);
		if (p1[a] >= end) continue; // nothing open has room: unplaced
		if (p2[a] <= p1[a] || (p2[a] < end && !fits(nbr[p2[a]], a))) p2[a] = fit(a, Math.max(p2[a], p1[a] + 1));
		const k = key(a);
		if (k !== old) {
			heap.push(k, a);
			continue;
		}
		const j = nbr[p1[a]];
		site[a] = j;
		rem[j] -= w[a];
	}
	return site;
}

/** Shift moves, then ejections and replacements for unplaced groups, then (polish) swaps. */
function improveSingle(inst: Instance, open: Uint8Array, site: Int32Array, polish: boolean): Assigned {
	const { n, m, w, d, nbr, nbrStart, cap } = inst;
	const rem = Float64Array.from(cap);
	for (let a = 0; a < n; a++) if (site[a] >= 0) rem[site[a]] -= w[a];
	const fits = (j: number, a: number) => open[j] === 1 && rem[j] >= w[a] - tolerance(w[a]);

	const move = (a: number, j: number) => {
		if (site[a] >= 0) rem[site[a]] += w[a];
		site[a] = j;
		rem[j] -= w[a];
	};
	const shiftPasses = () => {
		for (let pass = 0; pass < 50; pass++) {
			let moved = false;
			for (let a = 0; a < n; a++) {
				const cur = site[a] >= 0 ? d[a * m + site[a]] : Infinity;
				for (let k = nbrStart[a]; k < nbrStart[a + 1]; k++) {
					const j = nbr[k];
					if (d[a * m + j] >= cur) break;
					if (fits(j, a)) {
						move(a, j);
						moved = true;
						break;
					}
				}
			}
			if (!moved) break;
		}
	};
	shiftPasses();

	// Moves for unplaced groups (cheap: they only look at unplaced ones), until none applies:
	// - ejection: place a at site j by moving one group b from j to another open site with room;
	// - replacement: a takes the place of a lighter b at j (b becomes unplaced, so more weight is
	//   placed; b may then find room itself, by a shift or an ejection, in the next round).
	// Each applied move strictly lowers the penalised cost, so this terminates; rounds and the work
	// per call are capped (the local search calls this for every trial configuration).
	let work = polish ? 2e8 : 2e7;
	for (let round = 0; round < 4 * n + 10 && work > 0; round++) {
		let changed = false;
		const members: number[][] = Array.from({ length: m }, () => []);
		for (let b = 0; b < n; b++) if (site[b] >= 0) members[site[b]].push(b);
		for (let a = 0; a < n && work > 0; a++) {
			if (site[a] >= 0) continue;
			let best = -1e-9 * Math.max(1, w[a]) * inst.penalty;
			let bestJ = -1;
			let bestB = -1;
			let bestK = -1;
			for (let ka = nbrStart[a]; ka < nbrStart[a + 1]; ka++) {
				const j = nbr[ka];
				if (!open[j]) continue;
				const need = w[a] - rem[j];
				const placeA = w[a] * (d[a * m + j] - inst.penalty);
				for (const b of members[j]) {
					work -= 1 + (nbrStart[b + 1] - nbrStart[b]);
					if (site[b] !== j || w[b] < need - tolerance(need)) continue;
					// Replacement (b unplaced): pays when a is heavier, or as heavy and nearer.
					const delta = placeA + w[b] * (inst.penalty - d[b * m + j]);
					if (delta < best) {
						best = delta;
						bestJ = j;
						bestB = b;
						bestK = -1;
					}
					for (let kb = nbrStart[b]; kb < nbrStart[b + 1]; kb++) {
						const k = nbr[kb];
						if (k === j || !fits(k, b)) continue;
						const delta = placeA + w[b] * (d[b * m + k] - d[b * m + j]);
						if (delta < best) {
							best = delta;
							bestJ = j;
							bestB = b;
							bestK = k;
						}
						break; // the first room for b is its cheapest
					}
				}
			}
			if (bestJ >= 0) {
				if (bestK >= 0) {
					move(bestB, bestK);
					members[bestK].push(bestB);
				} else {
					rem[bestJ] += w[bestB];
					site[bestB] = -1;
				}
				move(a, bestJ);
				members[bestJ].push(a); // stale entries are skipped by the site check
				changed = true;
			}
		}
		if (!changed) break;
		shiftPasses();
	}

	if (polish) {
		// Pairwise swaps between sites (quadratic: only for county-sized instances).
		if (n <= 3000) {
			for (let pass = 0; pass < 5; pass++) {
				let swapped = false;
				for (let a = 0; a < n; a++) {
					const ja = site[a];
					if (ja < 0) continue;
					for (let b = a + 1; b < n; b++) {
						const jb = site[b];
						if (jb < 0 || jb === ja) continue;
						const dab = d[a * m + jb];
						const dba = d[b * m + ja];
						if (dab === Infinity || dba === Infinity) continue;
						const delta = w[a] * (dab - d[a * m + ja]) + w[b] * (dba - d[b * m + jb]);
						if (delta >= -1e-12 * (w[a] + w[b])) continue;
						if (rem[ja] + w[a] - w[b] < -tolerance(w[b]) || rem[jb] + w[b] - w[a] < -tolerance(w[a])) continue;
						rem[ja] += w[a] - w[b];
						rem[jb] += w[b] - w[a];
						site[a] = jb;
						site[b] = ja;
						swapped = true;
						break;
					}
				}
				if (!swapped) break;
			}
			shiftPasses();
		}
		// Chains and cycles through several sites, and (capacity short) pair insertions: what tight
		// capacities leave to improve. A chain search costs ~MAX_CHAIN · n² steps: rounds capped at
		// ~4·10⁸ steps in all (1 000 rounds for a county of 300 villages, 25 for 2 000).
		const rounds = Math.min(4 * n, Math.floor(4e8 / (MAX_CHAIN * n * n + 1)));
		for (let round = 0; round < rounds; round++) {
			if (multiExchange(inst, open, site, rem)) continue;
			if (!pairInsertion(inst, open, site, rem)) break;
		}
	}

	const flows: number[] = [];
	let cost = 0;
	for (let a = 0; a < n; a++) {
		if (site[a] >= 0) {
			flows.push(a, site[a], w[a]);
			cost += w[a] * d[a * m + site[a]];
		} else cost += w[a] * inst.penalty;
	}
	return { alloc: { open: open.slice(), flows }, cost };
}

/** Longest chain of groups a multi-exchange moves. */
const MAX_CHAIN = 4;

/**
 * One improving multi-exchange, applied; false when none is found (after Ahuja, Orlin, Pallottino,
 * Scaparra & Scutellà 2004, "A multi-exchange heuristic for the single source capacitated facility
 * location problem"). With capacities nearly full a single group can rarely move and pairwise swaps
 * need equal weights; a chain can: a1 takes its place at the site of a2, a2 at the site of a3, …,
 * and the last goes to any open site with room — the site a1 left (a cyclic exchange), another, or
 * out (unplaced, at the penalty). An unplaced a1 enters this way too. The sites of a chain are
 * distinct, so capacity is checked arc by arc: a may take b's place if rem[site b] + w_b ≥ w_a.
 * The search is the usual label-correcting one: per chain length, the best chain ending at each
 * group (O(MAX_CHAIN · n²) per call).
 */
function multiExchange(inst: Instance, open: Uint8Array, site: Int32Array, rem: Float64Array): boolean {
	const { n, m, w, d, penalty } = inst;
	const cur = (a: number) => (site[a] >= 0 ? d[a * m + site[a]] : penalty);
	const eps = 1e-9 * Math.max(1, penalty);
	// Labels of the current length: per end group, the chain's cost so far (every member's current
	// cost taken off, the moves into the next site added) and the chain itself.
	let cost = new Float64Array(n).fill(Infinity);
	let chain: (number[] | null)[] = new Array(n).fill(null);
	for (let a = 0; a < n; a++) {
		if (!(w[a] > 0)) continue;
		cost[a] = -w[a] * cur(a);
		chain[a] = [a];
	}
	let best = -eps;
	let bestChain: number[] | null = null;
	let bestEnd = -1;
	for (let len = 1; len <= MAX_CHAIN; len++) {
		// Close each chain: its last group goes to an open site with room (not one the chain enters), or out.
		for (let b = 0; b < n; b++) {
			const c = chain[b];
			if (!c) continue;
			const first = c[0];
			const base = cost[b];
			if (len > 1 || site[first] >= 0) {
				const out = base + w[b] * penalty;
				if (out < best) [best, bestChain, bestEnd] = [out, c, -1];
			}
			for (let t = 0; t < m; t++) {
				if (!open[t] || d[b * m + t] === Infinity) continue;
				const room = rem[t] + (t === site[first] ? w[first] : 0);
				if (room < w[b] - tolerance(w[b]) || entered(c, site, t)) continue;
				if (len === 1 && t === site[b]) continue;
				const v = base + w[b] * d[b * m + t];
				if (v < best) [best, bestChain, bestEnd] = [v, c, t];
			}
		}
		if (len === MAX_CHAIN) break;
		const nextCost = new Float64Array(n).fill(Infinity);
		const nextChain: (number[] | null)[] = new Array(n).fill(null);
		for (let a = 0; a < n; a++) {
			const c = chain[a];
			if (!c) continue;
			const home = site[c[0]];
			const base = a * m;
			const need = w[a] - tolerance(w[a]);
			const ca = cost[a];
			for (let b = 0; b < n; b++) {
				const t = site[b];
				if (t < 0 || t === home) continue;
				const dat = d[base + t];
				if (dat === Infinity || rem[t] + w[b] < need) continue;
				const v = ca + w[a] * dat - w[b] * d[b * m + t];
				if (v < nextCost[b] && w[b] > 0 && !c.includes(b) && !entered(c, site, t)) {
					nextCost[b] = v;
					nextChain[b] = [...c, b];
				}
			}
		}
		cost = nextCost;
		chain = nextChain;
	}
	if (!bestChain) return false;
	// Apply: each member takes the next one's site; the last goes to bestEnd (−1: out).
	const targets = bestChain.map((_, i) => (i + 1 < bestChain!.length ? site[bestChain![i + 1]] : bestEnd));
	for (const a of bestChain) if (site[a] >= 0) rem[site[a]] += w[a];
	bestChain.forEach((a, i) => {
		site[a] = targets[i];
		if (targets[i] >= 0) rem[targets[i]] -= w[a];
	});
	return true;
}

/**
 * When capacity runs short, which groups to place decides the minutes, and a chain can only trade
 * groups of equal weight (every site is full). Improving pair insertions, applied: two unplaced
 * groups take the place of one placed group b at its site j, placing at least as much weight
 * (w_a1 + w_a2 ≥ w_b) within the room b leaves; the best such move at each site. O(Σ_j placed_j ·
 * unplaced_j²); false when there is none.
 */
function pairInsertion(inst: Instance, open: Uint8Array, site: Int32Array, rem: Float64Array): boolean {
	const { n, m, w, d, penalty } = inst;
	const out: number[] = [];
	for (let a = 0; a < n; a++) if (site[a] < 0 && w[a] > 0) out.push(a);
	if (out.length < 2) return false;
	// The best insertion at each site, applied site by site (a group placed once only).
	const taken = new Uint8Array(n);
	let applied = false;
	for (let j = 0; j < m; j++) {
		if (!open[j]) continue;
		const cand = out.filter((a) => !taken[a] && d[a * m + j] !== Infinity);
		if (cand.length < 2) continue;
		let best = -1e-9 * Math.max(1, penalty);
		let move: [number, number, number] | null = null;
		for (let b = 0; b < n; b++) {
			if (site[b] !== j) continue;
			const room = rem[j] + w[b];
			const gain = w[b] * (penalty - d[b * m + j]);
			for (let x = 0; x < cand.length; x++) {
				const a1 = cand[x];
				if (w[a1] > room) continue;
				const c1 = w[a1] * (d[a1 * m + j] - penalty);
				for (let y = x + 1; y < cand.length; y++) {
					const a2 = cand[y];
					const both = w[a1] + w[a2];
					if (both > room + tolerance(room) || both < w[b] - tolerance(w[b])) continue;
					const delta = c1 + w[a2] * (d[a2 * m + j] - penalty) + gain;
					if (delta < best) [best, move] = [delta, [b, a1, a2]];
				}
			}
		}
		if (!move) continue;
		const [b, a1, a2] = move;
		site[b] = -1;
		site[a1] = j;
		site[a2] = j;
		taken[a1] = taken[a2] = 1;
		rem[j] += w[b] - w[a1] - w[a2];
		applied = true;
	}
	return applied;
}

/** Whether a chain already moves a group into site t (the sites of its members after the first). */
function entered(chain: number[], site: Int32Array, t: number): boolean {
	for (let i = 1; i < chain.length; i++) if (site[chain[i]] === t) return true;
	return false;
}

// ---------------------------------------------------------------------------------------------
// Split: transportation problem by successive shortest paths
//
// Nodes: groups 0..n-1, open sites n..n+S-1, sink T = n+S. Arcs: group→site (cost d, unbounded),
// site→T (capacity), group→T "unplaced" (cost penalty, unbounded), and the reverse residual arcs
// site→group where flow is positive. Each group's supply is routed along shortest paths from that
// group (any excess node may start an augmentation; reduced-cost optimality is kept). Dijkstra on
// reduced costs stops as soon as T is settled, and potentials are updated on settled nodes only.

export function assignSplit(inst: Instance, open: Uint8Array): Assigned {
	const { n, m, w, d, nbr, nbrStart, cap, penalty } = inst;
	const sidx = new Int32Array(m).fill(-1);
	const sites: number[] = [];
	for (let j = 0; j < m; j++) if (open[j]) sidx[j] = sites.push(j) - 1;
	const S = sites.length;
	const N = n + S + 1;
	const T = n + S;
	const pi = new Float64Array(N);
	const dist = new Float64Array(N).fill(Infinity);
	const prev = new Int32Array(N).fill(-1);
	const settled = new Uint8Array(N);
	const touched: number[] = [];
	const flow = new Float64Array(n * S);
	const listed = new Uint8Array(n * S);
	const members: number[][] = Array.from({ length: S }, () => []);
	const rem = Float64Array.from(sites, (j) => cap[j]);
	const heap = new MinHeap(N);
	let wMax = 0;
	for (let a = 0; a < n; a++) wMax = Math.max(wMax, w[a]);
	const tol = tolerance(wMax);

	const relax = (v: number, nd: number, u: number, du: number) => {
		if (nd < du) nd = du; // reduced costs are ≥ 0; clamp rounding noise
		if (nd < dist[v]) {
			if (dist[v] === Infinity) touched.push(v);
			dist[v] = nd;
			prev[v] = u;
			heap.push(nd, v);
		}
	};

	for (let a = 0; a < n; a++) {
		let supply = w[a];
		let guard = 0;
		while (supply > tol) {
			if (++guard > 4 * (n + S) + 10) throw new Error('location-allocation: transportation did not converge');
			for (const v of touched) {
				dist[v] = Infinity;
				settled[v] = 0;
				prev[v] = -1;
			}
			touched.length = 0;
			heap.clear();
			dist[a] = 0;
			touched.push(a);
			heap.push(0, a);
			let D = Infinity;
			while (heap.size > 0) {
				const du = heap.peekKey();
				const u = heap.pop();
				if (settled[u] || du > dist[u]) continue;
				if (u === T || dist[T] <= du) {
					D = dist[T];
					break;
				}
				settled[u] = 1;
				if (u < n) {
					const base = u * m;
					for (let k = nbrStart[u]; k < nbrStart[u + 1]; k++) {
						const s = sidx[nbr[k]];
						if (s >= 0) relax(n + s, du + d[base + nbr[k]] + pi[u] - pi[n + s], u, du);
					}
					relax(T, du + penalty + pi[u] - pi[T], u, du);
				} else {
					const s = u - n;
					if (rem[s] > tol) {
						relax(T, du + pi[u] - pi[T], u, du);
						if (dist[T] <= du) {
							D = dist[T];
							break;
						}
					}
					const j = sites[s];
					for (const g of members[s]) {
						if (flow[g * S + s] > tol) relax(g, du - d[g * m + j] + pi[u] - pi[g], u, du);
					}
				}
			}
			if (D === Infinity) throw new Error('location-allocation: no path to the sink');
			for (const v of touched) if (settled[v]) pi[v] += dist[v] - D;

			let amount = supply;
			for (let v = T; v !== a; v = prev[v]) {
				const u = prev[v];
				if (v === T) {
					if (u >= n) amount = Math.min(amount, rem[u - n]);
				} else if (v < n) amount = Math.min(amount, flow[v * S + (u - n)]);
			}
			for (let v = T; v !== a; v = prev[v]) {
				const u = prev[v];
				if (v === T) {
					if (u >= n) rem[u - n] -= amount; // else: the group's "unplaced" arc
				} else if (v < n) {
					flow[v * S + (u - n)] -= amount; // reverse arc: v gives up part of site u
				} else {
					const idx = u * S + (v - n);
					flow[idx] += amount;
					if (!listed[idx]) {
						listed[idx] = 1;
						members[v - n].push(u);
					}
				}
			}
			supply -= amount;
		}
	}

	const flows: number[] = [];
	let cost = 0;
	for (let a = 0; a < n; a++) {
		let placed = false;
		for (let s = 0; s < S; s++) {
			const f = flow[a * S + s];
			if (f > tol) {
				flows.push(a, sites[s], f);
				cost += f * d[a * m + sites[s]];
				placed = true;
			}
		}
		cost += penalty * Math.max(0, w[a] - sum(flow, a * S, S));
		// A zero-weight group still gets a site (its nearest open one) so that it is reported.
		if (!placed && w[a] === 0) {
			for (let k = nbrStart[a]; k < nbrStart[a + 1]; k++) {
				if (open[nbr[k]]) {
					flows.push(a, nbr[k], 0);
					break;
				}
			}
		}
	}
	return { alloc: { open: open.slice(), flows }, cost };
}

function sum(a: Float64Array, from: number, count: number) {
	let s = 0;
	for (let k = from; k < from + count; k++) s += a[k];
	return s;
}
