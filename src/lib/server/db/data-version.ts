// Read the per-table data versions (migration 0002). A cache key built from the versions of the tables
// an answer read is invalidated by any committed change to those tables.
import { sql, type Kysely } from 'kysely';
import type { Database } from './types.ts';

export type DataTable =
	| 'regions'
	| 'villages'
	| 'households'
	| 'industry_sites'
	| 'relocation_sites'
	| 'roads'
	| 'rivers'
	| 'facilities'
	| 'constraint_zones'
	| 'scenarios'
	| 'analysis_runs';

/** The current version of each named table, in the order asked. */
export async function dataVersions(db: Kysely<Database>, tables: readonly DataTable[]): Promise<number[]> {
	if (tables.length === 0) return [];
	const { rows } = await sql<{ data_table: string; version: string | number }>`
		select data_table, version from data_versions where data_table in (${sql.join(tables)})`.execute(db);
	const byName = new Map(rows.map((r) => [r.data_table, Number(r.version)]));
	return tables.map((t) => {
		const v = byName.get(t);
		if (v === undefined) throw new Error(`data_versions has no row for table ${t}`);
		return v;
	});
}

/** One string for a cache key: "villages:12,households:40". */
export async function dataVersionKey(db: Kysely<Database>, tables: readonly DataTable[]): Promise<string> {
	const versions = await dataVersions(db, tables);
	return tables.map((t, i) => `${t}:${versions[i]}`).join(',');
}
