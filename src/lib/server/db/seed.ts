// Loads the demo counties: real outlines, codes, seats and rivers from geodata/, plus the
// deterministic synthetic layers from geodata/generator. Idempotent: a run replaces the demo
// counties' rows in one transaction, so a second run leaves exactly the same rows.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, DataTable } from './types.ts';
import { projectRoot } from '../paths.ts';
import { loadDemoInputs } from '../../../../geodata/generator/inputs.ts';
import { generateDemo, type DemoData } from '../../../../geodata/generator/demo.ts';

export const DEMO_COUNTIES = ['360731', '360732', '360781', '511304'] as const;

/** Insert order (foreign keys) — deletion runs in reverse. */
const LOAD_ORDER: (keyof DemoData & DataTable)[] = [
	'regions',
	'villages',
	'relocation_sites',
	'households',
	'industry_sites',
	'roads',
	'rivers',
	'facilities',
	'constraint_zones',
	'scenarios',
	'data_sources'
];

const IDENTITY_TABLES = ['relocation_sites', 'industry_sites', 'roads', 'rivers', 'facilities', 'constraint_zones', 'scenarios', 'data_sources'] as const;

export interface SeedSummary {
	checksum: string;
	counts: Record<string, number>;
	households: number;
}

export function generateDemoData(): DemoData {
	return generateDemo(loadDemoInputs(join(projectRoot(), 'geodata')));
}

export async function seed(db: Kysely<Database>, input: DemoData = generateDemoData()): Promise<SeedSummary> {
	const checksum = createHash('sha256').update(JSON.stringify(input)).digest('hex');
	const data: DemoData = { ...input, data_sources: input.data_sources.map((row) => ({ ...row, checksum })) };
	await db.transaction().execute(async (trx) => {
		await clearDemoCounties(trx, data);
		for (const table of LOAD_ORDER) await insertJsonRows(trx, table, data[table]);
		// Identity sequences continue after the explicit ids (rows added later, e.g. flood zones).
		for (const table of IDENTITY_TABLES) {
			await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(table)}), 0) + 1, false)`.execute(trx);
		}
		await deriveFromRivers(trx);
	});
	// Planner statistics for the tables just loaded. The embedded database has no autovacuum, so
	// without this it plans every query on default guesses forever (e.g. 234 relocating households
	// estimated for 7,480); the server's autovacuum analyzes them only after a delay.
	await sql`analyze ${sql.join(LOAD_ORDER.map((t) => sql.table(t)))}`.execute(db);
	const counts = Object.fromEntries(LOAD_ORDER.map((t) => [t, data[t].length]));
	return { checksum, counts, households: data.households.length };
}

/** Seed when the database holds no county yet (the first start). */
export async function seedIfEmpty(db: Kysely<Database>): Promise<SeedSummary | null> {
	const row = await db.selectFrom('regions').select(sql<number>`count(*)::int`.as('n')).where('level', '=', 'county').executeTakeFirstOrThrow();
	if (row.n > 0) return null;
	return seed(db);
}

async function clearDemoCounties(trx: Transaction<Database>, data: DemoData) {
	const counties = [...DEMO_COUNTIES];
	for (const table of [...LOAD_ORDER].reverse()) {
		if (table === 'regions') continue;
		await trx.deleteFrom(table).where('county_code', 'in', counties).execute();
	}
	for (const level of ['village', 'township', 'county'] as const) {
		await trx.deleteFrom('regions').where('level', '=', level).where('county_code', 'in', counties).execute();
	}
	// Cities and provinces go only when nothing else hangs below them.
	const upper = data.regions.filter((r) => r.level === 'city' || r.level === 'province').map((r) => String(r.code));
	for (const level of ['city', 'province'] as const) {
		await trx
			.deleteFrom('regions')
			.where('level', '=', level)
			.where('code', 'in', upper)
			.where(({ not, exists, selectFrom }) =>
				not(exists(selectFrom('regions as child').select('child.code').whereRef('child.parent_code', '=', 'regions.code')))
			)
			.execute();
	}
}

/**
 * Bulk insert through one JSON parameter per batch: json_populate_recordset maps keys to the
 * table's columns and casts each value with the column's own input function (EWKT for geometry),
 * so every CHECK and foreign key still applies, on both backends, with few round trips.
 */
export async function insertJsonRows(trx: Kysely<Database>, table: DataTable, rows: Record<string, unknown>[], batch = 5000) {
	if (!rows.length) return;
	const columns = Object.keys(rows[0]);
	const cols = sql.join(columns.map((c) => sql.ref(c)));
	for (let i = 0; i < rows.length; i += batch) {
		const chunk = JSON.stringify(rows.slice(i, i + batch));
		await sql`insert into ${sql.table(table)} (${cols})
			select ${cols} from json_populate_recordset(null::${sql.table(table)}, ${chunk}::json)`.execute(trx);
	}
}

/** Clip rivers to their county (with a small margin) and derive flood zones along them. */
async function deriveFromRivers(trx: Transaction<Database>) {
	await sql`
		update rivers r set geom = clipped.geom
		from (
			select r2.id, ST_Multi(ST_CollectionExtract(ST_Intersection(r2.geom, ST_Buffer(c.geom, 0.01)), 2)) as geom
			from rivers r2 join regions c on c.code = r2.county_code and c.level = 'county'
		) clipped
		where clipped.id = r.id`.execute(trx);
	await sql`delete from rivers where ST_IsEmpty(geom)`.execute(trx);
	// Flood zones (synthetic): 300 m either side of the named main rivers, inside the county.
	await sql`
		insert into constraint_zones (county_code, kind, name_zh, geom, synthetic)
		select r.county_code, 'flood', coalesce(r.name_zh, '河流') || '洪泛区（示意）',
			ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Intersection(
				ST_Buffer(r.geom::geography, 300)::geometry, c.geom)), 3)),
			true
		from rivers r join regions c on c.code = r.county_code and c.level = 'county'
		where r.name_en is not null
		order by r.id`.execute(trx);
	await sql`delete from constraint_zones where ST_IsEmpty(geom)`.execute(trx);
}
