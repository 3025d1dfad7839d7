// Migration 0002: every committed change to a data table moves that table's version, a rolled-back
// change does not, and other tables keep theirs.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from './backends.ts';
import type { DatabaseHandle } from '../../src/lib/server/db/open.ts';
import { dataVersionKey, dataVersions } from '../../src/lib/server/db/data-version.ts';

for (const backend of backends) {
	describe(`data versions (${backend.name})`, () => {
		let handle: DatabaseHandle;
		beforeAll(async () => {
			handle = await backend.open();
		});
		afterAll(async () => {
			await handle?.close();
		});

		test('insert, update, delete each move the version of the table written, only', async () => {
			const db = handle.db;
			const [r0, v0] = await dataVersions(db, ['regions', 'villages']);
			await db
				.insertInto('regions')
				.values({ code: '511304', level: 'county', parent_code: null, county_code: '511304', name_zh: '测试县', source: 'test' })
				.execute();
			const [r1, v1] = await dataVersions(db, ['regions', 'villages']);
			expect(r1).toBeGreaterThan(r0);
			expect(v1).toBe(v0);
			await db.updateTable('regions').set({ name_en: 'Test County' }).where('code', '=', '511304').execute();
			const [r2] = await dataVersions(db, ['regions']);
			expect(r2).toBeGreaterThan(r1);
			await db.deleteFrom('regions').where('code', '=', '511304').execute();
			const [r3] = await dataVersions(db, ['regions']);
			expect(r3).toBeGreaterThan(r2);
		});

		test('a rolled-back transaction leaves the version where it was', async () => {
			const db = handle.db;
			const before = await dataVersionKey(db, ['regions']);
			await expect(
				db.transaction().execute(async (trx) => {
					await trx
						.insertInto('regions')
						.values({ code: '360731', level: 'county', parent_code: null, county_code: '360731', name_zh: '于都县', source: 'test' })
						.execute();
					throw new Error('abandon');
				})
			).rejects.toThrow('abandon');
			expect(await dataVersionKey(db, ['regions'])).toBe(before);
		});
	});
}
