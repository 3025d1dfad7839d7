// The backends every DB test runs on: embedded PGlite always; the PostgreSQL server too when
// TEST_DATABASE_URL is set (.ci/run sets it). Each call gets a fresh, migrated, empty database:
// a new in-memory PGlite, or a new database created on the server and dropped on close.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, refreshCapabilities, type DatabaseHandle } from '../../src/lib/server/db/open.ts';
import { migrate } from '../../src/lib/server/db/migrate.ts';

export interface Backend {
	name: 'pglite' | 'postgres';
	/** A fresh database; pass migrate: false for an empty one. */
	open(options?: { migrate?: boolean }): Promise<DatabaseHandle>;
}

export const serverUrl = process.env.TEST_DATABASE_URL ?? '';

const pglite: Backend = {
	name: 'pglite',
	async open({ migrate: doMigrate = true } = {}) {
		// Start from the run's PostGIS-ready template (tests/global-setup.ts).
		const template = inject('pgliteTemplate');
		const pgliteLoad = template ? new Blob([readFileSync(template)]) : undefined;
		const handle = await openDatabase({ pgliteDir: 'memory://', pgliteLoad });
		if (doMigrate) await migrate(handle.db);
		return handle;
	}
};

const server: Backend = {
	name: 'postgres',
	async open({ migrate: doMigrate = true } = {}) {
		const name = `lantu_t_${randomBytes(6).toString('hex')}`;
		const admin = new pg.Client({ connectionString: serverUrl });
		await admin.connect();
		await admin.query(`create database ${name}`);
		await admin.end();
		const url = new URL(serverUrl);
		url.pathname = `/${name}`;
		const handle = await openDatabase({ url: url.toString(), log: () => {} });
		if (doMigrate) {
			await migrate(handle.db);
			await refreshCapabilities(handle);
		}
		const close = handle.close;
		handle.close = async () => {
			await close();
			const admin2 = new pg.Client({ connectionString: serverUrl });
			await admin2.connect();
			await admin2.query(`drop database if exists ${name} with (force)`);
			await admin2.end();
		};
		return handle;
	}
};

export const backends: Backend[] = serverUrl ? [pglite, server] : [pglite];
