// The max-cover-result layer on both backends: real maximal-covering runs on the road fixture of
// chain-fixture.ts (minutes worked out by hand there), then the layer's query. End of 2014, citrus
// processing (threshold 30 min; the operating plant is 10 km north of A): A is reached (20 min),
// B (5 poor households, 80 min) and C (3, suppressed at k = 5; 34 min) are not. Candidates are the
// village seats, which lie on the road: a new plant at B covers B alone (C is 57 km away), so
// q = 1 chooses B (5 households) and q = 2 adds C (3: withheld, and left out of the total).
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from '../backends.ts';
import type { DatabaseHandle } from '../../../src/lib/server/db/open.ts';
import type { Database } from '../../../src/lib/server/db/types.ts';
import { DEFAULT_PARAMS, ParamError, type LayerParams } from '../../../src/lib/layers/params.ts';
import { query } from '../../../src/lib/layers/max-cover-result/query.server.ts';
import { definition } from '../../../src/lib/layers/max-cover-result/definition.ts';
import type { MaxCoverResultData } from '../../../src/lib/layers/max-cover-result/result.ts';
import { dataUrl } from '../../../src/lib/layers/registry.ts';
import { clearRoadNetworkCache } from '../../../src/lib/analysis/travel-time/network.server.ts';
import { clearChainMinutesCache } from '../../../src/lib/analysis/chain-coverage/network-minutes.server.ts';
import { startChainGaps, startMaxCover } from '../../../src/lib/analysis/chain-coverage/chain-gaps.server.ts';
import { B, C, COUNTY, LON, north } from './chain-fixture.ts';
import { insertChainFixture } from './chain-fixture.ts';

const base: LayerParams = { ...DEFAULT_PARAMS, county: COUNTY, chain: 'citrus', stage: 'processing' };
const req = { county: COUNTY, chain: 'citrus' as const, year: 2014, scenarioId: null, stage: 'processing' as const, candidates: 'villages' as const };

for (const backend of backends) {
	describe(`max-cover-result (${backend.name})`, () => {
		let handle: DatabaseHandle;
		let db: Kysely<Database>;
		let one: number;
		let two: number;
		const run = (params: Partial<LayerParams>) => query({ db, capabilities: handle.capabilities }, { ...base, ...params }) as Promise<MaxCoverResultData>;

		beforeAll(async () => {
			clearRoadNetworkCache();
			clearChainMinutesCache();
			handle = await backend.open();
			db = handle.db;
			await insertChainFixture(db);
		});
		afterAll(async () => {
			await handle?.close();
		});

		test('nothing to draw before a run, or without a county', async () => {
			const none = await run({});
			expect(none).toMatchObject({ layer: 'max-cover-result', county: COUNTY, run: null, sites: [], villages: [], covered: 0 });
			expect((await run({ county: null })).run).toBeNull();
			// The pure parts accept the empty answer: specs with no data, a legend that says what to do.
			expect(definition.toDeck(none, { params: base, locale: 'en', opacity: 1 }).length).toBe(4);
			expect(definition.legend(base, none).note!.en).toMatch(/No result yet/);
		});

		test('the latest run: chosen sites ranked, the villages each newly covers, counts withheld below k', async () => {
			one = (await (await startMaxCover(db, { ...req, q: 1 })).done).id;
			two = (await (await startMaxCover(db, { ...req, q: 2 })).done).id;
			expect(two).not.toBe(one);
			const d = await run({});
			expect(d).toMatchObject({ run: two, chain: 'citrus', stage: 'processing', year: 2014, q: 2, k: 5, threshold: 30, status: 'optimal' });
			expect(d.sites.map((s) => [s.rank, s.candidate, s.name_zh, s.poor_households, s.villages])).toEqual([
				[1, 'village', '乙村', 5, 1],
				[2, 'village', '丙村', null, 1]
			]);
			expect(d.sites[0].position).toEqual([LON, north(-30)]);
			// Each new plant sits in the village it serves: 0 minutes by road.
			expect(d.villages.map((v) => [v.code, v.rank, v.minutes])).toEqual([
				[B, 1, 0],
				[C, 2, 0]
			]);
			expect(d.villages[1].site_position).toEqual([LON, north(27)]);
			// 5 + C's withheld 3: the total is 5 and C is counted as a site, never as 8.
			expect(d).toMatchObject({ covered: 5, covered_sites_suppressed: 1 });
			expect(JSON.stringify(d)).not.toMatch(/:8[,}]/);
			expect(definition.legend(base, d).note!['zh-CN']).toContain(`第 ${two} 次分析`);
		});

		test('a named run is drawn, and its id is in the data URL', async () => {
			const d = await run({ run: one });
			expect(d.run).toBe(one);
			expect(d.sites.map((s) => s.name_zh)).toEqual(['乙村']);
			const url = dataUrl(definition as never, { ...base, run: one });
			expect(new URL(url, 'http://x').searchParams.get('run')).toBe(String(one));
			expect(dataUrl(definition as never, { ...base, run: two })).not.toBe(url);
		});

		test('a meeting k of 10 withholds the 5 as well', async () => {
			const d = await run({ run: one, k: 10 });
			expect(d).toMatchObject({ k: 10, covered: 0, covered_sites_suppressed: 1 });
			expect(d.sites[0].poor_households).toBeNull();
		});

		test('another stage has no run; a max-cover run that is not a finished run of the county is a 400; another kind of run draws the latest', async () => {
			expect((await run({ stage: 'marketing' })).run).toBeNull();
			const gaps = await (await startChainGaps(db, { county: COUNTY, chain: 'citrus', year: 2016, scenarioId: null })).done;
			// The map shares one `run` parameter among result layers: a chain-gaps run is not this layer's.
			expect((await run({ run: gaps.id })).run).toBe((await run({})).run);
			await expect(run({ run: 999_999 })).rejects.toThrow(/run: no finished max-cover run 999999 in county 511304/);
			await expect(run({ run: one, county: '360731' })).rejects.toThrow(ParamError);
		});

		test('tooltips in both languages', async () => {
			const d = await run({ run: two });
			expect(definition.tooltip(d.sites[0], 'zh-CN', base)).toBe('建议新建站点 1：乙村\n新覆盖贫困村 1 个，贫困户 5 户');
			expect(definition.tooltip(d.sites[1], 'en', base)).toBe('Proposed new site 2: 丙村\nnewly reaches 1 poor villages, < 5 poor households');
			expect(definition.tooltip(d.villages[0], 'en', base)).toBe('乙村\nto new site 1: 0 min by road');
		});
	});
}
