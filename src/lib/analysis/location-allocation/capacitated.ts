// Capacitated local search (Teitz–Bart vertex substitution, first improvement, candidate lists).
//
// A trial move (close r and/or open f) is evaluated incrementally from the current allocation:
// the groups that were at r, and any weight left unplaced, are re-placed at the cheapest open
// sites with room (heaviest first); then groups for which f is cheaper than their current site
// move to f while it has room (largest saving first). That is a feasible allocation for the trial
// configuration, so a trial that is cheaper than the current allocation is a real improvement.
// After a move is accepted the whole allocation is recomputed (`assign`) and kept if better.
// Trials cost O(n + affected groups × sites) instead of a full re-assignment.
import { assign, type Assigned, polishSingle } from './assign.ts';
import type { Instance } from './instance.ts';

const CANDIDATES = 5;
/** Configurations whose full re-assignment is kept (a few hundred kB on a county). */
const FULL_CACHE_SIZE = 64;

interface Trial {
	r: number;
	f: number;
	cost: number;
	rem: Float64Array;
	/** New parts for the groups the move touched. */
	changed: Map<number, number[]>;
}

export class CapacitatedEngine {
	readonly inst: Instance;
	readonly open: Uint8Array;
	p = 0;
	cost: number;
	/** Per group: site, amount, site, amount, … (one pair unless split). */
	#parts: number[][];
	/** Remaining capacity per site (the full capacity for closed sites). */
	#rem: Float64Array;
	#tol: number;
	/** Groups with a part at each site, and groups with weight unplaced: what a trial touches. */
	#members: Set<number>[];
	#short = new Set<number>();
	/** Groups that may use each site (CSR). */
	#reachStart: Int32Array;
	#reach: Int32Array;

	constructor(inst: Instance) {
		this.inst = inst;
		this.open = new Uint8Array(inst.m);
		this.#parts = Array.from({ length: inst.n }, () => []);
		this.#rem = Float64Array.from(inst.cap);
		let total = 0;
		let wMax = 0;
		for (let a = 0; a < inst.n; a++) {
			total += inst.w[a];
			wMax = Math.max(wMax, inst.w[a]);
		}
		this.cost = total * inst.penalty;
		this.#tol = 1e-9 * Math.max(1, wMax);
		this.#members = Array.from({ length: inst.m }, () => new Set<number>());
		for (let a = 0; a < inst.n; a++) if (inst.w[a] > 0) this.#short.add(a);
		const { n, m, nbr, nbrStart } = inst;
		this.#reachStart = new Int32Array(m + 1);
		for (let k = 0; k < nbr.length; k++) this.#reachStart[nbr[k] + 1]++;
		for (let j = 0; j < m; j++) this.#reachStart[j + 1] += this.#reachStart[j];
		this.#reach = new Int32Array(nbr.length);
		const fill = this.#reachStart.slice(0, m);
		for (let a = 0; a < n; a++) for (let k = nbrStart[a]; k < nbrStart[a + 1]; k++) this.#reach[fill[nbr[k]]++] = a;
	}

	/** Replaces group a's parts, keeping the member and shortfall indexes in step. */
	#setParts(a: number, parts: number[]) {
		const old = this.#parts[a];
		for (let k = 0; k < old.length; k += 2) this.#members[old[k]].delete(a);
		this.#parts[a] = parts;
		let placed = 0;
		for (let k = 0; k < parts.length; k += 2) {
			this.#members[parts[k]].add(a);
			placed += parts[k + 1];
		}
		if (this.inst.w[a] - placed > this.#tol) this.#short.add(a);
		else this.#short.delete(a);
	}

	#load(assigned: Assigned) {
		const { n, w } = this.inst;
		const next: number[][] = Array.from({ length: n }, () => []);
		this.#rem = Float64Array.from(this.inst.cap);
		const f = assigned.alloc.flows;
		for (let k = 0; k < f.length; k += 3) {
			if (!(f[k + 2] > 0) && w[f[k]] > 0) continue;
			next[f[k]].push(f[k + 1], f[k + 2]);
			this.#rem[f[k + 1]] -= f[k + 2];
		}
		for (let a = 0; a < n; a++) this.#setParts(a, next[a]);
		this.#recost();
	}

	#recost() {
		const { n, m, w, d, penalty } = this.inst;
		let cost = 0;
		for (let a = 0; a < n; a++) {
			const parts = this.#parts[a];
			let placed = 0;
			for (let k = 0; k < parts.length; k += 2) {
				cost += parts[k + 1] * d[a * m + parts[k]];
				placed += parts[k + 1];
			}
			cost += Math.max(0, w[a] - placed) * penalty;
		}
		this.cost = cost;
	}

	/** Current allocation as flows. */
	current(): Assigned {
		const flows: number[] = [];
		for (let a = 0; a < this.inst.n; a++) {
			const parts = this.#parts[a];
			for (let k = 0; k < parts.length; k += 2) flows.push(a, parts[k], parts[k + 1]);
		}
		return { alloc: { open: this.open.slice(), flows }, cost: this.cost };
	}

	/**
	 * Full re-assignments by configuration. The iterated local search keeps coming back to the same
	 * local optima, and a full re-assignment (two starts and their improvement moves, ~100× a
	 * trial) is deterministic: computed once per configuration.
	 */
	#fullCache = new Map<string, Assigned>();

	/** Re-assign everything for the current sites; keep it if it is better (true). */
	#refresh(): boolean {
		const key = this.open.join('');
		let full = this.#fullCache.get(key);
		if (!full) {
			full = assign(this.inst, this.open);
			if (this.#fullCache.size >= FULL_CACHE_SIZE) this.#fullCache.delete(this.#fullCache.keys().next().value!);
			this.#fullCache.set(key, full);
		}
		if (!(full.cost < this.cost - 1e-9 * Math.max(1, Math.abs(this.cost)))) return false;
		this.#load(full);
		return true;
	}

	trial(r: number, f: number): Trial {
		const { n, m, w, d, nbr, nbrStart, penalty, split } = this.inst;
		const tol = this.#tol;
		const rem = this.#rem.slice();
		const changed = new Map<number, number[]>();
		const isOpen = (j: number) => j === f || (j !== r && this.open[j] === 1);
		let cost = this.cost;

		// 1. The groups at r must move (anywhere); groups with weight unplaced may use the room at f
		//    (nowhere else gains room).
		const freed: number[] = [];
		const toPlace = new Float64Array(n);
		if (r >= 0) {
			for (const a of this.#members[r]) {
				const parts = this.#parts[a];
				let placed = 0;
				let atR = 0;
				const kept: number[] = [];
				for (let k = 0; k < parts.length; k += 2) {
					placed += parts[k + 1];
					if (parts[k] === r) atR += parts[k + 1];
					else kept.push(parts[k], parts[k + 1]);
				}
				cost += atR * (penalty - d[a * m + r]);
				changed.set(a, split ? kept : []);
				toPlace[a] = split ? Math.max(0, w[a] - placed) + atR : w[a];
				freed.push(a);
			}
		}
		const waiting: number[] = [];
		if (f >= 0) {
			const from = this.#reachStart[f];
			const to = this.#reachStart[f + 1];
			const consider = (a: number) => {
				if (!changed.has(a) && (this.#short.has(a) || (w[a] === 0 && this.#parts[a].length === 0))) waiting.push(a);
			};
			if (this.#short.size < to - from) {
				for (const a of this.#short) if (d[a * m + f] !== Infinity) consider(a);
				for (let q = from; q < to; q++) if (w[this.#reach[q]] === 0) consider(this.#reach[q]);
			} else for (let q = from; q < to; q++) consider(this.#reach[q]);
		}
		// 2. Place the freed groups heaviest first (bin-packing order) at the cheapest open sites
		//    with room; then the waiting ones at f, nearest first.
		freed.sort((x, y) => w[y] - w[x] || x - y);
		for (const a of freed) {
			const parts = changed.get(a)!;
			let left = toPlace[a];
			for (let k = nbrStart[a]; k < nbrStart[a + 1]; k++) {
				const j = nbr[k];
				if (!isOpen(j)) continue;
				if (w[a] === 0) {
					parts.push(j, 0); // reported with its nearest open site
					break;
				}
				const take = split ? Math.min(left, rem[j]) : rem[j] >= w[a] - tol ? w[a] : 0;
				if (!(take > tol)) continue;
				addPart(parts, j, take);
				rem[j] -= take;
				cost += take * (d[a * m + j] - penalty);
				left -= take;
				if (left <= tol) break;
			}
		}
		waiting.sort((x, y) => d[x * m + f] - d[y * m + f] || w[y] - w[x] || x - y);
		for (const a of waiting) {
			const parts = this.#parts[a].slice();
			let placed = 0;
			for (let k = 1; k < parts.length; k += 2) placed += parts[k];
			const left = w[a] - placed;
			if (w[a] === 0) {
				parts.push(f, 0);
				changed.set(a, parts);
				continue;
			}
			const take = split ? Math.min(left, rem[f]) : rem[f] >= w[a] - tol ? w[a] : 0;
			if (!(take > tol)) continue;
			addPart(parts, f, take);
			changed.set(a, parts);
			rem[f] -= take;
			cost += take * (d[a * m + f] - penalty);
		}
		// 3. Groups for which f is cheaper move there while it has room, largest saving first.
		if (f >= 0) {
			const moves: { a: number; j: number; amount: number; saving: number }[] = [];
			for (let q = this.#reachStart[f]; q < this.#reachStart[f + 1]; q++) {
				const a = this.#reach[q];
				const df = d[a * m + f];
				const parts = changed.get(a) ?? this.#parts[a];
				if (!split && parts.length !== 2) continue;
				for (let k = 0; k < parts.length; k += 2) {
					const j = parts[k];
					if (j !== f && d[a * m + j] > df && parts[k + 1] > 0) {
						moves.push({ a, j, amount: parts[k + 1], saving: d[a * m + j] - df });
					}
				}
			}
			// Split: per-unit saving order is optimal for one site's room; single: whole groups.
			moves.sort((x, y) => (split ? y.saving - x.saving : y.saving * y.amount - x.saving * x.amount) || x.a - y.a);
			for (const mv of moves) {
				if (rem[f] <= tol) break;
				const take = split ? Math.min(mv.amount, rem[f]) : rem[f] >= mv.amount - tol ? mv.amount : 0;
				if (!(take > tol)) continue;
				const parts = (changed.get(mv.a) ?? this.#parts[mv.a]).slice();
				subtractPart(parts, mv.j, take);
				addPart(parts, f, take);
				changed.set(mv.a, parts);
				rem[mv.j] += take;
				rem[f] -= take;
				cost -= take * mv.saving;
			}
		}
		return { r, f, cost, rem, changed };
	}

	#apply(t: Trial) {
		for (const [a, parts] of t.changed) this.#setParts(a, parts);
		this.#rem = t.rem;
		if (t.r >= 0) {
			this.open[t.r] = 0;
			this.#rem[t.r] = this.inst.cap[t.r];
			this.p--;
		}
		if (t.f >= 0) {
			this.open[t.f] = 1;
			this.p++;
		}
		this.#recost();
	}

	/** Opens f (incremental allocation; the local search re-assigns fully once per pass). */
	add(f: number) {
		this.#apply(this.trial(-1, f));
	}

	remove(r: number) {
		this.#apply(this.trial(r, -1));
	}

	setOpen(target: Uint8Array) {
		this.open.set(target);
		let p = 0;
		for (let j = 0; j < this.inst.m; j++) p += target[j];
		this.p = p;
		this.#load(assign(this.inst, this.open));
	}

	unplacedWeight(): number {
		let s = 0;
		for (let a = 0; a < this.inst.n; a++) {
			let placed = 0;
			const parts = this.#parts[a];
			for (let k = 0; k < parts.length; k += 2) placed += parts[k + 1];
			s += Math.max(0, this.inst.w[a] - placed);
		}
		return s;
	}

	/** Per group, the current cost per unit of weight (penalty for the unplaced part). */
	#unitCosts(): Float64Array {
		const { n, m, w, d, penalty } = this.inst;
		const unit = new Float64Array(n);
		for (let a = 0; a < n; a++) {
			if (!(w[a] > 0)) continue;
			const parts = this.#parts[a];
			let placed = 0;
			let spent = 0;
			for (let k = 0; k < parts.length; k += 2) {
				placed += parts[k + 1];
				spent += parts[k + 1] * d[a * m + parts[k]];
			}
			unit[a] = (spent + Math.max(0, w[a] - placed) * penalty) / w[a];
		}
		return unit;
	}

	/**
	 * Estimated saving of opening each closed site: the saving if it took every group it is
	 * cheaper for, scaled down to its capacity. -Infinity for open sites.
	 */
	#addEstimates(): Float64Array {
		const { n, m, w, d, cap, nbr, nbrStart } = this.inst;
		const unit = this.#unitCosts();
		const save = new Float64Array(m);
		const load = new Float64Array(m);
		for (let a = 0; a < n; a++) {
			for (let k = nbrStart[a]; k < nbrStart[a + 1]; k++) {
				const j = nbr[k];
				const s = unit[a] - d[a * m + j];
				if (s <= 0) break; // sorted by cost: no later site saves anything either
				save[j] += w[a] * s;
				load[j] += w[a];
			}
		}
		for (let j = 0; j < m; j++) {
			if (this.open[j]) save[j] = -Infinity;
			else if (load[j] > cap[j]) save[j] *= cap[j] / load[j];
		}
		return save;
	}

	bestAdd(): number {
		const cands = topK(this.#addEstimates(), 2 * CANDIDATES, (j) => !this.open[j], 'max');
		let best = -1;
		let bestCost = Infinity;
		for (const f of cands) {
			const c = this.trial(-1, f).cost;
			if (c < bestCost) {
				bestCost = c;
				best = f;
			}
		}
		return best;
	}

	bestDrop(): number {
		let best = -1;
		let bestCost = Infinity;
		for (let r = 0; r < this.inst.m; r++) {
			if (!this.open[r]) continue;
			const c = this.trial(r, -1).cost;
			if (c < bestCost) {
				bestCost = c;
				best = r;
			}
		}
		return best;
	}

	/** The current state, to come back to (iterated local search). */
	snapshot(): unknown {
		return { open: this.open.slice(), p: this.p, parts: this.#parts.slice(), rem: this.#rem.slice(), cost: this.cost };
	}

	restore(state: unknown) {
		const s = state as { open: Uint8Array; p: number; parts: number[][]; rem: Float64Array; cost: number };
		this.open.set(s.open);
		this.p = s.p;
		for (let a = 0; a < this.inst.n; a++) if (this.#parts[a] !== s.parts[a]) this.#setParts(a, s.parts[a]);
		this.#rem = s.rem.slice();
		this.cost = s.cost;
	}

	localSearch(deadline: number, onStep?: () => void): number {
		const { m, d, penalty } = this.inst;
		let swaps = 0;
		let improved = true;
		while (improved && performance.now() < deadline) {
			improved = false;
			const openList: number[] = [];
			for (let j = 0; j < m; j++) if (this.open[j]) openList.push(j);
			let est = this.#addEstimates();
			for (const r of openList) {
				if (!this.open[r] || performance.now() >= deadline) continue;
				// Candidates to replace r: the closed sites that would serve r's groups most cheaply,
				// and the closed sites whose opening is estimated to save most overall.
				const takeOver = new Float64Array(m);
				for (const a of this.#members[r]) {
					const parts = this.#parts[a];
					for (let k = 0; k < parts.length; k += 2) {
						if (parts[k] !== r) continue;
						for (let j = 0; j < m; j++) takeOver[j] += parts[k + 1] * Math.min(d[a * m + j], penalty);
					}
				}
				const cands = topK(takeOver, CANDIDATES, (j) => !this.open[j], 'min');
				for (const j of topK(est, CANDIDATES, (j) => !this.open[j], 'max')) if (!cands.includes(j)) cands.push(j);
				const eps = 1e-9 * Math.max(1, Math.abs(this.cost));
				for (const f of cands) {
					const t = this.trial(r, f);
					if (t.cost < this.cost - eps) {
						this.#apply(t);
						swaps++;
						improved = true;
						est = this.#addEstimates();
						onStep?.();
						break;
					}
				}
			}
			// At a local optimum of the trial moves, re-assign everything for these sites (kept if
			// better, and then the trials go on from there). Not at every pass: the first passes after
			// a kick are at configurations the search is about to leave.
			if (!improved && performance.now() < deadline) improved = this.#refresh();
		}
		return swaps;
	}

	/** The final allocation: the best of the polished full assignment and the polished current one. */
	final(): Assigned {
		const fresh = assign(this.inst, this.open, true);
		const own = this.inst.split ? this.current() : polishSingle(this.inst, this.current().alloc);
		const best = own.cost <= this.cost ? own : this.current();
		return fresh.cost < best.cost ? fresh : best;
	}
}

function addPart(parts: number[], j: number, amount: number) {
	for (let k = 0; k < parts.length; k += 2) {
		if (parts[k] === j) {
			parts[k + 1] += amount;
			return;
		}
	}
	parts.push(j, amount);
}

function subtractPart(parts: number[], j: number, amount: number) {
	for (let k = 0; k < parts.length; k += 2) {
		if (parts[k] === j) {
			parts[k + 1] -= amount;
			if (parts[k + 1] <= 1e-12) parts.splice(k, 2);
			return;
		}
	}
}

/** Indices of the k best values among those passing `ok` (ties: lowest index). */
export function topK(values: Float64Array, k: number, ok: (j: number) => boolean, sense: 'max' | 'min'): number[] {
	const idx: number[] = [];
	for (let j = 0; j < values.length; j++) if (ok(j) && Number.isFinite(values[j])) idx.push(j);
	idx.sort((x, y) => (sense === 'max' ? values[y] - values[x] : values[x] - values[y]) || x - y);
	return idx.slice(0, k);
}
