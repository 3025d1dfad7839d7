// The siting-result layer on both backends against the hand-computed siting fixture
// (tests/db/siting/fixture.ts): candidates alone before a run, then the latest run's chosen sites,
// their sizes, the greyed excluded candidate and the arcs with withheld counts.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from '../backends.ts';
import type { DatabaseHandle } from '../../../src/lib/server/db/open.ts';
import { clearRoadNetworkCache } from '../../../src/lib/analysis/travel-time/network.server.ts';
import { layerData } from '../../../src/lib/layers/server.ts';
import { DEFAULT_PARAMS, ParamError, parseParams, type LayerParams } from '../../../src/lib/layers/params.ts';
import { dataUrl } from '../../../src/lib/layers/registry.ts';
import { startLocationAllocationRun } from '../../../src/lib/analysis/location-allocation/location-allocation.server.ts';
import { parseLocationAllocationRequest } from '../../../src/lib/analysis/suitability/request.ts';
import { chosenRadius, definition, EXCLUDED_COLOR, WITHHELD_ARC_WIDTH, type SitingResultData } from '../../../src/lib/layers/siting-result/definition.ts';
import { COUNTY, insertSitingFixture, S, U, V } from '../siting/fixture.ts';

for (const backend of backends) {
	describe(`siting-result layer (${backend.name})`, () => {
		let handle: DatabaseHandle;
		const params: LayerParams = { ...DEFAULT_PARAMS, county: COUNTY };
		const load = async (p: LayerParams = params) =>
			JSON.parse((await layerData({ db: handle.db, capabilities: handle.capabilities }, 'siting-result', p))!.body as string) as SitingResultData;
		beforeAll(async () => {
			clearRoadNetworkCache();
			handle = await backend.open();
			await insertSitingFixture(handle.db);
		});
		afterAll(async () => {
			await handle?.close();
		});

		test('before any run: the candidates, the flooded one excluded', async () => {
			const data = await load();
			expect(data.runId).toBeNull();
			expect(data.arcs).toEqual([]);
			expect(data.sites.map((s) => [s.id, s.role, s.exclusions])).toEqual([
				[S.S1.id, 'candidate', []],
				[S.S2.id, 'candidate', []],
				[S.S3.id, 'excluded', ['farmland', 'flood']]
			]);
		});

		test('after a run: chosen sites sized by households, arcs village → site, counts under k withheld', async () => {
			const run = await startLocationAllocationRun(handle.db, parseLocationAllocationRequest({ county: COUNTY, scenario: 1, mode: { kind: 'p', p: 2 } }));
			await run.done;
			const data = await load();
			expect(data.runId).toBe(run.id);
			expect(data.scenario).toBe(1);
			// p = 2: A (6) → S1; B (4) and C (3) → S2 (7). B and C are under k = 5.
			expect(data.sites.map((s) => [s.id, s.role, s.households])).toEqual([
				[S.S1.id, 'chosen', 6],
				[S.S2.id, 'chosen', 7],
				[S.S3.id, 'excluded', null]
			]);
			expect(data.arcs.map((a) => [a.village, a.siteId, a.households])).toEqual([
				[V.A.code, S.S1.id, 6],
				[V.B.code, S.S2.id, null],
				[V.C.code, S.S2.id, null]
			]);
			expect(data.arcs[0].minutes).toBeCloseTo(5 * U, 1);
			expect(data.arcs[0].from).toEqual([106, 30.8]);
			expect(data.arcs[0].to).toEqual([106.05, 30.8]);

			// Styling: radius 4 + 1.1·√6 = 6.694 and 4 + 1.1·√7 = 6.910 px; the excluded site grey.
			const [arcs, sites] = definition.toDeck(data, { params, locale: 'zh-CN', opacity: 1 });
			const sp = sites.props as unknown as { data: SitingResultData['sites']; getRadius: (s: unknown) => number; getFillColor: (s: unknown) => number[] };
			const by = Object.fromEntries(sp.data.map((s) => [s.id, s]));
			expect(sp.getRadius(by[S.S1.id])).toBeCloseTo(4 + 1.1 * Math.sqrt(6), 9);
			expect(sp.getRadius(by[S.S2.id])).toBeCloseTo(chosenRadius(7), 9);
			expect(sp.getFillColor(by[S.S3.id])).toEqual(EXCLUDED_COLOR);
			// Excluded drawn first, chosen last (on top).
			expect(sp.data.map((s) => s.id)).toEqual([S.S3.id, S.S2.id, S.S1.id]);
			const ap = arcs.props as unknown as { getWidth: (a: unknown) => number };
			expect(ap.getWidth(data.arcs[1])).toBe(WITHHELD_ARC_WIDTH);
			expect(definition.tooltip(data.arcs[1], 'en', params)).toMatch(/乙村 → 乙安置点\nhouseholds: withheld/);
			expect(definition.tooltip(by[S.S3.id], 'zh-CN', params)).toContain('永久基本农田、洪涝区');
		});

		test('a higher k withholds the counts the run showed', async () => {
			const data = await load({ ...params, k: 10 });
			expect(data.sites.filter((s) => s.role === 'chosen').map((s) => s.households)).toEqual([null, null]);
		});

		test('the run parameter names the run drawn (a new run, a new data URL); a wrong run is a parameter error', async () => {
			const first = (await load()).runId!;
			const second = await startLocationAllocationRun(handle.db, parseLocationAllocationRequest({ county: COUNTY, scenario: 1, mode: { kind: 'p', p: 1 } }));
			await second.done;
			expect(second.id).not.toBe(first);
			// The latest is the new run; the first stays reachable by its id.
			expect((await load()).runId).toBe(second.id);
			const named = await load({ ...params, run: first });
			expect(named.runId).toBe(first);
			expect(named.sites.filter((s) => s.role === 'chosen')).toHaveLength(2);
			expect((await load({ ...params, run: second.id })).sites.filter((s) => s.role === 'chosen')).toHaveLength(1);
			expect(dataUrl(definition as never, { ...params, run: second.id })).toBe(`/api/layers/siting-result/features?county=${COUNTY}&run=${second.id}`);
			expect(parseParams(new URLSearchParams(`run=${second.id}`)).run).toBe(second.id);
			expect(() => parseParams(new URLSearchParams('run=-3'))).toThrow(/run: must be a positive integer/);
			await expect(load({ ...params, run: 999_999 })).rejects.toThrow(ParamError);
			await expect(load({ ...params, run: 999_999 })).rejects.toThrow(/run: there is no location-allocation run 999999/);
			await expect(load({ ...params, run: first, scenario: 2 })).rejects.toThrow(/run: run \d+ was computed with scenario 1, not 2/);
		});
	});
}
