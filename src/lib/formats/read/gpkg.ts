// GeoPackage reader (sql.js, in memory, query_only): layers from gpkg_contents (feature and attribute
// tables that really are tables, never views, so a hostile file cannot make us run its SQL), the CRS
// from gpkg_spatial_ref_sys, geometry from GeoPackage binary (header + WKB).
import type { Database } from 'sql.js';
import type { Geometry } from 'geojson';
import { crsFromEpsg, crsFromWkt } from '../crs.ts';
import { readAll, type FileInput } from '../input.ts';
import { loadSqlJs, quoteId } from '../sqlite.ts';
import {
	FormatError,
	type CellValue,
	type DeclaredCrs,
	type Limits,
	type ReadOptions,
	type RecordSource,
	type SourceRecord
} from '../types.ts';
import { decodeWkb, WkbProblem } from '../wkb.ts';
import { checkCell, checkColumns, checkRecordCount } from './common.ts';

interface Layer {
	table: string;
	kind: string;
	srsId: number | null;
	geometryColumn: string | null;
}

export async function openGpkg(input: FileInput, options: ReadOptions, limits: Limits): Promise<RecordSource> {
	const file = input.name;
	const bytes = await readAll(input, limits);
	if (new TextDecoder('latin1').decode(bytes.subarray(0, 16)) !== 'SQLite format 3\0') {
		throw new FormatError('corrupt', `${file} is not a GeoPackage (not an SQLite database)`, { file });
	}
	const SQL = await loadSqlJs();
	let db: Database;
	try {
		db = new SQL.Database(bytes);
	} catch (error) {
		throw new FormatError('corrupt', `${file}: the database cannot be opened (${(error as Error).message})`, { file });
	}
	try {
		return await describe(db, file, options, limits);
	} catch (error) {
		db.close();
		if (error instanceof FormatError) throw error;
		throw new FormatError('corrupt', `${file}: the database is damaged (${(error as Error).message})`, { file });
	}
}

function rows(db: Database, sql: string, params: (string | number)[] = []): Record<string, unknown>[] {
	const stmt = db.prepare(sql);
	try {
		stmt.bind(params);
		const out: Record<string, unknown>[] = [];
		while (stmt.step()) out.push(stmt.getAsObject());
		return out;
	} finally {
		stmt.free();
	}
}

async function describe(db: Database, file: string, options: ReadOptions, limits: Limits): Promise<RecordSource> {
	db.exec('PRAGMA query_only = 1');
	const tables = new Set(rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'").map((r) => String(r.name)));
	if (!tables.has('gpkg_contents')) {
		throw new FormatError('unsupported', `${file} is an SQLite database but not a GeoPackage (no gpkg_contents table)`, { file });
	}
	const geometryColumns = new Map<string, string>();
	if (tables.has('gpkg_geometry_columns')) {
		for (const r of rows(db, 'SELECT table_name, column_name FROM gpkg_geometry_columns')) {
			geometryColumns.set(String(r.table_name), String(r.column_name));
		}
	}
	const layers: Layer[] = rows(
		db,
		"SELECT table_name, data_type, srs_id FROM gpkg_contents WHERE data_type IN ('features', 'attributes') ORDER BY data_type DESC, rowid"
	)
		.map((r) => ({
			table: String(r.table_name),
			kind: String(r.data_type),
			srsId: r.srs_id === null ? null : Number(r.srs_id),
			geometryColumn: geometryColumns.get(String(r.table_name)) ?? null
		}))
		.filter((l) => tables.has(l.table));
	if (layers.length === 0) throw new FormatError('unsupported', `${file}: the GeoPackage has no feature or attribute tables`, { file });
	const layer = options.layer ? layers.find((l) => l.table === options.layer) : layers[0];
	if (!layer) {
		throw new FormatError('unsupported', `${file} has no layer "${options.layer}" (layers: ${layers.map((l) => l.table).join(', ')})`, { file });
	}

	let crs: DeclaredCrs | null = null;
	if (layer.geometryColumn && layer.srsId !== null && layer.srsId > 0 && tables.has('gpkg_spatial_ref_sys')) {
		const srs = rows(db, 'SELECT srs_name, organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?', [
			layer.srsId
		])[0];
		if (!srs) throw new FormatError('unknown-crs', `${file}: the layer's CRS ${layer.srsId} is not defined in the file`, { file });
		const definition = srs.definition === null ? null : String(srs.definition);
		const known =
			String(srs.organization).toUpperCase() === 'EPSG' ? crsFromEpsg(Number(srs.organization_coordsys_id), definition) : null;
		crs = known ?? (definition && definition !== 'undefined' ? crsFromWkt(definition, file) : null);
		if (!crs) throw new FormatError('unknown-crs', `${file}: the coordinate system "${String(srs.srs_name)}" is not supported`, { file });
	}

	const info = rows(db, `PRAGMA table_info(${quoteId(layer.table)})`);
	const pk = info.find((c) => Number(c.pk) === 1 && /int/i.test(String(c.type)));
	const booleans = new Set(info.filter((c) => /^bool/i.test(String(c.type))).map((c) => String(c.name)));
	const headers = info.map((c) => String(c.name)).filter((n) => n !== layer.geometryColumn && n !== pk?.name);
	checkColumns(headers.length, limits, file);
	const count = Number(rows(db, `SELECT COUNT(*) AS n FROM ${quoteId(layer.table)}`)[0].n);
	checkRecordCount(count, limits, file);
	let closed = false;

	return {
		format: 'gpkg',
		fileName: file,
		headers,
		encoding: null,
		encodingSource: null,
		crs,
		layer: layer.table,
		layers: layers.map((l) => l.table),
		count,
		async *records(): AsyncGenerator<SourceRecord> {
			const stmt = db.prepare(`SELECT * FROM ${quoteId(layer.table)}`);
			try {
				let n = 0;
				while (stmt.step()) {
					n++;
					const r = stmt.getAsObject();
					const row = pk ? Number(r[String(pk.name)]) : n;
					const fields: Record<string, CellValue> = {};
					for (const h of headers) {
						const v = r[h];
						const value: CellValue =
							v === null || v === undefined || v instanceof Uint8Array
								? null
								: booleans.has(h) && typeof v === 'number'
									? v !== 0
									: (v as string | number);
						checkCell(value, limits, file, row, h);
						fields[h] = value;
					}
					const blob = layer.geometryColumn ? r[layer.geometryColumn] : null;
					const geometry = blob instanceof Uint8Array ? decodeGpkgGeometry(blob, limits, file, row) : null;
					yield { row, fields, geometry };
				}
			} catch (error) {
				if (error instanceof FormatError) throw error;
				throw new FormatError('corrupt', `${file}: the database is damaged (${(error as Error).message})`, { file });
			} finally {
				stmt.free();
			}
		},
		async close() {
			if (!closed) db.close();
			closed = true;
		}
	};
}

const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

/** GeoPackage binary: "GP", version, flags, srs_id, optional envelope, then WKB. */
export function decodeGpkgGeometry(blob: Uint8Array, limits: Limits, file: string, row: number): Geometry | null {
	const fail = (why: string, code: 'corrupt' | 'too-many-vertices' = 'corrupt'): never => {
		throw new FormatError(code, `${file}, feature ${row}: ${why}`, { file, row, field: 'geometry' });
	};
	if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) fail('the geometry is not GeoPackage binary');
	const flags = blob[3];
	if (flags & 0x20) fail('extended GeoPackage geometry types are not supported');
	const envelope = ENVELOPE_BYTES[(flags >> 1) & 7];
	if (envelope === undefined) fail('the geometry header has an invalid envelope code');
	if (flags & 0x10) return null; // empty
	try {
		return decodeWkb(blob, limits.maxVertices, 8 + envelope);
	} catch (error) {
		if (error instanceof WkbProblem) return fail(error.message, /vertices/.test(error.message) ? 'too-many-vertices' : 'corrupt');
		throw error;
	}
}
