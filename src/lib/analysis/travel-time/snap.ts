// Snapping points (villages, sites, facilities) to the road network: nearest point on the nearest
// segment, found through the graph's segment grid, plus the walk from the point to the road.

import { DEG_TO_RAD, METRES_PER_DEGREE, minutesAt } from './geo.ts';
import type { RoadGraph } from './graph.ts';

/** A point to place on the network (WGS84 degrees). */
export interface PointInput {
	id: string | number;
	lon: number;
	lat: number;
}

/**
 * A point placed on the network. `segment` is −1 when it could not be snapped (empty network,
 * farther than `maxSnapDistanceM`, no segment in a large enough component): it is then unreachable.
 * The snapped location splits the segment virtually: it lies at fraction `t` from `segFrom` to
 * `segTo`, so reaching `segFrom` takes `t × segMinutes` and `segTo` `(1 − t) × segMinutes`.
 */
export interface SnappedPoint extends PointInput {
	segment: number;
	t: number;
	snapLon: number;
	snapLat: number;
	/** Straight-line distance from the point to the snapped location, metres. */
	distanceM: number;
	/** `distanceM` at walking speed, minutes. */
	walkMinutes: number;
}

export interface SnapOptions {
	/** Walking speed for the off-road stretch, km/h (default: the graph's, 4 km/h). */
	walkingSpeedKmh?: number;
	/** Points farther than this from every road stay unsnapped (default: no limit). */
	maxSnapDistanceM?: number;
	/**
	 * Snap only to segments whose connected component has at least this many nodes (default 1:
	 * any). Use it to keep villages off isolated stubs in imperfect road data.
	 */
	minComponentNodes?: number;
}

/** True when the value already carries a snap (so callers can pass snapped points back in). */
export function isSnapped(p: PointInput): p is SnappedPoint {
	return typeof (p as SnappedPoint).segment === 'number' && typeof (p as SnappedPoint).t === 'number';
}

/**
 * Snaps each point to the nearest point of the nearest segment. Distances are measured in a local
 * equirectangular plane at the point's latitude (sub-metre error over the few kilometres that
 * matter). Ties go to the lower segment index, so results are deterministic.
 */
export function snapPoints(
	graph: RoadGraph,
	points: readonly PointInput[],
	options: SnapOptions = {}
): SnappedPoint[] {
	const walk = options.walkingSpeedKmh ?? graph.walkingSpeedKmh;
	if (!(Number.isFinite(walk) && walk > 0)) {
		throw new RangeError(`walkingSpeedKmh must be a positive number, got ${walk}`);
	}
	const maxDist = options.maxSnapDistanceM ?? Infinity;
	const minComp = options.minComponentNodes ?? 1;
	const { grid, segFrom, segTo, nodeLon, nodeLat, nodeComponent, componentSize } = graph;
	const { nx, ny, cellM, cellOffset, cellSegments } = grid;
	const stamp = new Int32Array(graph.segmentCount);
	const out: SnappedPoint[] = [];

	for (let q = 0; q < points.length; q++) {
		const p = points[q];
		const { lon, lat } = p;
		if (!(Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lat) <= 90)) {
			throw new RangeError(`point ${p.id}: invalid coordinate [${lon}, ${lat}]`);
		}
		const qkx = METRES_PER_DEGREE * Math.cos(lat * DEG_TO_RAD);
		const qky = METRES_PER_DEGREE;
		// Grid distances (metres at the network's middle latitude) relate to local distances by at
		// least this factor, so `ring × cell × scale` is a lower bound for cells not yet scanned.
		const scale = Math.min(1, Math.cos(lat * DEG_TO_RAD) / grid.cosLat0);
		let best = Infinity;
		let bestSeg = -1;
		let bestT = 0;

		// Nearest point of every segment listed in cell `c` (a segment in several cells is measured once).
		const scanCell = (c: number) => {
			for (let i = cellOffset[c]; i < cellOffset[c + 1]; i++) {
				const s = cellSegments[i];
				if (stamp[s] === q + 1) continue;
				stamp[s] = q + 1;
				const a = segFrom[s];
				const b = segTo[s];
				if (minComp > 1 && componentSize[nodeComponent[a]] < minComp) continue;
				const ax = (nodeLon[a] - lon) * qkx;
				const ay = (nodeLat[a] - lat) * qky;
				const dx = (nodeLon[b] - nodeLon[a]) * qkx;
				const dy = (nodeLat[b] - nodeLat[a]) * qky;
				const len2 = dx * dx + dy * dy;
				let t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
				if (t < 0) t = 0;
				else if (t > 1) t = 1;
				const px = ax + t * dx;
				const py = ay + t * dy;
				const d = Math.sqrt(px * px + py * py);
				if (d < best || (d === best && s < bestSeg)) {
					best = d;
					bestSeg = s;
					bestT = t;
				}
			}
		};

		if (graph.segmentCount > 0) {
			const gx = (lon * METRES_PER_DEGREE * grid.cosLat0 - grid.originX) / cellM;
			const gy = (lat * METRES_PER_DEGREE - grid.originY) / cellM;
			const cx = Math.floor(gx);
			const cy = Math.floor(gy);
			// First ring that touches the grid (the point may lie outside it).
			const r0 = Math.max(0, -cx, cx - (nx - 1), -cy, cy - (ny - 1));
			for (let r = r0; ; r++) {
				const lo = cy - r;
				const hi = cy + r;
				const left = cx - r;
				const right = cx + r;
				const cLo = Math.max(0, left);
				const cHi = Math.min(nx - 1, right);
				if (lo >= 0 && lo < ny) for (let c = cLo; c <= cHi; c++) scanCell(lo * nx + c);
				if (r > 0 && hi >= 0 && hi < ny) for (let c = cLo; c <= cHi; c++) scanCell(hi * nx + c);
				const rLo = Math.max(0, lo + 1);
				const rHi = Math.min(ny - 1, hi - 1);
				if (left >= 0 && left < nx) {
					for (let row = rLo; row <= rHi; row++) scanCell(row * nx + left);
				}
				if (r > 0 && right >= 0 && right < nx) {
					for (let row = rLo; row <= rHi; row++) scanCell(row * nx + right);
				}
				const bound = r * cellM * scale;
				if (best <= bound || bound > maxDist) break;
				if (left <= 0 && right >= nx - 1 && lo <= 0 && hi >= ny - 1) break;
			}
		}

		if (bestSeg < 0 || best > maxDist) {
			out.push({
				id: p.id,
				lon,
				lat,
				segment: -1,
				t: 0,
				snapLon: NaN,
				snapLat: NaN,
				distanceM: Infinity,
				walkMinutes: Infinity
			});
			continue;
		}
		const a = segFrom[bestSeg];
		const b = segTo[bestSeg];
		out.push({
			id: p.id,
			lon,
			lat,
			segment: bestSeg,
			t: bestT,
			snapLon: nodeLon[a] + bestT * (nodeLon[b] - nodeLon[a]),
			snapLat: nodeLat[a] + bestT * (nodeLat[b] - nodeLat[a]),
			distanceM: best,
			walkMinutes: minutesAt(best, walk)
		});
	}
	return out;
}
