// describeDbError on error values shaped exactly as the two backends throw them (fields copied from
// real errors of PostgreSQL 15 + PostGIS 3.3 and PGlite 0.5.8 + PostGIS 3.6). The same cases run
// against real databases in tests/db/constraints.test.ts.
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { describeDbError, parseConstraintName } from './errors.ts';

type Fields = Partial<Record<'code' | 'table' | 'column' | 'constraint' | 'detail' | 'schema', string>>;

/** node-postgres' own error class, filled the way pg-protocol fills it. */
function pgError(message: string, fields: Fields): pg.DatabaseError {
	const err = new pg.DatabaseError(message, message.length, 'error');
	Object.assign(err, { severity: 'ERROR', schema: fields.table ? 'public' : undefined, ...fields });
	return err;
}

/** PGlite's error: a different class carrying the same fields. */
function pgliteError(message: string, fields: Fields): Error {
	class PGliteDatabaseError extends Error {}
	return Object.assign(new PGliteDatabaseError(message), { severity: 'ERROR', ...fields });
}

describe.each([
	['pg', pgError],
	['pglite', pgliteError]
] as const)('describeDbError (%s error class)', (_name, make) => {
	test('not-null violation names the column', () => {
		const err = make('null value in column "members" of relation "households" violates not-null constraint', {
			code: '23502',
			table: 'households',
			column: 'members',
			detail: 'Failing row contains (hh0001, 511304, 511304100001, null, null, 0, 1000, …).'
		});
		const d = describeDbError(err);
		expect(d).toMatchObject({ table: 'households', field: 'members', kind: 'not_null', code: '23502' });
		expect(d.message).toBe('members is required');
	});

	test.each([
		['households_members_range', 'households', 'members', 'is out of range'],
		['households_working_age_members_range', 'households', 'working_age_members', 'is out of range'],
		['households_main_cause_known', 'households', 'main_cause', 'is not one of the allowed values'],
		['households_exit_year_after_registration', 'households', 'exit_year', 'fails a check'],
		['households_target_site_id_only_when_relocating', 'households', 'target_site_id', 'fails a check'],
		['villages_code_12_digits', 'villages', 'code', 'has the wrong number of digits'],
		['relocation_sites_county_code_6_digits', 'relocation_sites', 'county_code', 'has the wrong number of digits'],
		['constraint_zones_geom_valid', 'constraint_zones', 'geom', 'is not a valid geometry'],
		['regions_seat_valid', 'regions', 'seat', 'is not a valid geometry'],
		['regions_code_length_matches_level', 'regions', 'code', 'fails a check'],
		['relocation_sites_land_cost_yuan_non_negative', 'relocation_sites', 'land_cost_yuan', 'must not be negative']
	])('check %s names %s.%s', (constraint, table, field, phrase) => {
		const err = make(`new row for relation "${table}" violates check constraint "${constraint}"`, {
			code: '23514',
			table,
			constraint,
			detail: 'Failing row contains (hh0001, 511304, 511304100001, null, -1, 0, 1000, illness, …).'
		});
		const d = describeDbError(err);
		expect(d).toMatchObject({ table, field, kind: 'check', constraint });
		expect(d.message).toBe(`${field} ${phrase} (${constraint})`);
		// No row contents in the message (they may be a household's data).
		expect(d.message).not.toContain('Failing row');
		expect(d.message).not.toContain('hh0001');
	});

	test('foreign key on insert names the column and the missing value', () => {
		const err = make(
			'insert or update on table "households" violates foreign key constraint "households_village_code_fkey"',
			{
				code: '23503',
				table: 'households',
				constraint: 'households_village_code_fkey',
				detail: 'Key (village_code)=(511304100009) is not present in table "villages".'
			}
		);
		const d = describeDbError(err);
		expect(d).toMatchObject({ table: 'households', field: 'village_code', kind: 'foreign_key' });
		expect(d.message).toBe('village_code 511304100009 does not exist in villages');
	});

	test('foreign key on delete (PostgreSQL 15 wording) says the row is still used', () => {
		const err = make(
			'update or delete on table "villages" violates foreign key constraint "households_village_code_fkey" on table "households"',
			{
				code: '23503',
				table: 'households',
				constraint: 'households_village_code_fkey',
				detail: 'Key (code)=(511304100001) is still referenced from table "households".'
			}
		);
		const d = describeDbError(err);
		expect(d).toMatchObject({ table: 'households', field: 'village_code', kind: 'foreign_key' });
		expect(d.message).toBe('511304100001 is still used by households.village_code');
	});

	test('ON DELETE RESTRICT (PostgreSQL 18 wording, SQLSTATE 23001) says the row is still used', () => {
		const err = make(
			'update or delete on table "villages" violates RESTRICT setting of foreign key constraint "households_village_code_fkey" on table "households"',
			{
				code: '23001',
				table: 'households',
				constraint: 'households_village_code_fkey',
				detail: 'Key (code)=(511304100001) is referenced from table "households".'
			}
		);
		expect(describeDbError(err)).toMatchObject({
			table: 'households',
			field: 'village_code',
			kind: 'foreign_key',
			message: '511304100001 is still used by households.village_code'
		});
	});

	test('primary key duplicate takes the field from the detail', () => {
		const err = make('duplicate key value violates unique constraint "villages_pkey"', {
			code: '23505',
			table: 'villages',
			constraint: 'villages_pkey',
			detail: 'Key (code)=(511304100001) already exists.'
		});
		expect(describeDbError(err)).toMatchObject({
			table: 'villages',
			field: 'code',
			kind: 'unique',
			message: 'code 511304100001 already exists'
		});
	});

	test('a named multi-column unique constraint names its field', () => {
		const err = make('duplicate key value violates unique constraint "scenarios_name_unique"', {
			code: '23505',
			table: 'scenarios',
			constraint: 'scenarios_name_unique',
			detail: 'Key (county_code, name)=(511304, 方案一) already exists.'
		});
		expect(describeDbError(err)).toMatchObject({ table: 'scenarios', field: 'name', message: 'name already exists' });
	});

	test('PostGIS SRID typmod error names the geometry column of the hinted table', () => {
		const err = make('Geometry SRID (3857) does not match column SRID (4326)', { code: '22023' });
		const d = describeDbError(err, 'villages');
		expect(d).toMatchObject({ table: 'villages', field: 'geom', kind: 'geometry', code: '22023' });
		expect(d.message).toBe('geom must be in SRID 4326 (WGS 84 lon/lat), not SRID 3857');
		// Without a hint the table is unknown, but every table's geometry column is geom.
		expect(describeDbError(err)).toMatchObject({ table: null, field: 'geom' });
		// Text without an SRID is SRID 0.
		const zero = make('Geometry SRID (0) does not match column SRID (4326)', { code: '22023' });
		expect(describeDbError(zero, 'households').message).toContain('not SRID 0');
	});

	test('PostGIS type typmod error names geom, or seat for a Point on regions', () => {
		const err = make('Geometry type (Polygon) does not match column type (Point)', { code: '22023' });
		expect(describeDbError(err, 'villages')).toMatchObject({
			field: 'geom',
			message: 'geom must be a Point, not a Polygon'
		});
		// regions.geom accepts any type, so only regions.seat (a Point column) can raise this.
		expect(describeDbError(err, 'regions')).toMatchObject({ table: 'regions', field: 'seat' });
		const lines = make('Geometry type (Point) does not match column type (MultiPolygon)', { code: '22023' });
		expect(describeDbError(lines, 'constraint_zones').field).toBe('geom');
	});

	test('PostGIS dimension and parse errors name the geometry column', () => {
		const z = make('Geometry has Z dimension but column does not', { code: '22023' });
		expect(describeDbError(z, 'roads')).toMatchObject({ field: 'geom', kind: 'geometry' });
		const parse = make('parse error - invalid geometry', { code: 'XX000' });
		expect(describeDbError(parse, 'roads')).toMatchObject({ field: 'geom', kind: 'geometry' });
	});

	test('bad input values keep the message and name no field', () => {
		const err = make('invalid input syntax for type integer: "abc"', { code: '22P02' });
		expect(describeDbError(err, 'households')).toEqual({
			table: 'households',
			field: null,
			message: 'invalid input syntax for type integer: "abc"',
			kind: 'invalid_input',
			code: '22P02',
			constraint: null
		});
	});
});

describe('describeDbError on other errors', () => {
	test('an error that did not come from the database', () => {
		expect(describeDbError(new Error('connect ECONNREFUSED 127.0.0.1:5432'), 'villages')).toEqual({
			table: 'villages',
			field: null,
			message: 'connect ECONNREFUSED 127.0.0.1:5432',
			kind: 'other',
			code: null,
			constraint: null
		});
		// Node's own error codes (ECONNREFUSED) are not SQLSTATEs.
		const sys = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
		expect(describeDbError(sys)).toMatchObject({ kind: 'other', code: null });
		expect(describeDbError('boom')).toMatchObject({ message: 'boom', field: null });
	});
});

describe('parseConstraintName', () => {
	test.each([
		['households_members_range', undefined, 'households', 'members', 'range'],
		['households_village_code_fkey', undefined, 'households', 'village_code', 'fkey'],
		['relocation_sites_capacity_households_positive', undefined, 'relocation_sites', 'capacity_households', 'positive'],
		// The table is found without a hint, longest name first (industry_sites, not a shorter prefix).
		['industry_sites_chain_known', undefined, 'industry_sites', 'chain', 'known'],
		['villages_pkey', 'villages', 'villages', null, 'pkey'],
		// PostgreSQL's default names: <table>_<column>_check / _key.
		['some_table_level_check', 'some_table', 'some_table', 'level', 'check'],
		['some_table_email_key', 'some_table', 'some_table', 'email', 'key'],
		['mystery', undefined, null, null, null]
	])('%s', (constraint, hint, table, field, rule) => {
		expect(parseConstraintName(constraint, hint)).toEqual({ table, field, rule });
	});
});
