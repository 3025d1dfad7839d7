// One source record → one staging row: the mapped fields parsed to their types (category labels to
// codes), coordinates converted to WGS84, and the problems found on the way. Pure (no DB): what needs
// the database (geometry validity, county polygon, village codes, duplicates, ranges) is checked in SQL
// after staging (validate.server.ts).
import type { Geometry, Position } from 'geojson';
import type { CellValue, SourceRecord } from '../formats/types.ts';
import { categoryCode, privateValue, TARGETS, type FieldSpec, type Mapping, type TargetId } from './targets.ts';
import { convertGeometry, type PointConverter } from './coords.ts';

/** A problem with one row: the row number as the user sees it, the field, a reason code and detail. */
export interface RowProblem {
	row: number;
	field: string;
	/** Stable code (the wizard translates 'importer.reason.<code>'). */
	code: ProblemCode;
	/** The offending value or the database's reason (ST_IsValidReason), for the message. */
	detail: string | null;
}

export type ProblemCode =
	| 'required'
	| 'not_integer'
	| 'not_number'
	| 'private_value'
	| 'bad_coordinates'
	| 'bad_geometry'
	| 'no_geometry'
	| 'wrong_geometry_type'
	| 'invalid_geometry'
	| 'outside_county'
	| 'unknown_village'
	| 'village_other_county'
	| 'unknown_township'
	| 'bad_category'
	| 'bad_code'
	| 'duplicate_in_file'
	| 'duplicate_in_table'
	| 'below_min'
	| 'above_max'
	| 'more_than_members'
	| 'before_field'
	| 'unknown_site'
	| 'relocated_without_site'
	| 'site_without_relocation';

/** A staging column: the target column it fills and its SQL type in the staging table. */
export interface StageColumn {
	name: string;
	sqlType: 'text' | 'bigint' | 'double precision';
	field: FieldSpec;
}

/** The staging columns of a target (every mapped-able field except lon/lat, which become `geom`). */
export function stageColumns(target: TargetId): StageColumn[] {
	return TARGETS[target].fields
		.filter((f) => f.key !== 'lon' && f.key !== 'lat')
		.map((field) => ({
			name: field.key,
			sqlType: field.type === 'integer' ? 'bigint' : field.type === 'real' ? 'double precision' : 'text',
			field
		}));
}

export interface PrepareContext {
	target: TargetId;
	mapping: Mapping;
	columns: StageColumn[];
	convert: PointConverter;
}

export interface PreparedRow {
	row: number;
	/** One value per staging column (same order), already typed. */
	values: Array<string | number | null>;
	/** EWKT in EPSG:4326, or null. */
	geom: string | null;
	problems: RowProblem[];
}

function isBlank(value: CellValue | undefined): boolean {
	return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** "1,234", " 12 ", "12.0" → number; anything else → NaN. */
export function parseNumber(value: CellValue): number {
	if (typeof value === 'number') return value;
	if (typeof value === 'boolean') return NaN;
	const s = String(value).trim().replace(/[,，\s]/g, '');
	if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return NaN;
	return Number(s);
}

function text(value: CellValue): string {
	return typeof value === 'string' ? value.trim() : String(value);
}

export function prepareRow(record: SourceRecord, ctx: PrepareContext): PreparedRow {
	const problems: RowProblem[] = [];
	const problem = (field: string, code: ProblemCode, detail: string | null = null) => problems.push({ row: record.row, field, code, detail });
	const values: Array<string | number | null> = [];
	for (const column of ctx.columns) {
		const header = ctx.mapping[column.name];
		const raw = header ? record.fields[header] : undefined;
		const f = column.field;
		if (raw === undefined || isBlank(raw)) {
			// A required value with no column at all is a mapping problem (refused earlier); empty cells are row problems.
			if (f.required) problem(f.key, 'required');
			values.push(null);
			continue;
		}
		const s = text(raw as CellValue);
		if (privateValue(s)) {
			// Never stored, never echoed: the detail names the kind, not the value.
			problem(f.key, 'private_value', privateValue(s));
			values.push(null);
			continue;
		}
		switch (f.type) {
			case 'integer': {
				const n = parseNumber(raw as CellValue);
				if (!Number.isFinite(n) || !Number.isInteger(n) || !Number.isSafeInteger(n)) {
					problem(f.key, 'not_integer', s.slice(0, 40));
					values.push(null);
				} else values.push(n);
				break;
			}
			case 'real': {
				const n = parseNumber(raw as CellValue);
				if (!Number.isFinite(n)) {
					problem(f.key, 'not_number', s.slice(0, 40));
					values.push(null);
				} else values.push(n);
				break;
			}
			case 'category':
				// Unknown labels stay as written: the SQL check reports them as a bad category.
				values.push(categoryCode(f.categories!, s) ?? s);
				break;
			case 'village_code':
			case 'township_code':
				// Spreadsheets turn codes into numbers ("3.60731e11"); a whole number is read back as its digits.
				values.push(typeof raw === 'number' && Number.isInteger(raw) ? String(raw) : s.replace(/\.0+$/, ''));
				break;
			default:
				values.push(s);
		}
	}

	let geom: string | null = null;
	// A household's coordinates never go back to the browser, not even in a problem's detail.
	const hidePosition = ctx.target === 'households';
	const lonHeader = ctx.mapping.lon;
	const latHeader = ctx.mapping.lat;
	if (lonHeader && latHeader) {
		const rawLon = record.fields[lonHeader];
		const rawLat = record.fields[latHeader];
		if (!(isBlank(rawLon) && isBlank(rawLat))) {
			const x = isBlank(rawLon) ? NaN : parseNumber(rawLon as CellValue);
			const y = isBlank(rawLat) ? NaN : parseNumber(rawLat as CellValue);
			if (!Number.isFinite(x) || !Number.isFinite(y)) {
				problem(Number.isFinite(x) ? 'lat' : 'lon', 'bad_coordinates', hidePosition ? null : `${text(rawLon ?? '')}, ${text(rawLat ?? '')}`.slice(0, 60));
			} else {
				const [lon, lat] = ctx.convert(x, y);
				if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
					problem('lon', 'bad_coordinates', hidePosition ? null : `${x}, ${y}`);
				} else geom = `SRID=4326;POINT(${lon} ${lat})`;
			}
		}
	} else if (record.geometry) {
		const shapeProblem = geometryShapeProblem(record.geometry);
		if (shapeProblem) problem('geometry', 'bad_geometry', shapeProblem);
		else {
			const converted = convertGeometry(record.geometry, ctx.convert);
			const bad = geometryShapeProblem(converted, true);
			if (bad) problem('geometry', 'bad_coordinates', bad);
			else geom = `SRID=4326;${toWkt(converted)}`;
		}
	}
	return { row: record.row, values, geom, problems };
}

/**
 * What PostGIS would refuse on input (and so abort a whole COPY): non-finite numbers, lines with fewer
 * than 2 points, rings not closed or with fewer than 4 points, empty collections. Null when fine.
 */
export function geometryShapeProblem(g: Geometry, degrees = false): string | null {
	const pos = (p: Position): string | null => {
		if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) return 'a coordinate is not a number';
		if (degrees && (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90)) return `coordinate ${p[0]}, ${p[1]} is not a longitude/latitude`;
		return null;
	};
	const line = (l: Position[]): string | null => {
		if (!Array.isArray(l) || l.length < 2) return 'a line has fewer than 2 points';
		for (const p of l) {
			const e = pos(p);
			if (e) return e;
		}
		return null;
	};
	const ring = (r: Position[]): string | null => {
		if (!Array.isArray(r) || r.length < 4) return 'a polygon ring has fewer than 4 points';
		const e = line(r);
		if (e) return e;
		const a = r[0];
		const b = r[r.length - 1];
		if (a[0] !== b[0] || a[1] !== b[1]) return 'a polygon ring is not closed';
		return null;
	};
	const poly = (rings: Position[][]): string | null => {
		if (!Array.isArray(rings) || rings.length === 0) return 'a polygon has no rings';
		for (const r of rings) {
			const e = ring(r);
			if (e) return e;
		}
		return null;
	};
	const first = <T>(items: T[], check: (t: T) => string | null): string | null => {
		if (!Array.isArray(items) || items.length === 0) return 'the geometry is empty';
		for (const item of items) {
			const e = check(item);
			if (e) return e;
		}
		return null;
	};
	switch (g.type) {
		case 'Point':
			return pos(g.coordinates);
		case 'MultiPoint':
			return first(g.coordinates, pos);
		case 'LineString':
			return line(g.coordinates);
		case 'MultiLineString':
			return first(g.coordinates, line);
		case 'Polygon':
			return poly(g.coordinates);
		case 'MultiPolygon':
			return first(g.coordinates, poly);
		case 'GeometryCollection':
			return first(g.geometries, (x) => geometryShapeProblem(x, degrees));
		default:
			return 'unknown geometry type';
	}
}

const ptxt = (p: Position) => `${p[0]} ${p[1]}`;
const ltxt = (l: Position[]) => `(${l.map(ptxt).join(',')})`;
const ptext = (rings: Position[][]) => `(${rings.map(ltxt).join(',')})`;

/** GeoJSON geometry → WKT (2D). */
export function toWkt(g: Geometry): string {
	switch (g.type) {
		case 'Point':
			return `POINT(${ptxt(g.coordinates)})`;
		case 'MultiPoint':
			return `MULTIPOINT(${g.coordinates.map((p) => `(${ptxt(p)})`).join(',')})`;
		case 'LineString':
			return `LINESTRING${ltxt(g.coordinates)}`;
		case 'MultiLineString':
			return `MULTILINESTRING(${g.coordinates.map(ltxt).join(',')})`;
		case 'Polygon':
			return `POLYGON${ptext(g.coordinates)}`;
		case 'MultiPolygon':
			return `MULTIPOLYGON(${g.coordinates.map(ptext).join(',')})`;
		case 'GeometryCollection':
			return `GEOMETRYCOLLECTION(${g.geometries.map(toWkt).join(',')})`;
	}
}
