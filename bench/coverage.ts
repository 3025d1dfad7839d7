// npm run bench:coverage — industrial-chain coverage at province scale: a synthetic province the size
// of Jiangxi (17,000 villages in 850 townships, 2,000 industry sites of one chain over 5 stages,
// ~200,000 still-poor households, a road grid of ~165,000 km) generated from a fixed seed, loaded
// into the PostgreSQL server (BENCH_DATABASE_URL, else TEST_DATABASE_URL; a fresh database
// `lantu_bench_cov_<pid>`, dropped afterwards) and into embedded PGlite, then the whole chain-gaps
// computation timed cold (caches cleared): SQL load + road graph + 5 multi-source Dijkstras + core.
// Appends the figures to bench/results/analyses.md (section "Coverage at province scale").
// The data is labelled synthetic: it exists only for this measurement.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import type { Kysely } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../src/lib/server/db/open.ts';
import { migrate } from '../src/lib/server/db/migrate.ts';
import type { Database } from '../src/lib/server/db/types.ts';
import { clearRoadNetworkCache } from '../src/lib/analysis/travel-time/network.server.ts';
import { clearChainMinutesCache } from '../src/lib/analysis/chain-coverage/network-minutes.server.ts';
import { computeChainGaps, type ChainGapsResult } from '../src/lib/analysis/chain-coverage/chain-gaps.server.ts';
import { COUNTY, SEED, generate, load, type Data } from './coverage-data.ts';
import { withScratchDatabase } from './lib/scratch-db.ts';
import { median } from './lib/stats.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface Timing { total: number; cpu: number; sql: number; graph: number; dijkstra: number; core: number; result: ChainGapsResult }

async function measure(db: Kysely<Database>): Promise<Timing[]> {
	const out: Timing[] = [];
	for (let r = 0; r < ROUNDS; r++) {
		clearRoadNetworkCache();
		clearChainMinutesCache();
		const t0 = performance.now();
		const c0 = process.cpuUsage();
		const result = await computeChainGaps(db, { county: COUNTY, chain: 'navel_orange', year: 2016, scenarioId: null });
		const total = performance.now() - t0;
		// CPU time of this Node process (PGlite's work included; a server's is not): on a shared,
		// loaded machine it moves far less than the wall time.
		const c = process.cpuUsage(c0);
		const cpu = (c.user + c.system) / 1000;
		out.push({ total, cpu, sql: result.timings.sqlMs, graph: result.timings.graphMs, dijkstra: result.timings.dijkstraMs, core: result.timings.coreMs, result });
		console.log(`  round ${r + 1}: ${(total / 1000).toFixed(2)} s, Node CPU ${(cpu / 1000).toFixed(2)} s (sql ${result.timings.sqlMs.toFixed(0)} ms, graph ${result.timings.graphMs.toFixed(0)} ms, dijkstra ${result.timings.dijkstraMs.toFixed(0)} ms, core ${result.timings.coreMs.toFixed(0)} ms)`);
	}
	return out;
}


async function run(name: string, open: () => Promise<DatabaseHandle>, data: Data) {
	const handle = await open();
	try {
		await migrate(handle.db);
		const loadMs = await load(handle.db, data);
		console.log(`${name}: loaded in ${(loadMs / 1000).toFixed(1)} s`);
		const t = await measure(handle.db);
		return { name, loadMs, t };
	} finally {
		await handle.close();
	}
}

const loadBefore = loadavg();
const data = generate();
console.log(`synthetic province: ${data.villages.length} villages, ${data.sites.length} sites, ${data.roads.length} roads, ${data.poor.reduce((a, b) => a + b, 0)} poor households`);
const results: Awaited<ReturnType<typeof run>>[] = [];
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? '';
if (serverUrl) {
	await withScratchDatabase(serverUrl, `lantu_bench_cov_${process.pid}`, async (url) => {
		results.push(await run('postgres', () => openDatabase({ url, log: () => {} }), data));
	});
} else console.log('BENCH_DATABASE_URL not set: server backend skipped');
results.push(await run('pglite', () => openDatabase({ pgliteDir: 'memory://' }), data));

const r0 = results[0].t[0].result;
const lines = [
	'',
	'## Coverage at province scale',
	'',
	`Synthetic province (seed ${SEED}): ${data.villages.length.toLocaleString('en')} villages, ${data.sites.length.toLocaleString('en')} operating sites of one chain (400 per stage), ` +
		`${data.poor.reduce((a, b) => a + b, 0).toLocaleString('en')} still-poor households, ${data.roads.length.toLocaleString('en')} roads on a jittered 2.5 km grid ` +
		`(${r0.network.nodes.toLocaleString('en')} nodes, ${r0.network.segments.toLocaleString('en')} segments). Whole chain-gaps computation, cold ` +
		'(graph and matrix caches cleared): SQL load of villages and sites, road graph (SQL + build), village snapping and one multi-source Dijkstra per stage (5), coverage core and suppression. ' +
		`Median of ${ROUNDS} rounds; target < 5 s on the server backend.`,
	'',
	'| backend | total (wall) | Node CPU | SQL (villages, sites) | road graph | snap + 5 Dijkstras | core | data load (not timed in total) |',
	'|---|---|---|---|---|---|---|---|',
	...results.map(({ name, loadMs, t }) =>
		`| ${name} | ${(median(t.map((x) => x.total)) / 1000).toFixed(2)} s | ${(median(t.map((x) => x.cpu)) / 1000).toFixed(2)} s | ${median(t.map((x) => x.sql)).toFixed(0)} ms | ${median(t.map((x) => x.graph)).toFixed(0)} ms | ${median(t.map((x) => x.dijkstra)).toFixed(0)} ms | ${median(t.map((x) => x.core)).toFixed(0)} ms | ${(loadMs / 1000).toFixed(1)} s |`
	),
	'',
	`Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} CPUs; load average (1/5/15 min) ${loadBefore.map((x) => x.toFixed(1)).join(' / ')} at the start, ${loadavg().map((x) => x.toFixed(1)).join(' / ')} at the end. Gaps found: ${r0.gaps.length.toLocaleString('en')}; villages by stages reached (0..5): ${r0.by_stages_reached.join(', ')}.`,
	''
];
const file = join(import.meta.dirname, 'results', 'analyses.md');
let md = readFileSync(file, 'utf8');
const at = md.indexOf('\n## Coverage at province scale');
if (at >= 0) {
	// Replace this section only (a later section, if any, stays).
	const end = md.indexOf('\n## ', at + 1);
	md = md.slice(0, at).trimEnd() + '\n' + (end >= 0 ? md.slice(end) : '');
}
writeFileSync(file, md.trimEnd() + '\n' + lines.join('\n'));
console.log(lines.join('\n'));
