// The relocation-sites query on both backends, against the hand-computed fixture of
// relocation-fixture.ts.
//
// Village × site table (relocating households): A→S1 9, B→S1 3, C→S1 2, B→S2 6, D→S4 5.
// Primary suppression (k = 5): B→S1 (3), C→S1 (2) and village C's total (2). Secondary (cells.ts):
// column S1 (total 14) withholds 3 + 2 = 5 ≥ k in two cells — safe. Row B (village total 9,
// published by the gap layer) withholds B→S1 alone (9 − 6 would give the 3 back), so its smallest
// shown cell B→S2 (6) is withheld too. Column S2 then has B→S2 withheld alone and nothing else to
// withhold, so S2's total (6) is withheld. Shown: A→S1 9, D→S4 5; S1 assigned 14 of 30 (0.467),
// S2 withheld, S3 0 of 20.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from '../backends.ts';
import type { DatabaseHandle } from '../../../src/lib/server/db/open.ts';
import { DEFAULT_PARAMS, type LayerParams } from '../../../src/lib/layers/params.ts';
import { query } from '../../../src/lib/layers/relocation-sites/query.server.ts';
import { definition, WITHHELD_ARC_WIDTH, type ArcFeature, type RelocationSitesData } from '../../../src/lib/layers/relocation-sites/definition.ts';
import { COUNTY, insertFixture, OTHER_COUNTY, V } from './relocation-fixture.ts';

for (const backend of backends) {
	describe(`relocation-sites on ${backend.name}`, () => {
		let handle: DatabaseHandle;
		const run = (p: Partial<LayerParams>) =>
			query({ db: handle.db, capabilities: handle.capabilities }, { ...DEFAULT_PARAMS, ...p }) as Promise<RelocationSitesData>;

		beforeAll(async () => {
			handle = await backend.open();
			await insertFixture(handle.db);
		});
		afterAll(async () => {
			await handle?.close();
		});

		test('sites: status, capacity, assigned, fill, costs, origins and gap', async () => {
			const data = await run({ county: COUNTY });
			expect(data.k).toBe(5);
			expect(data.scenarios).toEqual([{ county: COUNTY, id: 1, name: '基准方案' }]);
			expect(data.sites.map((s) => [s.id, s.name, s.kind, s.status, s.capacity, s.assigned, s.fill, s.position])).toEqual([
				[1, '城北安置点', 'county_town', 'built', 30, 14, 0.467, [106.08, 30.79]],
				[2, '乙村中心村安置点', 'central_village', 'approved', 10, null, null, [106.11, 30.84]],
				[3, '丙村备选点', 'central_village', 'candidate', 20, 0, 0, [106.2, 30.72]]
			]);
			const [s1, s2, s3] = data.sites;
			// Total cost = land + building.
			expect([s1.landCost, s1.buildingCost, s1.totalCost]).toEqual([300_000, 2_550_000, 2_850_000]);
			expect(s2.totalCost).toBe(930_000);
			// Origins: A shown (9), B and C withheld (B by secondary suppression of its row).
			expect(s1.origins).toEqual([
				{ code: V.A.code, name: '甲村', households: 9 },
				{ code: V.B.code, name: '乙村', households: null },
				{ code: V.C.code, name: '丙村', households: null }
			]);
			expect(s2.origins).toEqual([{ code: V.B.code, name: '乙村', households: null }]);
			expect(s3.origins).toEqual([]);
			// Gap of the assigned households (fixture header): S1 957,320 over 14; S2 withheld.
			expect(s1.gap).toEqual({ households: 14, total: 957_320, perHousehold: 68_380, overCapShare: 1 });
			expect(s2.gap).toBeNull();
			expect(s3.gap).toBeNull();
		});

		test('arcs: from origin village to site; withheld counts are not in the JSON', async () => {
			const data = await run({ county: COUNTY });
			expect(data.arcs).toEqual<ArcFeature[]>([
				{ type: 'arc', siteId: 1, siteName: '城北安置点', village: V.A.code, villageName: '甲村', from: [106, 30.9], to: [106.08, 30.79], households: 9 },
				{ type: 'arc', siteId: 1, siteName: '城北安置点', village: V.B.code, villageName: '乙村', from: [106.1, 30.85], to: [106.08, 30.79], households: null },
				{ type: 'arc', siteId: 1, siteName: '城北安置点', village: V.C.code, villageName: '丙村', from: [106.2, 30.7], to: [106.08, 30.79], households: null },
				{ type: 'arc', siteId: 2, siteName: '乙村中心村安置点', village: V.B.code, villageName: '乙村', from: [106.1, 30.85], to: [106.11, 30.84], households: null }
			]);
			// Withheld arcs all get one width; the shown one (9) the 5–19 class.
			const [arcs] = definition.toDeck(data, { params: DEFAULT_PARAMS, locale: 'zh-CN', opacity: 1 });
			const width = arcs.props.getWidth as (a: ArcFeature) => number;
			expect(data.arcs.map(width)).toEqual([3, WITHHELD_ARC_WIDTH, WITHHELD_ARC_WIDTH, WITHHELD_ARC_WIDTH]);
			expect(definition.tooltip(data.arcs[1], 'zh-CN', DEFAULT_PARAMS)).toBe('乙村 → 城北安置点\n搬迁：不公开（少于 5 户或为保护小数）');
			// No arc or origin carries a count of its own other than the shown 9.
			const json = JSON.stringify(data);
			expect(json.match(/"households":\d+/g)).toEqual(['"households":9', '"households":14', '"households":9']);
		});

		test('the site card', async () => {
			const data = await run({ county: COUNTY });
			const rows = Object.fromEntries(definition.details!(data.sites[0], 'zh-CN', DEFAULT_PARAMS).map((r) => [r.label, r.value]));
			expect(rows).toMatchObject({
				名称: '城北安置点',
				类型: '县城集中安置',
				状态: '已建成',
				容量: '30 户',
				已分配户数: '14 户',
				迁出村数: '3',
				迁出村: '甲村（9 户）、乙村（不公开）、丙村（不公开）',
				'总投资（土地 + 建设）': '285 万元',
				住房资金缺口合计: '95.73 万元',
				户均缺口: '6.84 万元',
				自筹超上限户占比: '100 %'
			});
		});

		test('k = 10: every arc and the 6 households of S2 are withheld', async () => {
			const data = await run({ county: COUNTY, k: 10 });
			expect(data.arcs.every((a) => a.households === null)).toBe(true);
			expect(data.sites.map((s) => [s.assigned, s.fill, s.gap === null])).toEqual([
				[14, 0.467, false],
				[null, null, true],
				[0, 0, true]
			]);
			expect(definition.tooltip(data.sites[1], 'en', { ...DEFAULT_PARAMS, k: 10 })).toBe(
				'乙村中心村安置点 (approved)\ncapacity: 10 households\nassigned: withheld (under 10, or protecting such a count)'
			);
		});

		test('county filter and scenarios', async () => {
			const all = await run({});
			expect(all.sites.map((s) => s.id)).toEqual([1, 2, 3, 4]);
			expect(all.arcs.find((a) => a.siteId === 4)).toMatchObject({ village: V.D.code, households: 5 });
			// The withheld cells are the same whichever county is asked for.
			const jialing = await run({ county: COUNTY });
			expect(all.arcs.filter((a) => a.siteId !== 4)).toEqual(jialing.arcs);
			const yudu = await run({ county: OTHER_COUNTY });
			expect(yudu.sites.map((s) => s.name)).toEqual(['于都城南安置点']);
			expect(yudu.scenarios).toEqual([{ county: OTHER_COUNTY, id: 4, name: '于都基准' }]);
			// Scenario 2 (70,000 per household): S1 250,500, 6 of 14 over the cap (fixture header).
			const s2 = await run({ county: COUNTY, scenario: 2 });
			expect(s2.sites[0].gap).toEqual({ households: 14, total: 250_500, perHousehold: 17_893, overCapShare: 0.429 });
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
