// GET /api/health: the database answers, which engine and versions it runs, and how many rows each
// data table holds (an empty `households` after start means the demo data did not load).
import { sql, type Kysely } from 'kysely';
import { DATA_TABLES, type DataTable, type Database } from './db/types.ts';
import type { Capabilities } from './db/open.ts';

export interface Health {
	status: 'ok';
	backend: Capabilities['backend'];
	/** PostgreSQL server version, e.g. "18.1" or "15.14 (Debian 15.14-0+deb12u1)". */
	postgres: string;
	/** postgis_lib_version(), e.g. "3.6.0". */
	postgis: string;
	counts: Record<DataTable, number>;
}

export async function health(handle: { db: Kysely<Database>; capabilities: Capabilities }): Promise<Health> {
	const { db, capabilities } = handle;
	const { rows } = await sql<{ postgres: string; postgis: string }>`
		select current_setting('server_version') as postgres, postgis_lib_version() as postgis`.execute(db);
	const counts = {} as Record<DataTable, number>;
	// One statement per table: PGlite runs one query at a time anyway, and a table-name literal
	// never comes from input (DATA_TABLES is a constant).
	for (const table of DATA_TABLES) {
		const row = await db
			.selectFrom(table)
			.select((eb) => eb.fn.countAll<number | string>().as('n'))
			.executeTakeFirstOrThrow();
		counts[table] = Number(row.n);
	}
	return { status: 'ok', backend: capabilities.backend, postgres: rows[0].postgres, postgis: rows[0].postgis, counts };
}
