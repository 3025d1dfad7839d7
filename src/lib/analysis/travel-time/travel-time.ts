// Travel times between points on the road network: nearest source for every target (multi-source
// Dijkstra), a full origin × destination matrix, and times at every node (for isochrone styling).
//
// Model of one trip: walk straight from the point to its snapped location on the nearest road, drive
// along the (virtually split) segment to one of its ends or, when both points lie on the same
// segment, directly along it; then over the network; then the same in reverse at the other end.

import { createWorkspace, isSettled, runDijkstra, type DijkstraWorkspace } from './dijkstra.ts';
import type { RoadGraph } from './graph.ts';
import { isSnapped, snapPoints, type PointInput, type SnapOptions, type SnappedPoint } from './snap.ts';

export interface TravelTimeOptions extends SnapOptions {
	/** Times above this many minutes count as unreachable (Infinity); also bounds the search. */
	cutoffMinutes?: number;
}

export interface NearestSourceResult {
	/** The target's id. */
	id: string | number;
	/** Minutes to the nearest source, walking included; Infinity if unreachable or over the cutoff. */
	minutes: number;
	/** Index of that source in the `sources` array, −1 if none. */
	sourceIndex: number;
	sourceId: string | number | null;
	/** The target's snap (distance to the road, walking minutes). */
	snap: SnappedPoint;
}

export interface TravelTimeMatrix {
	originIds: Array<string | number>;
	destinationIds: Array<string | number>;
	/** Row-major: minutes from origin `o` to destination `d` at `o * destinationIds.length + d`. */
	minutes: Float64Array;
}

export interface MatrixOptions extends TravelTimeOptions {
	/** Called after each destination; the matrix is computed synchronously (run it in a worker). */
	onProgress?: (done: number, total: number) => void;
}

function checkCutoff(cutoff: number | undefined): number {
	const c = cutoff ?? Infinity;
	if (!(c >= 0)) throw new RangeError(`cutoffMinutes must be ≥ 0, got ${cutoff}`);
	return c;
}

/** Points already snapped are kept as they are; others are snapped with `options`. */
export function ensureSnapped(
	graph: RoadGraph,
	points: readonly PointInput[],
	options: SnapOptions = {}
): SnappedPoint[] {
	if (points.every(isSnapped)) return points as SnappedPoint[];
	const raw = points.filter((p) => !isSnapped(p));
	const snapped = snapPoints(graph, raw, options);
	let k = 0;
	return points.map((p) => (isSnapped(p) ? p : snapped[k++]));
}

/** Dijkstra seeds for snapped points: both ends of each point's segment, labelled by index. */
function seedsOf(graph: RoadGraph, points: readonly SnappedPoint[]) {
	const node: number[] = [];
	const minutes: number[] = [];
	const label: number[] = [];
	points.forEach((p, i) => {
		if (p.segment < 0) return;
		const len = graph.segMinutes[p.segment];
		node.push(graph.segFrom[p.segment], graph.segTo[p.segment]);
		minutes.push(p.walkMinutes + p.t * len, p.walkMinutes + (1 - p.t) * len);
		label.push(i, i);
	});
	return { node, minutes, label };
}

/** Indices of snapped points grouped by segment (for trips along one segment). */
function bySegment(points: readonly SnappedPoint[]): Map<number, number[]> {
	const map = new Map<number, number[]>();
	points.forEach((p, i) => {
		if (p.segment < 0) return;
		const list = map.get(p.segment);
		if (list) list.push(i);
		else map.set(p.segment, [i]);
	});
	return map;
}

/** Ends of the targets' segments: the nodes a run must settle. */
function endNodes(graph: RoadGraph, points: readonly SnappedPoint[]): Int32Array {
	const nodes = new Int32Array(2 * points.length);
	let k = 0;
	for (const p of points) {
		if (p.segment >= 0) {
			nodes[k++] = graph.segFrom[p.segment];
			nodes[k++] = graph.segTo[p.segment];
		}
	}
	return nodes.subarray(0, k);
}

/**
 * Best time and label to reach target `p` after a run seeded from `seeds` (`seedsOnSegment`: the
 * seeds on p's segment, for the direct trip along it). Smaller label wins ties.
 */
function timeTo(
	graph: RoadGraph,
	ws: DijkstraWorkspace,
	p: SnappedPoint,
	seedPoints: readonly SnappedPoint[],
	seedsOnSegment: readonly number[] | undefined,
	cutoff: number
): { minutes: number; label: number } {
	if (p.segment < 0) return { minutes: Infinity, label: -1 };
	const s = p.segment;
	const len = graph.segMinutes[s];
	let best = Infinity;
	let label = -1;
	const a = graph.segFrom[s];
	const b = graph.segTo[s];
	if (isSettled(ws, a)) {
		best = ws.dist[a] + p.t * len;
		label = ws.label[a];
	}
	if (isSettled(ws, b)) {
		const m = ws.dist[b] + (1 - p.t) * len;
		const l = ws.label[b];
		if (m < best || (m === best && l < label)) {
			best = m;
			label = l;
		}
	}
	if (seedsOnSegment) {
		for (const i of seedsOnSegment) {
			const m = seedPoints[i].walkMinutes + Math.abs(seedPoints[i].t - p.t) * len;
			if (m < best || (m === best && i < label)) {
				best = m;
				label = i;
			}
		}
	}
	const minutes = best + p.walkMinutes;
	return minutes <= cutoff ? { minutes, label } : { minutes: Infinity, label: -1 };
}

export interface NearestSourceTimes {
	/** Per target: minutes to the nearest source, walking included; Infinity if none within the cutoff. */
	minutes: Float64Array;
	/** Per target: index of that source in `sources`, −1 if none. */
	sourceIndex: Int32Array;
}

export interface NearestSourceTimesOptions extends TravelTimeOptions {
	/** A workspace for the graph, reused between calls (one per graph; see {@link createWorkspace}). */
	workspace?: DijkstraWorkspace;
}

/**
 * The typed-array form of {@link nearestSource}: one multi-source Dijkstra, results in two arrays and
 * no object per target, so repeated runs over the same targets (one per chain stage) allocate
 * almost nothing. Same times and tie-breaking as `nearestSource`.
 */
export function nearestSourceTimes(
	graph: RoadGraph,
	sources: readonly PointInput[],
	targets: readonly PointInput[],
	options: NearestSourceTimesOptions = {}
): NearestSourceTimes {
	const cutoff = checkCutoff(options.cutoffMinutes);
	const src = ensureSnapped(graph, sources, options);
	const tgt = ensureSnapped(graph, targets, options);
	const ws = options.workspace ?? createWorkspace(graph.nodeCount);
	if (ws.dist.length !== graph.nodeCount) {
		throw new RangeError(`workspace is for ${ws.dist.length} nodes, the graph has ${graph.nodeCount}`);
	}
	runDijkstra(graph, ws, seedsOf(graph, src), {
		cutoffMinutes: cutoff,
		stopWhenSettled: endNodes(graph, tgt)
	});
	const onSegment = bySegment(src);
	const minutes = new Float64Array(tgt.length);
	const sourceIndex = new Int32Array(tgt.length);
	for (let i = 0; i < tgt.length; i++) {
		const p = tgt[i];
		const { minutes: m, label } = timeTo(graph, ws, p, src, onSegment.get(p.segment), cutoff);
		minutes[i] = m;
		sourceIndex[i] = label;
	}
	return { minutes, sourceIndex };
}

/**
 * For every target, the travel time in minutes to the nearest source and which source it is
 * (one multi-source Dijkstra run). Points may be raw or already snapped (see {@link snapPoints}).
 * Unsnappable or unreachable targets, and those over `cutoffMinutes`, get Infinity and null.
 */
export function nearestSource(
	graph: RoadGraph,
	sources: readonly PointInput[],
	targets: readonly PointInput[],
	options: TravelTimeOptions = {}
): NearestSourceResult[] {
	const src = ensureSnapped(graph, sources, options);
	const tgt = ensureSnapped(graph, targets, options);
	const { minutes, sourceIndex } = nearestSourceTimes(graph, src, tgt, options);
	return tgt.map((p, i) => {
		const label = sourceIndex[i];
		return {
			id: p.id,
			minutes: minutes[i],
			sourceIndex: label,
			sourceId: label >= 0 ? src[label].id : null,
			snap: p
		};
	});
}

/**
 * Origin × destination travel times (one Dijkstra per destination; the network is undirected, so
 * the time from an origin to a destination equals the time back). Meant for modest sizes, e.g.
 * 2,000 villages × 200 candidate sites. Unreachable pairs and those over the cutoff are Infinity.
 */
export function travelTimeMatrix(
	graph: RoadGraph,
	origins: readonly PointInput[],
	destinations: readonly PointInput[],
	options: MatrixOptions = {}
): TravelTimeMatrix {
	const cutoff = checkCutoff(options.cutoffMinutes);
	const org = ensureSnapped(graph, origins, options);
	const dst = ensureSnapped(graph, destinations, options);
	const nO = org.length;
	const nD = dst.length;
	const minutes = new Float64Array(nO * nD).fill(Infinity);
	const ws = createWorkspace(graph.nodeCount);
	const stop = endNodes(graph, org);
	for (let d = 0; d < nD; d++) {
		const dp = dst[d];
		if (dp.segment >= 0) {
			runDijkstra(graph, ws, seedsOf(graph, [dp]), {
				cutoffMinutes: cutoff,
				stopWhenSettled: stop
			});
			const only = [dp];
			for (let o = 0; o < nO; o++) {
				const op = org[o];
				if (op.segment < 0) continue;
				const along = op.segment === dp.segment ? [0] : undefined;
				minutes[o * nD + d] = timeTo(graph, ws, op, only, along, cutoff).minutes;
			}
		}
		options.onProgress?.(d + 1, nD);
	}
	return {
		originIds: org.map((p) => p.id),
		destinationIds: dst.map((p) => p.id),
		minutes
	};
}

export interface NodeTravelTimes {
	/** Minutes from the nearest source to each node; Infinity if unreachable or over the cutoff. */
	minutes: Float64Array;
	/** Index of that source, −1 if none. */
	sourceIndex: Int32Array;
}

/**
 * Travel time from the nearest source to every node of the graph (e.g. to colour roads by time
 * or to draw isochrones). Walking from the sources to the road is included.
 */
export function nodeTravelTimes(
	graph: RoadGraph,
	sources: readonly PointInput[],
	options: TravelTimeOptions = {}
): NodeTravelTimes {
	const cutoff = checkCutoff(options.cutoffMinutes);
	const src = ensureSnapped(graph, sources, options);
	const ws = createWorkspace(graph.nodeCount);
	runDijkstra(graph, ws, seedsOf(graph, src), { cutoffMinutes: cutoff });
	const minutes = new Float64Array(graph.nodeCount).fill(Infinity);
	const sourceIndex = new Int32Array(graph.nodeCount).fill(-1);
	for (let v = 0; v < graph.nodeCount; v++) {
		if (isSettled(ws, v)) {
			minutes[v] = ws.dist[v];
			sourceIndex[v] = ws.label[v];
		}
	}
	return { minutes, sourceIndex };
}
