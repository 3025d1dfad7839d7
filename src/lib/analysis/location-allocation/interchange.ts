// Uncapacitated local search: greedy add, then vertex substitution with the "fast interchange"
// bookkeeping of Resende & Werneck ("A fast swap-based local search procedure for location
// problems", Annals of OR 150, 2007), which refines Whitaker's fast interchange (1983).
//
// For every client i keep its nearest and second-nearest open site (c1, d1; c2, d2; a permanent
// "unplaced" pseudo-site with cost = penalty stands in when fewer than two are in reach). Then for a
// closed site f and an open site r the saving of swapping f in and r out is
//   profit(f, r) = gain(f) − loss(r) + extra(f, r)
//   gain(f)      = Σ_i w_i · max(0, d1_i − d_if)
//   loss(r)      = Σ_{i: c1_i = r} w_i · (d2_i − d1_i)
//   extra(f, r)  = Σ_{i: c1_i = r, d_if < d2_i} w_i · (d2_i − max(d_if, d1_i))
// and after a move only the clients whose c1 or c2 changed are re-counted (their old contribution
// subtracted, the new one added), which is what makes each iteration cheap.
import type { Instance } from './instance.ts';

export class FastInterchange {
	readonly inst: Instance;
	readonly open: Uint8Array;
	/** Penalised cost Σ_i w_i d1_i. */
	cost = 0;
	p = 0;
	#c1: Int32Array;
	#c2: Int32Array;
	#d1: Float64Array;
	#d2: Float64Array;
	#gain: Float64Array;
	#loss: Float64Array;
	/** extra[f * slots + slot(r)]. */
	#extra: Float64Array;
	#slots: number;
	#slotOf: Int32Array;
	#siteOf: Int32Array;
	#free: number[] = [];
	#moves = 0;

	constructor(inst: Instance, maxOpen: number) {
		this.inst = inst;
		const { n, m } = inst;
		this.open = new Uint8Array(m);
		this.#c1 = new Int32Array(n).fill(-1);
		this.#c2 = new Int32Array(n).fill(-1);
		this.#d1 = new Float64Array(n).fill(inst.penalty);
		this.#d2 = new Float64Array(n).fill(inst.penalty);
		this.#gain = new Float64Array(m);
		this.#loss = new Float64Array(m);
		this.#slots = Math.max(1, maxOpen);
		this.#extra = new Float64Array(m * this.#slots);
		this.#slotOf = new Int32Array(m).fill(-1);
		this.#siteOf = new Int32Array(this.#slots).fill(-1);
		for (let s = this.#slots - 1; s >= 0; s--) this.#free.push(s);
		this.#rebuild();
	}

	/** Recomputes every client and every table from scratch (also clears rounding drift). */
	#rebuild() {
		const { n, w } = this.inst;
		this.#gain.fill(0);
		this.#loss.fill(0);
		this.#extra.fill(0);
		this.cost = 0;
		for (let i = 0; i < n; i++) {
			this.#nearestTwo(i);
			this.cost += w[i] * this.#d1[i];
			this.#contribute(i, 1);
		}
	}

	#nearestTwo(i: number) {
		const { nbr, nbrStart, d, m, penalty } = this.inst;
		let c1 = -1;
		let c2 = -1;
		for (let k = nbrStart[i]; k < nbrStart[i + 1]; k++) {
			if (this.open[nbr[k]]) {
				if (c1 < 0) c1 = nbr[k];
				else {
					c2 = nbr[k];
					break;
				}
			}
		}
		this.#c1[i] = c1;
		this.#c2[i] = c2;
		this.#d1[i] = c1 >= 0 ? d[i * m + c1] : penalty;
		this.#d2[i] = c2 >= 0 ? d[i * m + c2] : penalty;
	}

	#contribute(i: number, sign: number) {
		const { w, d, m, nbr, nbrStart } = this.inst;
		const wi = sign * w[i];
		if (wi === 0) return;
		const r = this.#c1[i];
		const d1 = this.#d1[i];
		const d2 = this.#d2[i];
		const rs = r >= 0 ? this.#slotOf[r] : -1;
		if (r >= 0) this.#loss[r] += wi * (d2 - d1);
		const base = i * m;
		const slots = this.#slots;
		for (let k = nbrStart[i]; k < nbrStart[i + 1]; k++) {
			const f = nbr[k];
			const df = d[base + f];
			if (df >= d2) break;
			if (this.open[f]) continue;
			if (df < d1) this.#gain[f] += wi * (d1 - df);
			if (rs >= 0) this.#extra[f * slots + rs] += wi * (d2 - (df > d1 ? df : d1));
		}
	}

	/** Clients whose nearest two open sites may change when `site` opens (or closes). */
	#update(affected: (i: number) => boolean, change: () => void) {
		const { n, w } = this.inst;
		const list: number[] = [];
		for (let i = 0; i < n; i++) if (affected(i)) list.push(i);
		for (const i of list) this.#contribute(i, -1);
		change();
		for (const i of list) {
			this.cost -= w[i] * this.#d1[i];
			this.#nearestTwo(i);
			this.cost += w[i] * this.#d1[i];
			this.#contribute(i, 1);
		}
		if (++this.#moves % 64 === 0) this.#rebuild();
	}

	add(f: number) {
		if (this.open[f]) return;
		if (this.#free.length === 0) this.#grow();
		const { d, m } = this.inst;
		const c2 = this.#c2;
		const d2 = this.#d2;
		this.#update(
			(i) => d[i * m + f] < d2[i] || (d[i * m + f] === d2[i] && (c2[i] < 0 || f < c2[i])),
			() => {
				const s = this.#free.pop()!;
				this.#slotOf[f] = s;
				this.#siteOf[s] = f;
				this.open[f] = 1;
				this.p++;
				this.#gain[f] = 0;
			}
		);
	}

	remove(r: number) {
		if (!this.open[r]) return;
		const c1 = this.#c1;
		const c2 = this.#c2;
		this.#update(
			(i) => c1[i] === r || c2[i] === r,
			() => {
				const s = this.#slotOf[r];
				this.open[r] = 0;
				this.p--;
				this.#loss[r] = 0;
				this.#slotOf[r] = -1;
				this.#siteOf[s] = -1;
				const { m } = this.inst;
				for (let f = 0; f < m; f++) this.#extra[f * this.#slots + s] = 0;
				this.#free.push(s);
			}
		);
	}

	#grow() {
		const { m } = this.inst;
		const old = this.#slots;
		const slots = old * 2;
		const extra = new Float64Array(m * slots);
		for (let f = 0; f < m; f++) extra.set(this.#extra.subarray(f * old, f * old + old), f * slots);
		this.#extra = extra;
		this.#slots = slots;
		const siteOf = new Int32Array(slots).fill(-1);
		siteOf.set(this.#siteOf);
		this.#siteOf = siteOf;
		for (let s = slots - 1; s >= old; s--) this.#free.push(s);
	}

	/** The closed site whose opening saves most (greedy add; ties: lowest index); -1 if all are open. */
	bestAdd(): number {
		const { m } = this.inst;
		let best = -1;
		for (let f = 0; f < m; f++) if (!this.open[f] && (best < 0 || this.#gain[f] > this.#gain[best])) best = f;
		return best;
	}

	/** Weight of clients with no open site in reach. */
	unplacedWeight(): number {
		let s = 0;
		for (let i = 0; i < this.inst.n; i++) if (this.#c1[i] < 0) s += this.inst.w[i];
		return s;
	}

	/** Opens and closes sites so that exactly `target` is open. */
	setOpen(target: Uint8Array) {
		for (let j = 0; j < this.inst.m; j++) if (target[j] && !this.open[j]) this.add(j);
		for (let j = 0; j < this.inst.m; j++) if (!target[j] && this.open[j]) this.remove(j);
	}

	/** The open site whose closing costs least (greedy drop). */
	bestDrop(): number {
		const { m } = this.inst;
		let best = -1;
		for (let r = 0; r < m; r++) if (this.open[r] && (best < 0 || this.#loss[r] < this.#loss[best])) best = r;
		return best;
	}

	/** Best (f in, r out) pair with positive profit, or null. */
	bestSwap(): { f: number; r: number; profit: number } | null {
		const { m } = this.inst;
		const slots = this.#slots;
		const gain = this.#gain;
		const loss = this.#loss;
		const extra = this.#extra;
		const siteOf = this.#siteOf;
		let best: { f: number; r: number; profit: number } | null = null;
		let bestProfit = this.#eps();
		for (let f = 0; f < m; f++) {
			if (this.open[f]) continue;
			const g = gain[f];
			const row = f * slots;
			for (let s = 0; s < slots; s++) {
				const r = siteOf[s];
				if (r < 0) continue;
				const profit = g - loss[r] + extra[row + s];
				if (profit > bestProfit) {
					bestProfit = profit;
					best = { f, r, profit };
				}
			}
		}
		return best;
	}

	/** Rounding allowance: a move must save more than this to count. */
	#eps() {
		return 1e-9 * Math.max(1, Math.abs(this.cost));
	}

	/**
	 * Best-improvement vertex substitution until no swap saves anything (or the deadline passes).
	 * Returns the number of swaps made.
	 */
	localSearch(deadline: number, onStep?: () => void): number {
		let swaps = 0;
		let verified = false;
		while (performance.now() < deadline) {
			const move = this.bestSwap();
			if (!move) break;
			const before = this.cost;
			this.add(move.f);
			this.remove(move.r);
			if (this.cost < before - this.#eps()) {
				swaps++;
				verified = false;
				onStep?.();
				continue;
			}
			// The tables promised a saving the move did not deliver (rounding): undo, rebuild once, retry.
			this.add(move.r);
			this.remove(move.f);
			if (verified) break;
			this.#rebuild();
			verified = true;
		}
		return swaps;
	}
}
