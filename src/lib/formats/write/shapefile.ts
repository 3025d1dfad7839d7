// Zipped shapefile writer: .shp, .shx, .dbf (UTF-8, with a .cpg saying so), .prj (WGS 84).
// A shapefile holds one geometry type: Point tables become Point shapefiles, MultiPoint MultiPoint,
// (Multi)LineString PolyLine and (Multi)Polygon Polygon with rings rewound to the shapefile's order
// (outer clockwise). DBF limits are met by changing the data, and every change is listed in `notes`:
// field names are cut to 10 bytes (at a character boundary) and made unique, text to 254 bytes.
import { zipSync, strToU8 } from 'fflate';
import type { Geometry, Position } from 'geojson';
import { FormatError, type CellValue, type OutputColumn, type OutputFile, type OutputTable } from '../types.ts';
import { envelope } from '../wkb.ts';
import { eachRow, safeBaseName, type OutputRow } from './common.ts';

export const WGS84_ESRI_WKT =
	'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

const SHAPE_TYPE: Record<string, number> = {
	Point: 1,
	MultiPoint: 8,
	LineString: 3,
	MultiLineString: 3,
	Polygon: 5,
	MultiPolygon: 5
};

const encoder = new TextEncoder();

/** Cut to at most `max` UTF-8 bytes without splitting a character. */
function cutBytes(s: string, max: number): string {
	if (encoder.encode(s).length <= max) return s;
	let out = '';
	let used = 0;
	for (const ch of s) {
		const n = encoder.encode(ch).length;
		if (used + n > max) break;
		out += ch;
		used += n;
	}
	return out;
}

/** DBF field names: ≤ 10 bytes, unique ignoring case, no spaces or quotes. */
export function dbfFieldNames(names: string[]): string[] {
	const seen = new Set<string>();
	return names.map((name) => {
		const clean = name.replace(/[\s"'\0]+/g, '_') || 'field';
		let candidate = cutBytes(clean, 10);
		for (let i = 2; seen.has(candidate.toLowerCase()); i++) {
			const suffix = `_${i}`;
			candidate = cutBytes(clean, 10 - suffix.length) + suffix;
		}
		seen.add(candidate.toLowerCase());
		return candidate;
	});
}

interface DbfColumn {
	name: string;
	type: 'C' | 'N' | 'L' | 'D';
	width: number;
	decimals: number;
	source: OutputColumn;
}

export async function writeShapefile(table: OutputTable): Promise<OutputFile> {
	if (!table.geometryType) {
		throw new FormatError('unsupported', `${table.name}: a shapefile needs geometry; export this table as CSV or XLSX`, { file: table.name });
	}
	const shapeType = SHAPE_TYPE[table.geometryType];
	const rows: OutputRow[] = [];
	for await (const row of eachRow(table)) {
		const g = row.geometry;
		if (g && SHAPE_TYPE[g.type] !== shapeType) {
			throw new FormatError('unsupported', `${table.name}, row ${rows.length + 1}: a ${g.type} in a ${table.geometryType} shapefile`, {
				file: table.name,
				row: rows.length + 1
			});
		}
		rows.push(row);
	}
	const notes: string[] = [];
	const renamedFields: Record<string, string> = {};
	const names = dbfFieldNames(table.columns.map((c) => c.name));
	table.columns.forEach((c, i) => {
		if (names[i] !== c.name) {
			renamedFields[c.name] = names[i];
			notes.push(`field "${c.name}" is named "${names[i]}" in the shapefile (DBF names have at most 10 bytes)`);
		}
	});

	// Column widths from the data.
	let truncated = 0;
	const columns: DbfColumn[] = table.columns.map((c, i) => {
		const values = rows.map((r) => r.values[i]);
		switch (c.type) {
			case 'integer': {
				const width = Math.max(1, ...values.map((v) => (typeof v === 'number' ? String(Math.trunc(v)).length : 1)));
				return { name: names[i], type: 'N', width: Math.min(width, 18), decimals: 0, source: c };
			}
			case 'real':
				return { name: names[i], type: 'N', width: 24, decimals: 15, source: c };
			case 'boolean':
				return { name: names[i], type: 'L', width: 1, decimals: 0, source: c };
			case 'date':
				return { name: names[i], type: 'D', width: 8, decimals: 0, source: c };
			default: {
				const width = Math.max(1, ...values.map((v) => (v === null ? 1 : encoder.encode(String(v)).length)));
				return { name: names[i], type: 'C', width: Math.min(width, 254), decimals: 0, source: c };
			}
		}
	});

	const dbf = writeDbf(columns, rows, () => truncated++);
	if (truncated) notes.push(`${truncated} text values were cut to 254 bytes (the DBF limit)`);
	const { shp, shx } = writeShp(shapeType, rows.map((r) => r.geometry));
	const base = safeBaseName(table.name);
	const bytes = zipSync(
		{
			[`${base}.shp`]: shp,
			[`${base}.shx`]: shx,
			[`${base}.dbf`]: dbf,
			[`${base}.prj`]: strToU8(WGS84_ESRI_WKT),
			[`${base}.cpg`]: strToU8('UTF-8')
		},
		{ level: 6, mtime: new Date(Date.UTC(2020, 0, 1)) }
	);
	return { fileName: `${base}.zip`, contentType: 'application/zip', bytes, notes, renamedFields };
}

function writeDbf(columns: DbfColumn[], rows: OutputRow[], onTruncate: () => void): Uint8Array {
	const headerLength = 32 + 32 * columns.length + 1;
	const recordLength = 1 + columns.reduce((s, c) => s + c.width, 0);
	const out = new Uint8Array(headerLength + recordLength * rows.length + 1);
	const v = new DataView(out.buffer);
	const now = new Date();
	out[0] = 0x03;
	out[1] = now.getUTCFullYear() - 1900;
	out[2] = now.getUTCMonth() + 1;
	out[3] = now.getUTCDate();
	v.setUint32(4, rows.length, true);
	v.setUint16(8, headerLength, true);
	v.setUint16(10, recordLength, true);
	columns.forEach((c, i) => {
		const p = 32 + i * 32;
		out.set(encoder.encode(c.name), p);
		out[p + 11] = c.type.charCodeAt(0);
		out[p + 16] = c.width;
		out[p + 17] = c.decimals;
	});
	out[headerLength - 1] = 0x0d;
	out.fill(0x20, headerLength, out.length - 1);
	rows.forEach((row, r) => {
		let p = headerLength + r * recordLength + 1;
		columns.forEach((c, i) => {
			const text = dbfText(row.values[i], c, onTruncate);
			const bytes = encoder.encode(text);
			if (c.type === 'N') out.set(bytes, p + c.width - bytes.length); // right-aligned
			else out.set(bytes, p);
			p += c.width;
		});
	});
	out[out.length - 1] = 0x1a;
	return out;
}

function dbfText(value: CellValue, c: DbfColumn, onTruncate: () => void): string {
	if (value === null) return c.type === 'L' ? '?' : '';
	switch (c.type) {
		case 'N': {
			if (typeof value !== 'number' || !Number.isFinite(value)) return '';
			if (c.decimals === 0) return String(Math.trunc(value)).slice(0, c.width);
			let s = value.toFixed(c.decimals);
			if (s.length > c.width) s = value.toExponential(c.width - 8);
			return s;
		}
		case 'L':
			return value === true || value === 'true' ? 'T' : 'F';
		case 'D': {
			const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(value));
			return m ? `${m[1]}${m[2]}${m[3]}` : '';
		}
		default: {
			const s = String(value);
			const cut = cutBytes(s, c.width);
			if (cut !== s) onTruncate();
			return cut;
		}
	}
}

/** Shoelace signed area: > 0 counter-clockwise, < 0 clockwise. */
export function ringArea(ring: Position[]): number {
	let s = 0;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
	return s / 2;
}

function partsOf(g: Geometry): Position[][] {
	switch (g.type) {
		case 'LineString':
			return [g.coordinates];
		case 'MultiLineString':
			return g.coordinates;
		case 'Polygon':
		case 'MultiPolygon': {
			const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
			return polys.flatMap((poly) =>
				poly.map((ring, k) => {
					const clockwise = ringArea(ring) < 0;
					const wantClockwise = k === 0;
					return clockwise === wantClockwise ? ring : [...ring].reverse();
				})
			);
		}
		default:
			return [];
	}
}

function writeShp(shapeType: number, geometries: (Geometry | null)[]): { shp: Uint8Array; shx: Uint8Array } {
	const contents = geometries.map((g) => shapeContent(shapeType, g));
	const shpLength = 100 + contents.reduce((s, c) => s + 8 + c.length, 0);
	const shp = new Uint8Array(shpLength);
	const shx = new Uint8Array(100 + 8 * contents.length);
	let box: [number, number, number, number] | null = null;
	for (const g of geometries) {
		const e = g ? envelope(g) : null;
		if (e) box = box ? [Math.min(box[0], e[0]), Math.min(box[1], e[1]), Math.max(box[2], e[2]), Math.max(box[3], e[3])] : e;
	}
	for (const [file, length] of [
		[shp, shpLength],
		[shx, shx.length]
	] as const) {
		const v = new DataView(file.buffer);
		v.setInt32(0, 9994, false);
		v.setInt32(24, length / 2, false);
		v.setInt32(28, 1000, true);
		v.setInt32(32, shapeType, true);
		const b = box ?? [0, 0, 0, 0];
		b.forEach((n, i) => v.setFloat64(36 + i * 8, n, true));
	}
	const sv = new DataView(shp.buffer);
	const xv = new DataView(shx.buffer);
	let p = 100;
	contents.forEach((c, i) => {
		xv.setInt32(100 + i * 8, p / 2, false);
		xv.setInt32(104 + i * 8, c.length / 2, false);
		sv.setInt32(p, i + 1, false);
		sv.setInt32(p + 4, c.length / 2, false);
		shp.set(c, p + 8);
		p += 8 + c.length;
	});
	return { shp, shx };
}

function shapeContent(shapeType: number, g: Geometry | null): Uint8Array {
	if (!g) {
		return new Uint8Array(4); // null shape, type 0
	}
	if (shapeType === 1 && g.type === 'Point') {
		const out = new Uint8Array(20);
		const v = new DataView(out.buffer);
		v.setInt32(0, 1, true);
		v.setFloat64(4, g.coordinates[0], true);
		v.setFloat64(12, g.coordinates[1], true);
		return out;
	}
	const e = envelope(g) ?? [0, 0, 0, 0];
	if (shapeType === 8 && g.type === 'MultiPoint') {
		const out = new Uint8Array(40 + 16 * g.coordinates.length);
		const v = new DataView(out.buffer);
		v.setInt32(0, 8, true);
		e.forEach((n, i) => v.setFloat64(4 + i * 8, n, true));
		v.setInt32(36, g.coordinates.length, true);
		g.coordinates.forEach((c, i) => {
			v.setFloat64(40 + i * 16, c[0], true);
			v.setFloat64(48 + i * 16, c[1], true);
		});
		return out;
	}
	const parts = partsOf(g);
	const nPoints = parts.reduce((s, p) => s + p.length, 0);
	const out = new Uint8Array(44 + 4 * parts.length + 16 * nPoints);
	const v = new DataView(out.buffer);
	v.setInt32(0, shapeType, true);
	e.forEach((n, i) => v.setFloat64(4 + i * 8, n, true));
	v.setInt32(36, parts.length, true);
	v.setInt32(40, nPoints, true);
	let index = 0;
	let p = 44 + 4 * parts.length;
	parts.forEach((part, i) => {
		v.setInt32(44 + i * 4, index, true);
		index += part.length;
		for (const c of part) {
			v.setFloat64(p, c[0], true);
			v.setFloat64(p + 8, c[1], true);
			p += 16;
		}
	});
	return out;
}
