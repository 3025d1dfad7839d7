// Scenarios on both backends: create / copy / edit / delete through scenarios.server.ts with the
// database's own constraints, and the key figures on a hand-worked road fixture.
//
// Fixture (county 511304): one county road along latitude 30.8 from lon 106.00 to 106.10 at the
// scenario's county-road speed. Every point lies on the road (no walk), so a trip of Δ degrees of
// longitude takes Δ / 0.01 × u minutes, u = 0.01° of longitude at 30.8° N (R = 6,371,008.8 m:
// 955.12 m) at 40 km/h = 1.4327 min.
//   relocation sites S1 at 106.02 and S2 at 106.08; operating processing plant at 106.00;
//   township seat at 106.03, school at 106.02, clinic at 106.10;
//   villages V1 at 106.00 and V2 at 106.09.
//   12 relocating households of 2 members, 2,000 yuan/person: 6 → S1, 5 → S2, 1 without a site.
// Each household (defaults): cost 50 m² × 1,050 = 52,500; required 52,500 − 18,720 = 33,780 > cap
// 6,000; means 2,000 → asked 2,000; gap 31,780. Totals: cost 630,000, subsidy 224,640, asked
// 24,000, gap 381,360; 12 over the cap.
// Jobs: S1 → plant 2u, S2 → plant 8u: mean (6 × 2u + 5 × 8u) / 11 = 52u / 11 = 6.77 min.
// Services: S1 (seat 1u, school 0, clinic 8u) → 3u; S2 (5u, 6u, 2u) → 13u / 3;
//   mean (6 × 3u + 5 × 13u / 3) / 11 = 5.17 min.
// Processing coverage: V1 0 min, V2 9u = 12.9 min: both within 30 min; one within 10 min.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { backends } from './backends.ts';
import type { DatabaseHandle } from '../../src/lib/server/db/open.ts';
import type { NewHousehold } from '../../src/lib/server/db/types.ts';
import { clearRoadNetworkCache } from '../../src/lib/analysis/travel-time/network.server.ts';
import {
	ScenarioError,
	copyScenario,
	createScenario,
	deleteScenario,
	getScenario,
	listScenarios,
	updateScenario
} from '../../src/lib/server/scenarios.server.ts';
import { compareScenarios, scenarioKpiResult } from '../../src/lib/analysis/scenario-kpis/kpis.server.ts';

const COUNTY = '511304';
const TOWNSHIP = '511304100';
const V1 = '511304100001';
const V2 = '511304100002';
const R = 6_371_008.8;
const U = ((R * ((0.01 * Math.PI) / 180) * Math.cos((30.8 * Math.PI) / 180)) / 40_000) * 60;

const pt = (lon: number) => sql<string>`ST_SetSRID(ST_MakePoint(${lon}::float8, 30.8::float8), 4326)`;

async function rejection(p: Promise<unknown>): Promise<ScenarioError> {
	try {
		await p;
	} catch (err) {
		if (err instanceof ScenarioError) return err;
		throw err;
	}
	throw new Error('expected a ScenarioError');
}

for (const backend of backends) {
	describe(`scenarios (${backend.name})`, () => {
		let handle: DatabaseHandle;
		beforeAll(async () => {
			clearRoadNetworkCache();
			handle = await backend.open();
			const db = handle.db;
			const box = sql<string>`ST_MakeEnvelope(105.9, 30.6, 106.3, 31.0, 4326)`;
			await db.insertInto('regions').values({ code: COUNTY, level: 'county', parent_code: null, county_code: COUNTY, name_zh: '嘉陵区', source: 'test', geom: box }).execute();
			await db.insertInto('regions').values({ code: TOWNSHIP, level: 'township', parent_code: COUNTY, county_code: COUNTY, name_zh: '镇', source: 'test', geom: box }).execute();
			for (const [code, lon] of [
				[V1, 106.0],
				[V2, 106.09]
			] as const) {
				await db.insertInto('regions').values({ code, level: 'village', parent_code: TOWNSHIP, county_code: COUNTY, name_zh: code, source: 'test' }).execute();
				await db.insertInto('villages').values({ code, county_code: COUNTY, township_code: TOWNSHIP, name_zh: code, population: 500, geom: pt(lon) }).execute();
			}
			await db
				.insertInto('roads')
				.values({ county_code: COUNTY, class: 'county', speed_kmh: 40, geom: 'SRID=4326;LINESTRING(106 30.8, 106.05 30.8, 106.1 30.8)' } as never)
				.execute();
			for (const [id, lon] of [
				[1, 106.02],
				[2, 106.08]
			] as const) {
				await db
					.insertInto('relocation_sites')
					.values({ id, county_code: COUNTY, township_code: TOWNSHIP, name_zh: `S${id}`, kind: 'township', capacity_households: 20, status: 'built', geom: pt(lon) })
					.execute();
			}
			await db.insertInto('industry_sites').values({ county_code: COUNTY, name_zh: '加工厂', chain: 'citrus', stage: 'processing', status: 'operating', geom: pt(106.0) }).execute();
			// A planned plant nearer to S2 must not count: only operating sites give jobs.
			await db.insertInto('industry_sites').values({ county_code: COUNTY, name_zh: '规划厂', chain: 'citrus', stage: 'processing', status: 'planned', geom: pt(106.08) }).execute();
			for (const [kind, lon] of [
				['township_seat', 106.03],
				['school', 106.02],
				['clinic', 106.1]
			] as const) {
				await db.insertInto('facilities').values({ county_code: COUNTY, kind, name_zh: kind, geom: pt(lon) }).execute();
			}
			const households: NewHousehold[] = Array.from({ length: 14 }, (_, i) => {
				const site = i < 6 ? 1 : i < 11 ? 2 : null;
				const status = i < 12 ? (i === 0 ? 'relocated' : 'planned') : 'none';
				return {
					code: `HS-${String(i + 1).padStart(4, '0')}`,
					county_code: COUNTY,
					village_code: i % 2 ? V1 : V2,
					members: 2,
					working_age_members: 1,
					income_per_capita_yuan: 2000,
					main_cause: 'illness',
					route: status === 'none' ? 'production' : 'relocation',
					registered_year: 2014,
					exit_year: null,
					housing_grade: 'D',
					relocation_status: status,
					target_site_id: status === 'none' ? null : site
				};
			});
			await db.insertInto('households').values(households).execute();
		});
		afterAll(async () => {
			await handle?.close();
		});

		let baseline: number;
		let other: number;

		test('create with defaults and with given parameters; list baseline first', async () => {
			const a = await createScenario(handle.db, { county: COUNTY, name: '基准方案' });
			expect(a.parameters.subsidyPerHouseholdYuan).toBe(18_720);
			expect(a.parameters.stageThresholdMinutes.processing).toBe(30);
			expect(a.baseline).toBe(true);
			const b = await createScenario(handle.db, { county: COUNTY, name: ' 高补助 ', parameters: { subsidyPerHouseholdYuan: 60_000, roadSpeedKmh: { county: 20 } } });
			expect(b.name).toBe('高补助');
			expect(b.parameters.subsidyPerHouseholdYuan).toBe(60_000);
			expect(b.parameters.roadSpeedKmh).toMatchObject({ county: 20, township: 30 });
			expect(b.baseline).toBe(false);
			baseline = a.id;
			other = b.id;
			expect((await listScenarios(handle.db, COUNTY)).map((s) => [s.name, s.baseline])).toEqual([
				['基准方案', true],
				['高补助', false]
			]);
		});

		test('400 names the field; 409 for a taken name, also when two saves race', async () => {
			expect(await rejection(createScenario(handle.db, { county: COUNTY, name: 'x', parameters: { areaPerPersonM2: -3 } }))).toMatchObject({ status: 400, field: 'areaPerPersonM2' });
			expect(await rejection(createScenario(handle.db, { county: COUNTY, name: 'x', parameters: { stageThresholdMinutes: { logistics: 0 } } }))).toMatchObject({
				status: 400,
				field: 'stageThresholdMinutes.logistics'
			});
			expect(await rejection(createScenario(handle.db, { county: '999999', name: 'x' }))).toMatchObject({ status: 400, field: 'county' });
			expect(await rejection(createScenario(handle.db, { county: COUNTY, name: '' }))).toMatchObject({ status: 400, field: 'name' });
			const taken = await rejection(createScenario(handle.db, { county: COUNTY, name: '高补助' }));
			expect(taken).toMatchObject({ status: 409, field: 'name' });
			expect(taken.message).toContain('高补助');
			const raced = await Promise.allSettled([1, 2, 3].map(() => createScenario(handle.db, { county: COUNTY, name: '同名' })));
			expect(raced.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			for (const r of raced) if (r.status === 'rejected') expect(r.reason).toMatchObject({ status: 409 });
			const dup = (await listScenarios(handle.db, COUNTY)).find((s) => s.name === '同名')!;
			await deleteScenario(handle.db, dup.id);
		});

		test('copy keeps parameters and decisions, not results; a free name is picked when none is given', async () => {
			await handle.db.updateTable('scenarios').set({ decisions: JSON.stringify({ note: 'x' }), results: JSON.stringify({ old: 1 }) }).where('id', '=', other).execute();
			const c = await copyScenario(handle.db, other, {});
			expect(c.name).toBe('高补助 副本');
			expect(c.parameters).toEqual((await getScenario(handle.db, other)).parameters);
			expect(c.decisions).toEqual({ note: 'x' });
			expect(c.results).toEqual({});
			const c2 = await copyScenario(handle.db, other, {});
			expect(c2.name).toBe('高补助 副本 2');
			expect(await rejection(copyScenario(handle.db, other, { name: '基准方案' }))).toMatchObject({ status: 409 });
			expect(await rejection(copyScenario(handle.db, 99_999, {}))).toMatchObject({ status: 404 });
			await deleteScenario(handle.db, c.id);
			await deleteScenario(handle.db, c2.id);
			await handle.db.updateTable('scenarios').set({ decisions: '{}', results: '{}' }).where('id', '=', other).execute();
		});

		test('edit: rename, describe, any parameter; thresholds merge per stage', async () => {
			const before = await getScenario(handle.db, other);
			const s = await updateScenario(handle.db, other, { name: '高补助方案', description: '每户 6 万', parameters: { stageThresholdMinutes: { processing: 10 } } });
			expect(s.name).toBe('高补助方案');
			expect(s.description).toBe('每户 6 万');
			expect(s.parameters.stageThresholdMinutes).toEqual({ ...before.parameters.stageThresholdMinutes, processing: 10 });
			expect(s.parameters.roadSpeedKmh.county).toBe(20);
			expect(new Date(s.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(before.updatedAt).getTime());
			expect(await rejection(updateScenario(handle.db, other, { parameters: { roadSpeedKmh: { village: -1 } } }))).toMatchObject({ field: 'roadSpeedKmh.village' });
			expect(await rejection(updateScenario(handle.db, other, { name: '基准方案' }))).toMatchObject({ status: 409 });
			expect(await rejection(updateScenario(handle.db, other, { colour: 'red' } as never))).toMatchObject({ status: 400, field: 'colour' });
			// Nothing of the refused edits was stored.
			const after = await getScenario(handle.db, other);
			expect(after.name).toBe('高补助方案');
			expect(after.parameters.roadSpeedKmh.village).toBe(20);
		});

		test('key figures of the hand-worked fixture', async () => {
			const r = await scenarioKpiResult(handle.db, baseline);
			const k = r.kpis;
			expect(k.households).toEqual({ source: 'households', relocating: 12, withDestination: 11, sites: 2 });
			expect(k.money).toEqual({
				totalConstructionYuan: 630_000,
				totalSubsidyYuan: 224_640,
				totalAskedSelfFundingYuan: 24_000,
				totalGapYuan: 381_360,
				householdsWithGap: 12,
				overCapHouseholds: 12
			});
			expect(k.travel.jobs.mean!).toBeCloseTo((52 * U) / 11, 1);
			expect(k.travel.services.mean!).toBeCloseTo((6 * 3 * U + (5 * 13 * U) / 3) / 11, 1);
			expect(k.travel.school.mean!).toBeCloseTo((5 * 6 * U) / 11, 1);
			expect(k.coverage.source).toBe('computed');
			const processing = k.coverage.stages.find((s) => s.stage === 'processing')!;
			expect(processing).toEqual({ stage: 'processing', thresholdMinutes: 30, villages: 2, covered: 2 });
			expect(k.coverage.stages.find((s) => s.stage === 'marketing')!.covered).toBe(0);
			expect(k.siting.status).toBe('not-run');
			// A second ask is answered from the run cache.
			const again = await scenarioKpiResult(handle.db, baseline);
			expect(again.cached).toBe(true);
			expect(again.runId).toBe(r.runId);
		});

		test('comparison: subsidy, speeds and thresholds of B change its figures', async () => {
			// B: 60,000 subsidy → required 52,500 − 60,000 < 0: no gap, nobody over the cap.
			// County roads at 20 km/h: every trip takes twice as long. Processing within 10 min:
			// V2 (9u at 20 km/h = 25.8 min) falls out.
			const c = await compareScenarios(handle.db, baseline, other);
			const rows = new Map(c.rows.map((r) => [r.key, r]));
			expect(rows.get('gap')).toMatchObject({ a: 381_360, b: 0, difference: -381_360, verdict: 'better' });
			expect(rows.get('overCap')).toMatchObject({ a: 12, b: 0, verdict: 'better' });
			expect(rows.get('jobs')!.b!).toBeCloseTo((2 * 52 * U) / 11, 1);
			expect(rows.get('jobs')!.verdict).toBe('worse');
			expect(rows.get('coverage.processing')).toMatchObject({ a: 2, b: 1, difference: -1, verdict: 'worse' });
			expect(rows.get('construction')).toMatchObject({ difference: 0, verdict: 'same' });
		});

		test('an adopted siting decision replaces the households’ own destinations', async () => {
			const siting = { chosenSites: [2], assignments: [{ village: V1, site: 2, households: 6, minutes: 3 }, { village: V2, site: 2, households: 6, minutes: 1 }], runId: null };
			await handle.db.updateTable('scenarios').set({ decisions: JSON.stringify({ siting }) }).where('id', '=', other).execute();
			const k = (await scenarioKpiResult(handle.db, other)).kpis;
			expect(k.households).toMatchObject({ source: 'siting', relocating: 12, withDestination: 12, sites: 1 });
			// Everyone at S2: jobs 8u at 20 km/h.
			expect(k.travel.jobs.mean!).toBeCloseTo(16 * U, 1);
			expect(k.siting).toMatchObject({ status: 'adopted', chosenSites: 1 });
		});

		test('delete: runs go with the scenario; the last scenario of a county is refused', async () => {
			const runs = await handle.db.selectFrom('analysis_runs').select('id').where('scenario_id', '=', other).execute();
			expect(runs.length).toBeGreaterThan(0);
			expect(await deleteScenario(handle.db, other)).toEqual({ id: other, county: COUNTY });
			expect(await handle.db.selectFrom('analysis_runs').select('id').where('scenario_id', '=', other).execute()).toEqual([]);
			const last = await rejection(deleteScenario(handle.db, baseline));
			expect(last.status).toBe(409);
			expect(last.message).toMatch(/only scenario/);
			expect(await listScenarios(handle.db, COUNTY)).toHaveLength(1);
			expect(await rejection(deleteScenario(handle.db, other))).toMatchObject({ status: 404 });
		});
	});
}
