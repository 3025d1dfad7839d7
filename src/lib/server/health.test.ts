import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../tests/db/backends.ts';
import type { DatabaseHandle } from './db/open.ts';
import { DATA_TABLES } from './db/types.ts';
import { health } from './health.ts';

for (const backend of backends) {
	describe(`health on ${backend.name}`, () => {
		let handle: DatabaseHandle;
		beforeAll(async () => {
			handle = await backend.open();
		});
		afterAll(async () => {
			await handle?.close();
		});

		it('reports the backend, the server and PostGIS versions, and a count for every data table', async () => {
			const result = await health(handle);
			expect(result.status).toBe('ok');
			expect(result.backend).toBe(backend.name);
			expect(result.postgres).toMatch(/^\d+(\.\d+)?/);
			expect(Number(result.postgres.split('.')[0])).toBeGreaterThanOrEqual(15);
			expect(result.postgis).toMatch(/^3\.\d+/);
			expect(Object.keys(result.counts).sort()).toEqual([...DATA_TABLES].sort());
			for (const table of DATA_TABLES) expect(result.counts[table], table).toBe(0);
		});

		it('counts real rows', async () => {
			await handle.db
				.insertInto('regions')
				.values([
					{ code: '511304', level: 'county', county_code: '511304', name_zh: '嘉陵区', source: 'test' },
					{ code: '360731', level: 'county', county_code: '360731', name_zh: '于都县', source: 'test' }
				])
				.execute();
			await handle.db
				.insertInto('data_sources')
				.values({ county_code: '511304', dataset: 'test', synthetic: true, source: 'test' })
				.execute();
			const { counts } = await health(handle);
			expect(counts.regions).toBe(2);
			expect(counts.data_sources).toBe(1);
			expect(counts.households).toBe(0);
			expect(typeof counts.regions).toBe('number');
		});
	});
}
