// The import pipeline: parse → map → convert → stage → validate (in SQL) → report; then commit (one
// transaction) or discard; history and undo.
//
// Staging: each upload gets two unlogged tables in schema import_staging (migration 0004):
//   s_<id>  one row per source record: row number, the mapped fields typed, the geometry in 4326 and the
//           problems found while parsing (JSON);
//   p_<id>  one row per problem {row_no, field, code, detail}, from parsing and from the SQL checks.
// Rows stream from the reader into s_<id> in batches (COPY on the server, unnest() inserts on PGlite), so
// memory stays bounded whatever the file size. Nothing touches a target table before commit, and the
// commit is one transaction: every valid row and the batch row, or nothing.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { FeatureCollection } from 'geojson';
import type { Database } from '../server/db/types.ts';
import type { DatabaseHandle } from '../server/db/open.ts';
import type { RecordSource } from '../formats/types.ts';
import { TARGETS, ROAD_CLASS_SPEED, autoMap, checkMapping, type Mapping, type PrivacyKind, type TargetId } from './targets.ts';
import { checkAxes, converterFor, firstPosition, type AxisCheck, type BBox, type CrsId } from './coords.ts';
import { IrregularCsv } from '../formats/read/csv-rows.ts';
import { cellsPreparer, prepareRow, stageColumns, type PreparedRow, type ProblemCode, type RowProblem, type StageColumn } from './rows.ts';

/**
 * 'insert': every row is new (a key already in the table is a problem). 'upsert': a row whose natural
 * key is already in the county's table updates that row's mapped columns, the others are inserted —
 * the annual re-export of a county's registry. Only targets with a key (TargetSpec.key) can upsert.
 */
export type ImportMode = 'insert' | 'upsert';
export const IMPORT_MODES: readonly ImportMode[] = ['insert', 'upsert'];

export interface ValidateOptions {
	/** Upload id: lower-case hex, names the staging tables. */
	uploadId: string;
	target: TargetId;
	county: string;
	mapping: Mapping;
	crs: CrsId;
	/** Default 'insert'. */
	mode?: ImportMode;
	/** Exchange x and y before converting (the user accepted the swap the report offered). */
	swap?: boolean;
	/** Repair invalid geometries with ST_MakeValid instead of rejecting them. */
	repair?: boolean;
	/** Problems listed in the report (all of them are in the CSV). */
	maxProblems?: number;
	/** Rows per staging write. */
	batchRows?: number;
	progress?: (p: ImportProgress) => void;
	signal?: AbortSignal;
}

export interface ImportProgress {
	phase: 'reading' | 'validating' | 'committing' | 'done' | 'failed';
	rows: number;
	/** Fraction done when the total is known, else null. */
	fraction: number | null;
}

export interface ImportReport {
	uploadId: string;
	fileName: string;
	format: RecordSource['format'];
	encoding: string | null;
	target: TargetId;
	county: string;
	crs: CrsId;
	swap: boolean;
	repair: boolean;
	mode: ImportMode;
	/**
	 * Target fields the file fills ('geometry' when it brings coordinates or geometries). An upsert
	 * updates only these columns of an existing row; the others keep their stored values.
	 */
	mapped: string[];
	/** valid = inserts + updates (updates is 0 in insert mode). */
	counts: { read: number; valid: number; rejected: number; problems: number; repaired: number; fromVillage: number; inserts: number; updates: number };
	byCode: Partial<Record<ProblemCode, number>>;
	problems: RowProblem[];
	/** Columns never read because they look like personal identifiers. */
	dropped: Array<{ header: string; kind: PrivacyKind }>;
	/** File columns not mapped to any field (not imported). */
	ignored: string[];
	axes: AxisCheck;
	/** Preview for the map: valid/invalid features (households: per-village counts, never points). */
	preview: FeatureCollection;
	validatedAt: string;
	/** Where the time went (ms): reading + staging, the SQL checks (per step), building the report. */
	timings?: { stageMs: number; checkMs: number; reportMs: number; steps: Record<string, number>; lane: 'rows' | 'records' };
}

export class ImportError extends Error {
	constructor(
		readonly code: 'mapping' | 'county' | 'no-validation' | 'has-invalid' | 'commit-failed' | 'undo-refused' | 'not-found' | 'empty',
		message: string,
		readonly details: unknown = null
	) {
		super(message);
		this.name = 'ImportError';
	}
}

const UPLOAD_ID = /^[0-9a-f]{8,32}$/;

function checkedId(uploadId: string): string {
	if (!UPLOAD_ID.test(uploadId)) throw new ImportError('not-found', `bad upload id ${uploadId}`);
	return uploadId;
}

/** The staging table of an upload (s_<id>) and its problem table (p_<id>). */
export function stagingTables(uploadId: string): { rows: RawBuilder<unknown>; problems: RawBuilder<unknown>; county: RawBuilder<unknown>; rowsName: string } {
	const id = checkedId(uploadId);
	return {
		rows: sql.id('import_staging', `s_${id}`),
		problems: sql.id('import_staging', `p_${id}`),
		county: sql.id('import_staging', `c_${id}`),
		rowsName: `s_${id}`
	};
}

/** Drop an upload's staging tables (after commit, on discard, on expiry). */
export async function dropStaging(db: Kysely<Database>, uploadId: string): Promise<void> {
	const t = stagingTables(uploadId);
	await sql`drop table if exists ${t.rows}`.execute(db);
	await sql`drop table if exists ${t.problems}`.execute(db);
	await sql`drop table if exists ${t.county}`.execute(db);
}

/** Staging tables left by uploads (for expiry clean-up). */
export async function stagedUploadIds(db: Kysely<Database>): Promise<string[]> {
	const { rows } = await sql<{ name: string }>`
		select tablename as name from pg_tables where schemaname = 'import_staging' and tablename like 's\\_%'`.execute(db);
	return rows.map((r) => r.name.slice(2));
}

async function countyBox(db: Kysely<Database>, county: string): Promise<BBox> {
	const { rows } = await sql<{ box: number[] | null }>`
		select array[ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)]::float8[] as box
		from regions where code = ${county} and level = 'county' and geom is not null`.execute(db);
	if (!rows[0]?.box) throw new ImportError('county', `county ${county} is not in the database (or has no boundary)`);
	return rows[0].box.map(Number) as BBox;
}

/** COPY text format: backslash, tab, newline and carriage return escaped; null as \N. */
function copyValue(v: string | number | null): string {
	if (v === null) return '\\N';
	if (typeof v === 'number') return String(v);
	return v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

function copyLine(r: PreparedRow): string {
	const problems = r.problems.length ? JSON.stringify(r.problems.map((p) => [p.field, p.code, p.detail])) : null;
	return `${r.row}\t${r.values.map(copyValue).join('\t')}\t${copyValue(r.geom)}\t${copyValue(problems)}\n`;
}

async function insertBatch(db: Kysely<Database>, table: RawBuilder<unknown>, columns: StageColumn[], batch: PreparedRow[]): Promise<void> {
	// One array parameter per column: no parameter-count limit, one statement per batch.
	const arrays = columns.map((_, i) => batch.map((r) => r.values[i]));
	const cols = columns.map((c, i) => sql`${arrays[i]}::${sql.raw(c.sqlType)}[]`);
	const names = sql.raw(columns.map((c) => `"${c.name}"`).join(', '));
	await sql`insert into ${table} (row_no, ${names}, geom, problems)
		select r, ${sql.raw(columns.map((_, i) => `c${i}`).join(', '))}, g::geometry, p
		from unnest(${batch.map((r) => r.row)}::int[], ${sql.join(cols)}, ${batch.map((r) => r.geom)}::text[],
		            ${batch.map((r) => (r.problems.length ? JSON.stringify(r.problems.map((p) => [p.field, p.code, p.detail])) : null))}::text[])
		  as t(r, ${sql.raw(columns.map((_, i) => `c${i}`).join(', '))}, g, p)`.execute(db);
}

/**
 * Stream the source into the staging table and validate it. Writes nothing to the target table.
 * Throws ImportError for a bad mapping or county, FormatError (from the reader) for a bad file.
 */
export async function validateImport(handle: DatabaseHandle, source: RecordSource, options: ValidateOptions): Promise<ImportReport> {
	const { db } = handle;
	const startedAt = performance.now();
	const timings: Record<string, number> = {};
	const spec = TARGETS[options.target];
	const mode = options.mode ?? 'insert';
	if (!IMPORT_MODES.includes(mode)) throw new ImportError('mapping', `mode must be one of ${IMPORT_MODES.join(', ')}`);
	if (mode === 'upsert' && !spec.key)
		throw new ImportError('mapping', `${options.target} rows have no code to match existing rows by, so they can only be added (mode insert)`);
	const hasGeometry = source.format !== 'csv' && source.format !== 'xlsx';
	const mappingProblems = checkMapping(options.mapping, source.headers, options.target, hasGeometry);
	if (mappingProblems.length)
		throw new ImportError('mapping', `${source.fileName}: ${mappingProblems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`, mappingProblems);
	if (!/^[0-9]{6}$/.test(options.county)) throw new ImportError('county', `county must be a 6-digit code, got ${options.county}`);
	const box = await countyBox(db, options.county);
	const crs = options.crs;
	const convert = converterFor(crs, { proj4: source.crs?.proj4 ?? null, swap: options.swap });
	const columns = stageColumns(options.target);
	const mapping: Mapping = Object.fromEntries(spec.fields.map((f) => [f.key, options.mapping[f.key] ?? null]));
	const ctx = { target: options.target, mapping, columns, convert };
	const t = stagingTables(options.uploadId);
	const progress = options.progress ?? (() => {});
	const total = source.count;

	await dropStaging(db, options.uploadId);
	await sql`create unlogged table ${t.rows} (
		row_no integer not null,
		${sql.raw(columns.map((c) => `"${c.name}" ${c.sqlType}`).join(',\n'))},
		geom geometry,
		problems text,
		from_village boolean not null default false,
		repaired boolean not null default false,
		existing boolean not null default false)`.execute(db);
	await sql`create unlogged table ${t.problems} (row_no integer not null, field text not null, code text not null, detail text)`.execute(db);

	// Axis check on the raw positions of the first rows (before any conversion), in degrees only.
	let axisSample: Array<[number, number]> = [];
	const sampleAxes = crs !== 'projected' && !options.swap;
	let read = 0;
	const counted = (n: number) => {
		if (options.signal?.aborted) throw new Error('import cancelled');
		const before = read;
		read += n;
		if (Math.floor(read / 5000) > Math.floor(before / 5000)) progress({ phase: 'reading', rows: read, fraction: total ? Math.min(1, read / total) : null });
	};
	// The general lane: records from any reader, prepared one by one, in batches.
	const fromRecords = async function* (): AsyncGenerator<PreparedRow[]> {
		let batch: PreparedRow[] = [];
		for await (const record of source.records()) {
			if (sampleAxes && axisSample.length < 2000) {
				const p = rawPosition(record, mapping);
				if (p) axisSample.push(p);
			}
			counted(1);
			batch.push(prepareRow(record, ctx));
			if (batch.length >= 1000) {
				yield batch;
				batch = [];
			}
		}
		if (batch.length) yield batch;
	};
	// The CSV fast lane: cell arrays straight from the file (formats/read/csv-rows.ts), no record objects.
	const fromRows = async function* (rows: AsyncIterable<Array<{ row: number; cells: (string | null)[] }>>): AsyncGenerator<PreparedRow[]> {
		const prepare = cellsPreparer(source.headers, ctx);
		const lonAt = mapping.lon ? source.headers.indexOf(mapping.lon) : -1;
		const latAt = mapping.lat ? source.headers.indexOf(mapping.lat) : -1;
		for await (const batch of rows) {
			counted(batch.length);
			const out: PreparedRow[] = new Array(batch.length);
			for (let i = 0; i < batch.length; i++) {
				const r = batch[i];
				if (sampleAxes && axisSample.length < 2000 && lonAt >= 0 && latAt >= 0) {
					const x = Number(r.cells[lonAt]);
					const y = Number(r.cells[latAt]);
					if (Number.isFinite(x) && Number.isFinite(y) && !(x === 0 && y === 0) && r.cells[lonAt] !== null && r.cells[latAt] !== null) axisSample.push([x, y]);
				}
				out[i] = prepare(r.row, r.cells);
			}
			yield out;
		}
	};

	const copyColumns = ['row_no', ...columns.map((c) => `"${c.name}"`), 'geom', 'problems'].join(', ');
	const stage = async (batches: AsyncGenerator<PreparedRow[]>) => {
		if (handle.copyIn) {
			const lines = async function* (): AsyncGenerator<string> {
				// Chunks of ~256 kB: few stream writes and COPY data messages per row, yet short-lived.
				let chunk = '';
				for await (const batch of batches)
					for (const r of batch) {
						chunk += copyLine(r);
						if (chunk.length >= 1 << 18) {
							yield chunk;
							chunk = '';
						}
					}
				if (chunk) yield chunk;
			};
			await handle.copyIn(`COPY import_staging.${t.rowsName} (${copyColumns}) FROM STDIN`, lines());
		} else {
			const size = options.batchRows ?? 2000;
			let pending: PreparedRow[] = [];
			for await (const batch of batches) {
				pending = pending.length ? pending.concat(batch) : batch;
				while (pending.length >= size) {
					await insertBatch(db, t.rows, columns, pending.slice(0, size));
					pending = pending.slice(size);
				}
			}
			if (pending.length) await insertBatch(db, t.rows, columns, pending);
		}
	};
	let lane: 'rows' | 'records' = source.rows ? 'rows' : 'records';
	if (source.rows) {
		try {
			await stage(fromRows(source.rows()));
		} catch (err) {
			if (!(err instanceof IrregularCsv)) throw err;
			// Not plainly well formed: start again with the general reader, which says what is wrong where.
			await sql`truncate ${t.rows}`.execute(db);
			read = 0;
			axisSample = [];
			lane = 'records';
		}
	}
	if (lane === 'records') await stage(fromRecords());
	// Fresh statistics, so the checks' joins are planned for the real row count, not an empty table's.
	await sql`analyze ${t.rows}`.execute(db);
	const stagedAt = performance.now();
	progress({ phase: 'validating', rows: read, fraction: null });
	const axes = sampleAxes ? checkAxes(axisSample, box) : { points: 0, inCounty: 0, inCountySwapped: 0, inChina: 0, inChinaSwapped: 0, verdict: 'ok' as const };

	const mapped = mappedFields(mapping, hasGeometry);
	const { repaired, fromVillage } = await runChecks(db, t, options.target, options.county, !!options.repair, timings, { mode, mapped });
	const checkedAt = performance.now();
	const report = await buildReport(db, t, { ...options, mode }, mapped, source, axes, { repaired, fromVillage }, autoMapExtras(source, options));
	report.timings = { stageMs: Math.round(stagedAt - startedAt), checkMs: Math.round(checkedAt - stagedAt), reportMs: Math.round(performance.now() - checkedAt), steps: timings, lane };
	progress({ phase: 'done', rows: read, fraction: 1 });
	return report;
}

/** The target fields a file fills: mapped columns, and 'geometry' for coordinates or a geometry format. */
function mappedFields(mapping: Mapping, hasGeometry: boolean): string[] {
	const fields = Object.entries(mapping)
		.filter(([key, header]) => header && key !== 'lon' && key !== 'lat')
		.map(([key]) => key);
	if (hasGeometry || (mapping.lon && mapping.lat)) fields.push('geometry');
	return fields;
}

function autoMapExtras(source: RecordSource, options: ValidateOptions) {
	const mapped = new Set(Object.values(options.mapping).filter((h): h is string => !!h));
	const { dropped } = autoMap(source.headers, options.target);
	const droppedSet = new Set(dropped.map((d) => d.header));
	return { dropped, ignored: source.headers.filter((h) => !mapped.has(h) && !droppedSet.has(h)) };
}

function rawPosition(record: { fields: Record<string, unknown>; geometry: import('geojson').Geometry | null }, mapping: Mapping): [number, number] | null {
	if (mapping.lon && mapping.lat) {
		const x = Number(record.fields[mapping.lon]);
		const y = Number(record.fields[mapping.lat]);
		return Number.isFinite(x) && Number.isFinite(y) && !(x === 0 && y === 0) ? [x, y] : null;
	}
	return record.geometry ? firstPosition(record.geometry) : null;
}

type Tables = ReturnType<typeof stagingTables>;

/** The SQL checks. Each adds rows to p_<id>; none writes outside the staging schema. */
async function runChecks(
	db: Kysely<Database>,
	t: Tables,
	target: TargetId,
	county: string,
	repair: boolean,
	timings: Record<string, number> = {},
	upsert: { mode: ImportMode; mapped: string[] } = { mode: 'insert', mapped: [] }
): Promise<{ repaired: number; fromVillage: number }> {
	let mark = performance.now();
	const step = (name: string) => {
		const now = performance.now();
		timings[name] = Math.round(now - mark);
		mark = now;
	};
	const spec = TARGETS[target];
	const columns = stageColumns(target);
	const has = (name: string) => columns.some((c) => c.name === name);

	// 1. Problems found while parsing.
	await sql`insert into ${t.problems} (row_no, field, code, detail)
		select s.row_no, e->>0, e->>1, e->>2 from ${t.rows} s, jsonb_array_elements(s.problems::jsonb) e
		where s.problems is not null`.execute(db);
	step('parse-problems');

	// 1b. Upsert: mark the rows whose key is already in the county's table, and give them the stored
	//     values of the columns the file does not fill (geometry included when a row has none), so the
	//     rules that compare fields (working-age ≤ members, a site when relocated, exit ≥ registration)
	//     judge the row as it will be after the update. The commit still writes only the mapped columns.
	if (upsert.mode === 'upsert' && spec.key) {
		const key = spec.key;
		const unmapped = columns.filter((c) => c.name !== key && !upsert.mapped.includes(c.name));
		const fill = unmapped.map((c) => sql`${sql.id(c.name)} = x.${sql.id(c.name)}`);
		await sql`update ${t.rows} s set existing = true, geom = coalesce(s.geom, x.geom) ${fill.length ? sql`, ${sql.join(fill)}` : sql``}
			from ${sql.table(target)} x where x.${sql.id(key)} = s.${sql.id(key)} and x.county_code = ${county}`.execute(db);
		step('existing-rows');
	}

	// 2. Rows without coordinates take their village's point (joined by the 12-digit code).
	let fromVillage = 0;
	if (spec.pointFromVillage && has('village_code')) {
		const r = await sql`update ${t.rows} s set geom = v.geom, from_village = true
			from villages v where s.geom is null and s.village_code = v.code and v.county_code = ${county}
			and not exists (select 1 from ${t.problems} p where p.row_no = s.row_no and p.field in ('lon', 'lat', 'geometry'))`.execute(db);
		fromVillage = Number(r.numAffectedRows ?? 0);
	}
	step('village-points');

	// 3. Geometry to the target's type where that is lossless: one-point MultiPoint → Point,
	//    MultiLineString that merges into one line → LineString, Polygon → MultiPolygon.
	if (spec.geometry === 'Point')
		await sql`update ${t.rows} set geom = ST_GeometryN(geom, 1) where GeometryType(geom) = 'MULTIPOINT' and ST_NumGeometries(geom) = 1`.execute(db);
	if (spec.geometry === 'LineString')
		await sql`update ${t.rows} set geom = ST_LineMerge(geom) where GeometryType(geom) = 'MULTILINESTRING' and GeometryType(ST_LineMerge(geom)) = 'LINESTRING'`.execute(db);
	if (spec.geometry === 'MultiPolygon') await sql`update ${t.rows} set geom = ST_Multi(geom) where GeometryType(geom) = 'POLYGON'`.execute(db);
	step('geometry-types');

	// 4. Opt-in repair of invalid geometry (kept only when it stays the target's type).
	let repaired = 0;
	if (repair) {
		const dim = spec.geometry === 'Point' ? 1 : spec.geometry === 'LineString' ? 2 : 3;
		const fix =
			spec.geometry === 'MultiPolygon'
				? sql`ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), ${sql.lit(dim)}))`
				: spec.geometry === 'LineString'
					? sql`ST_LineMerge(ST_CollectionExtract(ST_MakeValid(geom), ${sql.lit(dim)}))`
					: sql`ST_MakeValid(geom)`;
		const r = await sql`update ${t.rows} set geom = ${fix}, repaired = true where geom is not null and not ST_IsValid(geom)`.execute(db);
		repaired = Number(r.numAffectedRows ?? 0);
	}

	// The county outline, once, as a one-row table. Every row is tested against this same polygon, so
	// PostGIS keeps it detoasted and indexed (its prepared-geometry / point-in-polygon cache) across
	// rows: measured 4× faster than probing a GiST index of ST_Subdivide pieces, where each row meets a
	// different piece and nothing is reused.
	await sql`drop table if exists ${t.county}`.execute(db);
	await sql`create unlogged table ${t.county} as
		select geom from regions where code = ${county} and level = 'county'`.execute(db);
	step('county-outline');

	// 5. Per-row checks, set-based. Rules that only look at the row's own values ("cheap") run in one
	//    scan: a WHERE that ORs them keeps just the rows breaking at least one, and only those rows are
	//    expanded into one problem per broken rule (a LATERAL VALUES list). Rules that look elsewhere
	//    (village codes, household codes, sites, the county outline) each run as one INSERT … SELECT
	//    that the planner turns into a hash anti/semi join or an index probe, never a per-row round trip.
	const expected = spec.geometry.toUpperCase();
	const gType = sql`GeometryType(s.geom)`;
	// A point with finite coordinates (checked while parsing) is valid: skip GEOS for points.
	const gValid = sql`(GeometryType(s.geom) = 'POINT' or ST_IsValid(s.geom))`;
	// A rule's detail is only computed for the rows that break it: details such as ST_IsValidReason
	// are far dearer than the tests themselves.
	const cheap: Array<{ field: string; code: ProblemCode; when: RawBuilder<unknown>; detail: RawBuilder<unknown> }> = [];
	const probes: Array<{ field: string; code: ProblemCode; when: RawBuilder<unknown>; detail: RawBuilder<unknown> }> = [];
	const rule = (field: string, code: ProblemCode, when: RawBuilder<unknown>, detail: RawBuilder<unknown> = sql`null`) =>
		cheap.push({ field, code, when, detail });
	const probe = (field: string, code: ProblemCode, when: RawBuilder<unknown>, detail: RawBuilder<unknown> = sql`null`) =>
		probes.push({ field, code, when, detail });
	const col = (name: string) => sql.ref(`s.${name}`);

	if (spec.geometryRequired)
		probe('geometry', 'no_geometry', sql`s.geom is null
			and not exists (select 1 from ${t.problems} p where p.row_no = s.row_no and p.field in ('lon', 'lat', 'geometry'))`);
	rule('geometry', 'wrong_geometry_type', sql`s.geom is not null and ${gType} <> ${expected}`, gType);
	rule('geometry', 'invalid_geometry', sql`s.geom is not null and ${gType} = ${expected} and not ${gValid}`, sql`ST_IsValidReason(s.geom)`);
	probe(
		'geometry',
		'outside_county',
		sql`s.geom is not null and ${gType} = ${expected} and ${gValid}
			and not ST_Intersects((select c.geom from ${t.county} c limit 1), s.geom)`,
		// Never echo a household's position (it would leave the server in the report).
		target === 'households' ? sql`null` : sql`round(ST_X(ST_PointOnSurface(s.geom))::numeric, 5) || ', ' || round(ST_Y(ST_PointOnSurface(s.geom))::numeric, 5)`
	);

	for (const c of columns) {
		const f = c.field;
		const v = col(c.name);
		if (f.type === 'category') rule(f.key, 'bad_category', sql`${v} is not null and not (${v} = any(${Object.keys(f.categories!)}::text[]))`, v);
		if (f.type === 'integer' || f.type === 'real') {
			if (f.min !== undefined) rule(f.key, 'below_min', sql`${v} < ${sql.lit(f.min)}`, v);
			if (typeof f.max === 'number') rule(f.key, 'above_max', sql`${v} > ${sql.lit(f.max)}`, v);
			if (f.max === 'members') rule(f.key, 'more_than_members', sql`${v} > s.members`, sql`${v}::text || ' > ' || s.members::text`);
			if (f.minField) rule(f.key, 'before_field', sql`${v} < ${col(f.minField)}`, sql`${v}::text || ' < ' || ${col(f.minField)}::text`);
		}
		if (f.type === 'village_code') {
			rule(f.key, 'bad_code', sql`${v} is not null and ${v} !~ '^[0-9]{12}$'`, v);
			rule(f.key, 'village_other_county', sql`${v} ~ '^[0-9]{12}$' and left(${v}, 6) <> ${county}`, v);
			if (target === 'villages') {
				probe(f.key, 'unknown_village', sql`${v} ~ '^[0-9]{12}$' and left(${v}, 6) = ${county}
					and not exists (select 1 from regions r where r.code = ${v} and r.level = 'village')`, v);
				if (upsert.mode === 'insert') probe(f.key, 'duplicate_in_table', sql`exists (select 1 from villages x where x.code = ${v})`, v);
			} else {
				probe(f.key, 'unknown_village', sql`${v} ~ '^[0-9]{12}$' and left(${v}, 6) = ${county}
					and not exists (select 1 from villages x where x.code = ${v})`, v);
			}
		}
		if (f.type === 'township_code') {
			rule(f.key, 'bad_code', sql`${v} is not null and ${v} !~ '^[0-9]{9}$'`, v);
			probe(f.key, 'unknown_township', sql`${v} ~ '^[0-9]{9}$' and not exists (
				select 1 from regions r where r.code = ${v} and r.level = 'township' and r.county_code = ${county})`, v);
		}
	}
	if (target === 'households') {
		// The registry number never enters Lantu: codes are pseudonyms (same rule as the table's CHECK).
		rule('code', 'bad_code', sql`s.code is not null and (s.code !~ '^[A-Za-z0-9_-]{4,40}$' or s.code ~ '^[0-9]{15,18}[0-9Xx]?$')`, sql`left(s.code, 40)`);
		if (upsert.mode === 'insert') probe('code', 'duplicate_in_table', sql`exists (select 1 from households x where x.code = s.code)`, sql`s.code`);
		probe('target_site_id', 'unknown_site', sql`s.target_site_id is not null and not exists (
			select 1 from relocation_sites r where r.id = s.target_site_id and r.county_code = ${county})`, sql`s.target_site_id`);
		rule('target_site_id', 'relocated_without_site', sql`s.relocation_status = 'relocated' and s.target_site_id is null`);
		rule('target_site_id', 'site_without_relocation', sql`coalesce(s.relocation_status, 'none') = 'none' and s.target_site_id is not null`, sql`s.target_site_id`);
	}

	// An upsert updates rows of the chosen county only: a key held by another county's row is refused.
	// (A village's code names its county, so village_other_county already refuses those rows.)
	if (upsert.mode === 'upsert' && spec.key && target !== 'villages') {
		const key = spec.key;
		probe(key, 'key_other_county', sql`exists (select 1 from ${sql.table(target)} x where x.${sql.id(key)} = ${col(key)} and x.county_code <> ${county})`, sql`(select x.county_code from ${sql.table(target)} x where x.${sql.id(key)} = ${col(key)} limit 1)`);
	}

	// The no-geometry rule reads the parse problems only: run the probes before the cheap pass adds more.
	for (const p of probes) {
		await sql`insert into ${t.problems} (row_no, field, code, detail)
			select s.row_no, ${p.field}, ${p.code}, (${p.detail})::text from ${t.rows} s where ${p.when}`.execute(db);
		step(`probe-${p.field}-${p.code}`);
	}
	const values = cheap.map((r, i) => sql`(${sql.lit(i)}, ${r.field}, case when ${r.when} then ${r.code} end)`);
	const details = cheap.map((r, i) => sql`when ${sql.lit(i)} then (${r.detail})::text`);
	const anyBroken = sql.join(
		cheap.map((r) => sql`coalesce(${r.when}, false)`),
		sql` or `
	);
	const rowRules = sql`select s.row_no, r.field, r.code, case r.rule ${sql.join(details, sql` `)} end
		from ${t.rows} s
		cross join lateral (values ${sql.join(values)}) as r(rule, field, code)
		where (${anyBroken}) and r.code is not null`;
	if (process.env.LANTU_IMPORT_EXPLAIN) {
		const { rows } = await sql<Record<string, string>>`explain (analyze, costs off) ${rowRules}`.execute(db);
		console.log(rows.map((r) => Object.values(r)[0]).join('\n'));
	}
	await sql`insert into ${t.problems} (row_no, field, code, detail) ${rowRules}`.execute(db);
	step('row-rules');

	// 6. Duplicate keys within the file: every repeat names the row that came first.
	if (spec.key) {
		const key = sql.ref(`d.${spec.key}`);
		await sql`insert into ${t.problems} (row_no, field, code, detail)
			select d.row_no, ${spec.key}, 'duplicate_in_file', 'row ' || d.first::text
			from (select row_no, ${sql.ref(spec.key)}, min(row_no) over (partition by ${sql.ref(spec.key)}) as first
			      from ${t.rows} where ${sql.ref(spec.key)} is not null) d
			where d.row_no <> d.first and ${key} is not null`.execute(db);
	}
	step('duplicates');
	await sql`create index on ${t.problems} (row_no)`.execute(db);
	await sql`analyze ${t.problems}`.execute(db);
	step('problem-index');
	return { repaired, fromVillage };
}

async function buildReport(
	db: Kysely<Database>,
	t: Tables,
	options: ValidateOptions & { mode: ImportMode },
	mapped: string[],
	source: RecordSource,
	axes: AxisCheck,
	extra: { repaired: number; fromVillage: number },
	columns: { dropped: ImportReport['dropped']; ignored: string[] }
): Promise<ImportReport> {
	const { rows: countRows } = await sql<{ read: number; rejected: number; problems: number; updates: number }>`
		select (select count(*) from ${t.rows})::int as read,
		       (select count(distinct row_no) from ${t.problems})::int as rejected,
		       (select count(*) from ${t.problems})::int as problems,
		       (select count(*) from ${t.rows} s where s.existing
		          and not exists (select 1 from ${t.problems} p where p.row_no = s.row_no))::int as updates`.execute(db);
	const { read, rejected, problems, updates } = countRows[0];
	const { rows: codeRows } = await sql<{ code: ProblemCode; n: number }>`
		select code, count(*)::int as n from ${t.problems} group by code order by n desc`.execute(db);
	const { rows: first } = await sql<{ row_no: number; field: string; code: ProblemCode; detail: string | null }>`
		select row_no, field, code, detail from ${t.problems} order by row_no, field, code
		limit ${options.maxProblems ?? 200}`.execute(db);
	return {
		uploadId: options.uploadId,
		fileName: source.fileName,
		format: source.format,
		encoding: source.encoding,
		target: options.target,
		county: options.county,
		crs: options.crs,
		swap: !!options.swap,
		repair: !!options.repair,
		mode: options.mode,
		mapped,
		counts: { read, valid: read - rejected, rejected, problems, ...extra, inserts: read - rejected - updates, updates },
		byCode: Object.fromEntries(codeRows.map((r) => [r.code, r.n])),
		problems: first.map((p) => ({ row: p.row_no, field: p.field, code: p.code, detail: p.detail })),
		dropped: columns.dropped,
		ignored: columns.ignored,
		axes,
		preview: await preview(db, t, options.target),
		validatedAt: new Date().toISOString()
	};
}

const PREVIEW_FEATURES = 1000;
/** Smallest household count shown per village in the preview (counts 1..k−1 are suppressed). */
export const PREVIEW_K = 5;

async function preview(db: Kysely<Database>, t: Tables, target: TargetId): Promise<FeatureCollection> {
	if (target === 'households') {
		// Household points never leave the server: the preview is per village, small counts suppressed.
		const { rows } = await sql<{ code: string; geometry: string; valid: number; invalid: number }>`
			with bad as (select distinct row_no from ${t.problems}),
			     per_village as (
				select s.village_code, count(*) filter (where b.row_no is null)::int as valid, count(b.row_no)::int as invalid
				from ${t.rows} s left join bad b on b.row_no = s.row_no group by s.village_code)
			select v.code, ST_AsGeoJSON(v.geom, 5) as geometry, pv.valid, pv.invalid
			from per_village pv join villages v on v.code = pv.village_code
			order by v.code limit ${PREVIEW_FEATURES}`.execute(db);
		const shown = (n: number) => (n >= PREVIEW_K ? n : null);
		return {
			type: 'FeatureCollection',
			features: rows.map((r) => ({
				type: 'Feature',
				geometry: JSON.parse(r.geometry),
				properties: { village: r.code, valid: shown(r.valid), invalid: shown(r.invalid), status: r.invalid > 0 ? 'invalid' : 'valid' }
			}))
		};
	}
	const simplify = TARGETS[target].geometry === 'Point' ? sql`s.geom` : sql`ST_SimplifyPreserveTopology(s.geom, 0.0002)`;
	const { rows } = await sql<{ row_no: number; geometry: string; invalid: boolean }>`
		select s.row_no, ST_AsGeoJSON(${simplify}, 6) as geometry,
		       exists (select 1 from ${t.problems} p where p.row_no = s.row_no) as invalid
		from ${t.rows} s where s.geom is not null
		order by invalid desc, s.row_no limit ${PREVIEW_FEATURES}`.execute(db);
	return {
		type: 'FeatureCollection',
		features: rows.map((r) => ({
			type: 'Feature',
			geometry: JSON.parse(r.geometry),
			properties: { row: r.row_no, status: r.invalid ? 'invalid' : 'valid' }
		}))
	};
}

/** All problems as CSV lines (header first), streamed from the problem table. */
export async function* problemsCsv(db: Kysely<Database>, uploadId: string, fileName: string): AsyncGenerator<string> {
	const t = stagingTables(uploadId);
	yield 'file,row,field,reason,detail\n';
	const cell = (v: string | number | null) => {
		if (v === null) return '';
		let s = String(v);
		// Neutralise spreadsheet formulas in echoed values.
		if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
		return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
	};
	let after = -1;
	// Pages by row number (a row's problems are never split across pages).
	for (;;) {
		const { rows } = await sql<{ row_no: number; field: string; code: string; detail: string | null }>`
			select row_no, field, code, detail from ${t.problems}
			where row_no > ${after} and row_no <= (select max(row_no) from (
				select row_no from ${t.problems} where row_no > ${after} order by row_no limit 5000) x)
			order by row_no, field, code`.execute(db);
		if (rows.length === 0) return;
		yield rows.map((r) => [cell(fileName), r.row_no, cell(r.field), cell(r.code), cell(r.detail)].join(',')).join('\n') + '\n';
		after = rows[rows.length - 1].row_no;
	}
}

// ---- commit, history, undo ---------------------------------------------------------------------

export interface CommitOptions {
	uploadId: string;
	report: ImportReport;
	actor: string;
	/** Write the valid rows and leave the invalid ones out; otherwise any invalid row refuses the commit. */
	skipInvalid?: boolean;
	declaredCrs?: CrsId;
}

export interface CommitResult {
	batchId: number;
	/** inserted + updated. */
	written: number;
	inserted: number;
	updated: number;
	skipped: number;
	ms: number;
}

/** Target column → the staging expression that fills it (beyond the same-named staging columns). */
function insertColumns(target: TargetId, county: string, batchId: number): Array<[string, RawBuilder<unknown>]> {
	const own = stageColumns(target).map((c): [string, RawBuilder<unknown>] => [c.name, sql.ref(`s.${c.name}`) as unknown as RawBuilder<unknown>]);
	const override = new Map<string, RawBuilder<unknown>>();
	const extra: Array<[string, RawBuilder<unknown>]> = [
		['geom', sql`s.geom`],
		['import_batch_id', sql`${batchId}::int`]
	];
	switch (target) {
		case 'households':
			extra.push(['county_code', sql`left(s.village_code, 6)`]);
			override.set('relocation_status', sql`coalesce(s.relocation_status, 'none')`);
			break;
		case 'villages':
			extra.push(['county_code', sql`left(s.code, 6)`], ['township_code', sql`left(s.code, 9)`]);
			break;
		case 'relocation_sites':
			extra.push(['county_code', sql`${county}::text`]);
			override.set('land_cost_yuan', sql`coalesce(s.land_cost_yuan, 0)`);
			override.set('building_cost_yuan', sql`coalesce(s.building_cost_yuan, 0)`);
			break;
		case 'roads': {
			extra.push(['county_code', sql`${county}::text`]);
			const cases = Object.entries(ROAD_CLASS_SPEED).map(([k, v]) => sql`when ${k} then ${sql.lit(v)}`);
			override.set('speed_kmh', sql`coalesce(s.speed_kmh, case s.class ${sql.join(cases, sql` `)} end)`);
			break;
		}
		default:
			extra.push(['county_code', sql`${county}::text`]);
	}
	return [...own.map(([name, expr]): [string, RawBuilder<unknown>] => [name, override.get(name) ?? expr]), ...extra];
}

/**
 * Write the validated rows to the target table in one transaction, with the batch row. Refuses when
 * rows are invalid unless skipInvalid. On any error nothing is written (the transaction rolls back)
 * and the staging tables stay, so the user can validate again.
 */
export async function commitImport(handle: DatabaseHandle, options: CommitOptions, progress?: (p: ImportProgress) => void): Promise<CommitResult> {
	const { db } = handle;
	const { report } = options;
	const t = stagingTables(options.uploadId);
	const actor = options.actor.trim();
	if (!actor) throw new ImportError('mapping', 'say who is importing (a name or office label)');
	if (actor.length > 100) throw new ImportError('mapping', 'the importer label is longer than 100 characters');
	const { rows: exists } = await sql<{ ok: boolean }>`select to_regclass(${`import_staging.${t.rowsName}`}) is not null as ok`.execute(db);
	if (!exists[0].ok) throw new ImportError('no-validation', `${report.fileName}: validate the file before committing it`);
	if (report.counts.rejected > 0 && !options.skipInvalid)
		throw new ImportError(
			'has-invalid',
			`${report.fileName}: ${report.counts.rejected} of ${report.counts.read} rows are invalid; fix them or choose to skip invalid rows`
		);
	if (report.counts.valid === 0) throw new ImportError('empty', `${report.fileName}: no valid rows to import`);
	const mode = report.mode ?? 'insert';
	const key = TARGETS[report.target].key;
	const stageColumnNames = new Set(stageColumns(report.target).map((c) => c.name));
	progress?.({ phase: 'committing', rows: 0, fraction: null });
	const started = performance.now();
	try {
		const result = await db.transaction().execute(async (trx) => {
			const batch = await trx
				.insertInto('import_batches')
				.values({
					county_code: report.county,
					target_table: report.target,
					source_file: report.fileName.slice(0, 255),
					format: report.format,
					encoding: report.encoding,
					declared_crs: options.declaredCrs ?? report.crs,
					rows_read: report.counts.read,
					rows_valid: report.counts.valid,
					rows_rejected: report.counts.rejected,
					rows_written: 0,
					mode,
					actor
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			const cols = insertColumns(report.target, report.county, batch.id);
			const valid = sql`not exists (select 1 from ${t.problems} p where p.row_no = s.row_no)`;
			let updated = 0;
			let onConflict = sql``;
			if (mode === 'upsert' && key) {
				// Keep every row about to be updated as it is now, for undo (migration 0006).
				const kept = await sql`insert into import_batch_prior (batch_id, key, row, geom)
					select ${batch.id}::int, x.${sql.id(key)}, to_jsonb(x) - 'geom', x.geom
					from ${sql.table(report.target)} x join ${t.rows} s on s.${sql.id(key)} = x.${sql.id(key)}
					where ${valid} and x.county_code = ${report.county}`.execute(trx);
				updated = Number(kept.numAffectedRows ?? 0);
				// Only the columns the file fills (and what derives from them, and the batch id): the
				// others keep their stored values. The WHERE keeps another county's row untouched — it
				// then counts as not written and the commit is refused below.
				const set = cols
					.filter(([name]) => name !== key && (stageColumnNames.has(name) ? report.mapped.includes(name) : name !== 'geom' || report.mapped.includes('geometry')))
					.map(([name]) => sql`${sql.id(name)} = excluded.${sql.id(name)}`);
				onConflict = sql`on conflict (${sql.id(key)}) do update set ${sql.join(set)}
					where ${sql.table(report.target)}.county_code = ${report.county}`;
			}
			const r = await sql`insert into ${sql.table(report.target)} (${sql.join(cols.map(([name]) => sql.id(name)))})
				select ${sql.join(cols.map(([, expr]) => expr))}
				from ${t.rows} s
				where ${valid}
				order by s.row_no
				${onConflict}`.execute(trx);
			const written = Number(r.numAffectedRows ?? 0);
			if (written !== report.counts.valid)
				throw new ImportError('commit-failed', `${report.fileName}: ${written} rows written but ${report.counts.valid} were valid; the table or the staging data changed — validate again`);
			const inserted = written - updated;
			await trx.updateTable('import_batches').set({ rows_written: written, rows_inserted: inserted, rows_updated: updated }).where('id', '=', batch.id).execute();
			return { batchId: batch.id, written, inserted, updated, skipped: report.counts.rejected, ms: 0 };
		});
		result.ms = Math.round(performance.now() - started);
		await dropStaging(db, options.uploadId);
		progress?.({ phase: 'done', rows: result.written, fraction: 1 });
		return result;
	} catch (err) {
		progress?.({ phase: 'failed', rows: 0, fraction: null });
		if (err instanceof ImportError) throw err;
		throw new ImportError('commit-failed', `${report.fileName}: nothing was written — ${describeDbError(err, report.target)}`);
	}
}

/** A database error in words a user can act on (constraint and key named), e.g. a code taken since validation. */
function describeDbError(err: unknown, target: TargetId): string {
	const e = err as { code?: string; detail?: string; constraint?: string; message?: string };
	if (e.code === '23505') return `a row conflicts with one already in ${target} (${e.detail ?? e.constraint ?? 'duplicate key'}); validate again`;
	if (e.code === '23503') return `a referenced row is missing (${e.detail ?? e.constraint ?? 'foreign key'}); validate again`;
	if (e.code === '23514') return `a value breaks the rule ${e.constraint ?? ''} (${e.message ?? ''})`;
	return e.message ?? String(err);
}

export interface BatchSummary {
	id: number;
	county: string;
	target: TargetId;
	file: string;
	format: string;
	encoding: string | null;
	crs: string;
	read: number;
	valid: number;
	rejected: number;
	written: number;
	mode: ImportMode;
	inserted: number;
	updated: number;
	status: 'committed' | 'undone';
	actor: string;
	createdAt: string;
	undoneAt: string | null;
}

export async function importHistory(db: Kysely<Database>, county: string, limit = 100): Promise<BatchSummary[]> {
	const rows = await db
		.selectFrom('import_batches')
		.selectAll()
		.where('county_code', '=', county)
		.orderBy('id', 'desc')
		.limit(limit)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		county: r.county_code,
		target: r.target_table,
		file: r.source_file,
		format: r.format,
		encoding: r.encoding,
		crs: r.declared_crs,
		read: r.rows_read,
		valid: r.rows_valid,
		rejected: r.rows_rejected,
		written: r.rows_written,
		mode: r.mode,
		inserted: r.rows_inserted,
		updated: r.rows_updated,
		status: r.status,
		actor: r.actor,
		createdAt: new Date(r.created_at).toISOString(),
		undoneAt: r.undone_at ? new Date(r.undone_at).toISOString() : null
	}));
}

/** Rows elsewhere that point at a batch's rows (they would break or silently lose their link). */
async function dependents(trx: Transaction<Database>, target: TargetId, batchId: number): Promise<Array<{ table: string; n: number }>> {
	const checks: Array<[string, RawBuilder<{ n: number }>]> = [];
	if (target === 'villages') {
		// Villages an upsert updated are restored, not deleted: their dependents keep their link.
		for (const table of ['households', 'industry_sites', 'facilities'] as const)
			checks.push([
				table,
				sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} d join villages v on v.code = d.village_code
					where v.import_batch_id = ${batchId} and d.import_batch_id is distinct from ${batchId}
					and not exists (select 1 from import_batch_prior p where p.batch_id = ${batchId} and p.key = v.code)`
			]);
	}
	if (target === 'relocation_sites')
		checks.push([
			'households',
			sql<{ n: number }>`select count(*)::int as n from households h join relocation_sites r on r.id = h.target_site_id
				where r.import_batch_id = ${batchId}`
		]);
	const out: Array<{ table: string; n: number }> = [];
	for (const [table, q] of checks) {
		const { rows } = await q.execute(trx);
		if (rows[0].n > 0) out.push({ table, n: rows[0].n });
	}
	return out;
}

/**
 * Rows of a batch that a later step has changed, so undoing the batch would lose or overwrite that
 * work: rows a later, still committed upsert updated (its prior rows carry this batch's id), and rows
 * this batch updated that no longer carry its id (changed or deleted since).
 */
async function changedSince(trx: Transaction<Database>, target: TargetId, batchId: number): Promise<{ later: Array<{ batch: number; n: number }>; changed: number }> {
	const { rows: later } = await sql<{ batch: number; n: number }>`
		select p.batch_id as batch, count(*)::int as n
		from import_batch_prior p join import_batches b on b.id = p.batch_id
		where (p.row ->> 'import_batch_id')::integer = ${batchId} and p.batch_id <> ${batchId} and b.status = 'committed'
		group by p.batch_id order by p.batch_id`.execute(trx);
	const key = TARGETS[target].key;
	let changed = 0;
	if (key) {
		const { rows } = await sql<{ n: number }>`
			select count(*)::int as n from import_batch_prior p
			left join ${sql.table(target)} x on x.${sql.id(key)} = p.key
			where p.batch_id = ${batchId} and x.import_batch_id is distinct from ${batchId}`.execute(trx);
		changed = rows[0].n;
	}
	return { later, changed };
}

/**
 * Undo a batch in one transaction: delete the rows it inserted and, for an upsert, put the rows it
 * updated back exactly as they were (their old batch id included); mark it undone. Refused, with the
 * reason, when other rows depend on its rows or a later change to them would be lost.
 */
export async function undoBatch(db: Kysely<Database>, batchId: number): Promise<{ deleted: number; restored?: number }> {
	return db.transaction().execute(async (trx) => {
		const batch = await trx.selectFrom('import_batches').selectAll().where('id', '=', batchId).forUpdate().executeTakeFirst();
		if (!batch) throw new ImportError('not-found', `no import batch ${batchId}`);
		if (batch.status === 'undone') throw new ImportError('undo-refused', `import batch ${batchId} (${batch.source_file}) was already undone`);
		const since = await changedSince(trx, batch.target_table, batchId);
		if (since.later.length)
			throw new ImportError(
				'undo-refused',
				`import batch ${batchId} (${batch.source_file}) cannot be undone: ${since.later.map((l) => `batch ${l.batch} has since updated ${l.n} of its rows`).join(', ')}; undo ${since.later.length > 1 ? 'those batches' : 'that batch'} first`,
				{ later: since.later }
			);
		if (since.changed)
			throw new ImportError(
				'undo-refused',
				`import batch ${batchId} (${batch.source_file}) cannot be undone: ${since.changed} of the ${batch.target_table} rows it updated have been changed or deleted since`,
				{ changed: since.changed }
			);
		const deps = await dependents(trx, batch.target_table, batchId);
		if (deps.length)
			throw new ImportError(
				'undo-refused',
				`import batch ${batchId} (${batch.source_file}) cannot be undone: ${deps.map((d) => `${d.n} rows in ${d.table}`).join(', ')} refer to its ${batch.target_table}; remove or re-link them first`,
				deps
			);
		const key = TARGETS[batch.target_table].key;
		if (batch.mode === 'upsert' && key) {
			const table = sql.table(batch.target_table);
			const r = await sql`delete from ${table} x where x.import_batch_id = ${batchId}
				and not exists (select 1 from import_batch_prior p where p.batch_id = ${batchId} and p.key = x.${sql.id(key)})`.execute(trx);
			// Every column back from the kept row: the table's own column list, read now, so a column
			// added by a later migration is restored too.
			const { rows: columns } = await sql<{ name: string }>`
				select column_name as name from information_schema.columns
				where table_schema = current_schema() and table_name = ${batch.target_table} and column_name not in (${key}, 'geom')
				  and is_generated = 'NEVER'
				order by ordinal_position`.execute(trx);
			const restored = await sql`update ${table} x set
					${sql.join(columns.map((c) => sql`${sql.id(c.name)} = r.${sql.id(c.name)}`))}, geom = p.geom
				from import_batch_prior p cross join lateral jsonb_populate_record(null::${table}, p.row) r
				where p.batch_id = ${batchId} and x.${sql.id(key)} = p.key`.execute(trx);
			await sql`update import_batches set status = 'undone', undone_at = now() where id = ${batchId}`.execute(trx);
			return { deleted: Number(r.numAffectedRows ?? 0), restored: Number(restored.numAffectedRows ?? 0) };
		}
		const r = await sql`delete from ${sql.table(batch.target_table)} where import_batch_id = ${batchId}`.execute(trx);
		await sql`update import_batches set status = 'undone', undone_at = now() where id = ${batchId}`.execute(trx);
		return { deleted: Number(r.numAffectedRows ?? 0) };
	});
}
