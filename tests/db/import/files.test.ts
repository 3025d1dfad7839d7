// Real files through the real readers (src/lib/formats) into the pipeline, on both backends: a GBK
// CSV exported the way the registration system does it, GCJ-02 points copied from Amap as GeoJSON,
// and a 200,000-row CSV imported in bounded memory.
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from '../backends.ts';
import type { DatabaseHandle } from '../../../src/lib/server/db/open.ts';
import type { Database } from '../../../src/lib/server/db/types.ts';
import { openSource } from '../../../src/lib/formats/index.ts';
import { createUpload, inspectUpload, openUpload } from '../../../src/lib/import/uploads.server.ts';
import { commitImport, importHistory, validateImport } from '../../../src/lib/import/pipeline.server.ts';
import { gcj02ToWgs84 } from '../../../src/lib/import/coords.ts';
import { syntheticHouseholdsCsv } from '../../../src/lib/import/synthetic.ts';
import { readFileSync } from 'node:fs';
import { COUNTY, loadFixture, VILLAGES } from './fixture.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures/import');

for (const backend of backends) {
	describe(`import of real files (${backend.name})`, () => {
		let handle: DatabaseHandle;
		let db: Kysely<Database>;
		beforeAll(async () => {
			handle = await backend.open();
			db = handle.db;
			await loadFixture(db);
		}, 120_000);
		afterAll(async () => handle?.close());

		test('a GBK CSV with Chinese headers: detected, mapped, personal columns dropped, committed', async () => {
			const upload = await createUpload('建档立卡户.csv', new Uint8Array(readFileSync(join(FIXTURES, 'households-gbk.csv'))));
			const info = await inspectUpload(upload);
			expect(info).toMatchObject({ format: 'csv', encoding: 'gbk', suggestedTarget: 'households' });
			expect(info.crs.choice).toBe('wgs84');
			expect(info.samples[0].fields['户编号']).toBe('YD24-0001');
			// Personal values never come back, even in the sample.
			expect(info.samples[0].fields['户主姓名']).toBe('•••');
			expect(info.samples[0].fields['联系电话']).toBe('•••');
			expect(info.samples[0].fields['经度']).toBe('•••');
			const auto = info.mappings.households;
			expect(auto.dropped.map((d) => d.header).sort()).toEqual(['户主姓名', '联系电话'].sort());
			expect(auto.missing).toEqual([]);

			const source = await openUpload(upload);
			const report = await validateImport(handle, source, { uploadId: upload.id, target: 'households', county: COUNTY, mapping: auto.mapping, crs: 'wgs84' });
			await source.close();
			expect(report.encoding).toBe('gbk');
			expect(report.counts).toMatchObject({ read: 12, valid: 11, rejected: 1, fromVillage: 11 });
			expect(report.problems).toEqual([{ row: 9, field: 'working_age_members', code: 'more_than_members', detail: '5 > 4' }]);
			const result = await commitImport(handle, { uploadId: upload.id, report, actor: '于都县乡村振兴局', skipInvalid: true });
			expect(result.written).toBe(11);
			const rows = await db.selectFrom('households').select(['code', 'main_cause', 'route']).where('import_batch_id', '=', result.batchId).orderBy('code').execute();
			expect(rows[0]).toEqual({ code: 'YD24-0001', main_cause: 'illness', route: 'production' });
			expect(rows.find((r) => r.code === 'YD24-0010')).toMatchObject({ main_cause: 'lack_of_motivation' });
			expect((await importHistory(db, COUNTY))[0]).toMatchObject({ file: '建档立卡户.csv', encoding: 'gbk', read: 12, rejected: 1, written: 11 });
		});

		test('GCJ-02 GeoJSON points are converted; a point outside the county is named by row', async () => {
			const source = await openSource({ name: 'sites-gcj02.geojson', path: join(FIXTURES, 'sites-gcj02.geojson') });
			const mapping = { name_zh: '安置点名称', kind: '安置方式', capacity_households: '安置户数', status: '状态' };
			const report = await validateImport(handle, source, { uploadId: 'f0f0f0f0f0f0f0f0', target: 'relocation_sites', county: COUNTY, mapping, crs: 'gcj02' });
			await source.close();
			expect(report.problems.map((p) => [p.row, p.field, p.code])).toEqual([[3, 'geometry', 'outside_county']]);
			const result = await commitImport(handle, { uploadId: report.uploadId, report, actor: 'test', skipInvalid: true });
			const site = await db.selectFrom('relocation_sites').select(['name_zh', 'kind', sql<number>`ST_X(geom)`.as('x'), sql<number>`ST_Y(geom)`.as('y')]).where('import_batch_id', '=', result.batchId).where('name_zh', '=', '贡江新区安置点').executeTakeFirstOrThrow();
			const [lon, lat] = gcj02ToWgs84(115.41615, 25.95183);
			expect(site.kind).toBe('county_town');
			expect(site.x).toBeCloseTo(lon, 9);
			expect(site.y).toBeCloseTo(lat, 9);
			expect(site.x).toBeCloseTo(115.41097, 4);
		});

		test('200,000 households stream through in bounded memory', async () => {
			const dir = mkdtempSync(join(tmpdir(), 'lantu-import-test-'));
			const file = join(dir, 'households-200k.csv');
			const out = createWriteStream(file);
			for (const line of syntheticHouseholdsCsv(Object.values(VILLAGES), 200_000, 7, `M${backend.name[0]}`)) {
				if (!out.write(line)) await once(out, 'drain');
			}
			out.end();
			await once(out, 'finish');
			global.gc?.();
			const base = process.memoryUsage().heapUsed;
			let peak = base;
			const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
			try {
				const source = await openSource({ name: 'households-200k.csv', path: file });
				const mapping = (await import('../../../src/lib/import/targets.ts')).autoMap(source.headers, 'households').mapping;
				const report = await validateImport(handle, source, { uploadId: `bb${backend.name === 'pglite' ? '01' : '02'}bbbbbbbbbbbb`, target: 'households', county: COUNTY, mapping, crs: 'wgs84' });
				await source.close();
				expect(report.counts).toMatchObject({ read: 200_000, rejected: 0 });
				const result = await commitImport(handle, { uploadId: report.uploadId, report, actor: 'test' });
				expect(result.written).toBe(200_000);
			} finally {
				clearInterval(timer);
				rmSync(dir, { recursive: true, force: true });
			}
			// Holding 200,000 parsed rows would take several hundred MB of heap; streaming stays far below.
			const growthMb = (peak - base) / 1024 / 1024;
			expect(growthMb).toBeLessThan(120);
			console.log(`import 200k (${backend.name}): heap growth peak ${growthMb.toFixed(1)} MB`);
		}, 600_000);
	});
}
