// Road graph: polylines → nodes (merged vertices) and undirected edges weighted in minutes, stored
// as typed arrays (CSR adjacency) so that a province network of ~10^6 edges stays compact, fast and
// transferable to a Web Worker (every field is a plain number, string or typed array).

import { DEG_TO_RAD, METRES_PER_DEGREE, haversineM, minutesAt } from './geo.ts';

/** Speeds per road class in km/h used when the caller gives none (county practice, free flow). */
export const DEFAULT_SPEEDS_KMH: Readonly<Record<string, number>> = Object.freeze({
	expressway: 90,
	national: 60,
	provincial: 50,
	county: 40,
	township: 30,
	village: 20
});

/** Walking speed for the off-road stretch between a point and the road, km/h. */
export const DEFAULT_WALKING_SPEED_KMH = 4;

/** Vertices closer than this (metres) become one node, so lines sharing an endpoint connect. */
export const DEFAULT_MERGE_TOLERANCE_M = 1;

/** One road polyline. `coordinates` are WGS84 [lon, lat] pairs in degrees. */
export interface RoadInput {
	id: string | number;
	class: string;
	coordinates: ReadonlyArray<readonly [number, number]>;
}

export interface BuildRoadGraphOptions {
	/** Speeds per road class, km/h, merged over {@link DEFAULT_SPEEDS_KMH}. */
	speedsKmh?: Readonly<Record<string, number>>;
	/**
	 * Speed for a class missing from the speed table. Without it an unknown class throws, so a
	 * mistyped class never silently becomes some default speed.
	 */
	fallbackSpeedKmh?: number;
	/** Stored on the graph as the default walking speed for snapping (default 4 km/h). */
	walkingSpeedKmh?: number;
	/** Vertex merge tolerance in metres (default 1). 0 merges only identical coordinates. */
	mergeToleranceM?: number;
	/** Cell size of the segment grid used for snapping, metres (default: chosen from the data). */
	gridCellM?: number;
}

/**
 * Uniform grid over the segments in a projected plane (equirectangular at the network's middle
 * latitude, metres). Cell `c = row * nx + col` holds segments `cellSegments[cellOffset[c] ..
 * cellOffset[c + 1])`; a segment is listed in every cell it passes through.
 */
export interface SegmentGrid {
	cosLat0: number;
	originX: number;
	originY: number;
	cellM: number;
	nx: number;
	ny: number;
	cellOffset: Int32Array;
	cellSegments: Int32Array;
}

/**
 * An undirected road network. Node `v` is at (`nodeLon[v]`, `nodeLat[v]`); its neighbours are
 * `adjNode[adjOffset[v] .. adjOffset[v + 1])` with travel times `adjMinutes[…]`. Each segment
 * (consecutive vertices of one road) appears once in the `seg*` arrays and twice in the adjacency.
 */
export interface RoadGraph {
	nodeCount: number;
	nodeLon: Float64Array;
	nodeLat: Float64Array;
	adjOffset: Int32Array;
	adjNode: Int32Array;
	adjMinutes: Float64Array;
	segmentCount: number;
	segFrom: Int32Array;
	segTo: Int32Array;
	segLengthM: Float64Array;
	segMinutes: Float64Array;
	/** Index into `roadIds` of the road each segment belongs to. */
	segRoad: Int32Array;
	roadIds: Array<string | number>;
	/** Connected component of each node (0-based, numbered in order of first node). */
	nodeComponent: Int32Array;
	/** Number of nodes in each component. */
	componentSize: Int32Array;
	walkingSpeedKmh: number;
	/** Roads skipped because they had fewer than two distinct vertices. */
	skippedRoads: number;
	grid: SegmentGrid;
}

function checkSpeed(speed: number, what: string): number {
	if (!(Number.isFinite(speed) && speed > 0)) {
		throw new RangeError(`${what}: speed must be a positive number of km/h, got ${speed}`);
	}
	return speed;
}

/**
 * Roads as flat arrays, the form the SQL step reads (WKB decoded straight into one Float64Array):
 * road `r` has id `ids[r]`, class `classes[r]` and the vertices `coords[2i], coords[2i + 1]`
 * (lon, lat) for `vertexStart[r] ≤ i < vertexStart[r + 1]`. No per-vertex objects, so a province
 * network costs one allocation instead of millions.
 */
export interface RoadArrays {
	ids: ArrayLike<string | number>;
	classes: ArrayLike<string>;
	/** Length roads + 1; `vertexStart[0] = 0`. */
	vertexStart: Int32Array;
	/** lon, lat interleaved, degrees WGS84. */
	coords: Float64Array;
}

/** The flat form of a list of road polylines. */
export function roadArrays(roads: readonly RoadInput[]): RoadArrays {
	const vertexStart = new Int32Array(roads.length + 1);
	for (let r = 0; r < roads.length; r++) vertexStart[r + 1] = vertexStart[r] + roads[r].coordinates.length;
	const coords = new Float64Array(2 * vertexStart[roads.length]);
	let k = 0;
	for (const road of roads) {
		for (const c of road.coordinates) {
			coords[k++] = c[0];
			coords[k++] = c[1];
		}
	}
	return { ids: roads.map((r) => r.id), classes: roads.map((r) => r.class), vertexStart, coords };
}

/**
 * Builds the road graph. Nodes are polyline vertices, merged when closer than the tolerance (the
 * first vertex seen becomes the node; later ones within tolerance join the nearest such node).
 * Roads that cross without a shared vertex stay unconnected (bridges, expressways). Edge minutes
 * = haversine length of the segment / class speed. Zero-length segments are dropped.
 */
export function buildRoadGraph(
	input: readonly RoadInput[] | RoadArrays,
	options: BuildRoadGraphOptions = {}
): RoadGraph {
	const roads = Array.isArray(input) ? roadArrays(input as readonly RoadInput[]) : (input as RoadArrays);
	const { ids, classes, vertexStart, coords } = roads;
	const roadCount = vertexStart.length - 1;
	if (ids.length !== roadCount || classes.length !== roadCount || coords.length !== 2 * vertexStart[roadCount]) {
		throw new RangeError(
			`road arrays disagree: ${ids.length} ids, ${classes.length} classes, ${roadCount} vertex ranges, ${coords.length / 2} vertices`
		);
	}
	const speeds: Record<string, number> = { ...DEFAULT_SPEEDS_KMH, ...options.speedsKmh };
	for (const [cls, s] of Object.entries(speeds)) checkSpeed(s, `road class "${cls}"`);
	const fallback =
		options.fallbackSpeedKmh === undefined
			? undefined
			: checkSpeed(options.fallbackSpeedKmh, 'fallbackSpeedKmh');
	const walkingSpeedKmh = checkSpeed(
		options.walkingSpeedKmh ?? DEFAULT_WALKING_SPEED_KMH,
		'walkingSpeedKmh'
	);
	const tol = options.mergeToleranceM ?? DEFAULT_MERGE_TOLERANCE_M;
	if (!(Number.isFinite(tol) && tol >= 0)) {
		throw new RangeError(`mergeToleranceM must be ≥ 0, got ${tol}`);
	}

	// Validate coordinates and find the extent.
	const vertexCount = vertexStart[roadCount];
	let minLon = Infinity;
	let maxLon = -Infinity;
	let minLat = Infinity;
	let maxLat = -Infinity;
	for (let r = 0; r < roadCount; r++) {
		for (let i = vertexStart[r]; i < vertexStart[r + 1]; i++) {
			const lon = coords[2 * i];
			const lat = coords[2 * i + 1];
			const valid =
				Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
			if (!valid) {
				throw new RangeError(`road ${ids[r]}: invalid coordinate [${lon}, ${lat}]`);
			}
			if (lon < minLon) minLon = lon;
			if (lon > maxLon) maxLon = lon;
			if (lat < minLat) minLat = lat;
			if (lat > maxLat) maxLat = lat;
		}
	}
	const cosLat0 = vertexCount ? Math.cos(((minLat + maxLat) / 2) * DEG_TO_RAD) : 1;
	const kx = METRES_PER_DEGREE * cosLat0;
	const ky = METRES_PER_DEGREE;
	const originX = vertexCount ? minLon * kx : 0;
	const originY = vertexCount ? minLat * ky : 0;
	const widthM = vertexCount ? (maxLon - minLon) * kx : 0;
	const heightM = vertexCount ? (maxLat - minLat) * ky : 0;

	// Vertex merging through a hash grid whose cells are at least the tolerance wide, so all
	// candidates lie in the 3×3 cells around a vertex. Open addressing on typed arrays (cell →
	// first node), then a chain through `chainNext` for further nodes in the same cell.
	const mergeCell = Math.max(tol, Math.max(widthM, heightM, 1) / 2 ** 24, 1e-6);
	let tableSize = 16;
	while (tableSize < 2 * vertexCount) tableSize *= 2;
	const mask = tableSize - 1;
	const tableX = new Int32Array(tableSize);
	const tableY = new Int32Array(tableSize);
	const tableHead = new Int32Array(tableSize).fill(-1);
	const slotOf = (cx: number, cy: number): number => {
		let h = (Math.imul(cx, 0x9e3779b1) ^ Math.imul(cy, 0x85ebca77)) & mask;
		while (tableHead[h] >= 0 && (tableX[h] !== cx || tableY[h] !== cy)) h = (h + 1) & mask;
		return h;
	};
	const chainNext = new Int32Array(vertexCount);
	const nodeX = new Float64Array(vertexCount);
	const nodeY = new Float64Array(vertexCount);
	const lonBuf = new Float64Array(vertexCount);
	const latBuf = new Float64Array(vertexCount);
	let nodeCount = 0;
	const tol2 = tol * tol;

	const nodeOf = (lon: number, lat: number): number => {
		const x = lon * kx - originX;
		const y = lat * ky - originY;
		const cx = Math.floor(x / mergeCell) + 1;
		const cy = Math.floor(y / mergeCell) + 1;
		let best = -1;
		let bestD2 = Infinity;
		for (let i = cx - 1; i <= cx + 1; i++) {
			for (let j = cy - 1; j <= cy + 1; j++) {
				for (let v = tableHead[slotOf(i, j)]; v >= 0; v = chainNext[v]) {
					const dx = nodeX[v] - x;
					const dy = nodeY[v] - y;
					const d2 = dx * dx + dy * dy;
					if (d2 <= tol2 && d2 < bestD2) {
						bestD2 = d2;
						best = v;
					}
				}
			}
		}
		if (best >= 0) return best;
		const v = nodeCount++;
		nodeX[v] = x;
		nodeY[v] = y;
		lonBuf[v] = lon;
		latBuf[v] = lat;
		const h = slotOf(cx, cy);
		chainNext[v] = tableHead[h];
		tableHead[h] = v;
		tableX[h] = cx;
		tableY[h] = cy;
		return v;
	};

	// Segments, one pass over the roads: each vertex becomes (or joins) a node, each step between
	// two different nodes a segment.
	const maxSegments = Math.max(0, vertexCount - roadCount);
	const segFromBuf = new Int32Array(maxSegments);
	const segToBuf = new Int32Array(maxSegments);
	const segRoadBuf = new Int32Array(maxSegments);
	const segSpeedBuf = new Float64Array(maxSegments);
	const roadIds: Array<string | number> = [];
	let segmentCount = 0;
	let skippedRoads = 0;
	for (let r = 0; r < roadCount; r++) {
		let speed = speeds[classes[r]];
		if (speed === undefined) {
			if (fallback === undefined) {
				throw new RangeError(
					`road ${ids[r]}: no speed for road class "${classes[r]}" ` +
						'(give speedsKmh or fallbackSpeedKmh)'
				);
			}
			speed = fallback;
		}
		const first = segmentCount;
		let prev = -1;
		for (let i = vertexStart[r]; i < vertexStart[r + 1]; i++) {
			const v = nodeOf(coords[2 * i], coords[2 * i + 1]);
			if (prev >= 0 && v !== prev) {
				segFromBuf[segmentCount] = prev;
				segToBuf[segmentCount] = v;
				segRoadBuf[segmentCount] = roadIds.length;
				segSpeedBuf[segmentCount] = speed;
				segmentCount++;
			}
			prev = v;
		}
		if (segmentCount === first) {
			skippedRoads++;
			continue;
		}
		roadIds.push(ids[r]);
	}

	const nodeLon = lonBuf.slice(0, nodeCount);
	const nodeLat = latBuf.slice(0, nodeCount);
	const segFrom = segFromBuf.slice(0, segmentCount);
	const segTo = segToBuf.slice(0, segmentCount);
	const segRoad = segRoadBuf.slice(0, segmentCount);
	const segLengthM = new Float64Array(segmentCount);
	const segMinutes = new Float64Array(segmentCount);
	for (let s = 0; s < segmentCount; s++) {
		const a = segFrom[s];
		const b = segTo[s];
		const len = haversineM(nodeLon[a], nodeLat[a], nodeLon[b], nodeLat[b]);
		segLengthM[s] = len;
		segMinutes[s] = minutesAt(len, segSpeedBuf[s]);
	}

	// CSR adjacency, both directions.
	const adjOffset = new Int32Array(nodeCount + 1);
	for (let s = 0; s < segmentCount; s++) {
		adjOffset[segFrom[s] + 1]++;
		adjOffset[segTo[s] + 1]++;
	}
	for (let v = 0; v < nodeCount; v++) adjOffset[v + 1] += adjOffset[v];
	const fill = adjOffset.slice(0, nodeCount);
	const adjNode = new Int32Array(2 * segmentCount);
	const adjMinutes = new Float64Array(2 * segmentCount);
	for (let s = 0; s < segmentCount; s++) {
		const a = segFrom[s];
		const b = segTo[s];
		let i = fill[a]++;
		adjNode[i] = b;
		adjMinutes[i] = segMinutes[s];
		i = fill[b]++;
		adjNode[i] = a;
		adjMinutes[i] = segMinutes[s];
	}

	const { nodeComponent, componentSize } = connectedComponents(nodeCount, segFrom, segTo);
	const grid = buildSegmentGrid(
		nodeX.subarray(0, nodeCount),
		nodeY.subarray(0, nodeCount),
		segFrom,
		segTo,
		{ cosLat0, originX, originY, widthM, heightM, cellM: options.gridCellM }
	);

	return {
		nodeCount,
		nodeLon,
		nodeLat,
		adjOffset,
		adjNode,
		adjMinutes,
		segmentCount,
		segFrom,
		segTo,
		segLengthM,
		segMinutes,
		segRoad,
		roadIds,
		nodeComponent,
		componentSize,
		walkingSpeedKmh,
		skippedRoads,
		grid
	};
}

function connectedComponents(
	nodeCount: number,
	segFrom: Int32Array,
	segTo: Int32Array
): { nodeComponent: Int32Array; componentSize: Int32Array } {
	const parent = new Int32Array(nodeCount);
	for (let v = 0; v < nodeCount; v++) parent[v] = v;
	const find = (v: number): number => {
		while (parent[v] !== v) {
			parent[v] = parent[parent[v]];
			v = parent[v];
		}
		return v;
	};
	for (let s = 0; s < segFrom.length; s++) {
		const a = find(segFrom[s]);
		const b = find(segTo[s]);
		if (a !== b) parent[a < b ? b : a] = a < b ? a : b;
	}
	const nodeComponent = new Int32Array(nodeCount).fill(-1);
	const rootComponent = new Int32Array(nodeCount).fill(-1);
	const sizes: number[] = [];
	for (let v = 0; v < nodeCount; v++) {
		const r = find(v);
		if (rootComponent[r] < 0) {
			rootComponent[r] = sizes.length;
			sizes.push(0);
		}
		nodeComponent[v] = rootComponent[r];
		sizes[rootComponent[r]]++;
	}
	return { nodeComponent, componentSize: Int32Array.from(sizes) };
}

interface GridFrame {
	cosLat0: number;
	originX: number;
	originY: number;
	widthM: number;
	heightM: number;
	cellM?: number;
}

/** Calls `visit(cell)` for every grid cell the segment (in grid units) passes through. */
function forEachCellOnSegment(
	gx1: number,
	gy1: number,
	gx2: number,
	gy2: number,
	nx: number,
	ny: number,
	visit: (cell: number) => void
): void {
	if (gx2 < gx1) {
		let t = gx1;
		gx1 = gx2;
		gx2 = t;
		t = gy1;
		gy1 = gy2;
		gy2 = t;
	}
	const eps = 1e-9;
	const c0 = Math.max(0, Math.floor(gx1 - eps));
	const c1 = Math.min(nx - 1, Math.floor(gx2 + eps));
	const dx = gx2 - gx1;
	const slope = dx > 0 ? (gy2 - gy1) / dx : 0;
	for (let c = c0; c <= c1; c++) {
		let ya: number;
		let yb: number;
		if (dx > 0) {
			const xs = Math.max(gx1, c);
			const xe = Math.min(gx2, c + 1);
			ya = gy1 + (xs - gx1) * slope;
			yb = gy1 + (xe - gx1) * slope;
		} else {
			ya = gy1;
			yb = gy2;
		}
		const r0 = Math.max(0, Math.floor(Math.min(ya, yb) - eps));
		const r1 = Math.min(ny - 1, Math.floor(Math.max(ya, yb) + eps));
		for (let r = r0; r <= r1; r++) visit(r * nx + c);
	}
}

function buildSegmentGrid(
	nodeX: Float64Array,
	nodeY: Float64Array,
	segFrom: Int32Array,
	segTo: Int32Array,
	frame: GridFrame
): SegmentGrid {
	const m = segFrom.length;
	const { widthM, heightM } = frame;
	let cellM = frame.cellM ?? Math.max(10, Math.sqrt(Math.max(widthM * heightM, 1) / Math.max(1, m)));
	if (!(Number.isFinite(cellM) && cellM > 0)) {
		throw new RangeError(`gridCellM must be > 0, got ${cellM}`);
	}
	const maxCells = 4 * m + 16;
	let nx = Math.floor(widthM / cellM) + 1;
	let ny = Math.floor(heightM / cellM) + 1;
	while (nx * ny > maxCells) {
		cellM *= 1.5;
		nx = Math.floor(widthM / cellM) + 1;
		ny = Math.floor(heightM / cellM) + 1;
	}
	const cellOffset = new Int32Array(nx * ny + 1);
	for (let s = 0; s < m; s++) {
		const a = segFrom[s];
		const b = segTo[s];
		forEachCellOnSegment(
			nodeX[a] / cellM,
			nodeY[a] / cellM,
			nodeX[b] / cellM,
			nodeY[b] / cellM,
			nx,
			ny,
			(cell) => cellOffset[cell + 1]++
		);
	}
	for (let c = 0; c < nx * ny; c++) cellOffset[c + 1] += cellOffset[c];
	const fill = cellOffset.slice(0, nx * ny);
	const cellSegments = new Int32Array(cellOffset[nx * ny]);
	for (let s = 0; s < m; s++) {
		const a = segFrom[s];
		const b = segTo[s];
		forEachCellOnSegment(
			nodeX[a] / cellM,
			nodeY[a] / cellM,
			nodeX[b] / cellM,
			nodeY[b] / cellM,
			nx,
			ny,
			(cell) => {
				cellSegments[fill[cell]++] = s;
			}
		);
	}
	return {
		cosLat0: frame.cosLat0,
		originX: frame.originX,
		originY: frame.originY,
		cellM,
		nx,
		ny,
		cellOffset,
		cellSegments
	};
}
