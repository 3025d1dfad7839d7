// describeDbError(): turn a PostgreSQL / PostGIS error into "which table, which field, what is wrong",
// so a form or an import report can point at the field. Works on both backends: node-postgres throws
// pg-protocol's DatabaseError and PGlite throws its own error class, but both carry the server's
// error fields (code, table, column, constraint, detail), so this reads them by duck typing.
//
// Where the field comes from, in order:
//   1. `column` — set by PostgreSQL for not-null violations.
//   2. the constraint name — migrations name every constraint `<table>_<field>_<rule>`
//      (households_members_range → members, villages_code_12_digits → code), and PostgreSQL's own
//      default names follow the same shape (`<table>_<column>_fkey`, `_key`, `_check`).
//   3. the detail `Key (column)=(value) …` — unique and foreign-key violations, e.g. `<table>_pkey`.
//   4. PostGIS typmod errors ("Geometry SRID (3857) does not match column SRID (4326)") carry no
//      table or column at all: they name the table's geometry column, which is `geom` everywhere
//      (regions also has the Point column `seat`).
// The message never repeats a "Failing row contains (…)" detail: it would copy household data into
// logs and responses. It only repeats key values of unique / foreign-key violations (codes).
import { DATA_TABLES } from './types.ts';

export type DbErrorKind =
	| 'not_null'
	| 'check'
	| 'foreign_key'
	| 'unique'
	| 'geometry'
	| 'invalid_input'
	| 'other';

export interface DbErrorDescription {
	/** The table the error is about (from the error, else the caller's hint), or null. */
	table: string | null;
	/** The offending column, or null when the error does not name one. */
	field: string | null;
	/** One line in English, safe to show and to log (no row contents). */
	message: string;
	kind: DbErrorKind;
	/** SQLSTATE, e.g. 23514; null when the error did not come from the database. */
	code: string | null;
	constraint: string | null;
}

/** The fields both backends' error classes carry (the PostgreSQL ErrorResponse fields). */
interface PgErrorFields {
	message?: string;
	code?: string;
	table?: string;
	column?: string;
	constraint?: string;
	detail?: string;
}

/** Tables whose geometry column is not just `geom`; the first entry is the default. */
const GEOMETRY_COLUMNS: Record<string, { column: string; type: string }[]> = {
	regions: [
		{ column: 'geom', type: 'Geometry' },
		{ column: 'seat', type: 'Point' }
	]
};
const DEFAULT_GEOMETRY_COLUMN = 'geom';
const GEOMETRY_COLUMN_NAMES = new Set([DEFAULT_GEOMETRY_COLUMN, ...Object.values(GEOMETRY_COLUMNS).flat().map((c) => c.column)]);

const KNOWN_TABLES: readonly string[] = [...DATA_TABLES, 'lantu_migrations'].sort((a, b) => b.length - a.length);

// The `<rule>` at the end of a constraint name. Leftmost match wins, so the field keeps its own
// underscores (working_age_members_range → working_age_members). tests/db/constraints.test.ts checks
// that every constraint in the schema parses to one of the columns it constrains: a new constraint
// with a new rule word fails there until the word is added here.
const RULE_SUFFIX =
	/_(fkey|pkey|key|check|excl|valid|known|range|positive|non_negative|not_blank|unique|object|matches|prefix|pseudonymous|(?:\d+_)?digits|length_matches_[a-z0-9_]+|after_[a-z0-9_]+|(?:only_)?when_[a-z0-9_]+)$/;

const RULE_PHRASES: Record<string, string> = {
	range: 'is out of range',
	positive: 'must be greater than zero',
	non_negative: 'must not be negative',
	known: 'is not one of the allowed values',
	valid: 'is not a valid geometry',
	not_blank: 'must not be blank',
	unique: 'is already used',
	digits: 'has the wrong number of digits',
	matches: 'does not match the code it belongs to',
	prefix: 'does not start with its parent code',
	object: 'must be a JSON object',
	pseudonymous: 'must be a pseudonymous code, not a registry or ID-card number'
};

/** Split a constraint name into table, field and rule, following `<table>_<field>_<rule>`. */
export function parseConstraintName(
	constraint: string,
	table?: string | null
): { table: string | null; field: string | null; rule: string | null } {
	const owner =
		table && constraint.startsWith(`${table}_`) ? table : (KNOWN_TABLES.find((t) => constraint.startsWith(`${t}_`)) ?? null);
	const rest = owner ? constraint.slice(owner.length + 1) : constraint;
	if (rest === 'pkey') return { table: owner, field: null, rule: 'pkey' };
	const match = RULE_SUFFIX.exec(rest);
	if (!match || match.index === 0) return { table: owner, field: null, rule: null };
	return { table: owner, field: rest.slice(0, match.index), rule: match[1] };
}

function isPgError(err: unknown): err is Error & PgErrorFields {
	if (typeof err !== 'object' || err === null) return false;
	const code = (err as PgErrorFields).code;
	return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}

/** `Key (village_code)=(511304100009) is not present in table "villages".` → its parts. */
function parseKeyDetail(detail: string | undefined): { columns: string[]; value: string; other: string | null } | null {
	if (!detail) return null;
	const m = /^Key \((.+?)\)=\((.*)\)(?: (?:is not present in|is (?:still )?referenced from|already exists)(?: table "([^"]+)")?)?/s.exec(
		detail
	);
	if (!m) return null;
	return { columns: m[1].split(',').map((c) => c.trim().replace(/^"|"$/g, '')), value: m[2], other: m[3] ?? null };
}

function geometryColumn(table: string | null, columnType?: string): string {
	const columns = table ? GEOMETRY_COLUMNS[table] : undefined;
	if (!columns) return DEFAULT_GEOMETRY_COLUMN;
	// A typed column (Point) only rejects other types; a `Geometry` column accepts every type.
	if (columnType) return (columns.find((c) => c.type === columnType) ?? columns[0]).column;
	return columns[0].column;
}

const TYPMOD_SRID = /Geometry SRID \((-?\d+)\) does not match column SRID \((-?\d+)\)/;
const TYPMOD_TYPE = /Geometry type \((\w+)\) does not match column type \((\w+)\)/;
const TYPMOD_DIMS = /(?:Geometry|Column) has [ZM] dimension but (?:column|geometry) does not/;
// Geometry input that PostGIS cannot parse (bad WKT / WKB / EWKT given as a column value).
const GEOMETRY_PARSE = /^(parse error - invalid geometry|geometry requires more points|geometry contains non-closed rings|Invalid hex string)/;

/**
 * Describe a database error for people: which table, which field, what is wrong.
 * `table` is a hint for errors that do not name their table (PostGIS typmod errors).
 */
export function describeDbError(err: unknown, table?: string): DbErrorDescription {
	if (!isPgError(err)) {
		const message = err instanceof Error ? err.message : String(err);
		return { table: table ?? null, field: null, message, kind: 'other', code: null, constraint: null };
	}
	const code = err.code as string;
	const constraint = err.constraint ?? null;
	const tableName = err.table ?? table ?? null;
	const base = { code, constraint };
	const pgMessage = err.message ?? '';

	// 1. Not-null: PostgreSQL names the column.
	if (code === '23502') {
		const field = err.column ?? null;
		return { ...base, table: tableName, field, kind: 'not_null', message: `${field ?? 'a value'} is required` };
	}

	// 2. PostGIS typmod and geometry-input errors (SQLSTATE 22023 / XX000, no table, no column).
	const srid = TYPMOD_SRID.exec(pgMessage);
	const type = TYPMOD_TYPE.exec(pgMessage);
	if (srid || type || TYPMOD_DIMS.test(pgMessage) || GEOMETRY_PARSE.test(pgMessage)) {
		const field = geometryColumn(tableName, type?.[2]);
		let message = `${field}: ${pgMessage}`;
		if (srid) message = `${field} must be in SRID ${srid[2]} (WGS 84 lon/lat), not SRID ${srid[1]}`;
		else if (type) message = `${field} must be a ${type[2]}, not a ${type[1]}`;
		return { ...base, table: tableName, field, kind: 'geometry', message };
	}

	// 3. Constraint violations: the constraint name spells the field; the detail backs it up.
	if (code === '23514' || code === '23503' || code === '23001' || code === '23505' || code === '23P01') {
		const parsed = constraint ? parseConstraintName(constraint, tableName) : null;
		const key = parseKeyDetail(err.detail);
		const field = parsed?.field ?? (key && key.columns.length === 1 ? key.columns[0] : (key?.columns.join(', ') ?? null));
		const owner = tableName ?? parsed?.table ?? null;
		const name = field ?? 'a value';
		if (code === '23514') {
			let phrase = (parsed?.rule && RULE_PHRASES[parsed.rule.replace(/^\d+_/, '')]) || 'fails a check';
			if (parsed?.rule === 'valid' && !(field && GEOMETRY_COLUMN_NAMES.has(field))) phrase = 'is not valid';
			return { ...base, table: owner, field, kind: 'check', message: `${name} ${phrase} (${constraint})` };
		}
		if (code === '23505') {
			const value = key && key.columns.length === 1 ? ` ${key.value}` : '';
			return { ...base, table: owner, field, kind: 'unique', message: `${name}${value} already exists` };
		}
		if (code === '23P01') {
			return { ...base, table: owner, field, kind: 'check', message: `${name} overlaps an existing row (${constraint})` };
		}
		// Foreign keys: on insert/update the referenced row is missing; on delete it is still in use.
		if (code === '23001' || /referenced from/.test(err.detail ?? '')) {
			return {
				...base,
				table: owner,
				field,
				kind: 'foreign_key',
				message: `${key?.value ?? 'this row'} is still used by ${owner ?? 'another table'}.${name}`
			};
		}
		const target = key?.other ? ` in ${key.other}` : '';
		const value = key ? ` ${key.value}` : '';
		return { ...base, table: owner, field, kind: 'foreign_key', message: `${name}${value} does not exist${target}` };
	}

	// 4. Bad input values (wrong type, out of range for the column type): PostgreSQL does not say
	//    which column, so the field stays null.
	if (code.startsWith('22')) {
		return { ...base, table: tableName, field: null, kind: 'invalid_input', message: pgMessage };
	}
	return { ...base, table: tableName, field: err.column ?? null, kind: 'other', message: pgMessage };
}
