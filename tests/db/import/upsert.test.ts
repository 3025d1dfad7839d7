// Imports that update rows already in the table (mode 'upsert': a county's annual registry refresh) on
// both backends: the report's insert/update counts, a code of another county refused, only the mapped
// columns overwritten, and undo putting every updated row back exactly — or refusing when a later batch
// has changed them since.
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from '../backends.ts';
import type { DatabaseHandle } from '../../../src/lib/server/db/open.ts';
import type { Database } from '../../../src/lib/server/db/types.ts';
import { autoMap } from '../../../src/lib/import/targets.ts';
import { commitImport, importHistory, undoBatch, validateImport, type ImportMode } from '../../../src/lib/import/pipeline.server.ts';
import { parseValidateRequest } from '../../../src/lib/import/jobs.server.ts';
import { arraySource, COUNTY, loadFixture, OTHER_COUNTY, OTHER_VILLAGE, VILLAGES } from './fixture.ts';

const A = VILLAGES.A;
const B = VILLAGES.B;
// The yearly file: no monitoring, relocation status or site columns (those keep their stored values).
const HEADERS = ['户编号', '村代码', '经度', '纬度', '家庭人口', '劳动力人数', '人均纯收入（元）', '致贫原因', '帮扶措施', '识别年度', '脱贫年度', '住房安全等级'];
// The first registry load has them.
const FULL = [...HEADERS, '监测类型', '搬迁状态', '安置点编号'];
const row = (code: string, extra: Partial<Record<number, string | number | null>> = {}, length = HEADERS.length) => {
	const r: (string | number | null)[] = [code, A.code, A.lon + 0.01, A.lat + 0.01, 3, 2, 4200, '因病', '发展生产', 2015, null, 'B', null, null, null].slice(0, length);
	for (const [i, v] of Object.entries(extra)) r[Number(i)] = v ?? null;
	return r;
};

let uploadSeq = 0;
const nextUpload = () => `ab5${(++uploadSeq).toString(16).padStart(8, '0')}`;

/** Every column of the households with these codes, the geometry as EWKB hex (exact). */
async function snapshot(db: Kysely<Database>, codes: string[]) {
	const { rows } = await sql<{ code: string; row: Record<string, unknown>; geom: string | null }>`
		select h.code, to_jsonb(h) - 'geom' as row, encode(ST_AsEWKB(h.geom), 'hex') as geom
		from households h where h.code = any(${codes}::text[]) order by h.code`.execute(db);
	return rows;
}

for (const backend of backends) {
	describe(`import upsert (${backend.name})`, () => {
		let handle: DatabaseHandle;
		let db: Kysely<Database>;
		let siteId: number;
		beforeAll(async () => {
			handle = await backend.open();
			db = handle.db;
			({ siteId } = await loadFixture(db));
			// A household of the neighbouring county, already in the table.
			await db
				.insertInto('households')
				.values({ code: 'RX0001', county_code: OTHER_COUNTY, village_code: OTHER_VILLAGE, members: 2, working_age_members: 1, income_per_capita_yuan: 3000, main_cause: 'other', route: 'production', registered_year: 2016, housing_grade: 'A' })
				.execute();
		}, 120_000);
		afterAll(async () => handle?.close());

		const validate = (rows: (string | number | null)[][], mode: ImportMode, headers = HEADERS) =>
			validateImport(handle, arraySource(headers, rows, { fileName: `registry-${mode}.csv` }), {
				uploadId: nextUpload(),
				target: 'households',
				county: COUNTY,
				mapping: autoMap(headers, 'households').mapping,
				crs: 'wgs84',
				mode
			});
		const upsert = async (rows: (string | number | null)[][]) => {
			const report = await validate(rows, 'upsert');
			expect(report.counts.rejected).toBe(0);
			return commitImport(handle, { uploadId: report.uploadId, report, actor: '县乡村振兴局' });
		};

		let firstBatch = 0;
		test('the first registry load inserts every household (insert mode, as before)', async () => {
			const report = await validate(
				[row('RU0001', { 12: '边缘易致贫户', 13: '已搬迁', 14: siteId }, FULL.length), row('RU0002', { 1: B.code, 2: B.lon, 3: B.lat }, FULL.length)],
				'insert',
				FULL
			);
			expect(report.mode).toBe('insert');
			expect(report.counts).toMatchObject({ valid: 2, inserts: 2, updates: 0 });
			const done = await commitImport(handle, { uploadId: report.uploadId, report, actor: 'test' });
			expect(done).toMatchObject({ written: 2, inserted: 2, updated: 0 });
			firstBatch = done.batchId;
			// In insert mode a code already in the table is still a problem.
			const again = await validate([row('RU0001')], 'insert');
			expect(again.problems.map((p) => [p.row, p.field, p.code])).toEqual([[2, 'code', 'duplicate_in_table']]);
		});

		test('validation in upsert mode counts inserts and updates, and refuses codes of another county and repeats', async () => {
			const report = await validate([row('RU0001', { 6: 6000 }), row('RU0002', { 1: B.code }), row('RU0003'), row('RX0001'), row('RU0003')], 'upsert');
			expect(report.mode).toBe('upsert');
			expect(report.problems.map((p) => [p.row, p.field, p.code, p.detail])).toEqual([
				[5, 'code', 'key_other_county', OTHER_COUNTY],
				[6, 'code', 'duplicate_in_file', 'row 4']
			]);
			expect(report.counts).toMatchObject({ read: 5, valid: 3, rejected: 2, inserts: 1, updates: 2 });
			// The stored relocation of RU0001 (relocated, with a site) counts, though the file has no such columns.
			expect(report.byCode.relocated_without_site).toBeUndefined();
			const other = await db.selectFrom('households').select(['county_code', 'income_per_capita_yuan']).where('code', '=', 'RX0001').executeTakeFirstOrThrow();
			expect(other).toEqual({ county_code: OTHER_COUNTY, income_per_capita_yuan: 3000 });
		});

		test('an upsert updates the mapped columns of 2 households, inserts 1, and undo restores the exact prior rows', async () => {
			const before = await snapshot(db, ['RU0001', 'RU0002']);
			const done = await upsert([
				row('RU0001', { 6: 6000, 10: 2020, 2: A.lon + 0.02 }), // income up, out of poverty in 2020, moved
				row('RU0002', { 1: B.code, 2: null, 3: null, 4: 4, 5: 3 }), // one more member; no coordinates in the file
				row('RU0003', { 11: 'D' }) // new this year
			]);
			expect(done).toMatchObject({ written: 3, inserted: 1, updated: 2, skipped: 0 });
			const rows = await db
				.selectFrom('households')
				.select(['code', 'income_per_capita_yuan', 'exit_year', 'members', 'monitoring', 'relocation_status', 'target_site_id', 'housing_grade', 'import_batch_id', sql<number>`ST_X(geom)`.as('x')])
				.where('code', 'in', ['RU0001', 'RU0002', 'RU0003'])
				.orderBy('code')
				.execute();
			expect(rows).toEqual([
				// Unmapped monitoring, relocation status and site keep their stored values.
				{ code: 'RU0001', income_per_capita_yuan: 6000, exit_year: 2020, members: 3, monitoring: 'edge', relocation_status: 'relocated', target_site_id: siteId, housing_grade: 'B', import_batch_id: done.batchId, x: A.lon + 0.02 },
				// A row without coordinates keeps its stored point (not the village's).
				{ code: 'RU0002', income_per_capita_yuan: 4200, exit_year: null, members: 4, monitoring: null, relocation_status: 'none', target_site_id: null, housing_grade: 'B', import_batch_id: done.batchId, x: B.lon },
				{ code: 'RU0003', income_per_capita_yuan: 4200, exit_year: null, members: 3, monitoring: null, relocation_status: 'none', target_site_id: null, housing_grade: 'D', import_batch_id: done.batchId, x: A.lon + 0.01 }
			]);
			const history = await importHistory(db, COUNTY);
			expect(history[0]).toMatchObject({ id: done.batchId, mode: 'upsert', written: 3, inserted: 1, updated: 2 });
			expect(history.find((b) => b.id === firstBatch)).toMatchObject({ mode: 'insert', inserted: 2, updated: 0 });

			expect(await undoBatch(db, done.batchId)).toEqual({ deleted: 1, restored: 2 });
			expect(await snapshot(db, ['RU0001', 'RU0002', 'RU0003'])).toEqual(before);
			expect(before[0].row.import_batch_id).toBe(firstBatch);
			expect((await importHistory(db, COUNTY)).find((b) => b.id === done.batchId)).toMatchObject({ status: 'undone' });
		});

		test('undo is refused while a later batch has updated the same rows, and works once that is undone', async () => {
			const original = await snapshot(db, ['RU0001', 'RU0002']);
			const second = await upsert([row('RU0001', { 6: 7000 }), row('RU0004')]);
			const third = await upsert([row('RU0001', { 6: 8000 })]);
			expect(third).toMatchObject({ inserted: 0, updated: 1 });
			await expect(undoBatch(db, second.batchId)).rejects.toThrow(/cannot be undone: batch \d+ has since updated 1 of its rows/);
			// The first (insert) batch's row was updated too: its undo is refused as well, not half done.
			await expect(undoBatch(db, firstBatch)).rejects.toThrow(new RegExp(`batch ${second.batchId} has since updated 1 of its rows`));
			expect((await db.selectFrom('households').select('income_per_capita_yuan').where('code', '=', 'RU0001').executeTakeFirstOrThrow()).income_per_capita_yuan).toBe(8000);

			expect(await undoBatch(db, third.batchId)).toEqual({ deleted: 0, restored: 1 });
			expect((await db.selectFrom('households').select('income_per_capita_yuan').where('code', '=', 'RU0001').executeTakeFirstOrThrow()).income_per_capita_yuan).toBe(7000);
			expect(await undoBatch(db, second.batchId)).toEqual({ deleted: 1, restored: 1 });
			expect(await snapshot(db, ['RU0001', 'RU0002'])).toEqual(original);
			expect(await db.selectFrom('households').select('code').where('code', '=', 'RU0004').execute()).toEqual([]);
			// Nothing later holds its rows any more: the first batch can go.
			expect(await undoBatch(db, firstBatch)).toEqual({ deleted: 2 });
		});

		test('a row changed outside the batch since it was updated refuses the undo', async () => {
			await upsert([row('RU0005')]);
			const batch = await upsert([row('RU0005', { 6: 9000 })]);
			// An edit outside the import re-links the row: it no longer carries the batch's id.
			await db.updateTable('households').set({ import_batch_id: null }).where('code', '=', 'RU0005').execute();
			await expect(undoBatch(db, batch.batchId)).rejects.toThrow(/1 of the households rows it updated have been changed or deleted since/);
		});

		test('villages upsert by code; targets without a key cannot', async () => {
			const headers = ['行政区划代码', '村名', '人口', '经度', '纬度'];
			const report = await validateImport(handle, arraySource(headers, [[A.code, '甲村', 1200, A.lon, A.lat]], { fileName: 'villages.csv' }), {
				uploadId: nextUpload(), target: 'villages', county: COUNTY, mapping: autoMap(headers, 'villages').mapping, crs: 'wgs84', mode: 'upsert'
			});
			expect(report.counts).toMatchObject({ valid: 1, inserts: 0, updates: 1 });
			// A village of the neighbouring county is refused once, by its code.
			const other = await validateImport(handle, arraySource(headers, [[OTHER_VILLAGE, '戊村', 500, 115.5, 26.0]], { fileName: 'villages.csv' }), {
				uploadId: nextUpload(), target: 'villages', county: COUNTY, mapping: autoMap(headers, 'villages').mapping, crs: 'wgs84', mode: 'upsert'
			});
			expect(other.problems.map((p) => [p.field, p.code])).toEqual([['code', 'village_other_county']]);
			expect(other.counts).toMatchObject({ valid: 0, inserts: 0, updates: 0 });
			await db.updateTable('villages').set({ elevation_m: 210 }).where('code', '=', A.code).execute();
			const done = await commitImport(handle, { uploadId: report.uploadId, report, actor: 'test' });
			expect(await db.selectFrom('villages').select(['population', 'elevation_m', 'import_batch_id']).where('code', '=', A.code).executeTakeFirstOrThrow()).toEqual({ population: 1200, elevation_m: 210, import_batch_id: done.batchId });
			// Households of the village do not block the undo: the village is restored, not deleted.
			expect(await undoBatch(db, done.batchId)).toEqual({ deleted: 0, restored: 1 });
			expect(await db.selectFrom('villages').select(['population', 'import_batch_id']).where('code', '=', A.code).executeTakeFirstOrThrow()).toEqual({ population: 1000, import_batch_id: null });

			const sites = ['安置点名称', '安置方式', '安置户数', '状态', '经度', '纬度'];
			await expect(
				validateImport(handle, arraySource(sites, [['北门安置点', '集镇安置', 40, '已建成', 115.35, 25.95]]), {
					uploadId: nextUpload(), target: 'relocation_sites', county: COUNTY, mapping: autoMap(sites, 'relocation_sites').mapping, crs: 'wgs84', mode: 'upsert'
				})
			).rejects.toThrow(/relocation_sites rows have no code/);
		});

		test('the validate request carries the mode (insert by default)', () => {
			const body = { target: 'households', county: COUNTY, crs: 'wgs84', mapping: {} };
			expect(parseValidateRequest(body).mode).toBe('insert');
			expect(parseValidateRequest({ ...body, mode: 'upsert' }).mode).toBe('upsert');
			expect(() => parseValidateRequest({ ...body, mode: 'merge' })).toThrow(/mode must be one of insert, upsert/);
		});
	});
}
