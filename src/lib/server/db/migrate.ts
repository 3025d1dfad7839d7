// Forward-only SQL migrations: migrations/NNNN_name.sql, applied in order, each in its own
// transaction, recorded with a SHA-256 checksum. A file that was applied and then edited is refused.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database } from './types.ts';
import { projectRoot } from '../paths.ts';
import { runScript } from './script.ts';

export interface MigrationFile {
	name: string;
	sql: string;
	checksum: string;
}

export class MigrationError extends Error {
	constructor(
		message: string,
		readonly file?: string
	) {
		super(message);
		this.name = 'MigrationError';
	}
}

const FILE_PATTERN = /^(\d{4})_[a-z0-9_]+\.sql$/;

export function readMigrations(dir = join(projectRoot(), 'migrations')): MigrationFile[] {
	const names = readdirSync(dir).filter((n) => n.endsWith('.sql')).sort();
	const seen = new Set<string>();
	return names.map((name) => {
		const match = FILE_PATTERN.exec(name);
		if (!match) throw new MigrationError(`migration file name ${name} must look like 0001_words.sql`, name);
		if (seen.has(match[1])) throw new MigrationError(`two migration files share the number ${match[1]}`, name);
		seen.add(match[1]);
		const text = readFileSync(join(dir, name), 'utf8');
		return { name, sql: text, checksum: checksum(text) };
	});
}

export function checksum(text: string): string {
	// Line endings do not change a migration's meaning (a Windows checkout must not be refused).
	return createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');
}

/** Apply pending migrations. Returns the names applied now. */
export async function migrate(db: Kysely<Database>, files: MigrationFile[] = readMigrations()): Promise<string[]> {
	await sql`create table if not exists lantu_migrations (
		name text primary key,
		checksum text not null,
		applied_at timestamptz not null default now()
	)`.execute(db);
	// One migrator at a time across app processes (a no-op cost on PGlite).
	return await db.connection().execute(async (conn) => {
		await sql`select pg_advisory_lock(74207001)`.execute(conn);
		try {
			const applied = await conn.selectFrom('lantu_migrations').select(['name', 'checksum']).execute();
			const byName = new Map(applied.map((r) => [r.name, r.checksum]));
			const known = new Set(files.map((f) => f.name));
			for (const row of applied) {
				if (!known.has(row.name)) {
					throw new MigrationError(
						`migration ${row.name} is recorded in the database but its file is missing from migrations/`,
						row.name
					);
				}
			}
			for (const file of files) {
				const recorded = byName.get(file.name);
				if (recorded !== undefined && recorded !== file.checksum) {
					throw new MigrationError(
						`migration ${file.name} was edited after it was applied (checksum ${recorded.slice(0, 12)}… in the database, ` +
							`${file.checksum.slice(0, 12)}… on disk). Migrations are forward-only: restore the file and add a new one.`,
						file.name
					);
				}
			}
			const done: string[] = [];
			for (const file of files) {
				if (byName.has(file.name)) continue;
				try {
					await conn.transaction().execute(async (trx) => {
						await runScript(trx, file.sql);
						await trx.insertInto('lantu_migrations').values({ name: file.name, checksum: file.checksum }).execute();
					});
				} catch (err) {
					throw new MigrationError(`migration ${file.name} failed: ${(err as Error).message}`, file.name);
				}
				done.push(file.name);
			}
			return done;
		} finally {
			await sql`select pg_advisory_unlock(74207001)`.execute(conn);
		}
	});
}
