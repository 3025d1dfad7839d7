// The import pipeline on both backends, with sources built from arrays (the file readers have their
// own tests; tests/db/import/files.test.ts runs real files through them): mapping, every validation
// reason with its row number, commit all-or-nothing, history, undo and its refusals.
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from '../backends.ts';
import type { DatabaseHandle } from '../../../src/lib/server/db/open.ts';
import type { Database } from '../../../src/lib/server/db/types.ts';
import { dataVersions } from '../../../src/lib/server/db/data-version.ts';
import { autoMap } from '../../../src/lib/import/targets.ts';
import { gcj02ToWgs84, wgs84ToGcj02 } from '../../../src/lib/import/coords.ts';
import { commitImport, importHistory, undoBatch, validateImport, ImportError, problemsCsv, type ImportReport } from '../../../src/lib/import/pipeline.server.ts';
import { openSource } from '../../../src/lib/formats/index.ts';
import { arraySource, COUNTY, LISTED_ONLY_VILLAGE, loadFixture, OTHER_VILLAGE, VILLAGES } from './fixture.ts';

const HEADERS = ['户编号', '村代码', '经度', '纬度', '家庭人口', '劳动力人数', '人均纯收入（元）', '致贫原因', '帮扶措施', '识别年度', '脱贫年度', '住房安全等级', '户主姓名', '身份证号'];
const A = VILLAGES.A;
const ok = (code: string, extra: Partial<Record<number, string | number | null>> = {}) => {
	const row: (string | number | null)[] = [code, A.code, A.lon + 0.01, A.lat + 0.01, 3, 2, 4200, '因病', '发展生产', 2015, 2019, 'B', '张三', '360731198001011234'];
	for (const [i, v] of Object.entries(extra)) row[Number(i)] = v ?? null;
	return row;
};

let uploadSeq = 0;
const nextUpload = () => `abc${(++uploadSeq).toString(16).padStart(8, '0')}`;

async function count(db: Kysely<Database>, table: 'households' | 'villages' | 'import_batches' | 'relocation_sites' | 'constraint_zones'): Promise<number> {
	const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
	return rows[0].n;
}

for (const backend of backends) {
	describe(`import pipeline (${backend.name})`, () => {
		let handle: DatabaseHandle;
		let db: Kysely<Database>;
		let siteId: number;
		beforeAll(async () => {
			handle = await backend.open();
			db = handle.db;
			({ siteId } = await loadFixture(db));
		}, 120_000);
		afterAll(async () => handle?.close());

		const mapping = () => autoMap(HEADERS, 'households').mapping;
		const validate = (rows: (string | number | null)[][], extra: Partial<Parameters<typeof validateImport>[2]> = {}, headers = HEADERS) =>
			validateImport(handle, arraySource(headers, rows, { fileName: 'households.csv' }), {
				uploadId: nextUpload(),
				target: 'households',
				county: COUNTY,
				mapping: mapping(),
				crs: 'wgs84',
				...extra
			});

		test('auto mapping matches Chinese headers and drops the name and ID-card columns', () => {
			const m = autoMap(HEADERS, 'households');
			expect(m.mapping).toMatchObject({ code: '户编号', village_code: '村代码', lon: '经度', lat: '纬度', members: '家庭人口', working_age_members: '劳动力人数', income_per_capita_yuan: '人均纯收入（元）', main_cause: '致贫原因', route: '帮扶措施', registered_year: '识别年度', exit_year: '脱贫年度', housing_grade: '住房安全等级' });
			expect(m.dropped).toEqual([{ header: '户主姓名', kind: 'name' }, { header: '身份证号', kind: 'id_card' }]);
			expect(m.missing).toEqual([]);
			expect(m.confidence.code).toBe(1);
		});

		test('a clean file validates, writes nothing, then commits in one batch with history', async () => {
			const before = await count(db, 'households');
			const [vBefore] = await dataVersions(db, ['households']);
			const report = await validate([ok('HH0001'), ok('HH0002'), ok('HH0003', { 2: null, 3: null })]);
			expect(report.counts).toMatchObject({ read: 3, valid: 3, rejected: 0, fromVillage: 1 });
			expect(report.dropped.map((d) => d.header)).toEqual(['户主姓名', '身份证号']);
			expect(await count(db, 'households')).toBe(before);
			expect((await dataVersions(db, ['households']))[0]).toBe(vBefore);
			// The preview never carries household points: per village, small counts suppressed.
			expect(report.preview.features).toHaveLength(1);
			expect(report.preview.features[0].properties).toMatchObject({ village: A.code, valid: null, invalid: null });

			const result = await commitImport(handle, { uploadId: report.uploadId, report, actor: '县扶贫办 王工' });
			expect(result).toMatchObject({ written: 3, skipped: 0 });
			expect(await count(db, 'households')).toBe(before + 3);
			expect((await dataVersions(db, ['households']))[0]).toBeGreaterThan(vBefore);
			const rows = await db.selectFrom('households').select(['code', 'county_code', 'members', 'main_cause', 'import_batch_id', sql<string>`ST_AsText(geom)`.as('wkt')]).orderBy('code').execute();
			expect(rows.map((r) => r.code)).toEqual(['HH0001', 'HH0002', 'HH0003']);
			expect(rows[0]).toMatchObject({ county_code: COUNTY, members: 3, main_cause: 'illness', import_batch_id: result.batchId });
			expect(rows[2].wkt).toBe(`POINT(${A.lon} ${A.lat})`); // the village's point
			const history = await importHistory(db, COUNTY);
			expect(history[0]).toMatchObject({ id: result.batchId, target: 'households', file: 'households.csv', read: 3, valid: 3, rejected: 0, written: 3, status: 'committed', actor: '县扶贫办 王工', crs: 'wgs84', format: 'csv' });
			// The staging tables are gone after the commit.
			const { rows: left } = await sql<{ n: number }>`select count(*)::int as n from pg_tables where schemaname = 'import_staging' and tablename like ${'%' + report.uploadId}`.execute(db);
			expect(left[0].n).toBe(0);
		});

		test('every kind of problem is reported with its row and field', async () => {
			const rows = [
				ok('HV0001'), // 2 valid
				ok('HV0002', { 4: 0, 5: 0 }), // 3 members < 1
				ok('HV0003', { 5: 5 }), // 4 working-age > members
				ok('HV0004', { 6: -10 }), // 5 negative income
				ok('HV0005', { 7: '因懒' }), // 6 bad category
				ok('HV0006', { 1: '360731100099' }), // 7 unknown village
				ok('HV0007', { 2: 115.8 }), // 8 outside the county
				ok('HV0001'), // 9 duplicate in file (of row 2)
				ok('HV0009', { 9: 2040, 10: null }), // 10 year out of range
				ok('HH0001'), // 11 duplicate of a committed household
				ok('HV0011', { 4: 'abc' }), // 12 not a whole number
				ok('HV0012', { 1: OTHER_VILLAGE }), // 13 village of another county
				ok('13912345678'), // 14 phone number as a code: never stored
				ok('HV0014', { 10: 2014 }), // 15 exit before registration
				ok('HV0015', { 7: '' }), // 16 required value missing
				ok('HV0016', { 2: 'east', 3: 25.9 }), // 17 bad coordinates
				ok('HV0017', { 11: 'E' }) // 18 bad housing grade
			];
			const report = await validate(rows);
			const got = report.problems.map((p) => [p.row, p.field, p.code]);
			expect(got).toEqual([
				[3, 'members', 'below_min'],
				[4, 'working_age_members', 'more_than_members'],
				[5, 'income_per_capita_yuan', 'below_min'],
				[6, 'main_cause', 'bad_category'],
				[7, 'village_code', 'unknown_village'],
				[8, 'geometry', 'outside_county'],
				[9, 'code', 'duplicate_in_file'],
				[10, 'registered_year', 'above_max'],
				[11, 'code', 'duplicate_in_table'],
				[12, 'members', 'not_integer'],
				[13, 'village_code', 'village_other_county'],
				[14, 'code', 'private_value'],
				[15, 'exit_year', 'before_field'],
				[16, 'main_cause', 'required'],
				[17, 'lon', 'bad_coordinates'],
				[18, 'housing_grade', 'bad_category']
			]);
			expect(report.counts).toMatchObject({ read: 17, valid: 1, rejected: 16 });
			expect(report.problems.find((p) => p.row === 9)!.detail).toBe('row 2');
			// A household's position never appears in the report.
			expect(report.problems.find((p) => p.row === 8)!.detail).toBeNull();
			expect(report.problems.find((p) => p.row === 6)!.detail).toBe('因懒');
			// The phone number is never echoed: the detail names the kind only.
			expect(report.problems.find((p) => p.row === 14)!.detail).toBe('phone');
			let csv = '';
			for await (const chunk of problemsCsv(db, report.uploadId, report.fileName)) csv += chunk;
			expect(csv.split('\n')[0]).toBe('file,row,field,reason,detail');
			expect(csv).toContain('households.csv,6,main_cause,bad_category,因懒');
			expect(csv).not.toContain('13912345678');
			expect(csv.trim().split('\n')).toHaveLength(17);

			// Refused as a whole; with "skip invalid rows" only the valid row is written.
			const before = await count(db, 'households');
			await expect(commitImport(handle, { uploadId: report.uploadId, report, actor: 'test' })).rejects.toThrow(/16 of 17 rows are invalid/);
			expect(await count(db, 'households')).toBe(before);
			const done = await commitImport(handle, { uploadId: report.uploadId, report, actor: 'test', skipInvalid: true });
			expect(done).toMatchObject({ written: 1, skipped: 16 });
			expect(await db.selectFrom('households').select('code').where('import_batch_id', '=', done.batchId).execute()).toEqual([{ code: 'HV0001' }]);
		});

		test('a real CSV file gives the same report through the fast lane and, when irregular, the general reader', async () => {
			const rows = [
				ok('HF0001'),
				ok('HF0002', { 4: 0, 5: 0 }), // members < 1
				ok('HF0003', { 7: '因懒' }), // bad category
				ok('HF0004', { 2: 115.8 }), // outside the county
				ok('13912345679'), // phone number as a code
				ok('HF0006', { 4: '2.5' }), // not a whole number
				ok('HF0007', { 2: null, 3: null }), // no coordinates: the village's point
				ok('HF0008', { 7: ' 因残致贫 ', 6: '4,200' }) // spaces and a thousands separator
			];
			const csvText = (irregular: boolean) =>
				[HEADERS, ...rows.map((r, i) => (irregular && i === 1 ? r.map((v, j) => (j === 12 ? 'x"y' : v)) : r))]
					.map((r) => r.map((v) => (v === null ? '' : String(v).includes(',') ? `"${v}"` : String(v))).join(','))
					.join('\r\n') + '\r\n';
			const viaFile = async (irregular: boolean) => {
				const source = await openSource({ name: 'households.csv', bytes: new TextEncoder().encode(csvText(irregular)) });
				try {
					return await validateImport(handle, source, { uploadId: nextUpload(), target: 'households', county: COUNTY, mapping: mapping(), crs: 'wgs84' });
				} finally {
					await source.close();
				}
			};
			const fromArrays = await validate(rows);
			const fast = await viaFile(false);
			const general = await viaFile(true);
			expect(fast.timings?.lane).toBe('rows');
			expect(general.timings?.lane).toBe('records');
			const problems = (r: ImportReport) => r.problems.map((p) => [p.row, p.field, p.code, p.detail]);
			expect(problems(fromArrays)).toEqual([
				[3, 'members', 'below_min', '0'],
				[4, 'main_cause', 'bad_category', '因懒'],
				[5, 'geometry', 'outside_county', null],
				[6, 'code', 'private_value', 'phone'],
				[7, 'members', 'not_integer', '2.5']
			]);
			expect(problems(fast)).toEqual(problems(fromArrays));
			expect(problems(general)).toEqual(problems(fromArrays));
			for (const r of [fast, general]) expect(r.counts).toEqual(fromArrays.counts);
			expect(fast.counts).toMatchObject({ read: 8, valid: 3, rejected: 5, fromVillage: 1 });
			const done = await commitImport(handle, { uploadId: fast.uploadId, report: fast, actor: 'test', skipInvalid: true });
			const written = await db.selectFrom('households').select(['code', 'main_cause', 'income_per_capita_yuan']).where('import_batch_id', '=', done.batchId).orderBy('code').execute();
			expect(written).toEqual([
				{ code: 'HF0001', main_cause: 'illness', income_per_capita_yuan: 4200 },
				{ code: 'HF0007', main_cause: 'illness', income_per_capita_yuan: 4200 },
				{ code: 'HF0008', main_cause: 'disability', income_per_capita_yuan: 4200 }
			]);
		});

		test('a failure in the middle of a commit leaves every table exactly as before', async () => {
			const rows = Array.from({ length: 50 }, (_, i) => ok(`HM${String(i).padStart(4, '0')}`));
			const report = await validate(rows);
			expect(report.counts.valid).toBe(50);
			// After validation someone else writes household HM0025: the commit hits it half-way.
			await db.insertInto('households').values({ code: 'HM0025', county_code: COUNTY, village_code: A.code, members: 1, working_age_members: 1, income_per_capita_yuan: 1, main_cause: 'other', route: 'production', registered_year: 2015, housing_grade: 'A' }).execute();
			const counts = { households: await count(db, 'households'), batches: await count(db, 'import_batches') };
			const versions = await dataVersions(db, ['households', 'villages']);
			const error = await commitImport(handle, { uploadId: report.uploadId, report, actor: 'test' }).catch((e) => e);
			expect(error).toBeInstanceOf(ImportError);
			expect(error.message).toMatch(/nothing was written.*HM0025/);
			expect({ households: await count(db, 'households'), batches: await count(db, 'import_batches') }).toEqual(counts);
			expect(await dataVersions(db, ['households', 'villages'])).toEqual(versions);
			expect(await db.selectFrom('households').select('code').where('code', 'like', 'HM%').execute()).toEqual([{ code: 'HM0025' }]);
		});

		test('undo deletes a batch, and refuses while other rows depend on it', async () => {
			// A village from the code list, then households in it.
			const vHeaders = ['行政区划代码', '村名', '人口', '经度', '纬度'];
			const vReport = await validateImport(handle, arraySource(vHeaders, [[LISTED_ONLY_VILLAGE, '丁村', 800, 115.45, 25.95], [A.code, '甲村', 1, 115.3, 25.9], ['360731100077', '无名村', 1, 115.3, 25.9]], { fileName: 'villages.csv' }), {
				uploadId: nextUpload(), target: 'villages', county: COUNTY, mapping: autoMap(vHeaders, 'villages').mapping, crs: 'wgs84'
			});
			expect(vReport.problems.map((p) => [p.row, p.code])).toEqual([[3, 'duplicate_in_table'], [4, 'unknown_village']]);
			const vBatch = await commitImport(handle, { uploadId: vReport.uploadId, report: vReport, actor: 'test', skipInvalid: true });
			const hReport = await validate([ok('HU0001', { 1: LISTED_ONLY_VILLAGE, 2: null, 3: null })]);
			expect(hReport.counts.valid).toBe(1);
			const hBatch = await commitImport(handle, { uploadId: hReport.uploadId, report: hReport, actor: 'test' });

			await expect(undoBatch(db, vBatch.batchId)).rejects.toThrow(/cannot be undone: 1 rows in households/);
			expect(await db.selectFrom('villages').select('code').where('code', '=', LISTED_ONLY_VILLAGE).execute()).toHaveLength(1);
			expect(await undoBatch(db, hBatch.batchId)).toEqual({ deleted: 1 });
			expect(await undoBatch(db, vBatch.batchId)).toEqual({ deleted: 1 });
			await expect(undoBatch(db, vBatch.batchId)).rejects.toThrow(/already undone/);
			expect(await db.selectFrom('villages').select('code').where('code', '=', LISTED_ONLY_VILLAGE).execute()).toEqual([]);
			const history = await importHistory(db, COUNTY);
			expect(history.find((b) => b.id === vBatch.batchId)).toMatchObject({ status: 'undone', written: 1 });
			expect(history.find((b) => b.id === vBatch.batchId)!.undoneAt).not.toBeNull();
		});

		test('relocation sites referenced by households cannot be undone', async () => {
			const headers = ['安置点名称', '安置方式', '安置户数', '状态', '经度', '纬度'];
			const report = await validateImport(handle, arraySource(headers, [['北门安置点', '集镇安置', 40, '已建成', 115.35, 25.95]]), {
				uploadId: nextUpload(), target: 'relocation_sites', county: COUNTY, mapping: autoMap(headers, 'relocation_sites').mapping, crs: 'wgs84'
			});
			expect(report.counts.valid).toBe(1);
			const batch = await commitImport(handle, { uploadId: report.uploadId, report, actor: 'test' });
			const site = await db.selectFrom('relocation_sites').select(['id', 'kind', 'land_cost_yuan']).where('import_batch_id', '=', batch.batchId).executeTakeFirstOrThrow();
			expect(site).toMatchObject({ kind: 'township', land_cost_yuan: 0 });
			await db.updateTable('households').set({ relocation_status: 'planned', target_site_id: site.id }).where('code', '=', 'HH0001').execute();
			await expect(undoBatch(db, batch.batchId)).rejects.toThrow(/1 rows in households refer to its relocation_sites/);
			await db.updateTable('households').set({ relocation_status: 'none', target_site_id: null }).where('code', '=', 'HH0001').execute();
			expect(await undoBatch(db, batch.batchId)).toEqual({ deleted: 1 });
			void siteId;
		});

		test('invalid polygons are reported with ST_IsValidReason, or repaired on request', async () => {
			const bowtie = { type: 'Polygon' as const, coordinates: [[[115.3, 25.9], [115.4, 26.0], [115.4, 25.9], [115.3, 26.0], [115.3, 25.9]]] };
			const square = { type: 'Polygon' as const, coordinates: [[[115.3, 25.9], [115.35, 25.9], [115.35, 25.95], [115.3, 25.95], [115.3, 25.9]]] };
			const open = { type: 'Polygon' as const, coordinates: [[[115.3, 25.9], [115.35, 25.9], [115.35, 25.95], [115.3, 25.95]]] };
			const line = { type: 'LineString' as const, coordinates: [[115.3, 25.9], [115.35, 25.9]] };
			const source = () => arraySource(['类型', '名称'], [['地质灾害', '滑坡区'], ['基本农田', '农田'], ['洪涝', '河滩'], ['生态红线', '林区']], { format: 'geojson', fileName: 'zones.geojson', geometries: [bowtie, square, open, line] });
			const mapping = autoMap(['类型', '名称'], 'constraint_zones').mapping;
			const report = await validateImport(handle, source(), { uploadId: nextUpload(), target: 'constraint_zones', county: COUNTY, mapping, crs: 'cgcs2000' });
			expect(report.problems.map((p) => [p.row, p.field, p.code])).toEqual([[2, 'geometry', 'invalid_geometry'], [4, 'geometry', 'bad_geometry'], [5, 'geometry', 'wrong_geometry_type']]);
			expect(report.problems[0].detail).toMatch(/Self-intersection/);
			expect(report.problems[1].detail).toMatch(/not closed/);
			const repaired = await validateImport(handle, source(), { uploadId: nextUpload(), target: 'constraint_zones', county: COUNTY, mapping, crs: 'cgcs2000', repair: true });
			expect(repaired.counts).toMatchObject({ repaired: 1, valid: 2 });
			const batch = await commitImport(handle, { uploadId: repaired.uploadId, report: repaired, actor: 'test', skipInvalid: true });
			const zones = await db.selectFrom('constraint_zones').select(['kind', sql<string>`GeometryType(geom)`.as('type'), sql<boolean>`ST_IsValid(geom)`.as('valid')]).where('import_batch_id', '=', batch.batchId).orderBy('kind').execute();
			expect(zones).toEqual([{ kind: 'farmland', type: 'MULTIPOLYGON', valid: true }, { kind: 'geohazard', type: 'MULTIPOLYGON', valid: true }]);
			const history = await importHistory(db, COUNTY);
			expect(history[0]).toMatchObject({ target: 'constraint_zones', crs: 'cgcs2000', format: 'geojson' });
		});

		test('swapped longitude/latitude is detected and only swapped when asked', async () => {
			const rows = [ok('HS0001', { 2: A.lat + 0.01, 3: A.lon + 0.01 }), ok('HS0002', { 2: A.lat, 3: A.lon + 0.02 })];
			const report = await validate(rows);
			expect(report.axes.verdict).toBe('swapped');
			// A latitude of 115 is no latitude: the rows are refused until the swap is accepted.
			expect(report.problems.map((p) => p.code)).toEqual(['bad_coordinates', 'bad_coordinates']);
			const swapped = await validate(rows, { swap: true });
			expect(swapped.counts.valid).toBe(2);
		});

		test('GCJ-02 coordinates are converted to WGS84 before they are stored', async () => {
			const [gLon, gLat] = wgs84ToGcj02(115.41, 25.96);
			const report = await validate([ok('HG0001', { 2: gLon, 3: gLat })], { crs: 'gcj02' });
			expect(report.counts.valid).toBe(1);
			const batch = await commitImport(handle, { uploadId: report.uploadId, report, actor: 'test', declaredCrs: 'gcj02' });
			const row = await db.selectFrom('households').select([sql<number>`ST_X(geom)`.as('x'), sql<number>`ST_Y(geom)`.as('y')]).where('import_batch_id', '=', batch.batchId).executeTakeFirstOrThrow();
			const [wLon, wLat] = gcj02ToWgs84(gLon, gLat);
			expect(row.x).toBeCloseTo(wLon, 9);
			expect(row.y).toBeCloseTo(wLat, 9);
			expect(Math.abs(row.x - 115.41)).toBeLessThan(1e-7);
			expect((await importHistory(db, COUNTY))[0].crs).toBe('gcj02');
		});

		test('a mapping with a private column or a missing required field is refused before reading', async () => {
			const m = { ...mapping(), code: '身份证号' };
			await expect(validate([ok('HP0001')], { mapping: m })).rejects.toThrow(/身份证号.*personal identifier/);
			const m2 = { ...mapping(), members: null };
			await expect(validate([ok('HP0001')], { mapping: m2 })).rejects.toThrow(/required field members has no column/);
		});
	});
}
