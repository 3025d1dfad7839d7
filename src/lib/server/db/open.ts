// openDatabase(): one interface, two backends.
//   DATABASE_URL unset -> embedded PGlite + PostGIS persisted under the data directory.
//   DATABASE_URL set   -> a `pg` pool against PostgreSQL 15+ / PostGIS 3.3+.
// Imports here stay relative (no $lib) so that scripts run by tsx can use this module too.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Database } from './types.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import { dataDir } from '../paths.ts';

export interface Capabilities {
	backend: 'pglite' | 'postgres';
	/** ST_AsMVT / ST_AsMVTGeom available (PostGIS built with protobuf). */
	nativeMvt: boolean;
	/** More than one connection can run queries at the same time. */
	concurrentConnections: boolean;
}

export interface DatabaseHandle {
	db: Kysely<Database>;
	capabilities: Capabilities;
	/**
	 * Server backend only: run `COPY … FROM STDIN` on a pooled connection, streaming `source` into it
	 * with back-pressure (bulk imports; PGlite has no streaming COPY, callers use batched inserts).
	 */
	copyIn?(statement: string, source: AsyncIterable<string | Uint8Array>): Promise<void>;
	close(): Promise<void>;
}

export interface OpenOptions {
	/** PostgreSQL URL; defaults to process.env.DATABASE_URL. Empty -> embedded PGlite. */
	url?: string;
	/** PGlite data directory, or 'memory://' for a throwaway database. */
	pgliteDir?: string;
	/** A PGlite data-directory dump (dumpDataDir) to start from instead of an empty cluster. */
	pgliteLoad?: Blob;
	/** Per-statement time limit on the server backend, in ms. */
	statementTimeoutMs?: number;
	log?: (message: string) => void;
}

export async function openDatabase(options: OpenOptions = {}): Promise<DatabaseHandle> {
	const url = options.url ?? process.env.DATABASE_URL ?? '';
	const log = options.log ?? ((m: string) => console.error(m));
	const handle = url ? await openServer(url, options, log) : await openEmbedded(options);
	return handle;
}

async function openEmbedded(options: OpenOptions): Promise<DatabaseHandle> {
	const [{ PGlite }, { postgis }] = await Promise.all([
		import('@electric-sql/pglite'),
		import('@electric-sql/pglite-postgis')
	]);
	const dir = options.pgliteDir ?? process.env.LANTU_PGLITE_DIR ?? join(dataDir(), 'pglite');
	if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true });
	const pg = await PGlite.create(dir, { extensions: { postgis }, ...(options.pgliteLoad ? { loadDataDir: options.pgliteLoad } : {}) });
	const db = new Kysely<Database>({ dialect: new PGliteDialect(pg) });
	return {
		db,
		capabilities: { backend: 'pglite', nativeMvt: false, concurrentConnections: false },
		// PGlite reads COPY data from its /dev/blob device, one blob per statement: the stream is cut
		// into blobs of ~8 MB at line ends, so memory stays bounded. COPY text format only (a line end
		// always ends a row there: newlines inside values are escaped); not CSV with quoted newlines.
		async copyIn(statement, source) {
			if (!/\bFROM\s+STDIN\s*$/i.test(statement) || /\bcsv\b/i.test(statement))
				throw new Error(`copyIn on the embedded database takes COPY … FROM STDIN in text format, got: ${statement.slice(0, 120)}`);
			const fromBlob = statement.replace(/\bFROM\s+STDIN\s*$/i, "FROM '/dev/blob'");
			const encoder = new TextEncoder();
			let parts: Uint8Array[] = [];
			let size = 0;
			const flush = async (upTo: number) => {
				const all = new Uint8Array(size);
				let at = 0;
				for (const p of parts) {
					all.set(p, at);
					at += p.length;
				}
				await pg.query(fromBlob, [], { blob: new Blob([all.subarray(0, upTo)]) });
				parts = upTo < size ? [all.slice(upTo)] : [];
				size -= upTo;
			};
			for await (const chunk of source) {
				const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
				parts.push(bytes);
				size += bytes.length;
				if (size >= 8 << 20) {
					const last = bytes.lastIndexOf(0x0a);
					if (last >= 0) await flush(size - bytes.length + last + 1);
				}
			}
			if (size) await flush(size);
		},
		async close() {
			await db.destroy();
			await pg.close();
		}
	};
}

async function openServer(url: string, options: OpenOptions, log: (m: string) => void): Promise<DatabaseHandle> {
	const pgModule = await import('pg');
	const pgNs = (pgModule.default ?? pgModule) as typeof import('pg');
	// Counts and ids come back as JS numbers on both backends (PGlite already does this).
	const types = {
		getTypeParser(oid: number, format?: 'text' | 'binary') {
			if (oid === 20 && format !== 'binary') return (v: string) => Number(v);
			return pgNs.types.getTypeParser(oid, format as 'text');
		}
	};
	const pool = new pgNs.Pool({
		connectionString: url,
		max: Number(process.env.DATABASE_POOL_MAX ?? 10),
		connectionTimeoutMillis: 10_000,
		idleTimeoutMillis: 30_000,
		statement_timeout: options.statementTimeoutMs ?? Number(process.env.DATABASE_STATEMENT_TIMEOUT_MS ?? 60_000),
		application_name: 'lantu',
		types
	});
	// An idle client whose connection drops emits 'error' on the pool; unhandled, it would kill the
	// process. Log it; the pool replaces the client on next use.
	pool.on('error', (err) => log(`lantu: database connection error (the pool will reconnect): ${err.message}`));
	const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
	let nativeMvt = false;
	try {
		const { rows } = await sql<{ v: string }>`select postgis_full_version() as v`.execute(db);
		nativeMvt = /PROTOBUF/i.test(rows[0]?.v ?? '');
	} catch {
		// PostGIS not installed yet: the first migration creates it. Capabilities are re-read then.
	}
	const capabilities: Capabilities = { backend: 'postgres', nativeMvt, concurrentConnections: true };
	return {
		db,
		capabilities,
		async copyIn(statement, source) {
			const [{ from: copyFrom }, { Readable }, { pipeline }] = await Promise.all([
				import('pg-copy-streams'),
				import('node:stream'),
				import('node:stream/promises')
			]);
			const client = await pool.connect();
			let broken: Error | undefined;
			try {
				await pipeline(Readable.from(source, { objectMode: false }), client.query(copyFrom(statement)));
			} catch (err) {
				broken = err as Error;
				throw err;
			} finally {
				// A failed COPY can leave the connection mid-protocol: drop it rather than reuse it.
				client.release(broken);
			}
		},
		async close() {
			await db.destroy();
		}
	};
}

/** Re-detect capabilities that depend on installed extensions (call after migrating). */
export async function refreshCapabilities(handle: DatabaseHandle): Promise<void> {
	if (handle.capabilities.backend !== 'postgres') return;
	const { rows } = await sql<{ v: string }>`select postgis_full_version() as v`.execute(handle.db);
	handle.capabilities.nativeMvt = /PROTOBUF/i.test(rows[0]?.v ?? '');
}
