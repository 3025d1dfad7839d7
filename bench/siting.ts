// npm run bench:siting — the county siting instance end to end: every relocating household of the
// largest demo county (by relocating households) grouped by origin village × every eligible
// candidate site of that county, on the embedded PGlite and (when BENCH_DATABASE_URL or
// TEST_DATABASE_URL is set) on the PostgreSQL server. "End to end" is computeLocationAllocation:
// the SQL steps, the road graph (cold: cache cleared first), the travel-time matrix, the solve, the
// housing-cost gap and the shaping of the result, timed per stage (from the run's progress stages).
// auto (what the panel runs), exact (HiGHS) and heuristic are all run so their objectives can be
// compared; min-sites mode (house everyone) and p = half the eligible sites (too few to house
// everyone). Wall and CPU time (this process: PGlite runs in it, PostgreSQL does not) and the
// machine's load are recorded, since the machine is shared. Rewrites the section "County siting
// instance" of bench/results/analyses.md, keeping the figures measured before the solver fixes.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { openDatabase, refreshCapabilities, type DatabaseHandle } from '../src/lib/server/db/open.ts';
import { migrate } from '../src/lib/server/db/migrate.ts';
import { seed } from '../src/lib/server/db/seed.ts';
import { clearRoadNetworkCache } from '../src/lib/analysis/travel-time/network.server.ts';
import { computeLocationAllocation, SOLVE_BUDGET_MS } from '../src/lib/analysis/location-allocation/location-allocation.server.ts';
import { candidateSites, originVillages } from '../src/lib/analysis/suitability/inputs.server.ts';
import type { LocationAllocationRequest } from '../src/lib/analysis/suitability/request.ts';
import { withScratchDatabase } from './lib/scratch-db.ts';

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
	shortfall: number;
	seconds: number;
	cpuSeconds: number;
	/** Seconds per stage: SQL, road graph, matrix, solve, housing gap + result. */
	stages: Record<string, number>;
	load: number;
}

const STAGES = ['load', 'network', 'matrix', 'solve', 'gap'] as const;
const load1 = () => loadavg()[0];

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
			const marks: [string, number][] = [];
			const ctx = {
				progress: (_f: number, stage?: string) => {
					const name = stage?.split('.').pop() ?? '';
					if (marks.at(-1)?.[0] !== name) marks.push([name, performance.now()]);
				}
			};
			const loadBefore = load1();
			const c0 = process.cpuUsage();
			const t0 = performance.now();
			const r = await computeLocationAllocation(handle.db, { county, scenario: null, mode, maxMinutes: null, method }, ctx, method === 'auto' ? {} : { timeLimitMs: TIME_LIMIT_MS });
			const t1 = performance.now();
			const seconds = (t1 - t0) / 1000;
			const cpu = process.cpuUsage(c0);
			const stages: Record<string, number> = {};
			marks.forEach(([name, t], i) => (stages[name] = ((marks[i + 1]?.[1] ?? t1) - t) / 1000));
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
				shortfall: r.totals.unplaced ?? NaN,
				seconds,
				cpuSeconds: (cpu.user + cpu.system) / 1e6,
				stages,
				load: (loadBefore + load1()) / 2
			};
			console.log(
				`  ${row.mode}, ${method}: ${row.status}, objective ${row.objective.toFixed(1)} household-min, bound ${row.bound.toFixed(1)}, gap ${(row.gap * 100).toFixed(3)} %, ${row.chosen} sites, ${row.placed} placed, ${seconds.toFixed(2)} s (cpu ${row.cpuSeconds.toFixed(2)} s; ${STAGES.map((st) => `${st} ${(stages[st] ?? 0).toFixed(2)}`).join(', ')}), load ${row.load.toFixed(1)}`
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

const loadStart = loadavg();
const all: Row[] = [];
all.push(...(await withSeeded(() => openDatabase({ pgliteDir: 'memory://' }), 'pglite')));
if (serverUrl) {
	await withScratchDatabase(serverUrl, `lantu_bench_siting_${process.pid}`, async (url) => {
		all.push(...(await withSeeded(() => openDatabase({ url, log: () => {} }), 'postgres')));
	});
}

const first = all[0];
const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const autoMax = (backend: string) => Math.max(...all.filter((r) => r.backend === backend && r.method === 'auto').map((r) => r.seconds));
const lines = [
	'',
	'## County siting instance',
	'',
	`Every relocating household (planned or relocated) of the largest demo county, ${first.county} (${first.households} households in ${first.villages} origin villages), × every eligible candidate site (${first.sites}: candidate or approved, outside every constraint zone), capacitated and single-sourced, costs = road minutes (travelTimeMatrix). Time is end to end (\`computeLocationAllocation\`: SQL, cold road graph, matrix, solve, housing gap, result), one run each; auto = what the panel runs (heuristic with its LP bound, then HiGHS from the heuristic's answer until a 0.01 % gap or the rest of the ${SOLVE_BUDGET_MS / 1000} s budget), exact = HiGHS MILP started from the heuristic (time limit ${TIME_LIMIT_MS / 1000} s, gap 1e-9), heuristic = greedy + interchange + polish with the LP bound. Objective in household-minutes; bound and gap are on the minutes of the solutions that place at least as many households (so p = ${first.sites >> 1} rows, where capacity cannot house everyone, compare placements of the same size).`,
	'',
	`Machine: shared 2-core, load average ${loadStart.map((x) => x.toFixed(1)).join(' / ')} (1/5/15 min) at the start and ${loadavg().map((x) => x.toFixed(1)).join(' / ')} at the end (\`uptime\`); above a load of 2 a run gets less than a core, and wall time exceeds CPU time. CPU = this process (PGlite runs inside it; PostgreSQL's own CPU is not counted).`,
	'',
	'| backend | mode | method | status | objective | bound | gap | sites | placed | wall | CPU | SQL / graph / matrix / solve / gap (s) | load |',
	'|---|---|---|---|---|---|---|---|---|---|---|---|---|',
	...all.map(
		(r) =>
			`| ${r.backend} | ${r.mode} | ${r.method} | ${r.status} | ${r.objective.toFixed(1)} | ${r.bound.toFixed(1)} | ${(r.gap * 100).toFixed(3)} % | ${r.chosen} | ${r.placed ?? 'withheld'} | ${r.seconds.toFixed(2)} s | ${r.cpuSeconds.toFixed(2)} s | ${STAGES.map((st) => (r.stages[st] ?? 0).toFixed(2)).join(' / ')} | ${fmt(r.load)} |`
	),
	'',
	`Target (issue 4, item 7): the county instance solved in < 10 s. Slowest auto run: ${[...new Set(all.map((r) => r.backend))].map((b) => `${b} ${autoMax(b).toFixed(1)} s`).join(', ')} wall.`,
	'',
	`Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}. The first row of each backend includes HiGHS's WebAssembly warm-up (~1–3 s).`,
	'',
	'### Where the time went',
	'',
	'Profiled with `node --cpu-prof` and per-stage timers on this instance. SQL, road graph and matrix take under a second together; the solve was all the rest:',
	'',
	'1. The heuristic ended with HiGHS on the assignment for its own sites, capped at 10 s, and always hit the cap: a 98 %-full single-sourced assignment (20 sites, 2 750 places for 2 704 households) is a tight generalised assignment problem that HiGHS does not close quickly. Now a 2 s polish after the heuristic\'s own moves.',
	'2. The capacitated local search re-assigned the configuration from scratch (two starts and their repair moves, 0.1–0.4 s each when households are left unplaced) at the start of every pass of every iterated-search round: 39 full re-assignments for p = 11. Now only at local optima of the trial moves, and cached per configuration: 4.',
	'3. Exact min-sites spent half its budget on the fewest-sites MILP, which the capacity bound already answers (20 sites). Now skipped when the start meets that bound.',
	'4. The MILP carried a 10⁷ penalty cost on an unplaced slack for every village even when everyone fits (HiGHS warned of excessive costs), and for p = 11 minimised the penalised objective, so its gap was relative to 3.8·10⁸. Now the start\'s shortfall is a constraint (`Σ w u ≤ S`); when it is the capacity minimum the objective is minutes alone and, with everyone placed, the slacks are gone. p = 11 is then proved optimal in ~5 s of CPU.',
	'5. The heuristic\'s p = 11 answer was 10 % above the bound: with every site full, its moves could only trade villages of equal weight. Pair insertions (two unplaced villages for one placed) and multi-exchange chains bring it to ~1 % without HiGHS.',
	'',
	'What is left: on house everyone the heuristic\'s sites are the optimal ones and its assignment is ~0.2 % above the optimum; HiGHS reaches the optimal bound (143 499.3) early and then needs ~25 s of CPU to find the assignment that meets it. Within the 10 s budget the panel reports the answer with its proved gap (0.05–0.5 % depending on the CPU it gets).',
	'',
	'### Before the solver fixes (2026-11-22, same instance, same script, 60 s limit; load not recorded, the machine was then at 12–15)',
	'',
	'| backend | mode | method | status | objective | bound | gap | sites | placed | time |',
	'|---|---|---|---|---|---|---|---|---|---|',
	'| pglite | house everyone | exact | time-limit | 143829.1 | 86233.2 | 40.045 % | 20 | 2704 | 83.57 s |',
	'| pglite | house everyone | heuristic | heuristic | 143829.1 | 143143.0 | 0.477 % | 20 | 2704 | 43.86 s |',
	'| pglite | p = 11 | exact | heuristic | 91874.9 | 378926934.6 | 0.002 % | 11 | 1790 | 65.92 s |',
	'| pglite | p = 11 | heuristic | heuristic | 91874.9 | 378926920.6 | 0.002 % | 11 | 1790 | 65.87 s |',
	'| postgres | house everyone | exact | time-limit | 143793.0 | 143436.7 | 0.248 % | 20 | 2704 | 63.54 s |',
	'| postgres | house everyone | heuristic | heuristic | 143829.1 | 143143.0 | 0.477 % | 20 | 2704 | 22.83 s |',
	'| postgres | p = 11 | exact | heuristic | 91874.9 | 86233.2 | 99.977 % | 11 | 1790 | 66.27 s |',
	'| postgres | p = 11 | heuristic | heuristic | 91874.9 | 378926920.6 | 0.002 % | 11 | 1790 | 56.81 s |',
	'',
	'Bounds then were on the penalised objective (minutes + penalty × households left unplaced), hence the p = 11 bounds of 3.8·10⁸ and their meaningless gaps.',
	''
];
const file = join(ROOT, 'bench/results/analyses.md');
const text = readFileSync(file, 'utf8');
const marker = '\n## County siting instance\n';
const kept = text.includes(marker) ? text.slice(0, text.indexOf(marker)) : text.replace(/\n+$/, '\n');
writeFileSync(file, kept + lines.join('\n'));
console.log(`wrote ${file}`);
