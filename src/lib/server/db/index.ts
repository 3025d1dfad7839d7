// The app's one database handle: opened once per process, migrated, and loaded with the demo data
// on first start (when the regions table is empty).
import { openDatabase, refreshCapabilities, type DatabaseHandle } from './open.ts';
import { migrate } from './migrate.ts';
import { seedIfEmpty } from './seed.ts';
import { failInterruptedRuns } from '../analysis/runs.server.ts';

let opening: Promise<DatabaseHandle> | undefined;

export function database(): Promise<DatabaseHandle> {
	opening ??= (async () => {
		const handle = await openDatabase();
		const applied = await migrate(handle.db);
		if (applied.length) console.log(`lantu: applied migrations ${applied.join(', ')}`);
		await refreshCapabilities(handle);
		const interrupted = await failInterruptedRuns(handle.db);
		if (interrupted) console.log(`lantu: marked ${interrupted} interrupted analysis runs as failed`);
		const seeded = await seedIfEmpty(handle.db);
		if (seeded) console.log(`lantu: loaded the demo data (${seeded.households} households)`);
		return handle;
	})();
	opening.catch(() => (opening = undefined));
	return opening;
}

export { openDatabase, type DatabaseHandle, type Capabilities } from './open.ts';
export type { Database } from './types.ts';
