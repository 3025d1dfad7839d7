// The migration runner and the schema's invariants, on both backends. One database per backend,
// created empty; the tests run in order on it (each step builds on the previous one's state).
// Extra migration files are written to a temporary copy of migrations/, never to the real folder.
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from './backends.ts';
import type { DatabaseHandle } from '../../src/lib/server/db/open.ts';
import { migrate, readMigrations, MigrationError } from '../../src/lib/server/db/migrate.ts';
import { DATA_TABLES, type Database } from '../../src/lib/server/db/types.ts';
import { projectRoot } from '../../src/lib/server/paths.ts';

const MIGRATIONS_DIR = join(projectRoot(), 'migrations');

/** The file name after the last migration: 0002_… when 0001 is the last. */
function nextName(offset: number, words: string): string {
	const last = Math.max(...readMigrations(MIGRATIONS_DIR).map((f) => Number(f.name.slice(0, 4))));
	return `${String(last + offset).padStart(4, '0')}_${words}.sql`;
}

/** A copy of migrations/ (plus extra files) in a temp dir. */
function migrationsCopy(root: string, label: string, extra: Record<string, string> = {}): string {
	const dir = join(root, label);
	cpSync(MIGRATIONS_DIR, dir, { recursive: true });
	for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text);
	return dir;
}

async function tableExists(db: Kysely<Database>, name: string): Promise<boolean> {
	const { rows } = await sql<{ oid: string | null }>`select to_regclass(${name})::text as oid`.execute(db);
	return rows[0].oid !== null;
}

// Personal identifiers must never get a column (architecture: privacy). Substrings, so
// `owner_phone` or `realname` are caught too.
const FORBIDDEN = ['name', 'id_card', 'idcard', 'id_number', 'id_no', 'identity', 'phone', 'mobile', 'bank', 'account', 'passport', 'email'];
// The only `name` columns allowed: names of places, features and plans, and migration file names.
// Households are deliberately absent and must stay so.
const ALLOWED_NAME_COLUMNS: Record<string, string[]> = {
	regions: ['name_zh', 'name_en'],
	villages: ['name_zh'],
	relocation_sites: ['name_zh'],
	industry_sites: ['name_zh'],
	roads: ['name_zh'],
	rivers: ['name_zh', 'name_en'],
	facilities: ['name_zh'],
	constraint_zones: ['name_zh'],
	scenarios: ['name'],
	lantu_migrations: ['name']
};

const PROBE_TABLE = 'lantu_test_probe';
const HALF_TABLE = 'lantu_test_half_applied';

for (const backend of backends) {
	describe(`migrations (${backend.name})`, () => {
		let handle: DatabaseHandle;
		let db: Kysely<Database>;
		let tmp: string;
		const files = readMigrations(MIGRATIONS_DIR);
		const probe = nextName(1, 'test_probe');
		let withProbe: string;

		beforeAll(async () => {
			tmp = mkdtempSync(join(tmpdir(), 'lantu-migrations-'));
			withProbe = migrationsCopy(tmp, 'with-probe', {
				[probe]: `-- A later migration: runs after the real ones.\ncreate table ${PROBE_TABLE} (id integer primary key, county_code text not null);\n`
			});
			handle = await backend.open({ migrate: false });
			db = handle.db;
		});
		afterAll(async () => {
			await handle?.close();
			if (tmp) rmSync(tmp, { recursive: true, force: true });
		});

		test('every migration applies to an empty database, in order', async () => {
			expect(files.length).toBeGreaterThan(0);
			expect(await tableExists(db, 'households')).toBe(false);
			const applied = await migrate(db);
			expect(applied).toEqual(files.map((f) => f.name));
			for (const table of DATA_TABLES) expect(await tableExists(db, table), table).toBe(true);
		});

		test('a second run applies nothing', async () => {
			expect(await migrate(db)).toEqual([]);
		});

		test('lantu_migrations records each file with its SHA-256', async () => {
			const rows = await db.selectFrom('lantu_migrations').select(['name', 'checksum']).orderBy('name').execute();
			const expected = files.map((f) => ({
				name: f.name,
				// Computed here independently of the runner (which ignores CRLF vs LF).
				checksum: createHash('sha256')
					.update(readFileSync(join(MIGRATIONS_DIR, f.name), 'utf8').replace(/\r\n/g, '\n'))
					.digest('hex')
			}));
			expect(rows).toEqual(expected);
			for (const row of rows) expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
		});

		test('every data table has a county_code column (the partition / distribution key)', async () => {
			const { rows } = await sql<{ table: string }>`
				select table_name as table from information_schema.columns
				where table_schema = 'public' and column_name = 'county_code'`.execute(db);
			const withCounty = new Set(rows.map((r) => r.table));
			expect(DATA_TABLES.filter((t) => !withCounty.has(t))).toEqual([]);
		});

		test('every geometry column is typed with SRID 4326 and has a GiST index', async () => {
			const { rows: columns } = await sql<{ table: string; column: string; srid: number; type: string }>`
				select f_table_name as table, f_geometry_column as column, srid, type
				from geometry_columns where f_table_schema = 'public' order by 1, 2`.execute(db);
			// Every geometry column of the data tables shows up (geom everywhere, regions.seat too).
			for (const table of DATA_TABLES) {
				const { rows } = await sql<{ n: number }>`
					select count(*)::int as n from information_schema.columns
					where table_schema = 'public' and table_name = ${table} and udt_name = 'geometry'`.execute(db);
				expect(columns.filter((c) => c.table === table).length, table).toBe(rows[0].n);
			}
			expect(columns.length).toBeGreaterThanOrEqual(10);
			expect(columns.filter((c) => c.srid !== 4326)).toEqual([]);
			expect(columns.filter((c) => c.column !== 'geom').map((c) => `${c.table}.${c.column}`)).toEqual(['regions.seat']);

			const { rows: indexes } = await sql<{ table: string; column: string; index: string }>`
				select t.relname as table, a.attname as column, i.relname as index
				from pg_index x
				join pg_class i on i.oid = x.indexrelid
				join pg_am am on am.oid = i.relam
				join pg_class t on t.oid = x.indrelid
				join pg_namespace n on n.oid = t.relnamespace
				join pg_attribute a on a.attrelid = t.oid and a.attnum = x.indkey[0]
				where am.amname = 'gist' and n.nspname = 'public'`.execute(db);
			const indexed = new Set(indexes.map((r) => `${r.table}.${r.column}`));
			expect(columns.map((c) => `${c.table}.${c.column}`).filter((c) => !indexed.has(c))).toEqual([]);
		});

		test('no column anywhere holds a personal name, ID-card, phone or bank number', async () => {
			// Every column of every relation outside the system schemas, except PostGIS's own
			// (spatial_ref_sys.auth_name, the geometry_columns view), which belong to the extension.
			const { rows } = await sql<{ schema: string; table: string; column: string }>`
				select n.nspname as schema, c.relname as table, a.attname as column
				from pg_attribute a
				join pg_class c on c.oid = a.attrelid
				join pg_namespace n on n.oid = c.relnamespace
				where c.relkind in ('r', 'p', 'v', 'm', 'f')
				  and a.attnum > 0 and not a.attisdropped
				  and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
				  and not exists (
				    select 1 from pg_depend d
				    where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')`.execute(db);
			// The scan really covers the schema.
			expect(rows.length).toBeGreaterThan(100);
			expect(DATA_TABLES.filter((t) => !rows.some((r) => r.table === t))).toEqual([]);
			expect(rows.filter((r) => r.table === 'households').length).toBeGreaterThan(10);
			expect(Object.keys(ALLOWED_NAME_COLUMNS)).not.toContain('households');

			const offending = rows.filter((r) => {
				const column = r.column.toLowerCase();
				const hits = FORBIDDEN.filter((word) => column.includes(word));
				if (hits.length === 0) return false;
				const allowed =
					r.schema === 'public' && hits.every((h) => h === 'name') && ALLOWED_NAME_COLUMNS[r.table]?.includes(column);
				return !allowed;
			});
			expect(offending.map((r) => `${r.schema}.${r.table}.${r.column}`)).toEqual([]);
		});

		test('a new migration file is applied after the ones already applied', async () => {
			const before = await db.selectFrom('lantu_migrations').select(['name', 'applied_at']).execute();
			const applied = await migrate(db, readMigrations(withProbe));
			expect(applied).toEqual([probe]);
			expect(await tableExists(db, PROBE_TABLE)).toBe(true);
			const rows = await db.selectFrom('lantu_migrations').select(['name', 'applied_at']).orderBy('name').execute();
			expect(rows.map((r) => r.name)).toEqual([...files.map((f) => f.name), probe]);
			const probeRow = rows.find((r) => r.name === probe)!;
			for (const old of before) expect(new Date(probeRow.applied_at).getTime()).toBeGreaterThanOrEqual(new Date(old.applied_at).getTime());
			expect(await migrate(db, readMigrations(withProbe))).toEqual([]);
		});

		test('a migration file edited after it was applied is refused, naming the file', async () => {
			const pending = nextName(2, 'test_never_applied');
			const dir = migrationsCopy(tmp, 'edited', {
				[probe]: readFileSync(join(withProbe, probe), 'utf8'),
				[pending]: `create table lantu_test_never (id integer);\n`
			});
			const first = files[0].name;
			appendFileSync(join(dir, first), '\n-- an innocent-looking edit\n');
			const err = await migrate(db, readMigrations(dir)).then(
				() => null,
				(e: unknown) => e
			);
			expect(err).toBeInstanceOf(MigrationError);
			expect((err as MigrationError).file).toBe(first);
			expect((err as MigrationError).message).toContain(first);
			expect((err as MigrationError).message).toMatch(/edited/);
			// Refused before anything ran: the pending file was not applied.
			expect(await tableExists(db, 'lantu_test_never')).toBe(false);
			const names = (await db.selectFrom('lantu_migrations').select('name').execute()).map((r) => r.name);
			expect(names).not.toContain(pending);
		});

		test('an applied migration whose file is gone is refused, naming the file', async () => {
			const err = await migrate(db, readMigrations(MIGRATIONS_DIR)).then(
				() => null,
				(e: unknown) => e
			);
			expect(err).toBeInstanceOf(MigrationError);
			expect((err as MigrationError).file).toBe(probe);
			expect((err as MigrationError).message).toContain(probe);
		});

		test('a failing migration leaves nothing half-applied and names the file', async () => {
			const broken = nextName(2, 'test_broken');
			const dir = migrationsCopy(tmp, 'broken', {
				[probe]: readFileSync(join(withProbe, probe), 'utf8'),
				// DDL, then DML on an existing table, then an error: all of it must roll back.
				[broken]: [
					`create table ${HALF_TABLE} (id integer primary key);`,
					`insert into ${HALF_TABLE} values (1);`,
					`insert into data_sources (county_code, dataset, synthetic, source) values ('511304', 'half_applied', true, 'test');`,
					`alter table households add column lantu_test_column integer;`,
					`select 1 / 0;`,
					`create table lantu_test_after_error (id integer);`
				].join('\n')
			});
			const err = await migrate(db, readMigrations(dir)).then(
				() => null,
				(e: unknown) => e
			);
			expect(err).toBeInstanceOf(MigrationError);
			expect((err as MigrationError).file).toBe(broken);
			expect((err as MigrationError).message).toContain(broken);
			expect((err as MigrationError).message).toMatch(/division by zero/);

			expect(await tableExists(db, HALF_TABLE)).toBe(false);
			expect(await tableExists(db, 'lantu_test_after_error')).toBe(false);
			const sources = await db.selectFrom('data_sources').select('id').where('dataset', '=', 'half_applied').execute();
			expect(sources).toEqual([]);
			const { rows: added } = await sql<{ n: number }>`
				select count(*)::int as n from information_schema.columns
				where table_name = 'households' and column_name = 'lantu_test_column'`.execute(db);
			expect(added[0].n).toBe(0);
			const names = (await db.selectFrom('lantu_migrations').select('name').execute()).map((r) => r.name);
			expect(names).not.toContain(broken);
			// The database is still usable and up to date with the good files.
			expect(await migrate(db, readMigrations(withProbe))).toEqual([]);
		});
	});
}
