// Running a multi-statement SQL script (a migration) through Kysely on either backend.
// node-postgres sends a parameterless query with the simple protocol, which accepts several
// statements. PGlite's query() is single-statement, so its driver routes text marked with
// SCRIPT_MARKER to PGlite's exec(), which accepts several. This is the only place that differs.
import { sql, type QueryExecutorProvider } from 'kysely';

export const SCRIPT_MARKER = '/* lantu:script */';

/** `db` is any Kysely instance, transaction or connection, whatever its schema. */
export async function runScript(db: QueryExecutorProvider, text: string): Promise<void> {
	await sql.raw(`${SCRIPT_MARKER}\n${text}`).execute(db);
}
