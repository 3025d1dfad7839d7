// A Kysely dialect for PGlite. PGlite is one connection in one WASM instance, so the driver hands
// out that connection to one holder at a time (a FIFO mutex): a transaction never interleaves with
// another request's queries.
import {
	CompiledQuery,
	PostgresAdapter,
	PostgresIntrospector,
	PostgresQueryCompiler,
	type DatabaseConnection,
	type DatabaseIntrospector,
	type Dialect,
	type DialectAdapter,
	type Driver,
	type Kysely,
	type QueryCompiler,
	type QueryResult,
	type TransactionSettings
} from 'kysely';
import type { PGlite } from '@electric-sql/pglite';
import { SCRIPT_MARKER } from './script.ts';

class PGliteConnection implements DatabaseConnection {
	constructor(readonly pg: PGlite) {}

	async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
		if (compiled.parameters.length === 0 && compiled.sql.startsWith(SCRIPT_MARKER)) {
			const results = await this.pg.exec(compiled.sql);
			return { rows: (results.at(-1)?.rows ?? []) as R[] };
		}
		const result = await this.pg.query<R>(compiled.sql, compiled.parameters as unknown[]);
		const affected = result.affectedRows;
		return {
			rows: result.rows,
			...(affected !== undefined ? { numAffectedRows: BigInt(affected) } : {})
		};
	}

	async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
		// PGlite returns whole results; one chunk is the honest stream.
		yield await this.executeQuery<R>(compiled);
	}
}

class PGliteDriver implements Driver {
	readonly #connection: PGliteConnection;
	#queue: Promise<void> = Promise.resolve();
	#release: (() => void) | null = null;

	constructor(pg: PGlite) {
		this.#connection = new PGliteConnection(pg);
	}

	async init(): Promise<void> {}

	async acquireConnection(): Promise<DatabaseConnection> {
		const previous = this.#queue;
		let release!: () => void;
		this.#queue = new Promise<void>((resolve) => (release = resolve));
		await previous;
		this.#release = release;
		return this.#connection;
	}

	async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
		let sql = 'begin';
		if (settings.isolationLevel) sql += ` isolation level ${settings.isolationLevel}`;
		if (settings.accessMode) sql += ` ${settings.accessMode}`;
		await connection.executeQuery(CompiledQuery.raw(sql));
	}

	async commitTransaction(connection: DatabaseConnection): Promise<void> {
		await connection.executeQuery(CompiledQuery.raw('commit'));
	}

	async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
		await connection.executeQuery(CompiledQuery.raw('rollback'));
	}

	async releaseConnection(): Promise<void> {
		const release = this.#release;
		this.#release = null;
		release?.();
	}

	async destroy(): Promise<void> {}
}

export class PGliteDialect implements Dialect {
	constructor(readonly pg: PGlite) {}
	createAdapter(): DialectAdapter {
		return new PostgresAdapter();
	}
	createDriver(): Driver {
		return new PGliteDriver(this.pg);
	}
	createQueryCompiler(): QueryCompiler {
		return new PostgresQueryCompiler();
	}
	createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
		return new PostgresIntrospector(db);
	}
}
