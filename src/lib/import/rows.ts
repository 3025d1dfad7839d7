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
	| 'key_other_county'
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

function addProblem(problems: RowProblem[], row: number, field: string, code: ProblemCode, detail: string | null): void {
	problems.push({ row, field, code, detail });
}

function isBlank(value: CellValue | undefined): boolean {
	return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

const PLAIN_DECIMAL = /^-?[0-9]{1,15}(\.[0-9]{1,15})?$/;

/** "1,234", " 12 ", "12.0" → number; anything else → NaN. */
export function parseNumber(value: CellValue): number {
	if (typeof value === 'number') return value;
	if (typeof value === 'boolean') return NaN;
	// Most cells are plain decimals: Number() reads those exactly as the general rule below would.
	if (typeof value === 'string' && PLAIN_DECIMAL.test(value)) return Number(value);
	const s = String(value).trim().replace(/[,，\s]/g, '');
	if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return NaN;
	return Number(s);
}

function text(value: CellValue): string {
	return typeof value === 'string' ? value.trim() : String(value);
}

export function prepareRow(record: SourceRecord, ctx: PrepareContext): PreparedRow {
	const raw = ctx.columns.map((c) => {
		const header = ctx.mapping[c.name];
		return header ? record.fields[header] : undefined;
	});
	const lon = ctx.mapping.lon ? record.fields[ctx.mapping.lon] : undefined;
	const lat = ctx.mapping.lat ? record.fields[ctx.mapping.lat] : undefined;
	return prepareValues(record.row, raw, lon, lat, record.geometry, ctx);
}

/**
 * The same for a row of cells by file column (the CSV fast lane): `headers` are the file's, in
 * column order. Returns the preparer for rows of that file, so header lookups happen once.
 */
export function cellsPreparer(headers: readonly string[], ctx: PrepareContext): (row: number, cells: readonly (string | null)[]) => PreparedRow {
	const at = (key: string | null | undefined) => (key ? headers.indexOf(key) : -1);
	const index = ctx.columns.map((c) => at(ctx.mapping[c.name]));
	const lonAt = at(ctx.mapping.lon);
	const latAt = at(ctx.mapping.lat);
	return (row, cells) => {
		const raw: (CellValue | undefined)[] = new Array(index.length);
		for (let i = 0; i < index.length; i++) raw[i] = index[i] < 0 ? undefined : cells[index[i]];
		return prepareValues(row, raw, lonAt < 0 ? undefined : cells[lonAt], latAt < 0 ? undefined : cells[latAt], null, ctx);
	};
}

/** One row's values (in ctx.columns order, as read), coordinates and geometry → a staging row. */
function prepareValues(
	row: number,
	rawValues: readonly (CellValue | undefined)[],
	rawLon: CellValue | undefined,
	rawLat: CellValue | undefined,
	geometry: Geometry | null,
	ctx: PrepareContext
): PreparedRow {
	// No closures per row: this runs for every row of files of a million rows.
	const problems: RowProblem[] = [];
	const values: Array<string | number | null> = [];
	for (let ci = 0; ci < ctx.columns.length; ci++) {
		const column = ctx.columns[ci];
		const raw = rawValues[ci];
		const f = column.field;
		const s = raw === undefined || raw === null ? '' : text(raw);
		if (s === '') {
			// A required value with no column at all is a mapping problem (refused earlier); empty cells are row problems.
			if (f.required) addProblem(problems, row, f.key, 'required', null);
			values.push(null);
			continue;
		}
		if (privateValue(s)) {
			// Never stored, never echoed: the detail names the kind, not the value.
			addProblem(problems, row, f.key, 'private_value', privateValue(s));
			values.push(null);
			continue;
		}
		switch (f.type) {
			case 'integer': {
				const n = parseNumber(raw as CellValue);
				if (!Number.isFinite(n) || !Number.isInteger(n) || !Number.isSafeInteger(n)) {
					addProblem(problems, row, f.key, 'not_integer', s.slice(0, 40));
					values.push(null);
				} else values.push(n);
				break;
			}
			case 'real': {
				const n = parseNumber(raw as CellValue);
				if (!Number.isFinite(n)) {
					addProblem(problems, row, f.key, 'not_number', s.slice(0, 40));
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
				values.push(typeof raw === 'number' && Number.isInteger(raw) ? String(raw) : s.charCodeAt(s.length - 1) === 48 ? s.replace(/\.0+$/, '') : s);
				break;
			default:
				values.push(s);
		}
	}

	let geom: string | null = null;
	// A household's coordinates never go back to the browser, not even in a problem's detail.
	const hidePosition = ctx.target === 'households';
	if (ctx.mapping.lon && ctx.mapping.lat) {
		if (!(isBlank(rawLon) && isBlank(rawLat))) {
			const x = isBlank(rawLon) ? NaN : parseNumber(rawLon as CellValue);
			const y = isBlank(rawLat) ? NaN : parseNumber(rawLat as CellValue);
			if (!Number.isFinite(x) || !Number.isFinite(y)) {
				addProblem(problems, row, Number.isFinite(x) ? 'lat' : 'lon', 'bad_coordinates', hidePosition ? null : `${text(rawLon ?? '')}, ${text(rawLat ?? '')}`.slice(0, 60));
			} else {
				const [lon, lat] = ctx.convert(x, y);
				if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
					addProblem(problems, row, 'lon', 'bad_coordinates', hidePosition ? null : `${x}, ${y}`);
				} else geom = `SRID=4326;POINT(${lon} ${lat})`;
			}
		}
	} else if (geometry) {
		const shapeProblem = geometryShapeProblem(geometry);
		if (shapeProblem) addProblem(problems, row, 'geometry', 'bad_geometry', shapeProblem);
		else {
			const converted = convertGeometry(geometry, ctx.convert);
			const bad = geometryShapeProblem(converted, true);
			if (bad) addProblem(problems, row, 'geometry', 'bad_coordinates', bad);
			else geom = `SRID=4326;${toWkt(converted)}`;
		}
	}
	return { row, values, geom, problems };
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
