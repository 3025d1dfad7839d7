// Suitability and location-allocation glue on both backends against the hand-computed fixture
// (fixture.ts): the SQL step (exclusions, capacities, demand), road minutes, the cores, runs,
// suppression and adoption.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from '../backends.ts';
import type { DatabaseHandle } from '../../../src/lib/server/db/open.ts';
import { clearRoadNetworkCache } from '../../../src/lib/analysis/travel-time/network.server.ts';
import { candidateSites } from '../../../src/lib/analysis/suitability/inputs.server.ts';
import { computeSuitability, startSuitabilityRun } from '../../../src/lib/analysis/suitability/suitability.server.ts';
import {
	adoptLocationAllocation,
	computeLocationAllocation,
	startLocationAllocationRun
} from '../../../src/lib/analysis/location-allocation/location-allocation.server.ts';
import { DEFAULT_WEIGHTS, parseLocationAllocationRequest, parseSuitabilityRequest, pairwiseFromUpper } from '../../../src/lib/analysis/suitability/index.ts';
import { COUNTY, insertSitingFixture, S, U, V } from './fixture.ts';

const la = (body: Record<string, unknown>) => parseLocationAllocationRequest({ county: COUNTY, scenario: 1, ...body });

for (const backend of backends) {
	describe(`siting glue (${backend.name})`, () => {
		let handle: DatabaseHandle;
		beforeAll(async () => {
			clearRoadNetworkCache();
			handle = await backend.open();
			await insertSitingFixture(handle.db);
		});
		afterAll(async () => {
			await handle?.close();
		});

		test('SQL step: candidate and approved sites with the constraint zones they touch', async () => {
			const sites = await candidateSites(handle.db, COUNTY);
			expect(sites.map((s) => [s.id, s.status, s.capacity, s.exclusions])).toEqual([
				[S.S1.id, 'candidate', 10, []],
				[S.S2.id, 'approved', 20, []],
				[S.S3.id, 'candidate', 50, ['farmland', 'flood']]
			]);
		});

		test('suitability: road minutes, exclusions, scores and ranks as worked by hand', async () => {
			const r = await computeSuitability(handle.db, parseSuitabilityRequest({ county: COUNTY, scenario: 1 }));
			expect(r.scenario).toEqual({ id: 1, name: '基准方案' });
			expect(r.stagesPresent).toEqual(['processing', 'logistics']);
			expect(r.relocatingHouseholds).toBe(13);
			const by = Object.fromEntries(r.sites.map((s) => [s.id, s]));
			const s1 = by[S.S1.id];
			const s2 = by[S.S2.id];
			expect(s1.values.township_seat).toBeCloseTo(5 * U, 1);
			expect(s1.values.school).toBeCloseTo(1 * U, 1);
			expect(s1.values.clinic).toBeCloseTo(15 * U, 1);
			expect(s1.values.market).toBeCloseTo(5 * U, 1);
			expect(s1.stageMinutes.logistics).toBeCloseTo(3 * U, 1);
			expect(s1.stageMinutes.processing).toBeCloseTo(11 * U, 1);
			expect(s1.stageMinutes.production).toBeNull();
			expect(s1.values.industry).toBeCloseTo(7 * U, 1);
			expect(s1.values.origin).toBeCloseTo((95 / 13) * U, 1);
			expect(s1.values.capacity).toBe(10);
			expect(s2.values.township_seat).toBeCloseTo(12 * U, 1);
			expect(s2.values.clinic).toBeCloseTo(8 * U, 1);
			expect(s2.values.market).toBeCloseTo(2 * U, 1);
			expect(s2.values.origin).toBeCloseTo(8 * U, 1);
			expect(s1.score).toBeCloseTo(0.65, 6);
			expect(s2.score).toBeCloseTo(0.5, 6);
			expect(r.sites.map((s) => [s.id, s.rank, s.excluded, s.exclusions])).toEqual([
				[S.S1.id, 1, false, []],
				[S.S2.id, 2, false, []],
				[S.S3.id, null, true, ['farmland', 'flood']]
			]);
			expect(s1.rankRange).toEqual({ min: 1, max: 1 });
			expect(by[S.S3.id].rankRange).toBeNull();
		});

		test('suitability with AHP weights reports them and the consistency ratio', async () => {
			// Capacity extremely more important than everything (9), the rest equal: S2 (cap 20) wins.
			const upper: number[] = [];
			for (let i = 0; i < 7; i++) for (let j = i + 1; j < 7; j++) upper.push(j === 6 ? 1 / 9 : 1);
			const r = await computeSuitability(handle.db, parseSuitabilityRequest({ county: COUNTY, scenario: 1, weights: { kind: 'ahp', pairwise: pairwiseFromUpper(7, upper) } }));
			expect(r.weightSource).toBe('ahp');
			expect(r.ahp!.cr).toBeCloseTo(0, 9);
			// Consistent: capacity 9 / (6 + 9) = 0.6.
			expect(r.weights[6]).toBeCloseTo(0.6, 9);
			expect(r.sites[0].id).toBe(S.S2.id);
		});

		test('suitability as a run: stored, then reused from the cache', async () => {
			const req = parseSuitabilityRequest({ county: COUNTY, scenario: 1, weights: { kind: 'direct', values: DEFAULT_WEIGHTS } });
			const first = await startSuitabilityRun(handle.db, req);
			const done = await first.done;
			expect(done.status).toBe('done');
			expect(done.result!.sites[0].id).toBe(S.S1.id);
			const again = await startSuitabilityRun(handle.db, req);
			expect(again).toMatchObject({ id: first.id, cached: true });
		});

		test('location-allocation p = 1: the only site that houses everyone', async () => {
			const r = await computeLocationAllocation(handle.db, la({ mode: { kind: 'p', p: 1 } }));
			expect(r.chosen.map((c) => c.id)).toEqual([S.S2.id]);
			expect(r.solver.objective).toBeCloseTo(104 * U, 0);
			expect(r.solver.gap).toBeLessThan(1e-6);
			expect(r.totals.households).toBe(13);
			expect(r.totals.placed).toBe(13);
			expect(r.totals.meanMinutes).toBeCloseTo(8 * U, 1);
			expect(r.chosen[0].households).toBe(13);
			expect(r.chosen[0].gap).toMatchObject({ households: 13, costYuan: 682_500, gapYuan: 413_140, gapPerHouseholdYuan: 31_780, overCapShare: 1 });
			expect(r.excluded.map((e) => [e.id, e.exclusions])).toEqual([[S.S3.id, ['farmland', 'flood']]]);
			expect(r.unchosen.map((u) => u.id)).toEqual([S.S1.id]);
			// B (4) and C (3) are under k = 5: their counts are withheld, the minutes are not.
			const byVillage = Object.fromEntries(r.assignments.map((a) => [a.village, a]));
			expect(byVillage[V.A.code].households).toBe(6);
			expect(byVillage[V.B.code].households).toBeNull();
			expect(byVillage[V.C.code].households).toBeNull();
			expect(byVillage[V.C.code].minutes).toBeCloseTo(8 * U, 1);
		});

		test('location-allocation p = 2 and min-sites', async () => {
			const two = await computeLocationAllocation(handle.db, la({ mode: { kind: 'p', p: 2 } }));
			expect(two.chosen.map((c) => c.id)).toEqual([S.S1.id, S.S2.id]);
			expect(two.solver.objective).toBeCloseTo(62 * U, 0);
			expect(Object.fromEntries(two.assignments.map((a) => [a.village, a.site]))).toEqual({ [V.A.code]: S.S1.id, [V.B.code]: S.S2.id, [V.C.code]: S.S2.id });
			expect(two.chosen.map((c) => c.households)).toEqual([6, 7]);
			const min = await computeLocationAllocation(handle.db, la({ mode: { kind: 'min-sites' } }));
			expect(min.chosen.map((c) => c.id)).toEqual([S.S2.id]);
			expect(min.solver.objective).toBeCloseTo(104 * U, 0);
		});

		test('a travel limit leaves a village unassigned with its reason', async () => {
			const r = await computeLocationAllocation(handle.db, la({ mode: { kind: 'p', p: 2 }, maxMinutes: 6 }));
			expect(r.unassigned).toEqual([{ village: V.C.code, villageName: V.C.name, households: null, reason: 'no-site-in-reach' }]);
			expect(r.assignments.map((a) => [a.village, a.site])).toEqual([
				[V.A.code, S.S1.id],
				[V.B.code, S.S2.id]
			]);
		});

		test('p above the eligible sites is an error naming mode.p', async () => {
			await expect(computeLocationAllocation(handle.db, la({ mode: { kind: 'p', p: 3 } }))).rejects.toThrow(/mode\.p/);
		});

		test('adopt writes the decisions under "siting" and keeps the other keys', async () => {
			const run = await startLocationAllocationRun(handle.db, la({ mode: { kind: 'p', p: 2 } }));
			const done = await run.done;
			expect(done.status).toBe('done');
			await expect(adoptLocationAllocation(handle.db, run.id, 2)).rejects.toThrow(/scenario: scenario 2 belongs to county 360731/);
			const before = await handle.db.selectFrom('scenarios').select('decisions').where('id', '=', 1).executeTakeFirstOrThrow();
			const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown>;
			expect(parse(before.decisions).siting).toBeUndefined();
			await adoptLocationAllocation(handle.db, run.id, 1);
			const after = parse((await handle.db.selectFrom('scenarios').select('decisions').where('id', '=', 1).executeTakeFirstOrThrow()).decisions);
			expect(after.note).toBe('kept');
			expect(after.siting).toMatchObject({
				runId: run.id,
				mode: { kind: 'p', p: 2 },
				sites: [S.S1.id, S.S2.id],
				assignments: [
					{ village: V.A.code, site: S.S1.id },
					{ village: V.B.code, site: S.S2.id },
					{ village: V.C.code, site: S.S2.id }
				]
			});
			await expect(adoptLocationAllocation(handle.db, 999_999, 1)).rejects.toThrow(/runId/);
		});

		test('a scenario of another county is a request error', async () => {
			await expect(computeSuitability(handle.db, parseSuitabilityRequest({ county: COUNTY, scenario: 2 }))).rejects.toThrow(/^scenario: /);
		});
	});
}
