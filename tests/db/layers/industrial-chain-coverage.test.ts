// The industrial-chain-coverage query on both backends, on road travel time, against the road
// fixture in chain-fixture.ts whose minutes are worked out by hand there (a township road along
// the meridian 106°E at 30 km/h: 2 minutes per km, and a spur that makes a site 1 km away a
// 42-minute trip).
import type { Kysely } from 'kysely';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from '../backends.ts';
import type { DatabaseHandle } from '../../../src/lib/server/db/open.ts';
import type { Database } from '../../../src/lib/server/db/types.ts';
import { DEFAULT_PARAMS, ParamError, STAGES, type LayerParams } from '../../../src/lib/layers/params.ts';
import { coverage, query } from '../../../src/lib/layers/industrial-chain-coverage/query.server.ts';
import type { CoverageData } from '../../../src/lib/layers/industrial-chain-coverage/coverage.ts';
import { definition } from '../../../src/lib/layers/industrial-chain-coverage/definition.ts';
import { clearRoadNetworkCache } from '../../../src/lib/analysis/travel-time/network.server.ts';
import { clearChainMinutesCache } from '../../../src/lib/analysis/chain-coverage/network-minutes.server.ts';
import { A, B, C, COUNTY, EXPECTED_MIN, insertChainFixture, LON, north, VILLAGES } from './chain-fixture.ts';

const base: LayerParams = { ...DEFAULT_PARAMS, county: COUNTY, year: 2016 };

/** Every key anywhere in a JSON value. */
function keysOf(value: unknown, out = new Set<string>()): Set<string> {
	if (Array.isArray(value)) value.forEach((v) => keysOf(v, out));
	else if (value && typeof value === 'object')
		for (const [k, v] of Object.entries(value)) {
			out.add(k);
			keysOf(v, out);
		}
	return out;
}

for (const backend of backends) {
	describe(`industrial-chain-coverage (${backend.name})`, () => {
		let handle: DatabaseHandle;
		let db: Kysely<Database>;
		let baseline: CoverageData;

		beforeAll(async () => {
			clearRoadNetworkCache();
			clearChainMinutesCache();
			handle = await backend.open();
			db = handle.db;
			await insertChainFixture(db);
			baseline = await coverage(db, base);
		});
		afterAll(async () => {
			await handle?.close();
		});

		const village = (data: CoverageData, code: string) => data.villages.find((v) => v.code === code)!;

		test('chain defaults to the county main chain; baseline scenario and its thresholds', () => {
			expect(baseline).toMatchObject({ county: COUNTY, chain: 'citrus', chain_is_main: true, stage: 'processing', year: 2016, k: 5 });
			expect(baseline.scenario).toEqual({ id: 1, name: '基准方案' });
			expect(baseline.thresholds.map((t) => t.minutes)).toEqual([20, 30, 45, 60, 60]);
			expect(baseline.reach).toMatchObject({ model: 'road', walking_kmh: 4, speeds_kmh: { township: 30, county: 40 } });
		});

		test('minutes by road and stages reached per village (hand-computed)', () => {
			for (const v of VILLAGES) {
				const got = village(baseline, v.code);
				expect(got.nearest_min, v.code).toEqual(EXPECTED_MIN[v.code]);
				expect(got.position).toEqual([LON, north(v.y)]);
			}
			expect(baseline.villages.map((v) => [v.code, v.stages_reached, v.missing])).toEqual([
				[A, 4, ['marketing']],
				[B, 2, ['processing', 'cold_chain', 'marketing']],
				[C, 1, ['production', 'processing', 'logistics', 'marketing']]
			]);
			expect(village(baseline, A).township_zh).toBe('测试镇');
		});

		test('still-poor households at the end of the year, suppressed 1..k-1, and the poor-gap flag', () => {
			expect(baseline.villages.map((v) => [v.poor, v.poor_households, v.poor_households_suppressed, v.flagged])).toEqual([
				[true, 12, false, true],
				[true, null, true, true],
				[false, 0, false, false]
			]);
		});

		test('an earlier year counts households that left later', async () => {
			const d = await coverage(db, { ...base, year: 2014 });
			expect(d.villages.map((v) => v.poor_households)).toEqual([16, 5, null]);
			expect(d.villages.map((v) => v.flagged)).toEqual([true, true, true]);
			expect(d.summary.stages.find((g) => g.stage === 'marketing')).toMatchObject({
				villages_not_reached: 3,
				poor_villages_not_reached: 3,
				poor_households_not_reached: 21, // A 16 + B 5; C's 3 is suppressed and left out
				poor_villages_not_reached_suppressed: 1
			});
		});

		test('a request can raise k, never lower it below 5', async () => {
			const k13 = await coverage(db, { ...base, k: 13 });
			expect(k13.villages.map((v) => v.poor_households)).toEqual([null, null, 0]);
			const k2 = await coverage(db, { ...base, k: 2 });
			expect(k2.k).toBe(5);
			expect(village(k2, B).poor_households).toBeNull();
		});

		test('summary per stage: villages and poor households not reached', () => {
			const s = baseline.summary;
			expect(s.by_stages_reached).toEqual([0, 1, 1, 0, 1, 0]);
			expect(s).toMatchObject({ villages: 3, poor_villages: 2, poor_households: 12, poor_villages_suppressed: 1, flagged_villages: 2 });
			expect(s.stages.map((g) => [g.stage, g.operating_sites, g.planned_sites, g.villages_not_reached, g.poor_villages_not_reached, g.poor_households_not_reached, g.poor_villages_not_reached_suppressed])).toEqual([
				['production', 2, 0, 1, 0, 0, 0], // C
				['processing', 1, 1, 2, 1, 0, 1], // B, C (B suppressed)
				['cold_chain', 1, 0, 1, 1, 0, 1], // B
				['logistics', 1, 0, 1, 0, 0, 0], // C
				['marketing', 0, 0, 3, 2, 12, 1] // A, B, C; the marketing site is in 511303
			]);
			expect(s.weakest_stage).toBe('marketing');
		});

		test('the chosen stage: its sites (operating and planned) with the villages each reaches by road', async () => {
			expect(baseline.sites.map((s) => [s.id, s.status, s.threshold_min, s.villages_within])).toEqual([
				[3, 'operating', 30, 1], // A at 20 min; C at 34 min is outside
				[4, 'planned', 30, 1] //    B at 0 min
			]);
			expect(baseline.sites[0].position).toEqual([LON, north(10)]);
			// Site and one village on a line: no area to draw.
			expect(baseline.sites[0].service_area).toBeNull();
			// Cold chain, 45 min: site 5 (y = 20) reaches A (40 min) and C (14 min), all on the meridian: no area either.
			const cold = await coverage(db, { ...base, stage: 'cold_chain' });
			expect(cold.sites.map((s) => [s.id, s.villages_within])).toEqual([[5, 2]]);
		});

		test('a site outside the county is drawn only when it reaches a village within the threshold', async () => {
			expect((await coverage(db, { ...base, stage: 'marketing' })).sites).toEqual([]);
			// Scenario 2: marketing 70 min, so the site 66 min from C is drawn and reaches it.
			const d = await coverage(db, { ...base, stage: 'marketing', scenario: 2 });
			expect(d.sites.map((s) => [s.id, s.county_code, s.threshold_min, s.villages_within])).toEqual([[7, '511303', 70, 1]]);
		});

		test('another scenario: processing 90 min reaches B (80 min) and C (34 min)', async () => {
			const d = await coverage(db, { ...base, scenario: 2 });
			expect(d.scenario).toEqual({ id: 2, name: '加工放宽' });
			expect(d.thresholds.find((t) => t.stage === 'processing')).toEqual({ stage: 'processing', minutes: 90 });
			expect(d.villages.map((v) => v.stages_reached)).toEqual([4, 3, 3]); // C also gains marketing (66 <= 70)
			expect(d.summary.stages.find((g) => g.stage === 'processing')!.villages_not_reached).toBe(0);
		});

		test('a scenario of another county is an error naming the parameter', async () => {
			await expect(coverage(db, { ...base, scenario: 3 })).rejects.toBeInstanceOf(ParamError);
			await expect(coverage(db, { ...base, scenario: 99 })).rejects.toThrow(/^scenario: /);
		});

		test('an explicit chain: pig processing sits at B; its missing stages are unreachable (null)', async () => {
			const d = await coverage(db, { ...base, chain: 'pig' });
			expect(d.chain_is_main).toBe(false);
			expect(village(d, B).nearest_min).toEqual([2, 0, null, null, null]);
			expect(village(d, B).reached).toEqual([true, true, false, false, false]);
			expect(village(d, A).nearest_min.slice(0, 2)).toEqual([58, 60]);
			expect(d.sites.map((s) => s.id)).toEqual([8]);
		});

		test('the nearest site is the nearest by road, not in a straight line', async () => {
			// Site 10 is 1 km east of A but 42 min away along the spur; site 11 is 15 km north = 30 min.
			const d = await coverage(db, { ...base, chain: 'mushroom', stage: 'logistics' });
			expect(village(d, A).nearest_min).toEqual([null, null, null, 30, null]);
			expect(village(d, A).reached[3]).toBe(true); // 30 <= 60
			// Service areas at 60 min: site 10 reaches A (11 km to the junction + 10 = 42 min) and
			// C (11 + 17 km = 56 min); site 11 reaches A (30) and C (24). Site 10 lies off the meridian,
			// so it and its villages span a triangle; site 11 and its villages lie on one line: no area.
			expect(d.sites.map((s) => [s.id, s.villages_within])).toEqual([
				[10, 2],
				[11, 2]
			]);
			expect(d.sites[0].service_area).toHaveLength(4);
			expect(d.sites[1].service_area).toBeNull();
		});

		test('a service area is the hull of the site and the villages it reaches', async () => {
			// Logistics at 120 min (scenario 4): site 10 reaches A (42), C (56) and B (22 + 80 = 102);
			// A lies on the line from B to C, so the hull is the triangle site 10, B, C.
			await db.insertInto('scenarios').values({ id: 4, county_code: COUNTY, name: '物流放宽', stage_threshold_minutes: JSON.stringify({ logistics: 120 }) }).execute();
			const d = await coverage(db, { ...base, chain: 'mushroom', stage: 'logistics', scenario: 4 });
			const site10 = d.sites.find((s) => s.id === 10)!;
			expect(site10.villages_within).toBe(3);
			const ring = site10.service_area!;
			expect(ring[0]).toEqual(ring.at(-1));
			expect(new Set(ring.slice(0, -1).map((p) => p.join(',')))).toEqual(
				new Set([[LON, north(-30)], site10.position, [LON, north(27)]].map((p) => p.join(',')))
			);
		});

		test('a chain without sites: nothing reached, every poor village flagged', async () => {
			const d = await coverage(db, { ...base, chain: 'tea' });
			expect(d.villages.map((v) => v.stages_reached)).toEqual([0, 0, 0]);
			expect(d.villages.every((v) => v.nearest_min.every((x) => x === null))).toBe(true);
			expect(d.summary.flagged_villages).toBe(2);
			expect(d.sites).toEqual([]);
		});

		test('no county: an empty answer, not every county at once', async () => {
			const d = await coverage(db, { ...base, county: null });
			expect(d.county).toBeNull();
			expect(d.villages).toEqual([]);
			expect(d.summary.villages).toBe(0);
		});

		test('the layer query returns every field the definition declares, and JSON-safe data', async () => {
			const d = await query({ db, capabilities: handle.capabilities }, base);
			const keys = keysOf(JSON.parse(JSON.stringify(d)));
			for (const f of definition.fields) expect(keys, f).toContain(f.split('.').at(-1));
			// The legend and deck specs build from real output.
			expect(definition.legend(base, d as CoverageData).title.en).toBe('Industrial-chain coverage · citrus');
			expect(definition.toDeck(d as CoverageData, { params: base, locale: 'en', opacity: 1 })).toHaveLength(4);
		});

		test('property: coverage never falls when a threshold rises, and matches the hand-computed minutes (seeded)', async () => {
			let id = 100;
			const run = async (minutes: number[]) => {
				const scenario = ++id;
				await db
					.insertInto('scenarios')
					.values({ id: scenario, county_code: COUNTY, name: `prop-${scenario}`, stage_threshold_minutes: JSON.stringify(Object.fromEntries(STAGES.map((s, i) => [s, minutes[i]]))) })
					.execute();
				return coverage(db, { ...base, scenario });
			};
			const minutes = fc.array(fc.integer({ min: 5, max: 150 }), { minLength: 5, maxLength: 5 });
			const raise = fc.array(fc.integer({ min: 0, max: 90 }), { minLength: 5, maxLength: 5 });
			await fc.assert(
				fc.asyncProperty(minutes, raise, async (m, r) => {
					const lo = await run(m);
					const hi = await run(m.map((x, i) => x + r[i]));
					for (const [i, v] of lo.villages.entries()) {
						const w = hi.villages[i];
						expect(w.code).toBe(v.code);
						expect(w.stages_reached).toBeGreaterThanOrEqual(v.stages_reached);
						STAGES.forEach((stage, j) => {
							if (v.reached[j]) expect(w.reached[j]).toBe(true);
							const want = EXPECTED_MIN[v.code][j];
							expect(v.reached[j], `${v.code} ${stage}`).toBe(want !== null && want <= lo.thresholds[j].minutes);
						});
					}
					lo.summary.stages.forEach((g, j) => expect(hi.summary.stages[j].villages_not_reached).toBeLessThanOrEqual(g.villages_not_reached));
				}),
				{ seed: 20_160_101, numRuns: 12 }
			);
		});
	});
}
