// npx tsx bench/import-upsert.ts — the yearly registry refresh through the import pipeline: every
// household of Yudu (360731) in the demo data re-exported with a changed income and exit year, plus
// 1,000 new households, validated and committed in upsert mode, then undone. Prints the time of each
// step and checks that undo gives back the exact table (an md5 over every row before and after), on
// the embedded PGlite database and, when BENCH_DATABASE_URL or TEST_DATABASE_URL is set, on a throwaway
// database of that server. Writes bench/results/import-upsert.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../src/lib/server/db/open.ts';
import { migrate } from '../src/lib/server/db/migrate.ts';
import { generateDemoData, seed } from '../src/lib/server/db/seed.ts';
import { projectRoot } from '../src/lib/server/paths.ts';
import { openSource } from '../src/lib/formats/index.ts';
import { autoMap } from '../src/lib/import/targets.ts';
import { commitImport, undoBatch, validateImport } from '../src/lib/import/pipeline.server.ts';
import { withScratchDatabase } from './lib/scratch-db.ts';

const COUNTY = '360731';
const NEW_ROWS = 1000;
const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? '';
const HEADERS = ['户编号', '村代码', '经度', '纬度', '家庭人口', '劳动力人数', '人均纯收入（元）', '致贫原因', '帮扶措施', '识别年度', '脱贫年度', '住房安全等级'];

interface Run {
	backend: string;
	existing: number;
	inserts: number;
	updates: number;
	rejected: string;
	validateMs: number;
	commitMs: number;
	undoMs: number;
	restoredExactly: boolean;
}

async function tableDigest(handle: DatabaseHandle): Promise<string> {
	const { rows } = await sql<{ d: string }>`
		select md5(string_agg(to_jsonb(h)::text, '|' order by h.code)) as d from households h where county_code = ${COUNTY}`.execute(handle.db);
	return rows[0].d;
}

/** The county's households as this year's export: income +8 %, still-poor households out in 2024, and new ones. */
async function registryCsv(handle: DatabaseHandle): Promise<{ bytes: Uint8Array; existing: number }> {
	const { rows } = await sql<{ line: string }>`
		select concat_ws(',', code, village_code, coalesce(ST_X(geom)::text, ''), coalesce(ST_Y(geom)::text, ''), members, working_age_members,
		                 round(income_per_capita_yuan * 1.08)::int, main_cause, route, registered_year,
		                 coalesce(exit_year, greatest(registered_year, 2024)), housing_grade) as line
		from households where county_code = ${COUNTY} order by code`.execute(handle.db);
	const { rows: villages } = await sql<{ code: string }>`select code from villages where county_code = ${COUNTY} order by code`.execute(handle.db);
	const lines = [HEADERS.join(','), ...rows.map((r) => r.line)];
	for (let i = 0; i < NEW_ROWS; i++)
		lines.push([`NEW24-${String(i).padStart(5, '0')}`, villages[i % villages.length].code, '', '', 3, 2, 5200, 'illness', 'production', 2024, '', 'B'].join(','));
	return { bytes: new TextEncoder().encode(lines.join('\n') + '\n'), existing: rows.length };
}

async function run(handle: DatabaseHandle, backend: string): Promise<Run> {
	const { bytes, existing } = await registryCsv(handle);
	const before = await tableDigest(handle);
	const source = await openSource({ name: 'registry-2024.csv', bytes });
	const uploadId = randomBytes(8).toString('hex');
	let t = performance.now();
	const report = await validateImport(handle, source, { uploadId, target: 'households', county: COUNTY, mapping: autoMap(HEADERS, 'households').mapping, crs: 'wgs84', mode: 'upsert' });
	await source.close();
	const validateMs = performance.now() - t;
	// The demo data has a few scattered points just over the county line: those rows are refused and skipped.
	if (report.counts.rejected > 10) throw new Error(`${report.counts.rejected} rows rejected: ${JSON.stringify(report.byCode)}`);
	t = performance.now();
	const done = await commitImport(handle, { uploadId, report, actor: 'bench', skipInvalid: true });
	const commitMs = performance.now() - t;
	t = performance.now();
	await undoBatch(handle.db, done.batchId);
	const undoMs = performance.now() - t;
	return { backend, existing, inserts: done.inserted, updates: done.updated, rejected: Object.entries(report.byCode).map(([k, n]) => `${n} ${k}`).join(', ') || '0', validateMs, commitMs, undoMs, restoredExactly: (await tableDigest(handle)) === before };
}

async function main(): Promise<void> {
	const demo = generateDemoData();
	const runs: Run[] = [];
	const embedded = await openDatabase({ url: '', pgliteDir: 'memory://', log: () => {} });
	try {
		await migrate(embedded.db);
		await seed(embedded.db, demo);
		runs.push(await run(embedded, 'PGlite (embedded)'));
	} finally {
		await embedded.close();
	}
	if (url)
		await withScratchDatabase(url, `lantu_bench_upsert_${randomBytes(4).toString('hex')}`, async (dbUrl) => {
			const handle = await openDatabase({ url: dbUrl, log: () => {} });
			try {
				await migrate(handle.db);
				await seed(handle.db, demo);
				runs.push(await run(handle, 'PostgreSQL server'));
			} finally {
				await handle.close();
			}
		});
	const s = (ms: number) => (ms / 1000).toFixed(2);
	const lines = [
		'# Import in upsert mode (yearly registry refresh)',
		'',
		`\`npx tsx bench/import-upsert.ts\`, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, load average ${loadavg()[0].toFixed(2)} at the end (2-core shared machine).`,
		`Every Yudu household of the demo data re-exported with a changed income and exit year, plus ${NEW_ROWS.toLocaleString('en')} new ones (synthetic).`,
		'',
		'| backend | rows in file | inserted | updated | refused | validate s | commit s | undo s | undo restored the exact rows |',
		'|---|---:|---:|---:|---|---:|---:|---:|---|',
		...runs.map((r) => `| ${r.backend} | ${(r.existing + NEW_ROWS).toLocaleString('en')} | ${r.inserts.toLocaleString('en')} | ${r.updates.toLocaleString('en')} | ${r.rejected} | ${s(r.validateMs)} | ${s(r.commitMs)} | ${s(r.undoMs)} | ${r.restoredExactly ? 'yes' : 'NO'} |`)
	];
	console.log(lines.join('\n'));
	mkdirSync(join(projectRoot(), 'bench', 'results'), { recursive: true });
	writeFileSync(join(projectRoot(), 'bench', 'results', 'import-upsert.md'), lines.join('\n') + '\n');
	if (runs.some((r) => !r.restoredExactly)) process.exitCode = 1;
}

await main();
