// Multi-source Dijkstra on the CSR graph with an indexed binary heap on typed arrays. A workspace
// holds the per-node buffers so repeated runs (an origin × destination matrix) allocate once; each
// run resets only the nodes it touched.

import type { RoadGraph } from './graph.ts';

const UNSEEN = -1;
const SETTLED = -2;

/** Per-node buffers for {@link runDijkstra}; create one per graph and reuse it between runs. */
export interface DijkstraWorkspace {
	/** Minutes from the nearest seed; Infinity if not reached. Valid for settled nodes. */
	dist: Float64Array;
	/** Index of the seed's label (the source) that reaches the node first; −1 if none. */
	label: Int32Array;
	/** Heap slot of a node, or UNSEEN / SETTLED. */
	pos: Int32Array;
	heap: Int32Array;
	touched: Int32Array;
	touchedCount: number;
	/** `mark[v] === run` ⇔ v is still awaited by `stopWhenSettled` in the current run. */
	mark: Int32Array;
	run: number;
}

export function createWorkspace(nodeCount: number): DijkstraWorkspace {
	return {
		dist: new Float64Array(nodeCount).fill(Infinity),
		label: new Int32Array(nodeCount).fill(-1),
		pos: new Int32Array(nodeCount).fill(UNSEEN),
		heap: new Int32Array(nodeCount),
		touched: new Int32Array(nodeCount),
		touchedCount: 0,
		mark: new Int32Array(nodeCount),
		run: 0
	};
}

function resetWorkspace(ws: DijkstraWorkspace): void {
	const { dist, label, pos, touched } = ws;
	for (let i = 0; i < ws.touchedCount; i++) {
		const v = touched[i];
		dist[v] = Infinity;
		label[v] = -1;
		pos[v] = UNSEEN;
	}
	ws.touchedCount = 0;
}

export interface DijkstraSeeds {
	node: ArrayLike<number>;
	minutes: ArrayLike<number>;
	label: ArrayLike<number>;
}

export interface DijkstraRunOptions {
	/** Stop once the smallest tentative time exceeds this many minutes. */
	cutoffMinutes?: number;
	/** Stop as soon as all these nodes are settled (duplicates allowed). */
	stopWhenSettled?: ArrayLike<number>;
}

/**
 * Runs Dijkstra from several seeds at once (a seed = a node, a starting time and a label). Ties
 * between equal times go to the smaller label, independently of heap order. Afterwards, for every
 * node: `isSettled(ws, v)` ⇒ `dist[v]` is exact; a node not settled has a true time above the
 * cutoff — or, with `stopWhenSettled`, is simply not needed. Returns the number of settled nodes.
 */
export function runDijkstra(
	graph: RoadGraph,
	ws: DijkstraWorkspace,
	seeds: DijkstraSeeds,
	options: DijkstraRunOptions = {}
): number {
	resetWorkspace(ws);
	const { adjOffset, adjNode, adjMinutes } = graph;
	const { dist, label, pos, heap, touched } = ws;
	const cutoff = options.cutoffMinutes ?? Infinity;
	let size = 0;

	const less = (u: number, v: number) =>
		dist[u] < dist[v] || (dist[u] === dist[v] && label[u] < label[v]);
	const siftUp = (i: number) => {
		const v = heap[i];
		while (i > 0) {
			const p = (i - 1) >> 1;
			const u = heap[p];
			if (!less(v, u)) break;
			heap[i] = u;
			pos[u] = i;
			i = p;
		}
		heap[i] = v;
		pos[v] = i;
	};
	const siftDown = (i: number) => {
		const v = heap[i];
		for (;;) {
			let c = 2 * i + 1;
			if (c >= size) break;
			if (c + 1 < size && less(heap[c + 1], heap[c])) c++;
			const u = heap[c];
			if (!less(u, v)) break;
			heap[i] = u;
			pos[u] = i;
			i = c;
		}
		heap[i] = v;
		pos[v] = i;
	};
	const offer = (v: number, d: number, lab: number) => {
		const p = pos[v];
		if (p === SETTLED) return;
		if (p === UNSEEN) {
			touched[ws.touchedCount++] = v;
			dist[v] = d;
			label[v] = lab;
			heap[size] = v;
			size++;
			siftUp(size - 1);
		} else if (d < dist[v] || (d === dist[v] && lab < label[v])) {
			dist[v] = d;
			label[v] = lab;
			siftUp(p);
		}
	};

	for (let i = 0; i < seeds.node.length; i++) {
		const d = seeds.minutes[i];
		if (d <= cutoff) offer(seeds.node[i], d, seeds.label[i]);
	}

	let remaining = -1;
	const mark = ws.mark;
	const run = ++ws.run;
	if (options.stopWhenSettled) {
		remaining = 0;
		const stop = options.stopWhenSettled;
		for (let i = 0; i < stop.length; i++) {
			if (mark[stop[i]] !== run) {
				mark[stop[i]] = run;
				remaining++;
			}
		}
		if (remaining === 0) return 0;
	}

	let settled = 0;
	while (size > 0) {
		const u = heap[0];
		const du = dist[u];
		if (du > cutoff) break;
		size--;
		if (size > 0) {
			heap[0] = heap[size];
			pos[heap[0]] = 0;
			siftDown(0);
		}
		pos[u] = SETTLED;
		settled++;
		if (remaining > 0 && mark[u] === run && --remaining === 0) break;
		const lu = label[u];
		for (let e = adjOffset[u]; e < adjOffset[u + 1]; e++) {
			const nd = du + adjMinutes[e];
			if (nd <= cutoff) offer(adjNode[e], nd, lu);
		}
	}
	return settled;
}

/** True when the last run fixed the node's time exactly. */
export function isSettled(ws: DijkstraWorkspace, v: number): boolean {
	return ws.pos[v] === SETTLED;
}
