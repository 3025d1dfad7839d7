// npm run db:migrate | npm run db:seed — against DATABASE_URL, or the embedded database in data/.
import { openDatabase } from '../src/lib/server/db/open.ts';
import { migrate } from '../src/lib/server/db/migrate.ts';
import { seed } from '../src/lib/server/db/seed.ts';

const command = process.argv[2];
if (command !== 'migrate' && command !== 'seed') {
	console.error('usage: tsx scripts/db.ts migrate|seed');
	process.exit(2);
}
const handle = await openDatabase();
try {
	const applied = await migrate(handle.db);
	console.log(applied.length ? `applied: ${applied.join(', ')}` : 'migrations: up to date');
	if (command === 'seed') {
		const t0 = performance.now();
		const summary = await seed(handle.db);
		const counts = Object.entries(summary.counts).map(([t, n]) => `${t} ${n}`).join(', ');
		console.log(`seeded the demo counties in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${counts}`);
		console.log(`generator checksum ${summary.checksum}`);
	}
} catch (err) {
	console.error(`lantu: ${(err as Error).message}`);
	process.exitCode = 1;
} finally {
	await handle.close();
}
