// The housing-cost-gap query on both backends, against the hand-computed fixture of
// relocation-fixture.ts (its header works out every household's gap under the defaults).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from '../backends.ts';
import type { DatabaseHandle } from '../../../src/lib/server/db/open.ts';
import { DEFAULT_PARAMS, ParamError, type LayerParams } from '../../../src/lib/layers/params.ts';
import { query } from '../../../src/lib/layers/housing-cost-gap/query.server.ts';
import { definition, type GapPlace, type HousingCostGapData } from '../../../src/lib/layers/housing-cost-gap/definition.ts';
import { COUNTY, insertFixture, OTHER_COUNTY, V } from './relocation-fixture.ts';

const gapOf = (places: GapPlace[]) => Object.fromEntries(places.map((p) => [p.name, p.gap]));

for (const backend of backends) {
	describe(`housing-cost-gap on ${backend.name}`, () => {
		let handle: DatabaseHandle;
		const run = (p: Partial<LayerParams>) =>
			query({ db: handle.db, capabilities: handle.capabilities }, { ...DEFAULT_PARAMS, ...p }) as Promise<HousingCostGapData>;

		beforeAll(async () => {
			handle = await backend.open();
			await insertFixture(handle.db);
		});
		afterAll(async () => {
			await handle?.close();
		});

		test('baseline scenario: per village and per site, C withheld', async () => {
			const data = await run({ county: COUNTY });
			expect(data.k).toBe(5);
			expect(data.meansShare).toBe(0.5);
			expect(data.scenarios).toEqual([{ county: COUNTY, id: 1, name: '基准方案' }]);
			// Villages A, B, C (origin villages of relocating households), by code; C has 2 → withheld.
			expect(data.villages.map((v) => [v.id, v.name, v.position, v.scenario])).toEqual([
				[V.A.code, '甲村', [106, 30.9], '基准方案'],
				[V.B.code, '乙村', [106.1, 30.85], '基准方案'],
				[V.C.code, '丙村', [106.2, 30.7], '基准方案']
			]);
			expect(gapOf(data.villages)).toEqual({
				甲村: { households: 9, total: 644_420, perHousehold: 71_602, overCapShare: 1 },
				乙村: { households: 9, total: 565_020, perHousehold: 62_780, overCapShare: 1 },
				丙村: null
			});
			// Sites with relocating households: S1 (14) and S2 (6); S3 has none and is not listed.
			// S2's 6 are withheld to protect village B's 3 at S1 (9 − 6 = 3; see relocation-sites.test.ts).
			expect(data.sites.map((s) => [s.type, s.id, s.position])).toEqual([
				['site', '1', [106.08, 30.79]],
				['site', '2', [106.11, 30.84]]
			]);
			expect(gapOf(data.sites)).toEqual({
				城北安置点: { households: 14, total: 957_320, perHousehold: 68_380, overCapShare: 1 },
				乙村中心村安置点: null
			});
			// The 2 households of village C leave no number anywhere in the response.
			const c = data.villages.find((v) => v.id === V.C.code)!;
			expect(JSON.stringify(c)).not.toMatch(/142810|71405|"households"/);
		});

		test('scenario 2 (70,000 yuan per household): small households in surplus, shares withheld', async () => {
			// Subsidy 70,000: m1 −43,750 and m2 −17,500 (surplus, asked nothing); m3 required 8,750
			// ≤ cap 9,000, so not over; m4+ over the cap. A: Σ −43,750 − 17,500 + 5,750 + 6,500
			// + 31,400 + 58,250 + 84,500 + 84,350 − 17,500 = 192,000; 4 of 9 over the cap → the 4
			// would be a count under 5 → share withheld. B: Σ 107,500, 3 over → withheld.
			// S1: 250,500 over 14, 6 over and 8 not → 6/14 = 0.429 shown. (S2: 89,250 over 6 if it
			// were shown; it is withheld as in the baseline.)
			const data = await run({ county: COUNTY, scenario: 2 });
			expect(data.scenarios).toEqual([{ county: COUNTY, id: 2, name: '高补助' }]);
			expect(gapOf(data.villages)).toEqual({
				甲村: { households: 9, total: 192_000, perHousehold: 21_333, overCapShare: null },
				乙村: { households: 9, total: 107_500, perHousehold: 11_944, overCapShare: null },
				丙村: null
			});
			expect(gapOf(data.sites)).toEqual({
				城北安置点: { households: 14, total: 250_500, perHousehold: 17_893, overCapShare: 0.429 },
				乙村中心村安置点: null
			});
		});

		test('scenario 3 (30,000 yuan per person): every household in surplus, blue on the map', async () => {
			// A: cost Σ 840,000 − subsidies 9 × 18,720 − 33 persons × 30,000 = −318,480 (asked 0).
			const data = await run({ county: COUNTY, scenario: 3 });
			const a = data.villages.find((v) => v.id === V.A.code)!;
			expect(a.gap).toEqual({ households: 9, total: -318_480, perHousehold: -35_387, overCapShare: 0 });
			expect(data.villages.find((v) => v.id === V.B.code)!.gap!.total).toBe(-277_230);
			const [villages] = definition.toDeck(data, { params: DEFAULT_PARAMS, locale: 'en', opacity: 1 });
			const fill = villages.props.getFillColor as (p: GapPlace) => number[];
			expect(fill(a)).toEqual(definition.legend(DEFAULT_PARAMS, data).items[1].color); // −6 to −3 万元
			expect(definition.tooltip(a, 'zh-CN', DEFAULT_PARAMS)).toContain('户均结余：3.54 万元');
		});

		test('all counties: each county its own baseline; a scenario applies to its own county only', async () => {
			const all = await run({});
			expect(all.scenarios).toEqual([
				{ county: OTHER_COUNTY, id: 4, name: '于都基准' },
				{ county: COUNTY, id: 1, name: '基准方案' }
			]);
			expect(all.villages.map((v) => v.name)).toEqual(['丁村', '甲村', '乙村', '丙村']);
			// D: 5 households of 2, gap 31,780 each.
			expect(gapOf(all.villages)['丁村']).toEqual({ households: 5, total: 158_900, perHousehold: 31_780, overCapShare: 1 });
			expect(all.sites.map((s) => s.name)).toEqual(['城北安置点', '乙村中心村安置点', '于都城南安置点']);
			// Scenario 2 belongs to 511304: Yudu keeps its baseline (D unchanged).
			const mixed = await run({ scenario: 2 });
			expect(mixed.scenarios.map((s) => s.id)).toEqual([4, 2]);
			expect(gapOf(mixed.villages)['丁村']!.total).toBe(158_900);
			expect(gapOf(mixed.villages)['甲村']!.total).toBe(192_000);
			// Only Yudu.
			const yudu = await run({ county: OTHER_COUNTY });
			expect(yudu.villages.map((v) => v.name)).toEqual(['丁村']);
			expect(yudu.sites.map((s) => s.name)).toEqual(['于都城南安置点']);
		});

		test('k = 10 withholds every group under 10 households', async () => {
			const data = await run({ county: COUNTY, k: 10 });
			expect(data.k).toBe(10);
			expect(data.villages.every((v) => v.gap === null)).toBe(true); // 9, 9, 2
			expect(gapOf(data.sites)).toEqual({
				城北安置点: { households: 14, total: 957_320, perHousehold: 68_380, overCapShare: 1 },
				乙村中心村安置点: null
			});
			// A request cannot go below the floor of 5.
			expect((await run({ county: COUNTY, k: 2 })).k).toBe(5);
		});

		test('a scenario that does not exist or belongs to another county is a parameter error', async () => {
			await expect(run({ county: COUNTY, scenario: 99 })).rejects.toThrow(ParamError);
			await expect(run({ county: COUNTY, scenario: 4 })).rejects.toThrow(/scenario 4 belongs to county 360731/);
		});

		test('every declared field is in the output', async () => {
			const data = await run({ county: COUNTY });
			for (const field of definition.fields) {
				const [head, tail] = field.split('.');
				const value = (data as unknown as Record<string, unknown>)[head];
				expect(value, field).toBeDefined();
				if (tail) for (const item of value as Record<string, unknown>[]) expect(item, field).toHaveProperty(tail);
			}
		});
	});
}
