// Zipped shapefile reader of our own (.shp, .shx, .dbf, .prj, .cpg): every offset and count read from
// the file is checked against the bytes actually there before it is used, so a truncated or lying
// file is a FormatError, never an out-of-range read or a huge allocation.
//
// Text encoding: the user's override, else the .cpg, else the DBF language driver id (0x4D and 0x7A
// = GBK, 0x4F = Big5), else detection as for CSV. The .prj must name a CRS we can reproject
// (./crs.ts); a shapefile without .prj has crs null and the importer asks.
import type { Geometry, Position } from 'geojson';
import { crsFromWkt } from '../crs.ts';
import { detectEncoding, makeDecoder, normaliseEncoding } from '../encoding.ts';
import {
	FormatError,
	type CellValue,
	type DeclaredCrs,
	type Limits,
	type ReadOptions,
	type RecordSource,
	type SourceRecord
} from '../types.ts';
import type { SafeZip } from '../zip.ts';
import { checkCell, checkColumns, checkRecordCount, uniqueHeaders } from './common.ts';

const LDID_ENCODING: Record<number, string> = { 0x4d: 'gbk', 0x7a: 'gbk', 0x4f: 'big5', 0x4e: 'euc-kr' };

interface DbfField {
	name: string;
	type: string;
	offset: number;
	length: number;
	decimals: number;
}

export async function openShapefile(zip: SafeZip, options: ReadOptions, limits: Limits): Promise<RecordSource> {
	const file = zip.file;
	// Group the parts by base name (path kept, extension case-insensitive).
	const groups = new Map<string, Map<string, string>>();
	for (const e of zip.files) {
		const m = /^(.*)\.(shp|shx|dbf|prj|cpg)$/i.exec(e.name);
		if (!m || e.name.startsWith('__MACOSX/')) continue;
		const parts = groups.get(m[1]) ?? new Map<string, string>();
		parts.set(m[2].toLowerCase(), e.name);
		groups.set(m[1], parts);
	}
	const layers = [...groups.entries()].filter(([, p]) => p.has('shp') || p.has('dbf')).map(([base]) => base);
	const layerName = options.layer ?? layers[0];
	const parts = groups.get(layerName);
	if (!parts || !(parts.has('shp') || parts.has('dbf'))) {
		throw new FormatError('unsupported', `${file} has no shapefile "${options.layer}" (found: ${layers.join(', ')})`, { file });
	}
	for (const ext of ['shp', 'dbf']) {
		if (!parts.has(ext)) {
			throw new FormatError('missing-part', `${file}: the shapefile "${layerName}" has no .${ext} file; zip the .shp, .shx, .dbf and .prj together`, {
				file,
				entry: `${layerName}.${ext}`
			});
		}
	}
	const get = (ext: string) => (parts.has(ext) ? zip.read(zip.find(parts.get(ext)!)!) : null);
	const shp = get('shp')!;
	const dbf = get('dbf')!;
	const shx = get('shx');
	const prj = get('prj');
	const cpg = get('cpg');
	const where = (ext: string) => `${file} (${parts.get(ext)})`;

	let crs: DeclaredCrs | null = null;
	if (prj) {
		const wkt = new TextDecoder('utf-8').decode(prj).replace(/^\uFEFF/, '');
		if (wkt.trim()) crs = crsFromWkt(wkt, where('prj'));
	}

	const table = readDbfHeader(dbf, where('dbf'), limits);
	const offsets = indexShp(shp, where('shp'), limits);
	if (offsets.length !== table.count) {
		throw new FormatError(
			'corrupt',
			`${file}: the .shp has ${offsets.length} shapes but the .dbf has ${table.count} records; the shapefile is damaged`,
			{ file }
		);
	}
	if (shx && shx.length >= 100 && (shx.length - 100) / 8 !== offsets.length) {
		throw new FormatError('corrupt', `${file}: the .shx indexes ${Math.floor((shx.length - 100) / 8)} shapes but the .shp has ${offsets.length}`, {
			file
		});
	}

	// Encoding.
	let encoding: string;
	let encodingSource: RecordSource['encodingSource'];
	const cpgName = cpg ? normaliseEncoding(new TextDecoder('latin1').decode(cpg).trim()) : null;
	if (options.encoding) {
		const chosen = normaliseEncoding(options.encoding);
		if (!chosen) throw new FormatError('encoding', `${file}: the text encoding "${options.encoding}" is not supported`, { file });
		encoding = chosen;
		encodingSource = 'override';
	} else if (cpgName) {
		encoding = cpgName;
		encodingSource = 'cpg';
	} else if (LDID_ENCODING[table.ldid]) {
		encoding = LDID_ENCODING[table.ldid];
		encodingSource = 'dbf-ldid';
	} else {
		const detected = detectEncoding(dbf.subarray(32, dbf.length));
		if (!detected) {
			throw new FormatError('encoding', `${where('dbf')}: the text is neither UTF-8 nor GBK/GB18030; choose the encoding by hand`, { file });
		}
		encoding = detected;
		encodingSource = 'detected';
	}
	const decoder = makeDecoder(encoding, file);
	const decode = (bytes: Uint8Array, row: number, field: string): string => {
		try {
			return decoder.decode(bytes);
		} catch {
			throw new FormatError('encoding', `${where('dbf')}, feature ${row}, field "${field}": the text is not valid ${encoding}`, {
				file,
				row,
				field
			});
		}
	};
	const headers = uniqueHeaders(table.fields.map((f) => decode(f.rawName, 0, f.name).replace(/\0.*$/, '')));

	return {
		format: 'shapefile',
		fileName: file,
		headers,
		encoding,
		encodingSource,
		crs,
		layer: layerName,
		layers,
		count: table.count,
		async *records(): AsyncGenerator<SourceRecord> {
			for (let i = 0; i < table.count; i++) {
				const row = i + 1;
				const start = table.headerLength + i * table.recordLength;
				if (dbf[start] === 0x2a) continue; // deleted
				const fields: Record<string, CellValue> = {};
				table.fields.forEach((f, j) => {
					const raw = dbf.subarray(start + f.offset, start + f.offset + f.length);
					const value = dbfValue(raw, f, () => decode(raw, row, headers[j]));
					checkCell(value, limits, file, row, headers[j]);
					fields[headers[j]] = value;
				});
				const geometry = readShape(shp, offsets[i], row, where('shp'), limits);
				yield { row, fields, geometry };
			}
		},
		async close() {}
	};
}

function readDbfHeader(dbf: Uint8Array, file: string, limits: Limits) {
	const corrupt = (why: string) => new FormatError('corrupt', `${file}: ${why}`, { file });
	if (dbf.length < 33) throw corrupt('the .dbf is too short to be a dBASE table');
	const v = new DataView(dbf.buffer, dbf.byteOffset, dbf.byteLength);
	const count = v.getUint32(4, true);
	const headerLength = v.getUint16(8, true);
	const recordLength = v.getUint16(10, true);
	const ldid = dbf[29];
	if (headerLength < 33 || headerLength > dbf.length) throw corrupt('the .dbf header is damaged');
	const fields: (DbfField & { rawName: Uint8Array })[] = [];
	let offset = 1;
	for (let p = 32; p + 32 <= headerLength && dbf[p] !== 0x0d; p += 32) {
		let end = p;
		while (end < p + 11 && dbf[end] !== 0) end++;
		const rawName = dbf.subarray(p, end);
		const field = {
			name: new TextDecoder('latin1').decode(rawName),
			rawName,
			type: String.fromCharCode(dbf[p + 11]).toUpperCase(),
			offset,
			length: dbf[p + 16],
			decimals: dbf[p + 17]
		};
		offset += field.length;
		fields.push(field);
		checkColumns(fields.length, limits, file);
	}
	if (fields.length === 0) throw corrupt('the .dbf has no fields');
	if (offset !== recordLength) throw corrupt(`the .dbf field widths add up to ${offset} bytes but records are ${recordLength}`);
	checkRecordCount(count, limits, file);
	const needed = headerLength + count * recordLength;
	if (dbf.length < needed) {
		throw corrupt(`the .dbf declares ${count} records but holds only ${Math.floor((dbf.length - headerLength) / recordLength)}; it is truncated`);
	}
	return { count, headerLength, recordLength, ldid, fields };
}

function dbfValue(raw: Uint8Array, field: DbfField, text: () => string): CellValue {
	switch (field.type) {
		case 'C': {
			const s = text().replace(/[\s\0]+$/, '');
			return s === '' ? null : s;
		}
		case 'N':
		case 'F': {
			const s = ascii(raw).trim();
			if (s === '' || /^\*+$/.test(s)) return null;
			const n = Number(s);
			return Number.isFinite(n) ? n : null;
		}
		case 'L': {
			const c = ascii(raw).trim().toUpperCase();
			return c === 'T' || c === 'Y' ? true : c === 'F' || c === 'N' ? false : null;
		}
		case 'D': {
			const s = ascii(raw).trim();
			return /^\d{8}$/.test(s) ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` : null;
		}
		default:
			return null;
	}
}

function ascii(b: Uint8Array): string {
	return String.fromCharCode(...b);
}

/** Offsets of every record's content (after the 8-byte record header), checked against the file. */
function indexShp(shp: Uint8Array, file: string, limits: Limits): number[] {
	const corrupt = (why: string, row?: number) => new FormatError('corrupt', `${file}: ${why}`, { file, ...(row ? { row } : {}) });
	if (shp.length < 100) throw corrupt('the .shp is too short to be a shapefile');
	const v = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
	if (v.getInt32(0, false) !== 9994) throw corrupt('the .shp is not a shapefile (wrong file code)');
	const declared = v.getInt32(24, false) * 2;
	if (declared > shp.length) throw corrupt(`the .shp is truncated: it declares ${declared} bytes but has ${shp.length}`);
	const offsets: number[] = [];
	let p = 100;
	while (p < declared) {
		const row = offsets.length + 1;
		if (p + 8 > declared) throw corrupt(`feature ${row}: the record header is cut off`, row);
		const length = v.getInt32(p + 4, false) * 2;
		if (length < 4 || p + 8 + length > declared) throw corrupt(`feature ${row}: the record runs past the end of the file (truncated)`, row);
		offsets.push(p + 8);
		if (offsets.length > limits.maxRecords) checkRecordCount(offsets.length, limits, file);
		p += 8 + length;
	}
	return offsets;
}

function readShape(shp: Uint8Array, at: number, row: number, file: string, limits: Limits): Geometry | null {
	const v = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
	const length = v.getInt32(at - 4, false) * 2;
	const end = at + length;
	const fail = (why: string, code: 'corrupt' | 'too-many-vertices' | 'unsupported' = 'corrupt'): never => {
		throw new FormatError(code, `${file}, feature ${row}: ${why}`, { file, row, field: 'geometry' });
	};
	const need = (bytes: number) => {
		if (bytes > end) fail('the shape record is shorter than its contents');
	};
	const type = v.getInt32(at, true);
	const point = (o: number): Position => {
		const x = v.getFloat64(o, true);
		const y = v.getFloat64(o + 8, true);
		if (!Number.isFinite(x) || !Number.isFinite(y)) fail('a coordinate is not a finite number');
		return [x, y];
	};
	switch (type) {
		case 0:
			return null;
		case 1:
		case 11:
		case 21:
			need(at + 20);
			return { type: 'Point', coordinates: point(at + 4) };
		case 8:
		case 18:
		case 28: {
			need(at + 40);
			const n = v.getInt32(at + 36, true);
			if (n < 0 || n > limits.maxVertices) fail(`the shape has ${n} points (at most ${limits.maxVertices})`, n < 0 ? 'corrupt' : 'too-many-vertices');
			need(at + 40 + n * 16);
			const coordinates: Position[] = [];
			for (let i = 0; i < n; i++) coordinates.push(point(at + 40 + i * 16));
			return { type: 'MultiPoint', coordinates };
		}
		case 3:
		case 13:
		case 23:
		case 5:
		case 15:
		case 25: {
			need(at + 44);
			const nParts = v.getInt32(at + 36, true);
			const nPoints = v.getInt32(at + 40, true);
			if (nPoints < 0 || nParts < 0 || nParts > Math.max(nPoints, 1)) fail('the part and point counts are not valid');
			if (nPoints > limits.maxVertices) fail(`the shape has ${nPoints} vertices (at most ${limits.maxVertices})`, 'too-many-vertices');
			const pointsAt = at + 44 + nParts * 4;
			need(pointsAt + nPoints * 16);
			const parts: Position[][] = [];
			for (let i = 0; i < nParts; i++) {
				const from = v.getInt32(at + 44 + i * 4, true);
				const to = i + 1 < nParts ? v.getInt32(at + 44 + (i + 1) * 4, true) : nPoints;
				if (from < 0 || to > nPoints || from > to) fail('a part index is out of range');
				const ring: Position[] = [];
				for (let k = from; k < to; k++) ring.push(point(pointsAt + k * 16));
				parts.push(ring);
			}
			if (parts.length === 0) return null;
			if (type === 3 || type === 13 || type === 23) {
				return parts.length === 1 ? { type: 'LineString', coordinates: parts[0] } : { type: 'MultiLineString', coordinates: parts };
			}
			const polygons = assembleRings(parts);
			return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
		}
		default:
			return fail(`shape type ${type} is not supported`, 'unsupported');
	}
}

/** Shapefile rings → polygons: clockwise rings are outers, counter-clockwise ones holes of the outer containing them. */
export function assembleRings(rings: Position[][]): Position[][][] {
	const outers: Position[][][] = [];
	const holes: Position[][] = [];
	for (const ring of rings) (signedArea(ring) < 0 ? outers.push([ring]) : holes.push(ring));
	if (outers.length === 0) return holes.map((h) => [h]);
	for (const hole of holes) {
		const host = outers.find((p) => hole.length > 0 && pointInRing(hole[0], p[0])) ?? outers[outers.length - 1];
		host.push(hole);
	}
	return outers;
}

/** Shoelace signed area: > 0 counter-clockwise, < 0 clockwise. */
function signedArea(ring: Position[]): number {
	let s = 0;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
	return s / 2;
}

function pointInRing(p: Position, ring: Position[]): boolean {
	let inside = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [xi, yi] = ring[i];
		const [xj, yj] = ring[j];
		if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
	}
	return inside;
}
