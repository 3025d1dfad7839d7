// Shared by the writers: gathering rows, geometry as text columns for the tabular formats, names.
import type { Geometry, Position } from 'geojson';
import type { CellValue, OutputTable } from '../types.ts';

export type OutputRow = { values: CellValue[]; geometry: Geometry | null };

export async function* eachRow(table: OutputTable): AsyncGenerator<OutputRow> {
	for await (const row of table.rows as AsyncIterable<OutputRow>) yield row;
}

/**
 * Tabular formats (CSV, XLSX) carry geometry as columns: `lon`/`lat` for point tables (what the
 * importer maps back), `wkt` for anything else. Returns the extra column names and a function giving
 * their values for a row.
 */
export function geometryColumns(table: OutputTable): { names: string[]; values(g: Geometry | null): CellValue[] } {
	if (!table.geometryType) return { names: [], values: () => [] };
	const taken = new Set(table.columns.map((c) => c.name));
	const free = (name: string) => {
		let n = name;
		for (let i = 2; taken.has(n); i++) n = `${name}_${i}`;
		taken.add(n);
		return n;
	};
	if (table.geometryType === 'Point') {
		const names = [free('lon'), free('lat')];
		return {
			names,
			values: (g) => (g && g.type === 'Point' ? [g.coordinates[0], g.coordinates[1]] : [null, null])
		};
	}
	const names = [free('wkt')];
	return { names, values: (g) => [g ? toWkt(g) : null] };
}

const pos = (c: Position) => `${c[0]} ${c[1]}`;
const list = (cs: Position[]) => `(${cs.map(pos).join(', ')})`;
const rings = (rs: Position[][]) => `(${rs.map(list).join(', ')})`;

export function toWkt(g: Geometry): string {
	switch (g.type) {
		case 'Point':
			return `POINT (${pos(g.coordinates)})`;
		case 'LineString':
			return `LINESTRING ${list(g.coordinates)}`;
		case 'Polygon':
			return `POLYGON ${rings(g.coordinates)}`;
		case 'MultiPoint':
			return `MULTIPOINT (${g.coordinates.map((c) => `(${pos(c)})`).join(', ')})`;
		case 'MultiLineString':
			return `MULTILINESTRING ${rings(g.coordinates)}`;
		case 'MultiPolygon':
			return `MULTIPOLYGON (${g.coordinates.map(rings).join(', ')})`;
		case 'GeometryCollection':
			return `GEOMETRYCOLLECTION (${g.geometries.map(toWkt).join(', ')})`;
	}
}

/** A base file name safe on every system: letters (any script), digits, '_', '-'. */
export function safeBaseName(name: string, fallback = 'export'): string {
	const s = name.normalize('NFC').replace(/[^\p{L}\p{N}_-]+/gu, '_').replace(/^_+|_+$/g, '').slice(0, 80);
	return s || fallback;
}

export function concat(parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
	let o = 0;
	for (const p of parts) {
		out.set(p, o);
		o += p.length;
	}
	return out;
}

/** Collects strings into UTF-8 chunks without building one giant string. */
export class TextSink {
	#parts: Uint8Array[] = [];
	#pending: string[] = [];
	#pendingLength = 0;
	readonly #encoder = new TextEncoder();

	write(s: string): void {
		this.#pending.push(s);
		this.#pendingLength += s.length;
		if (this.#pendingLength > 1 << 20) this.#flush();
	}

	bytes(prefix?: Uint8Array): Uint8Array {
		this.#flush();
		return concat(prefix ? [prefix, ...this.#parts] : this.#parts);
	}

	#flush() {
		if (this.#pending.length) this.#parts.push(this.#encoder.encode(this.#pending.join('')));
		this.#pending = [];
		this.#pendingLength = 0;
	}
}
