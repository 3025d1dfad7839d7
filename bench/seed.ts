// npm run bench:seed — generate and load the demo counties on each backend, side by side in one
// run; prints the times and the ratio, and writes bench/results/seed.md.
// The server backend is measured when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../src/lib/server/db/open.ts';
import { migrate } from '../src/lib/server/db/migrate.ts';
import { generateDemoData, seed } from '../src/lib/server/db/seed.ts';
import { projectRoot } from '../src/lib/server/paths.ts';

const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? '';
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);

const t0 = performance.now();
const data = generateDemoData();
const generateMs = performance.now() - t0;

interface Row { backend: string; openMs: number; seedMs: number[] }
const results: Row[] = [];
for (const backend of url ? ['pglite', 'postgres'] : ['pglite']) {
	const start = performance.now();
	const handle = await openDatabase({ url: backend === 'postgres' ? url : '', pgliteDir: 'memory://', log: () => {} });
	await migrate(handle.db);
	const openMs = performance.now() - start;
	const seedMs: number[] = [];
	for (let i = 0; i < rounds; i++) {
		const s = performance.now();
		await seed(handle.db, data);
		seedMs.push(performance.now() - s);
	}
	await handle.close();
	results.push({ backend, openMs, seedMs });
}

const best = (r: Row) => Math.min(...r.seedMs);
const rows = results.map((r) => `| ${r.backend} | ${(r.openMs / 1000).toFixed(1)} | ${r.seedMs.map((m) => (m / 1000).toFixed(1)).join(' / ')} | ${Math.round(data.households.length / (best(r) / 1000))} |`);
const ratio = results.length === 2 ? best(results[0]) / best(results[1]) : null;
const md = [
	'# Demo seed: generate and load the four demo counties',
	'',
	`Generated ${data.households.length} households and ${data.villages.length} villages in ${(generateMs / 1000).toFixed(1)} s (pure TypeScript).`,
	'',
	'| backend | open + migrate (s) | seed, each round (s) | households/s (best) |',
	'|---|---|---|---|',
	...rows,
	'',
	ratio ? `Embedded PGlite takes ${ratio.toFixed(1)}× the server's time for the same load.` : 'Server backend not measured (set BENCH_DATABASE_URL).',
	'',
	`Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}; a seed replaces the demo counties in one transaction.`
].join('\n');
console.log(md);
mkdirSync(join(projectRoot(), 'bench', 'results'), { recursive: true });
writeFileSync(join(projectRoot(), 'bench', 'results', 'seed.md'), md + '\n');
