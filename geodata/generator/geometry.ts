// Small planar geometry on lon/lat for the demo generator. Distances use an equirectangular
// approximation, accurate to well under 1 % at county scale.
export type Position = [number, number];
export type Ring = Position[];
export type PolygonCoords = Ring[];
export type MultiPolygonCoords = PolygonCoords[];

const EARTH_M = 6_371_008.8;
const RAD = Math.PI / 180;

export function distanceM(a: Position, b: Position): number {
	const x = (b[0] - a[0]) * RAD * Math.cos(((a[1] + b[1]) / 2) * RAD);
	const y = (b[1] - a[1]) * RAD;
	return Math.hypot(x, y) * EARTH_M;
}

/** Offset a point by metres east and north. */
export function offsetM(p: Position, eastM: number, northM: number): Position {
	const dLat = northM / EARTH_M / RAD;
	const dLon = eastM / (EARTH_M * Math.cos(p[1] * RAD)) / RAD;
	return [p[0] + dLon, p[1] + dLat];
}

export function toMultiPolygon(geometry: { type: string; coordinates: unknown }): MultiPolygonCoords {
	if (geometry.type === 'Polygon') return [geometry.coordinates as PolygonCoords];
	if (geometry.type === 'MultiPolygon') return geometry.coordinates as MultiPolygonCoords;
	throw new Error(`expected a Polygon or MultiPolygon, got ${geometry.type}`);
}

// Point-in-polygon with each ring's edges bucketed into horizontal bands, so a test looks only at
// the few edges crossing the point's band (county outlines have thousands of vertices).
interface PreparedRing {
	minY: number;
	bandH: number;
	bands: number[][]; // edge start indices per band
	ring: Ring;
}

const BANDS = 256;
const prepared = new WeakMap<MultiPolygonCoords, PreparedRing[][]>();

function prepareRing(ring: Ring): PreparedRing {
	let minY = Infinity, maxY = -Infinity;
	for (const [, y] of ring) {
		if (y < minY) minY = y;
		if (y > maxY) maxY = y;
	}
	const bandH = (maxY - minY) / BANDS || 1;
	const bands: number[][] = Array.from({ length: BANDS }, () => []);
	for (let i = 0; i < ring.length - 1; i++) {
		const y0 = Math.min(ring[i][1], ring[i + 1][1]), y1 = Math.max(ring[i][1], ring[i + 1][1]);
		const b0 = Math.max(0, Math.floor((y0 - minY) / bandH)), b1 = Math.min(BANDS - 1, Math.floor((y1 - minY) / bandH));
		for (let b = b0; b <= b1; b++) bands[b].push(i);
	}
	return { minY, bandH, bands, ring };
}

function inRing(p: Position, pr: PreparedRing): boolean {
	const b = Math.floor((p[1] - pr.minY) / pr.bandH);
	if (b < 0 || b >= BANDS) return false;
	let inside = false;
	const ring = pr.ring;
	for (const i of pr.bands[b]) {
		const [xi, yi] = ring[i];
		const [xj, yj] = ring[i + 1];
		if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
	}
	return inside;
}

export function inMultiPolygon(p: Position, mp: MultiPolygonCoords): boolean {
	let rings = prepared.get(mp);
	if (!rings) {
		rings = mp.map((poly) => poly.map(prepareRing));
		prepared.set(mp, rings);
	}
	for (const poly of rings) {
		if (!inRing(p, poly[0])) continue;
		let hole = false;
		for (let k = 1; k < poly.length; k++) if (inRing(p, poly[k])) hole = true;
		if (!hole) return true;
	}
	return false;
}

export interface BBox {
	minX: number;
	minY: number;
	maxX: number;
	maxY: number;
}

export function bbox(mp: MultiPolygonCoords): BBox {
	const b = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
	for (const poly of mp)
		for (const [x, y] of poly[0]) {
			if (x < b.minX) b.minX = x;
			if (y < b.minY) b.minY = y;
			if (x > b.maxX) b.maxX = x;
			if (y > b.maxY) b.maxY = y;
		}
	return b;
}

/** Shortest distance in metres from p to a polyline. */
export function distanceToLineM(p: Position, line: Position[]): number {
	let best = Infinity;
	const k = Math.cos(p[1] * RAD);
	for (let i = 1; i < line.length; i++) {
		const ax = (line[i - 1][0] - p[0]) * k, ay = line[i - 1][1] - p[1];
		const bx = (line[i][0] - p[0]) * k, by = line[i][1] - p[1];
		const dx = bx - ax, dy = by - ay;
		const len2 = dx * dx + dy * dy;
		const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
		const d = Math.hypot(ax + t * dx, ay + t * dy);
		if (d < best) best = d;
	}
	return best * RAD * EARTH_M;
}

/** A gently winding line from a to b (midpoint displacement), endpoints exact. */
export function windingLine(a: Position, b: Position, wiggle: () => number, levels = 2): Position[] {
	let pts: Position[] = [a, b];
	for (let l = 0; l < levels; l++) {
		const next: Position[] = [pts[0]];
		for (let i = 1; i < pts.length; i++) {
			const p = pts[i - 1], q = pts[i];
			const len = distanceM(p, q);
			const mid: Position = [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2];
			// Perpendicular offset up to ~12 % of the segment length.
			const nx = -(q[1] - p[1]), ny = q[0] - p[0];
			const norm = Math.hypot(nx, ny) || 1;
			const off = (wiggle() * 0.24 - 0.12) * len;
			const m = offsetM(mid, (nx / norm) * off, (ny / norm) * off);
			next.push(m, q);
		}
		pts = next;
	}
	return pts.map(([x, y]) => [round6(x), round6(y)]);
}

/** A star-shaped (hence valid) closed ring around c with mean radius rM. */
export function blob(c: Position, rM: number, noise: () => number, vertices = 20): Ring {
	const ring: Ring = [];
	for (let i = 0; i < vertices; i++) {
		const a = (2 * Math.PI * i) / vertices;
		const r = rM * (0.65 + 0.7 * noise());
		const p = offsetM(c, Math.cos(a) * r, Math.sin(a) * r);
		ring.push([round6(p[0]), round6(p[1])]);
	}
	ring.push(ring[0]);
	return ring;
}

export function round6(v: number): number {
	return Math.round(v * 1e6) / 1e6;
}
