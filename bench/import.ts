// npm run bench:import — load 1,000,000 generated households from one CSV file into the server backend
// through the import pipeline (read → map → convert → stage with COPY → validate in SQL → commit in one
// transaction), and, in the same run, a raw `COPY … FROM STDIN (FORMAT csv)` of the same file into a plain
// table with the same columns. Prints rows/s of both and the ratio (target ≥ 50 % of raw COPY), plus the
// pipeline's rate on the embedded PGlite database (a smaller file, stated), and writes
// bench/results/import.md.
//
// The server is BENCH_DATABASE_URL (or TEST_DATABASE_URL); a throwaway database is created on it and
// dropped at the end. Both targets start from the demo data (Yudu's villages and boundary, 52,733
// households already in the table, its indexes and constraints live). The file is synthetic and
// deterministic (src/lib/import/synthetic.ts, seeded mulberry32).
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../src/lib/server/db/open.ts';
import { migrate } from '../src/lib/server/db/migrate.ts';
import { generateDemoData, seed } from '../src/lib/server/db/seed.ts';
import { projectRoot } from '../src/lib/server/paths.ts';
import { openSource } from '../src/lib/formats/index.ts';
import { autoMap, categoryCode, TARGETS } from '../src/lib/import/targets.ts';
import { commitImport, validateImport, type ImportReport } from '../src/lib/import/pipeline.server.ts';
import { syntheticHouseholdsCsv, type SyntheticVillage } from '../src/lib/import/synthetic.ts';
import { withScratchDatabase } from './lib/scratch-db.ts';

const COUNTY = '360731';
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const EMBEDDED_ROWS = Number(process.env.BENCH_IMPORT_EMBEDDED_ROWS ?? 100_000);
const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? '';

async function writeCsv(path: string, villages: SyntheticVillage[], rows: number, prefix: string): Promise<number> {
	const out = createWriteStream(path);
	for (const line of syntheticHouseholdsCsv(villages, rows, 20240601, prefix)) if (!out.write(line)) await once(out, 'drain');
	out.end();
	await once(out, 'finish');
	return statSync(path).size;
}

async function villagesOf(handle: DatabaseHandle): Promise<SyntheticVillage[]> {
	// Villages well inside the county, so the ~500 m scatter stays inside it.
	const { rows } = await sql<{ code: string; lon: number; lat: number }>`
		with inner_county as materialized (select ST_Buffer(geom, -0.01) as geom from regions where code = ${COUNTY})
		select v.code, ST_X(v.geom) as lon, ST_Y(v.geom) as lat
		from villages v, inner_county c
		where v.county_code = ${COUNTY} and ST_Contains(c.geom, v.geom) order by v.code`.execute(handle.db);
	return rows.map((r) => ({ code: r.code, lon: Number(r.lon), lat: Number(r.lat) }));
}

interface PipelineRun {
	rows: number;
	seconds: number;
	report: ImportReport;
	commitMs: number;
	peakHeapMb: number;
}

async function pipelineRun(handle: DatabaseHandle, file: string, uploadId: string): Promise<PipelineRun> {
	const heapBase = process.memoryUsage().heapUsed;
	let peak = heapBase;
	const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 50);
	const start = performance.now();
	const source = await openSource({ name: 'households.csv', path: file });
	const mapping = autoMap(source.headers, 'households').mapping;
	const report = await validateImport(handle, source, { uploadId, target: 'households', county: COUNTY, mapping, crs: 'wgs84' });
	await source.close();
	const commit = await commitImport(handle, { uploadId, report, actor: 'bench:import', skipInvalid: true });
	const seconds = (performance.now() - start) / 1000;
	clearInterval(timer);
	return { rows: commit.written, seconds, report, commitMs: commit.ms, peakHeapMb: (peak - heapBase) / 1024 / 1024 };
}

async function rawCopy(handle: DatabaseHandle, file: string): Promise<number> {
	await sql`drop table if exists bench_raw_households`.execute(handle.db);
	await sql`create table bench_raw_households (
		code text, village_code text, lon double precision, lat double precision, members smallint,
		working_age_members smallint, income_per_capita_yuan integer, main_cause text, route text,
		registered_year smallint, exit_year smallint, housing_grade text)`.execute(handle.db);
	const start = performance.now();
	const stream = createReadStream(file, { highWaterMark: 1 << 20 });
	await handle.copyIn!(`COPY bench_raw_households FROM STDIN WITH (FORMAT csv, HEADER true)`, stream as AsyncIterable<Uint8Array>);
	const seconds = (performance.now() - start) / 1000;
	const { rows } = await sql<{ n: number }>`select count(*)::int as n from bench_raw_households`.execute(handle.db);
	if (rows[0].n !== ROWS) throw new Error(`raw COPY loaded ${rows[0].n} rows, expected ${ROWS}`);
	return seconds;
}

/**
 * The database's own floor: the rows raw COPY loaded, written into `households` by hand with one
 * INSERT … SELECT (labels mapped to codes through a small VALUES table, the point built from lon/lat,
 * no validation at all) — what a DBA loading this file without Lantu would pay, and what any loader
 * pays for the table's keys, foreign keys, CHECK constraints and indexes. Rolled back afterwards.
 */
async function handLoad(handle: DatabaseHandle): Promise<number> {
	const spec = TARGETS.households.fields;
	const labels = (key: string) => {
		const cats = spec.find((f) => f.key === key)!.categories!;
		return Object.values(cats).flat().map((label) => [label, categoryCode(cats, label)!] as const);
	};
	const table = (rows: ReadonlyArray<readonly [string, string]>) => sql.join(rows.map(([l, c]) => sql`(${l}, ${c})`));
	let seconds = 0;
	await handle.db
		.transaction()
		.execute(async (trx) => {
			const start = performance.now();
			const r = await sql`
				with cause(label, code) as (values ${table(labels('main_cause'))}),
				     route(label, code) as (values ${table(labels('route'))})
				insert into households (code, county_code, village_code, geom, members, working_age_members, income_per_capita_yuan,
				                        main_cause, route, registered_year, exit_year, housing_grade)
				select b.code, left(b.village_code, 6), b.village_code, ST_SetSRID(ST_MakePoint(b.lon, b.lat), 4326), b.members,
				       b.working_age_members, b.income_per_capita_yuan, c.code, r.code, b.registered_year, b.exit_year, b.housing_grade
				from bench_raw_households b
				join (select distinct on (label) label, code from cause) c on c.label = b.main_cause
				join (select distinct on (label) label, code from route) r on r.label = b.route`.execute(trx);
			seconds = (performance.now() - start) / 1000;
			if (Number(r.numAffectedRows) !== ROWS) throw new Error(`hand load wrote ${r.numAffectedRows} rows, expected ${ROWS}`);
			throw new RollBack();
		})
		.catch((e) => {
			if (!(e instanceof RollBack)) throw e;
		});
	return seconds;
}
class RollBack extends Error {}

/** The same bench before the CSV fast lane (commit ab663a9, general reader + csv-parse). */
const BEFORE = {
	commit: 'ab663a9',
	rowsPerSecond: 9780,
	seconds: 102.3,
	copyRowsPerSecond: 307862,
	steps: 'read + convert + stage 42.8 s, SQL checks 14.0 s, report 0.4 s, commit 42.9 s',
	load: 'load average ~10 on 2 cores'
};
const loadText = () => loadavg().map((l) => l.toFixed(2)).join(', ');

const dir = mkdtempSync(join(tmpdir(), 'lantu-bench-import-'));
const lines: string[] = [];
const log = (s: string) => {
	console.log(s);
	lines.push(s);
};
try {
	const loadAtStart = loadText();
	const demo = generateDemoData();
	let server: { pipeline: PipelineRun; copySeconds: number; insertSeconds: number; fileMb: number } | null = null;
	if (url) {
		server = await withScratchDatabase(url, `lantu_bench_import_${randomBytes(4).toString('hex')}`, async (dbUrl) => {
			// A million-row commit is one statement: give it more than the app's 60 s default.
			const handle = await openDatabase({ url: dbUrl, statementTimeoutMs: 30 * 60_000, log: () => {} });
			try {
				await migrate(handle.db);
				await seed(handle.db, demo);
				const villages = await villagesOf(handle);
				const file = join(dir, 'households-1m.csv');
				const bytes = await writeCsv(file, villages, ROWS, 'BS');
				console.log(`server: ${ROWS} rows, ${(bytes / 1e6).toFixed(1)} MB CSV, ${villages.length} villages`);
				const copySeconds = await rawCopy(handle, file);
				console.log(`raw COPY: ${copySeconds.toFixed(1)} s`);
				const insertSeconds = await handLoad(handle);
				console.log(`hand load insert: ${insertSeconds.toFixed(1)} s`);
				// The rolled-back million rows are dead tuples now: clear them so the pipeline meets the same table.
				await sql`vacuum households`.execute(handle.db);
				const run = await pipelineRun(handle, file, randomBytes(8).toString('hex'));
				console.log(`pipeline: ${run.seconds.toFixed(1)} s`, run.report.timings, `commit ${run.commitMs} ms`);
				return { pipeline: run, copySeconds, insertSeconds, fileMb: bytes / 1e6 };
			} finally {
				await handle.close();
			}
		});
	}

	const embedded = await openDatabase({ url: '', pgliteDir: 'memory://', log: () => {} });
	let pglite: PipelineRun;
	try {
		await migrate(embedded.db);
		await seed(embedded.db, demo);
		const villages = await villagesOf(embedded);
		const file = join(dir, 'households-embedded.csv');
		await writeCsv(file, villages, EMBEDDED_ROWS, 'BE');
		pglite = await pipelineRun(embedded, file, randomBytes(8).toString('hex'));
		console.log(`embedded pipeline: ${pglite.seconds.toFixed(1)} s`, pglite.report.timings);
	} finally {
		await embedded.close();
	}

	const rate = (rows: number, s: number) => Math.round(rows / s).toLocaleString('en-US');
	const steps = (r: PipelineRun) =>
		`${r.report.timings!.lane === 'rows' ? 'CSV fast lane' : 'general reader'}: read + convert + stage ${(r.report.timings!.stageMs / 1000).toFixed(1)} s, SQL checks ${(r.report.timings!.checkMs / 1000).toFixed(1)} s, report ${(r.report.timings!.reportMs / 1000).toFixed(1)} s, commit ${(r.commitMs / 1000).toFixed(1)} s`;
	const checkSteps = (r: PipelineRun) =>
		Object.entries(r.report.timings!.steps)
			.map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`)
			.join(', ');
	const loadAtEnd = loadText();
	log('# Import: households CSV through the pipeline vs raw COPY');
	log('');
	log('| backend | what | rows | seconds | rows/s |');
	log('|---|---|---|---|---|');
	if (server) {
		log(`| PostgreSQL server | raw \`COPY … (FORMAT csv)\` into a plain table (no indexes, no checks) | ${ROWS.toLocaleString('en-US')} | ${server.copySeconds.toFixed(1)} | ${rate(ROWS, server.copySeconds)} |`);
		log(`| PostgreSQL server | by hand: raw COPY, then one \`INSERT … SELECT\` into \`households\` (no validation) | ${ROWS.toLocaleString('en-US')} | ${(server.copySeconds + server.insertSeconds).toFixed(1)} (${server.copySeconds.toFixed(1)} + ${server.insertSeconds.toFixed(1)}) | ${rate(ROWS, server.copySeconds + server.insertSeconds)} |`);
		log(`| PostgreSQL server | import pipeline, validate + commit | ${server.pipeline.rows.toLocaleString('en-US')} | ${server.pipeline.seconds.toFixed(1)} | ${rate(server.pipeline.rows, server.pipeline.seconds)} |`);
	}
	log(`| embedded PGlite | import pipeline, validate + commit (${EMBEDDED_ROWS.toLocaleString('en-US')}-row subset) | ${pglite.rows.toLocaleString('en-US')} | ${pglite.seconds.toFixed(1)} | ${rate(pglite.rows, pglite.seconds)} |`);
	log('');
	if (server) {
		const ratio = server.copySeconds / server.pipeline.seconds;
		log(`Pipeline / raw COPY on the server: **${(ratio * 100).toFixed(1)} %** of raw COPY's rate (target ≥ 50 %${ratio >= 0.5 ? ', met' : ', not met'}).`);
		const byHand = (server.copySeconds + server.insertSeconds) / server.pipeline.seconds;
		const ceiling = server.copySeconds / (server.copySeconds + server.insertSeconds);
		log(`Pipeline / loading by hand: **${(byHand * 100).toFixed(0)} %** of the by-hand rate. The insert into \`households\` alone takes ${(server.insertSeconds / server.copySeconds).toFixed(1)}× as long as the raw COPY, so even a loader that validated nothing would reach at most ${(ceiling * 100).toFixed(1)} % of raw COPY's rate.`);
		log('');
		log(`Server pipeline steps: ${steps(server.pipeline)}. Rows rejected: ${server.pipeline.report.counts.rejected}. Peak heap growth ${server.pipeline.peakHeapMb.toFixed(0)} MB for a ${server.fileMb.toFixed(0)} MB file (streamed).`);
	} else log('Server backend not measured (set BENCH_DATABASE_URL).');
	if (server) log(`Server SQL checks by step: ${checkSteps(server.pipeline)}.`);
	log(`Embedded steps: ${steps(pglite)}. Peak heap growth ${pglite.peakHeapMb.toFixed(0)} MB.`);
	log(`Embedded SQL checks by step: ${checkSteps(pglite)}.`);
	log('');
	log(`Before (same bench, commit ${BEFORE.commit}, 1,000,000 rows): pipeline ${BEFORE.rowsPerSecond.toLocaleString('en-US')} rows/s (${BEFORE.seconds} s), raw COPY ${BEFORE.copyRowsPerSecond.toLocaleString('en-US')} rows/s, ${Math.round((BEFORE.rowsPerSecond / BEFORE.copyRowsPerSecond) * 100)} %; ${BEFORE.steps}; ${BEFORE.load}.`);
	if (server) log(`After (this run, ${ROWS.toLocaleString('en-US')} rows): pipeline ${rate(server.pipeline.rows, server.pipeline.seconds)} rows/s (${server.pipeline.seconds.toFixed(1)} s), ${(server.pipeline.rows / server.pipeline.seconds / BEFORE.rowsPerSecond).toFixed(1)}× the earlier rate${ROWS === 1_000_000 ? '' : ' (a different row count)'}.`);
	log(`Machine load (1/5/15-minute load averages, 2 cores): ${loadAtStart} at the start, ${loadAtEnd} at the end.`);
	log('');
	log('The pipeline does more than COPY: it decodes and parses the CSV in JavaScript, maps Chinese labels to codes, checks every value, builds a point per row, stages it, runs the validation queries (geometry validity, inside the county polygon, village codes, categories, ranges, duplicates in the file and against the table) and inserts into `households` with its primary key, foreign keys, CHECK constraints, four indexes (one GiST) and the data-version trigger. Raw COPY only parses CSV into an unindexed table.');
	log('');
	log(`Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}, 2-core shared machine; file generated by \`syntheticHouseholdsCsv\` (seed 20240601).`);
	mkdirSync(join(projectRoot(), 'bench', 'results'), { recursive: true });
	writeFileSync(join(projectRoot(), 'bench', 'results', 'import.md'), lines.join('\n') + '\n');
} finally {
	rmSync(dir, { recursive: true, force: true });
}
