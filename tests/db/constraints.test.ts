// The schema rejects bad rows, and describeDbError names the offending field for each — on both
// backends. One migrated database per backend; the fixture is one county (511304, 顺庆区), one
// township and two villages, built here (no seed data).
import { sql, type InsertObject, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from './backends.ts';
import type { DatabaseHandle } from '../../src/lib/server/db/open.ts';
import { DATA_TABLES, type Database } from '../../src/lib/server/db/types.ts';
import { describeDbError, parseConstraintName } from '../../src/lib/server/db/errors.ts';

const COUNTY = '511304';
const TOWNSHIP = '511304100';
const VILLAGE = '511304100001';
const VILLAGE_2 = '511304100002';

function point(lon: number, lat: number, srid = 4326) {
	return sql<string>`ST_SetSRID(ST_MakePoint(${lon}, ${lat}), ${sql.lit(srid)})`;
}

type NewHousehold = InsertObject<Database, 'households'>;

/** A valid household row; each test breaks one field. */
function household(overrides: Partial<NewHousehold> = {}): NewHousehold {
	return {
		code: 'hh-test-0001',
		county_code: COUNTY,
		village_code: VILLAGE,
		members: 4,
		working_age_members: 2,
		income_per_capita_yuan: 3200,
		main_cause: 'illness',
		route: 'production',
		registered_year: 2015,
		housing_grade: 'C',
		...overrides
	};
}

/** The error a statement fails with; fails the test if the statement succeeds. */
async function rejection(statement: Promise<unknown>): Promise<unknown> {
	try {
		await statement;
	} catch (err) {
		return err;
	}
	throw new Error('expected the database to reject this statement, but it was accepted');
}

async function insertFixture(db: Kysely<Database>): Promise<void> {
	await db
		.insertInto('regions')
		.values([
			{ code: COUNTY, level: 'county', parent_code: null, county_code: COUNTY, name_zh: '顺庆区', source: 'test' },
			{ code: TOWNSHIP, level: 'township', parent_code: COUNTY, county_code: COUNTY, name_zh: '测试镇', source: 'test' },
			{ code: VILLAGE, level: 'village', parent_code: TOWNSHIP, county_code: COUNTY, name_zh: '测试一村', source: 'test' },
			{ code: VILLAGE_2, level: 'village', parent_code: TOWNSHIP, county_code: COUNTY, name_zh: '测试二村', source: 'test' }
		])
		.execute();
	await db
		.insertInto('villages')
		.values({
			code: VILLAGE,
			county_code: COUNTY,
			township_code: TOWNSHIP,
			name_zh: '测试一村',
			population: 812,
			geom: point(106.0921, 30.7956)
		})
		.execute();
}

for (const backend of backends) {
	describe(`constraints (${backend.name})`, () => {
		let handle: DatabaseHandle;
		let db: Kysely<Database>;

		beforeAll(async () => {
			handle = await backend.open();
			db = handle.db;
			await insertFixture(db);
		});
		afterAll(async () => {
			await handle?.close();
		});

		test('a valid household is accepted and reads back', async () => {
			await db
				.insertInto('households')
				.values(household({ code: 'hh-valid-0001', geom: point(106.0931, 30.7961) }))
				.execute();
			const row = await db
				.selectFrom('households')
				.select(['code', 'members', 'village_code', sql<number>`ST_X(geom)`.as('lon'), sql<number>`ST_Y(geom)`.as('lat')])
				.where('code', '=', 'hh-valid-0001')
				.executeTakeFirstOrThrow();
			expect(row).toEqual({ code: 'hh-valid-0001', members: 4, village_code: VILLAGE, lon: 106.0931, lat: 30.7961 });
		});

		test('a self-intersecting polygon is rejected: constraint_zones_geom_valid → geom', async () => {
			// A bow tie: the ring crosses itself at (106.0, 30.8).
			const bowtie = sql<string>`ST_GeomFromText('MULTIPOLYGON(((105.9 30.7, 106.1 30.9, 106.1 30.7, 105.9 30.9, 105.9 30.7)))', 4326)`;
			const err = await rejection(
				db.insertInto('constraint_zones').values({ county_code: COUNTY, kind: 'flood', geom: bowtie }).execute()
			);
			expect(describeDbError(err, 'constraint_zones')).toMatchObject({
				table: 'constraint_zones',
				field: 'geom',
				kind: 'check',
				constraint: 'constraint_zones_geom_valid'
			});
			// The same shape made valid is accepted.
			await db
				.insertInto('constraint_zones')
				.values({ county_code: COUNTY, kind: 'flood', geom: sql<string>`ST_Multi(ST_MakeValid(${bowtie}))` })
				.execute();
		});

		test('a point in EPSG:3857 is rejected from villages.geom → geom', async () => {
			const row = {
				code: VILLAGE_2,
				county_code: COUNTY,
				township_code: TOWNSHIP,
				name_zh: '测试二村',
				population: 455
			};
			const err = await rejection(
				db
					.insertInto('villages')
					.values({ ...row, geom: point(11_810_000, 3_605_000, 3857) })
					.execute()
			);
			const described = describeDbError(err, 'villages');
			expect(described).toMatchObject({ table: 'villages', field: 'geom', kind: 'geometry' });
			expect(described.message).toContain('SRID 4326');
			// Only the SRID was wrong: the same village with a lon/lat point is accepted.
			await db
				.insertInto('villages')
				.values({ ...row, geom: point(106.1012, 30.8103) })
				.execute();
		});

		test('a polygon is rejected from the Point column regions.seat → seat', async () => {
			const err = await rejection(
				db
					.updateTable('regions')
					.set({ seat: sql<string>`ST_MakeEnvelope(106.0, 30.7, 106.2, 30.9, 4326)` })
					.where('code', '=', TOWNSHIP)
					.execute()
			);
			expect(describeDbError(err, 'regions')).toMatchObject({ table: 'regions', field: 'seat', kind: 'geometry' });
		});

		test('a household in an unknown village is rejected → village_code', async () => {
			const err = await rejection(
				db
					.insertInto('households')
					.values(household({ code: 'hh-novillage', village_code: '511304100099' }))
					.execute()
			);
			const described = describeDbError(err, 'households');
			expect(described).toMatchObject({
				table: 'households',
				field: 'village_code',
				kind: 'foreign_key',
				constraint: 'households_village_code_fkey'
			});
			expect(described.message).toBe('village_code 511304100099 does not exist in villages');
		});

		test('a negative household size is rejected → members', async () => {
			const err = await rejection(
				db
					.insertInto('households')
					.values(household({ code: 'hh-negative', members: -1, working_age_members: 0 }))
					.execute()
			);
			expect(describeDbError(err, 'households')).toMatchObject({
				field: 'members',
				constraint: 'households_members_range'
			});
		});

		test('a missing household size is rejected → members', async () => {
			const err = await rejection(
				db
					.insertInto('households')
					.values(household({ code: 'hh-nullsize', members: null as unknown as number }))
					.execute()
			);
			expect(describeDbError(err, 'households')).toMatchObject({
				table: 'households',
				field: 'members',
				kind: 'not_null'
			});
		});

		test('more working-age members than members is rejected → working_age_members', async () => {
			const err = await rejection(
				db
					.insertInto('households')
					.values(household({ code: 'hh-workers', members: 3, working_age_members: 4 }))
					.execute()
			);
			expect(describeDbError(err, 'households')).toMatchObject({
				field: 'working_age_members',
				constraint: 'households_working_age_members_range'
			});
		});

		test('an unknown main cause of poverty is rejected → main_cause', async () => {
			const err = await rejection(
				db
					.insertInto('households')
					.values(household({ code: 'hh-cause', main_cause: 'bad_luck' }))
					.execute()
			);
			expect(describeDbError(err, 'households')).toMatchObject({
				field: 'main_cause',
				constraint: 'households_main_cause_known'
			});
		});

		test('a village code that is not 12 digits is rejected → code', async () => {
			// Twelve characters with the right county and township prefixes: only the digit rule fails.
			const err = await rejection(
				db
					.insertInto('villages')
					.values({
						code: '51130410000A',
						county_code: COUNTY,
						township_code: TOWNSHIP,
						name_zh: '坏编码村',
						population: 100,
						geom: point(106.11, 30.82)
					})
					.execute()
			);
			expect(describeDbError(err, 'villages')).toMatchObject({
				table: 'villages',
				field: 'code',
				constraint: 'villages_code_12_digits'
			});
		});

		test('a duplicate household code is rejected → code', async () => {
			await db.insertInto('households').values(household({ code: 'hh-twice' })).execute();
			const err = await rejection(db.insertInto('households').values(household({ code: 'hh-twice' })).execute());
			expect(describeDbError(err, 'households')).toMatchObject({ field: 'code', kind: 'unique' });
		});

		test('a village that households live in cannot be deleted → households.village_code', async () => {
			const err = await rejection(db.deleteFrom('villages').where('code', '=', VILLAGE).execute());
			const described = describeDbError(err, 'villages');
			expect(described).toMatchObject({ table: 'households', field: 'village_code', kind: 'foreign_key' });
			expect(described.message).toBe(`${VILLAGE} is still used by households.village_code`);
		});

		test('every constraint name in the schema resolves to a column it constrains', async () => {
			// Not-null constraints (contype 'n' on PostgreSQL 18) report their column directly.
			const { rows } = await sql<{ name: string; table: string; type: string; columns: string }>`
				select c.conname as name, t.relname as table, c.contype as type,
				       (select string_agg(a.attname, ',' order by a.attnum)
				          from unnest(c.conkey) as k(attnum)
				          join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum) as columns
				from pg_constraint c
				join pg_class t on t.oid = c.conrelid
				join pg_namespace n on n.oid = t.relnamespace
				where n.nspname = 'public' and t.relname in (${sql.join(DATA_TABLES)}) and c.contype in ('c', 'f', 'u', 'p', 'x')
				order by 1`.execute(db);
			expect(rows.length).toBeGreaterThan(60);
			const unresolved = rows.filter((row) => {
				const columns = row.columns.split(',');
				if (row.type === 'p') return row.name !== `${row.table}_pkey`; // field comes from the error detail
				const parsed = parseConstraintName(row.name, row.table);
				return parsed.table !== row.table || !parsed.field || !columns.includes(parsed.field);
			});
			expect(unresolved.map((r) => `${r.name} (${r.columns})`)).toEqual([]);
		});
	});
}
