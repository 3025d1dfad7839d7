// The chain-gaps and max-cover analyses on both backends, against the road fixture whose travel
// times are worked out by hand in layers/chain-fixture.ts.
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from './backends.ts';
import type { DatabaseHandle } from '../../src/lib/server/db/open.ts';
import type { Database } from '../../src/lib/server/db/types.ts';
import { STAGES } from '../../src/lib/layers/params.ts';
import { clearRoadNetworkCache } from '../../src/lib/analysis/travel-time/network.server.ts';
import { chainMinutes, clearChainMinutesCache, InputError } from '../../src/lib/analysis/chain-coverage/network-minutes.server.ts';
import {
	chainGapsCsv,
	computeChainGaps,
	computeMaxCover,
	latestMaxCover,
	parseChainGapsRequest,
	parseMaxCoverRequest,
	startChainGaps,
	startMaxCover
} from '../../src/lib/analysis/chain-coverage/chain-gaps.server.ts';
import { A, B, C, COUNTY, EXPECTED_MIN, eastDeg, insertChainFixture, LON, north } from './layers/chain-fixture.ts';

const close = (got: number | null, want: number) => expect(got === null ? NaN : Math.abs(got - want)).toBeLessThan(0.05);

for (const backend of backends) {
	describe(`chain gaps and max cover (${backend.name})`, () => {
		let handle: DatabaseHandle;
		let db: Kysely<Database>;
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

		test('village × stage minutes: one Dijkstra per stage on the road graph (hand-computed)', async () => {
			const cm = await chainMinutes(db, COUNTY, 'citrus', { classes: {}, walking: 4 });
			expect(cm.villages.map((v) => v.code)).toEqual([A, B, C]);
			cm.villages.forEach((v, i) =>
				STAGES.forEach((stage, s) => {
					const want = EXPECTED_MIN[v.code][s]!;
					expect(Math.abs(cm.minutes[i * STAGES.length + s] - want), `${v.code} ${stage}`).toBeLessThan(0.01);
				})
			);
			// The neighbouring county's marketing site is included, the pig sites are not.
			expect(cm.sites.map((s) => s.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
			expect(cm.sites[cm.nearestSite[2 * STAGES.length + 4]].id).toBe(7);
			expect(cm.unsnapped).toBe(0);
			// Cached: the same object until a table it read changes.
			expect(await chainMinutes(db, COUNTY, 'citrus', { classes: {}, walking: 4 })).toBe(cm);
		});

		test('the road, not the straight line: the mushroom site 1 km away is 42 min by road, the nearest is 30', async () => {
			const cm = await chainMinutes(db, COUNTY, 'mushroom', { classes: {}, walking: 4 });
			close(cm.minutes[0 * STAGES.length + 3], 30);
			expect(cm.sites[cm.nearestSite[3]].id).toBe(11);
		});

		test('chain gaps: summary per stage and the gap list, suppressed', async () => {
			const r = await computeChainGaps(db, { county: COUNTY, chain: 'citrus', year: 2014, scenarioId: null });
			expect(r.scenario).toEqual({ id: 1, name: '基准方案' });
			expect(r.thresholds.map((t) => t.minutes)).toEqual([20, 30, 45, 60, 60]);
			expect(r.by_stages_reached).toEqual([0, 1, 1, 0, 1, 0]);
			// End of 2014: A 16, B 5, C 3 (suppressed).
			expect(r.stages.map((s) => [s.stage, s.operating_sites, s.villages_covered, s.poor_households_covered, s.poor_households_not_covered, s.poor_villages_not_covered_suppressed])).toEqual([
				['production', 2, 2, 21, 0, 1],
				['processing', 1, 1, 16, 5, 1],
				['cold_chain', 1, 2, 16, 5, 0],
				['logistics', 1, 2, 21, 0, 1],
				['marketing', 1, 0, 0, 21, 1]
			]);
			expect(r.gaps.map((g) => [g.stage, g.code, g.minutes, g.poor_households])).toEqual([
				['production', C, 50, null],
				['processing', B, 80, 5],
				['processing', C, 34, null],
				['cold_chain', B, 100, 5],
				['logistics', C, 64, null],
				['marketing', B, 180, 5],
				['marketing', A, 120, 16],
				['marketing', C, 66, null]
			]);
			const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(chainGapsCsv(r, 'zh-CN'));
			expect(csv.split('\r\n')[0]).toBe('\uFEFF村代码,村,乡镇,环节,到最近站点(分钟),门槛(分钟),未脱贫户');
			expect(csv.split('\r\n')[1]).toBe(`${C},丙村,测试镇,生产基地,50,20,<5`);
		});

		test("a scenario: its thresholds; another county's scenario is an error naming the field", async () => {
			const r = await computeChainGaps(db, { county: COUNTY, chain: 'citrus', year: 2016, scenarioId: 2 });
			expect(r.stages.find((s) => s.stage === 'processing')!.villages_covered).toBe(3); // 20, 80, 34 ≤ 90
			expect(r.stages.find((s) => s.stage === 'marketing')!.villages_covered).toBe(1); // C 66 ≤ 70
			await expect(computeChainGaps(db, { county: COUNTY, chain: 'citrus', year: 2016, scenarioId: 3 })).rejects.toThrow(/^scenario: no scenario 3/);
		});

		test('max cover over villages: B covers 5, then C adds 3 (suppressed)', async () => {
			const base = { county: COUNTY, chain: 'citrus' as const, year: 2014, scenarioId: null, stage: 'processing' as const, candidates: 'villages' as const };
			const one = await computeMaxCover(db, { ...base, q: 1 });
			expect(one).toMatchObject({ threshold: 30, uncovered_poor_villages: 2, uncovered_poor_households: 5, uncovered_poor_villages_suppressed: 1, covered: 5, status: 'optimal', gap: 0 });
			expect(one.chosen.map((c) => [c.kind, c.ref, c.poor_households, c.villages.map((v) => v.code)])).toEqual([['village', B, 5, [B]]]);
			expect(one.best_single).toMatchObject({ ref: B, poor_households: 5, villages: 1 });
			const two = await computeMaxCover(db, { ...base, q: 2 });
			expect(two.chosen.map((c) => [c.ref, c.poor_households])).toEqual([
				[B, 5],
				[C, null]
			]);
			// C's 3 households are withheld, so the total is only of shown counts: 8 would reveal them.
			expect(two).toMatchObject({ covered: 5, covered_sites_suppressed: 1, bound: null });
			expect(JSON.stringify(two)).not.toMatch(/"(covered|greedy_covered|bound)":8\b/);
		});

		test('max cover over township seats and over drawn points (with the walk to the road)', async () => {
			const base = { county: COUNTY, chain: 'citrus' as const, year: 2014, scenarioId: null, stage: 'processing' as const, q: 1 };
			const t = await computeMaxCover(db, { ...base, candidates: 'townships' });
			// The seat 15 km south of A is 15 km = 30 min from B: covered (inclusive); C is 42 km away.
			expect(t.chosen.map((c) => [c.kind, c.name_zh, c.villages.map((v) => [v.code, v.minutes])])).toEqual([['township', '测试镇政府', [[B, 30]]]]);
			// A point 0.5 km west of the road, 20 km south of A: 7.5 min walk + 10 km to B = 27.5 min.
			const lat = north(-20);
			const p = await computeMaxCover(db, { ...base, candidates: [{ lon: LON - eastDeg(0.5, lat), lat }, { lon: LON, lat: north(40) }] });
			expect(p.chosen).toHaveLength(1);
			expect(p.chosen[0]).toMatchObject({ kind: 'point', ref: '0' });
			close(p.chosen[0].villages[0].minutes, 27.5);
			expect(p.best_single).toMatchObject({ ref: '0', villages: 1 });
		});

		test('runs: cached by inputs, progress to the end, the latest max-cover run for the result layer', async () => {
			const req = { county: COUNTY, chain: 'citrus' as const, year: 2016, scenarioId: null };
			const first = await startChainGaps(db, req);
			const done = await first.done;
			expect(done.status).toBe('done');
			expect(done.progress).toBe(1);
			const again = await startChainGaps(db, req);
			expect(again).toMatchObject({ id: first.id, cached: true });
			const mc = await startMaxCover(db, { ...req, year: 2014, stage: 'processing', q: 1, candidates: 'villages' });
			await mc.done;
			expect((await latestMaxCover(db, COUNTY, 'citrus', 'processing'))?.chosen[0].ref).toBe(B);
			expect(await latestMaxCover(db, COUNTY, 'citrus', 'marketing')).toBeNull();
		});

		test('request parsing: 400-worthy errors name the field', () => {
			const ok = { county: COUNTY, chain: 'citrus', year: 2016 };
			expect(parseChainGapsRequest(ok)).toEqual({ county: COUNTY, chain: 'citrus', year: 2016, scenarioId: null });
			const bad = (body: unknown, field: string) => {
				try {
					parseMaxCoverRequest(body);
				} catch (err) {
					expect(err).toBeInstanceOf(InputError);
					expect((err as InputError).field).toBe(field);
					return;
				}
				throw new Error(`no error for ${field}`);
			};
			const mc = { ...ok, stage: 'processing', q: 1, candidates: 'villages' };
			bad(null, 'body');
			bad({ ...mc, county: '5113' }, 'county');
			bad({ ...mc, chain: 'rice' }, 'chain');
			bad({ ...mc, year: 2030 }, 'year');
			bad({ ...mc, scenario: 'x' }, 'scenario');
			bad({ ...mc, stage: 'packing' }, 'stage');
			bad({ ...mc, q: 0 }, 'q');
			bad({ ...mc, candidates: 'all' }, 'candidates');
			bad({ ...mc, candidates: [{ lon: 106, lat: 30 }, { lon: 106, lat: 95 }] }, 'candidates[1].lat');
			expect(parseMaxCoverRequest({ ...mc, candidates: [{ lon: 106, lat: 30 }] }).candidates).toEqual([{ lon: 106, lat: 30 }]);
		});
	});
}
