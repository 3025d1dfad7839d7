// npm run bench:layers — every layer's data request at county scale, on both backends side by side
// in one run: p50 / p95 latency (client-measured, through HTTP) and payload bytes.
// Embedded PGlite always; the PostgreSQL server when BENCH_DATABASE_URL or TEST_DATABASE_URL is set
// (a fresh database `lantu_bench_<pid>` is created there, seeded by the server's first start, and dropped).
// Writes bench/results/layers.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { ROOT, startServer, type RunningServer } from '../tests/e2e/server.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const COUNTIES = ['360731', '360732', '360781', '511304'];
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? '';

interface LayerInfo { id: string; group: string; params: string[]; format: string }

/** The requests a planner's session makes per layer and county (year slider, zoom levels). */
function requestsFor(layer: LayerInfo, county: string): string[] {
	const out: string[] = [];
	const years = layer.params.includes('year') ? [2014, 2017, 2020] : [null];
	const zooms = layer.params.includes('zoom') ? [8, 10, 12] : [null];
	for (const year of years)
		for (const zoom of zooms) {
			const q = new URLSearchParams({ county });
			if (year) q.set('year', String(year));
			if (zoom) q.set('zoom', String(zoom));
			out.push(`/api/layers/${layer.id}/features?${q}`);
		}
	return out;
}

const quantile = (xs: number[], q: number) => {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

interface Result { layer: string; backend: string; p50: number; p95: number; bytes: number; n: number }

async function measure(server: RunningServer, backend: string): Promise<Result[]> {
	const { layers } = (await (await fetch(`${server.url}/api/layers`)).json()) as { layers: LayerInfo[] };
	const results: Result[] = [];
	for (const layer of layers.filter((l) => l.group === 'data')) {
		const urls = COUNTIES.flatMap((c) => requestsFor(layer, c));
		for (const u of urls) await (await fetch(server.url + u)).arrayBuffer(); // warm-up
		const times: number[] = [];
		let bytes = 0;
		for (let r = 0; r < ROUNDS; r++)
			for (const u of urls) {
				const t0 = performance.now();
				const res = await fetch(server.url + u);
				const body = await res.arrayBuffer();
				times.push(performance.now() - t0);
				if (!res.ok) throw new Error(`${u}: HTTP ${res.status}`);
				bytes += body.byteLength;
			}
		results.push({ layer: layer.id, backend, p50: quantile(times, 0.5), p95: quantile(times, 0.95), bytes: bytes / times.length, n: times.length });
		console.log(`${backend} ${layer.id}: p50 ${quantile(times, 0.5).toFixed(1)} ms, p95 ${quantile(times, 0.95).toFixed(1)} ms, ${Math.round(bytes / times.length)} B`);
	}
	return results;
}

const all: Result[] = [];
{
	const server = await startServer();
	try {
		all.push(...(await measure(server, 'pglite')));
	} finally {
		await server.stop();
	}
}
if (serverUrl) {
	const name = `lantu_bench_${process.pid}`;
	const admin = new pg.Client({ connectionString: serverUrl });
	await admin.connect();
	await admin.query(`create database ${name}`);
	const url = new URL(serverUrl);
	url.pathname = `/${name}`;
	const server = await startServer({ databaseUrl: url.toString() });
	try {
		all.push(...(await measure(server, 'postgres')));
	} finally {
		await server.stop();
		await admin.query(`drop database if exists ${name} with (force)`);
		await admin.end();
	}
}

const layers = [...new Set(all.map((r) => r.layer))];
const get = (layer: string, backend: string) => all.find((r) => r.layer === layer && r.backend === backend);
const fmt = (r: Result | undefined, f: (r: Result) => string) => (r ? f(r) : '—');
const lines = [
	'# Layer requests at county scale',
	'',
	`Each layer's data URL for each demo county (${COUNTIES.join(', ')}), with the year slider at 2014/2017/2020 and zoom 8/10/12 where the layer uses them; ${ROUNDS} rounds after one warm-up, one request at a time, measured by the client through HTTP (built app, adapter-node).`,
	'Target: p95 < 150 ms per layer request on the embedded database.',
	'',
	'| layer | PGlite p50 (ms) | PGlite p95 (ms) | server p50 (ms) | server p95 (ms) | PGlite ÷ server (p50) | payload (bytes, mean) | requests |',
	'|---|---|---|---|---|---|---|---|',
	...layers.map((l) => {
		const a = get(l, 'pglite'), b = get(l, 'postgres');
		const ratio = a && b ? (a.p50 / b.p50).toFixed(1) + '×' : '—';
		return `| ${l} | ${fmt(a, (r) => r.p50.toFixed(1))} | ${fmt(a, (r) => r.p95.toFixed(1))} | ${fmt(b, (r) => r.p50.toFixed(1))} | ${fmt(b, (r) => r.p95.toFixed(1))} | ${ratio} | ${Math.round((a ?? b)!.bytes)} | ${(a ?? b)!.n} |`;
	}),
	'',
	`Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}, 2 cores; requests = per layer and backend.`
];
console.log(lines.join('\n'));
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(ROOT, 'bench', 'results', 'layers.md'), lines.join('\n') + '\n');
