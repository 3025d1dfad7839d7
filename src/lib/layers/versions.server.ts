// The data-version part of layer cache keys (migration 0002), shared by the response cache
// (server.ts) and the per-snapshot intermediates some layers keep (housing-cost-gap/data.server.ts).
import { sql, type Kysely } from 'kysely';
import type { Database } from '$lib/server/db';
import type { DataTable } from '$lib/server/db/data-version';

/**
 * The data-version part of a key: "households:40,villages:12@<last change>". The time of the last
 * change is there for a database dropped and created again under a running app (or behind a
 * browser holding an ETag), whose counters can coincide with the old ones; the numbers alone are
 * what changes on every write.
 */
export async function versionKey(db: Kysely<Database>, tables: readonly DataTable[]): Promise<string> {
	const { rows } = await sql<{ data_table: string; version: string | number; changed: string }>`
		select data_table, version, (extract(epoch from changed_at) * 1000000)::bigint::text as changed
		from data_versions where data_table in (${sql.join(tables)})`.execute(db);
	const byName = new Map(rows.map((r) => [r.data_table, r]));
	let latest = 0n;
	const parts = tables.map((t) => {
		const r = byName.get(t);
		if (!r) throw new Error(`data_versions has no row for table ${t}`);
		if (BigInt(r.changed) > latest) latest = BigInt(r.changed);
		return `${t}:${r.version}`;
	});
	return `${parts.join(',')}@${latest}`;
}
