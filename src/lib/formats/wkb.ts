// Well-known binary ↔ GeoJSON, for GeoPackage. Decoding checks every count against the bytes left
// before allocating (a hostile count cannot make us reserve gigabytes), accepts ISO (1000/2000/3000)
// and EWKB (flag bits) Z/M variants and drops Z and M. Encoding writes little-endian 2D WKB.
import type { Geometry, Position } from 'geojson';

export class WkbProblem extends Error {}

const TYPES = ['', 'Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon', 'GeometryCollection'] as const;

/** Decode WKB at `offset`; null for an empty point. */
export function decodeWkb(bytes: Uint8Array, maxVertices: number, offset = 0): Geometry | null {
	const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	let p = offset;
	let vertices = 0;
	const need = (n: number) => {
		if (p + n > bytes.length) throw new WkbProblem('the geometry is truncated');
	};
	const geometry = (depth: number): Geometry | null => {
		need(5);
		const le = bytes[p] === 1;
		if (bytes[p] > 1) throw new WkbProblem(`byte order ${bytes[p]} is not valid`);
		let code = v.getUint32(p + 1, le);
		p += 5;
		let dims = 2;
		if (code & 0x80000000) dims++;
		if (code & 0x40000000) dims++;
		if (code & 0x20000000) {
			need(4);
			p += 4; // EWKB SRID
		}
		code &= 0x0fffffff;
		const base = code % 1000;
		const iso = Math.floor(code / 1000);
		if (iso === 1 || iso === 2) dims++;
		else if (iso === 3) dims += 2;
		else if (iso !== 0) throw new WkbProblem(`geometry type ${code} is not supported`);
		const type = TYPES[base];
		if (!type) throw new WkbProblem(`geometry type ${code} is not supported`);
		const count = (): number => {
			need(4);
			const n = v.getUint32(p, le);
			p += 4;
			return n;
		};
		const position = (): Position => {
			need(8 * dims);
			const x = v.getFloat64(p, le);
			const y = v.getFloat64(p + 8, le);
			p += 8 * dims;
			return [x, y];
		};
		const positions = (): Position[] => {
			const n = count();
			if (n * 8 * dims > bytes.length - p) throw new WkbProblem('a point count runs past the end of the geometry');
			vertices += n;
			if (vertices > maxVertices) throw new WkbProblem(`the geometry has more than ${maxVertices} vertices`);
			const out: Position[] = [];
			for (let i = 0; i < n; i++) {
				const pos = position();
				if (!Number.isFinite(pos[0]) || !Number.isFinite(pos[1])) throw new WkbProblem('a coordinate is not a finite number');
				out.push(pos);
			}
			return out;
		};
		const rings = (): Position[][] => {
			const n = count();
			if (n * 4 > bytes.length - p) throw new WkbProblem('a ring count runs past the end of the geometry');
			return Array.from({ length: n }, positions);
		};
		const members = <T extends Geometry>(want: string): T[] => {
			const n = count();
			if (n * 9 > bytes.length - p) throw new WkbProblem('a member count runs past the end of the geometry');
			const out: T[] = [];
			for (let i = 0; i < n; i++) {
				const g = geometry(depth + 1);
				if (g && g.type !== want && want !== '*') throw new WkbProblem(`a ${type} holds a ${g.type}`);
				if (g) out.push(g as T);
			}
			return out;
		};
		if (depth > 0 && base > 3) {
			throw new WkbProblem('geometry collections nested in collections are not accepted');
		}
		switch (type) {
			case 'Point': {
				const pos = position();
				if (Number.isNaN(pos[0]) && Number.isNaN(pos[1])) return null;
				if (!Number.isFinite(pos[0]) || !Number.isFinite(pos[1])) throw new WkbProblem('a coordinate is not a finite number');
				if (++vertices > maxVertices) throw new WkbProblem(`the geometry has more than ${maxVertices} vertices`);
				return { type, coordinates: pos };
			}
			case 'LineString':
				return { type, coordinates: positions() };
			case 'Polygon':
				return { type, coordinates: rings() };
			case 'MultiPoint':
				return { type, coordinates: members<{ type: 'Point'; coordinates: Position }>('Point').map((g) => g.coordinates) };
			case 'MultiLineString':
				return {
					type,
					coordinates: members<{ type: 'LineString'; coordinates: Position[] }>('LineString').map((g) => g.coordinates)
				};
			case 'MultiPolygon':
				return {
					type,
					coordinates: members<{ type: 'Polygon'; coordinates: Position[][] }>('Polygon').map((g) => g.coordinates)
				};
			case 'GeometryCollection':
				return { type, geometries: members('*') };
		}
		throw new WkbProblem(`geometry type ${code} is not supported`);
	};
	return geometry(0);
}

/** Little-endian 2D WKB of a GeoJSON geometry. */
export function encodeWkb(g: Geometry): Uint8Array {
	let size = 0;
	const plan = (g: Geometry): void => {
		size += 5;
		switch (g.type) {
			case 'Point':
				size += 16;
				break;
			case 'LineString':
			case 'MultiPoint':
				size += 4 + g.coordinates.length * (g.type === 'MultiPoint' ? 21 : 16);
				break;
			case 'Polygon':
			case 'MultiLineString':
				size += 4 + g.coordinates.reduce((s, r) => s + 4 + r.length * 16 + (g.type === 'MultiLineString' ? 5 : 0), 0);
				break;
			case 'MultiPolygon':
				size += 4 + g.coordinates.reduce((s, poly) => s + 9 + poly.reduce((t, r) => t + 4 + r.length * 16, 0), 0);
				break;
			case 'GeometryCollection':
				size += 4;
				g.geometries.forEach(plan);
				break;
		}
	};
	plan(g);
	const out = new Uint8Array(size);
	const v = new DataView(out.buffer);
	let p = 0;
	const header = (type: number) => {
		out[p] = 1;
		v.setUint32(p + 1, type, true);
		p += 5;
	};
	const u32 = (n: number) => {
		v.setUint32(p, n, true);
		p += 4;
	};
	const pos = (c: Position) => {
		v.setFloat64(p, c[0], true);
		v.setFloat64(p + 8, c[1], true);
		p += 16;
	};
	const line = (cs: Position[]) => {
		u32(cs.length);
		cs.forEach(pos);
	};
	const write = (g: Geometry): void => {
		switch (g.type) {
			case 'Point':
				header(1);
				pos(g.coordinates);
				break;
			case 'LineString':
				header(2);
				line(g.coordinates);
				break;
			case 'Polygon':
				header(3);
				u32(g.coordinates.length);
				g.coordinates.forEach(line);
				break;
			case 'MultiPoint':
				header(4);
				u32(g.coordinates.length);
				g.coordinates.forEach((c) => write({ type: 'Point', coordinates: c }));
				break;
			case 'MultiLineString':
				header(5);
				u32(g.coordinates.length);
				g.coordinates.forEach((c) => write({ type: 'LineString', coordinates: c }));
				break;
			case 'MultiPolygon':
				header(6);
				u32(g.coordinates.length);
				g.coordinates.forEach((c) => write({ type: 'Polygon', coordinates: c }));
				break;
			case 'GeometryCollection':
				header(7);
				u32(g.geometries.length);
				g.geometries.forEach(write);
				break;
		}
	};
	write(g);
	return out;
}

/** [minX, minY, maxX, maxY] of a geometry, or null when it has no positions. */
export function envelope(g: Geometry): [number, number, number, number] | null {
	let minX = Infinity;
	let minY = Infinity;
	let maxX = -Infinity;
	let maxY = -Infinity;
	const visit = (c: unknown): void => {
		if (typeof (c as number[])[0] === 'number') {
			const [x, y] = c as number[];
			if (x < minX) minX = x;
			if (x > maxX) maxX = x;
			if (y < minY) minY = y;
			if (y > maxY) maxY = y;
		} else (c as unknown[]).forEach(visit);
	};
	const walk = (g: Geometry) => (g.type === 'GeometryCollection' ? g.geometries.forEach(walk) : visit(g.coordinates));
	walk(g);
	return minX === Infinity ? null : [minX, minY, maxX, maxY];
}
