// npm run bench:siting — the county siting instance end to end: every relocating household of the
// largest demo county (by relocating households) grouped by origin village × every eligible
// candidate site of that county, on the embedded PGlite and (when BENCH_DATABASE_URL or
// TEST_DATABASE_URL is set) on the PostgreSQL server. "End to end" is computeLocationAllocation:
// the SQL steps, the road graph (cold: cache cleared first), the travel-time matrix, the solve, the
// housing-cost gap and the shaping of the result. Exact (HiGHS) and heuristic are both run so their
// objectives can be compared; min-sites mode (house everyone) and p = half the eligible sites.
// Appends to bench/results/analyses.md (section "County siting instance").
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, refreshCapabilities, type DatabaseHandle } from '../src/lib/server/db/open.ts';
import { migrate } from '../src/lib/server/db/migrate.ts';
import { seed } from '../src/lib/server/db/seed.ts';
import { clearRoadNetworkCache } from '../src/lib/analysis/travel-time/network.server.ts';
import { computeLocationAllocation } from '../src/lib/analysis/location-allocation/location-allocation.server.ts';
import { candidateSites, originVillages } from '../src/lib/analysis/suitability/inputs.server.ts';
import type { LocationAllocationRequest } from '../src/lib/analysis/suitability/request.ts';

const ROOT = join(import.meta.dirname, '..');
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? '';
const TIME_LIMIT_MS = Number(process.env.BENCH_TIME_LIMIT_MS ?? 60_000);

interface Row {
	backend: string;
	county: string;
	villages: number;
	households: number;
	sites: number;
	mode: string;
	method: string;
	status: string;
	objective: number;
	bound: number;
	gap: number;
	chosen: number;
	placed: number | null;
	seconds: number;
}

async function instance(handle: DatabaseHandle, backend: string): Promise<Row[]> {
	const { rows } = await handle.db
		.selectFrom('households')
		.select(['county_code', handle.db.fn.countAll<number>().as('n')])
		.where('relocation_status', 'in', ['planned', 'relocated'])
		.groupBy('county_code')
		.orderBy('n', 'desc')
		.execute()
		.then((r) => ({ rows: r }));
	const county = rows[0].county_code;
	const villages = await originVillages(handle.db, county);
	const sites = (await candidateSites(handle.db, county)).filter((s) => s.exclusions.length === 0);
	const households = villages.reduce((s, v) => s + v.households, 0);
	console.log(`${backend}: county ${county}, ${villages.length} origin villages, ${households} relocating households, ${sites.length} eligible candidate sites`);
	const out: Row[] = [];
	const modes: LocationAllocationRequest['mode'][] = [{ kind: 'min-sites' }, { kind: 'p', p: Math.max(1, Math.floor(sites.length / 2)) }];
	for (const mode of modes)
		for (const method of ['auto', 'exact', 'heuristic'] as const) {
			clearRoadNetworkCache();
			const t0 = performance.now();
			const r = await computeLocationAllocation(handle.db, { county, scenario: null, mode, maxMinutes: null, method }, undefined, { timeLimitMs: TIME_LIMIT_MS });
			const seconds = (performance.now() - t0) / 1000;
			const row: Row = {
				backend,
				county,
				villages: villages.length,
				households,
				sites: sites.length,
				mode: mode.kind === 'p' ? `p = ${mode.p}` : 'house everyone',
				method,
				status: r.solver.status,
				objective: r.solver.objective,
				bound: r.solver.bound,
				gap: r.solver.gap,
				chosen: r.chosen.length,
				placed: r.totals.placed,
				seconds
			};
			console.log(
				`  ${row.mode}, ${method}: ${row.status}, objective ${row.objective.toFixed(1)} household-min, bound ${row.bound.toFixed(1)}, gap ${(row.gap * 100).toFixed(3)} %, ${row.chosen} sites, ${seconds.toFixed(2)} s`
			);
			out.push(row);
		}
	return out;
}

async function withSeeded(open: () => Promise<DatabaseHandle>, backend: string): Promise<Row[]> {
	const handle = await open();
	try {
		await migrate(handle.db);
		await refreshCapabilities(handle);
		const t0 = performance.now();
		await seed(handle.db);
		console.log(`${backend}: demo data seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
		return await instance(handle, backend);
	} finally {
		await handle.close();
	}
}

const all: Row[] = [];
all.push(...(await withSeeded(() => openDatabase({ pgliteDir: 'memory://' }), 'pglite')));
if (serverUrl) {
	const name = `lantu_bench_siting_${process.pid}`;
	const admin = new pg.Client({ connectionString: serverUrl });
	await admin.connect();
	await admin.query(`create database ${name}`);
	await admin.end();
	const url = new URL(serverUrl);
	url.pathname = `/${name}`;
	try {
		all.push(...(await withSeeded(() => openDatabase({ url: url.toString(), log: () => {} }), 'postgres')));
	} finally {
		const admin2 = new pg.Client({ connectionString: serverUrl });
		await admin2.connect();
		await admin2.query(`drop database if exists ${name} with (force)`);
		await admin2.end();
	}
}

const first = all[0];
const lines = [
	'',
	'## County siting instance',
	'',
	`Every relocating household (planned or relocated) of the largest demo county, ${first.county} (${first.households} households in ${first.villages} origin villages), × every eligible candidate site (${first.sites}: candidate or approved, outside every constraint zone), capacitated and single-sourced, costs = road minutes (travelTimeMatrix). Time is end to end (\`computeLocationAllocation\`: SQL, cold road graph, matrix, solve, housing gap, result), one run each; auto = what the panel runs (heuristic with its LP bound, then HiGHS for the rest of the budget unless already proved), exact = HiGHS MILP started from the heuristic (time limit ${TIME_LIMIT_MS / 1000} s), heuristic = greedy + interchange with the LP bound. Objective in household-minutes; gap to the best bound.`,
	'',
	'| backend | mode | method | status | objective | bound | gap | sites chosen | households placed | time |',
	'|---|---|---|---|---|---|---|---|---|---|',
	...all.map(
		(r) =>
			`| ${r.backend} | ${r.mode} | ${r.method} | ${r.status} | ${r.objective.toFixed(1)} | ${r.bound.toFixed(1)} | ${(r.gap * 100).toFixed(3)} % | ${r.chosen} | ${r.placed ?? 'withheld'} | ${r.seconds.toFixed(2)} s |`
	),
	'',
	`Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}; shared 2-core machine. The first row of each backend includes HiGHS's WebAssembly warm-up (~1–3 s).`,
	''
];
const file = join(ROOT, 'bench/results/analyses.md');
const text = readFileSync(file, 'utf8');
const marker = '\n## County siting instance\n';
const kept = text.includes(marker) ? text.slice(0, text.indexOf(marker)) : text.replace(/\n+$/, '\n');
writeFileSync(file, kept + lines.join('\n'));
console.log(`wrote ${file}`);
