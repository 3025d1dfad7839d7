// npm run bench:scenarios — the key figures of a scenario at county scale through HTTP on the built
// app (embedded PGlite; the PostgreSQL server too when BENCH_DATABASE_URL or TEST_DATABASE_URL is set):
// first request (computed: households, road graph, travel times, coverage) and repeated request
// (answered from the analysis-run cache), and a comparison with a freshly edited scenario.
// Writes bench/results/scenarios.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type RunningServer } from '../tests/e2e/server.ts';
import { measureServedBackends } from './lib/served-backends.ts';
import { time } from './lib/stats.ts';

const COUNTIES = ['360731', '360732', '360781', '511304'];
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? '';

interface Row { backend: string; county: string; relocating: number | null; cold: number; cached: number; compare: number }

async function getJson(url: string, init?: RequestInit): Promise<any> {
	const res = await fetch(url, init);
	const body = await res.json();
	if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${JSON.stringify(body)}`);
	return body;
}

async function measure(server: RunningServer, backend: string): Promise<Row[]> {
	const rows: Row[] = [];
	for (const county of COUNTIES) {
		const { scenarios } = await getJson(`${server.url}/api/scenarios?county=${county}`);
		const base = scenarios[0].id;
		const [cold, first] = await time(() => getJson(`${server.url}/api/scenarios/${base}/kpis`));
		const [cached] = await time(() => getJson(`${server.url}/api/scenarios/${base}/kpis`));
		const b = await getJson(`${server.url}/api/scenarios`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ county, name: `bench ${Date.now()}`, parameters: { subsidyPerHouseholdYuan: 40_000, roadSpeedKmh: { village: 25 } } })
		});
		// The edit moved the scenarios data version: both sides are computed again.
		const [compare] = await time(() => getJson(`${server.url}/api/scenarios/compare?a=${base}&b=${b.id}`));
		await fetch(`${server.url}/api/scenarios/${b.id}`, { method: 'DELETE' });
		const row = { backend, county, relocating: first.kpis.households.relocating, cold, cached, compare };
		console.log(`${backend} ${county}: ${row.relocating} relocating households; first ${cold.toFixed(0)} ms, cached ${cached.toFixed(0)} ms, comparison ${compare.toFixed(0)} ms`);
		rows.push(row);
	}
	return rows;
}

const rows = await measureServedBackends(serverUrl, `lantu_bench_${process.pid}`, measure);
const md = [
	'# Scenario key figures (bench/scenarios.ts)',
	'',
	`Run ${new Date().toISOString().slice(0, 10)} on ${process.platform}/${process.arch}, Node ${process.version}; through HTTP on the built app.`,
	'"first": computed (relocating households, road graph at the scenario speeds, travel times from settlements to jobs and services, coverage of every village per stage); "cached": the same request again (analysis-run cache); "comparison": baseline against a new scenario (subsidy and village-road speed changed), both computed because any scenario edit moves the scenarios data version.',
	'',
	'| backend | county | relocating households | first (ms) | cached (ms) | comparison (ms) |',
	'|---|---|---:|---:|---:|---:|',
	...rows.map((r) => `| ${r.backend} | ${r.county} | ${r.relocating ?? '< k'} | ${r.cold.toFixed(0)} | ${r.cached.toFixed(0)} | ${r.compare.toFixed(0)} |`),
	''
].join('\n');
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/scenarios.md'), md);
console.log(md);
