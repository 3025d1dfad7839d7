// npm run bench:layers — every layer's data request at county scale, on both backends side by side
// in one run: cold (cache miss) and warm (cached) p50 / p95 latency, client-measured through HTTP,
// and payload bytes.
// Embedded PGlite always; the PostgreSQL server when BENCH_DATABASE_URL or TEST_DATABASE_URL is set
// (a fresh database `lantu_bench_<pid>` is created there, seeded by the server's first start, and dropped).
// Writes bench/results/layers.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type RunningServer } from '../tests/e2e/server.ts';
import { measureServedBackends } from './lib/served-backends.ts';
import { quantile, time } from './lib/stats.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const COUNTIES = ['360731', '360732', '360781', '511304'];
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? '';

interface LayerInfo { id: string; group: string; params: string[]; format: string }

/** The requests a planner's session makes per layer and county (year slider, zoom levels). */
function requestsFor(layer: LayerInfo, county: string): URLSearchParams[] {
	const out: URLSearchParams[] = [];
	const years = layer.params.includes('year') ? [2014, 2017, 2020] : [null];
	const zooms = layer.params.includes('zoom') ? [8, 10, 12] : [null];
	for (const year of years)
		for (const zoom of zooms) {
			const q = new URLSearchParams({ county });
			if (year) q.set('year', String(year));
			if (zoom) q.set('zoom', String(zoom));
			out.push(q);
		}
	return out;
}

const CAUSES = ['illness', 'disability', 'schooling', 'lack_of_labour', 'lack_of_capital', 'lack_of_skills'];

/**
 * Round r of the cold pass: the same requests with parameters no earlier request had, so each one
 * misses the response cache and runs its query. k = 6 + r (k is a real parameter: meeting output
 * raises it), and for layers with a cause filter every other round filters by one cause.
 */
function coldVariant(layer: LayerInfo, q: URLSearchParams, round: number): URLSearchParams {
	const v = new URLSearchParams(q);
	v.set('k', String(6 + round));
	if (layer.params.includes('causes') && round % 2 === 1) v.set('causes', CAUSES[(round >> 1) % CAUSES.length]);
	return v;
}

interface Pass { p50: number; p95: number; n: number; bytes: number }
interface Result { layer: string; backend: string; first: number; cold: Pass; warm: Pass; slowest: string[] }

async function timed(server: RunningServer, path: string): Promise<{ ms: number; bytes: number }> {
	const [ms, { res, body }] = await time(async () => {
		const res = await fetch(server.url + path);
		return { res, body: await res.arrayBuffer() };
	});
	if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
	return { ms, bytes: body.byteLength };
}

const summarise = (xs: { ms: number; bytes: number }[]): Pass => {
	const ms = xs.map((x) => x.ms);
	return { p50: quantile(ms, 0.5), p95: quantile(ms, 0.95), n: xs.length, bytes: xs.reduce((s, x) => s + x.bytes, 0) / xs.length };
};

async function measure(server: RunningServer, backend: string): Promise<Result[]> {
	const { layers } = (await (await fetch(`${server.url}/api/layers`)).json()) as { layers: LayerInfo[] };
	const results: Result[] = [];
	for (const layer of layers.filter((l) => l.group === 'data')) {
		const base = COUNTIES.flatMap((c) => requestsFor(layer, c));
		const path = (q: URLSearchParams) => `/api/layers/${layer.id}/features?${q}`;
		// First request of the layer since the server started: also loads what the layer keeps per
		// data version (relocation snapshot, village points) and warms the query plans.
		const first = await timed(server, path(coldVariant(layer, base[0], -1)));
		const cold: { ms: number; bytes: number; path: string }[] = [];
		for (let r = 0; r < ROUNDS; r++)
			for (const q of base) {
				const p = path(coldVariant(layer, q, r));
				cold.push({ ...(await timed(server, p)), path: p });
			}
		// Warm: round 0's requests again, now answered from the response cache.
		const warm: { ms: number; bytes: number }[] = [];
		for (let r = 0; r < ROUNDS; r++) for (const q of base) warm.push(await timed(server, path(coldVariant(layer, q, 0))));
		const slowest = cold
			.map((c, i) => ({ ...c, i }))
			.sort((a, b) => b.ms - a.ms)
			.slice(0, 3)
			.map((c) => `#${c.i} ${c.ms.toFixed(0)} ms ${c.path.replace(`/api/layers/${layer.id}/features`, '')}`);
		const result: Result = { layer: layer.id, backend, first: first.ms, cold: summarise(cold), warm: summarise(warm), slowest };
		results.push(result);
		console.log(
			`${backend} ${layer.id}: first ${first.ms.toFixed(0)} ms; cold p50 ${result.cold.p50.toFixed(1)} p95 ${result.cold.p95.toFixed(1)} ms; warm p50 ${result.warm.p50.toFixed(1)} p95 ${result.warm.p95.toFixed(1)} ms; ${Math.round(result.cold.bytes)} B; slowest ${slowest.join(' | ')}`
		);
	}
	return results;
}

const all = await measureServedBackends(serverUrl, `lantu_bench_${process.pid}`, measure);

const layers = [...new Set(all.map((r) => r.layer))];
const get = (layer: string, backend: string) => all.find((r) => r.layer === layer && r.backend === backend);
const ms = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(1));
const load = (await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' / ');
const lines = [
	'# Layer requests at county scale',
	'',
	`Each layer's data URL for each demo county (${COUNTIES.join(', ')}), with the year slider at 2014/2017/2020 and zoom 8/10/12 where the layer uses them, one request at a time, measured by the client through HTTP (built app, adapter-node).`,
	'',
	`- **cold**: ${ROUNDS} rounds in which every request has parameters no earlier request had (k = 6, 7, …; every other round a cause filter where the layer has one), so each misses the response cache and runs its query. What a layer keeps per data version (the relocation snapshot, village points) is already loaded: that cost is in **first**.`,
	`- **warm**: round 0's requests ${ROUNDS} times more, answered from the response cache (data-version lookup, no layer query).`,
	'- **first**: the first request of the layer after the server started (cold caches and query plans).',
	'',
	'Target: cold p95 < 150 ms per layer request on the embedded database.',
	'',
	'| layer | backend | first (ms) | cold p50 | cold p95 | warm p50 | warm p95 | payload (bytes, mean) | requests (cold + warm) |',
	'|---|---|---|---|---|---|---|---|---|',
	...layers.flatMap((l) =>
		['pglite', 'postgres'].flatMap((b) => {
			const r = get(l, b);
			return r ? [`| ${l} | ${b === 'pglite' ? 'PGlite' : 'server'} | ${ms(r.first)} | ${ms(r.cold.p50)} | ${ms(r.cold.p95)} | ${ms(r.warm.p50)} | ${ms(r.warm.p95)} | ${Math.round(r.cold.bytes)} | ${r.cold.n} + ${r.warm.n} |`] : [];
		})
	),
	'',
	'Slowest cold requests (index in the cold pass, time, parameters):',
	'',
	...all.map((r) => `- ${r.backend} ${r.layer}: ${r.slowest.join('; ')}`),
	'',
	`Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}, 2 cores; load average at the end ${load}.`
];
console.log(lines.join('\n'));
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(ROOT, 'bench', 'results', 'layers.md'), lines.join('\n') + '\n');
