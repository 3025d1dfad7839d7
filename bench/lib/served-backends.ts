// The benchmarks that measure through HTTP run the built app twice: on the embedded database, then
// (when a PostgreSQL server is given) on a throwaway database of that server, each seeded by the
// app's first start.
import { startServer, type RunningServer } from '../../tests/e2e/server.ts';
import { withScratchDatabase } from './scratch-db.ts';

export type ServedBackend = 'pglite' | 'postgres';

/** The rows `measure` gives on each backend, embedded first; the server only when `serverUrl` is set. */
export async function measureServedBackends<T>(
	serverUrl: string,
	name: string,
	measure: (server: RunningServer, backend: ServedBackend) => Promise<T[]>
): Promise<T[]> {
	const rows: T[] = [];
	const run = async (backend: ServedBackend, databaseUrl?: string) => {
		const server = await startServer(databaseUrl ? { databaseUrl } : {});
		try {
			rows.push(...(await measure(server, backend)));
		} finally {
			await server.stop();
		}
	};
	await run('pglite');
	if (serverUrl) await withScratchDatabase(serverUrl, name, (databaseUrl) => run('postgres', databaseUrl));
	return rows;
}
