// The industrial-chain-coverage query on both backends, against a fixture whose answer is worked
// out by hand below. Everything lies on the meridian 106°E, so every distance is a meridian arc:
// at 30.8°N one degree of latitude is 110.864 km on WGS84
//   M = a(1−e²)/(1−e² sin²φ)^{3/2} = 6,335,439 / (1 − 0.0066944 × 0.51204²)^{1.5} = 6,352,152 m/rad
//   → × π/180 = 110,864 m per degree,
// and it changes by < 0.01 % over the fixture's ±0.5°, so a point y km north of village A sits at
// lat 30.8 + y / 110.864 and its distance to A is |y| km to within a few metres (we compare at 0.1 km).
import { sql, type Kysely } from 'kysely';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from '../backends.ts';
import type { DatabaseHandle } from '../../../src/lib/server/db/open.ts';
import type { Database } from '../../../src/lib/server/db/types.ts';
import { DEFAULT_PARAMS, ParamError, STAGES, type LayerParams, type Stage } from '../../../src/lib/layers/params.ts';
import { coverage, expandMeters, query, straightLineReachSql } from '../../../src/lib/layers/industrial-chain-coverage/query.server.ts';
import { thresholdsFrom, type CoverageData } from '../../../src/lib/layers/industrial-chain-coverage/coverage.ts';
import { definition } from '../../../src/lib/layers/industrial-chain-coverage/definition.ts';

const COUNTY = '511304';
const TOWNSHIP = '511304100';
const LON = 106;
const LAT_A = 30.8;
const KM_PER_DEG_LAT = 110.864;
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
/** The point y km north of village A (negative: south). */
const north = (y: number) => round6(LAT_A + y / KM_PER_DEG_LAT);

// Villages: A at y = 0, B 30 km south, C 27 km north.
const A = '511304100001';
const B = '511304100002';
const C = '511304100003';
const VILLAGES = [
	{ code: A, name_zh: '甲村', y: 0 },
	{ code: B, name_zh: '乙村', y: -30 },
	{ code: C, name_zh: '丙村', y: 27 }
];

// Sites. Baseline thresholds at 30 km/h: production 20 min = 10 km, processing 30 = 15 km,
// cold chain 45 = 22.5 km, logistics 60 = 30 km, marketing 60 = 30 km.
const SITES: { id: number; chain: string; stage: Stage; status: 'operating' | 'planned'; y: number; county?: string }[] = [
	{ id: 1, chain: 'citrus', stage: 'production', status: 'operating', y: 2 }, //   A 2 ✓   B 32      C 25
	{ id: 2, chain: 'citrus', stage: 'production', status: 'operating', y: -28 }, // A 28     B 2 ✓    C 55
	{ id: 3, chain: 'citrus', stage: 'processing', status: 'operating', y: 10 }, //  A 10 ✓  B 40 ✗   C 17 ✗
	{ id: 4, chain: 'citrus', stage: 'processing', status: 'planned', y: -30 }, //   at B, but planned: not counted
	{ id: 5, chain: 'citrus', stage: 'cold_chain', status: 'operating', y: 20 }, //  A 20 ✓  B 50 ✗   C 7 ✓
	{ id: 6, chain: 'citrus', stage: 'logistics', status: 'operating', y: -5 }, //   A 5 ✓   B 25 ✓   C 32 ✗
	// In the neighbouring county: still counts (a plant across the border serves a village).
	{ id: 7, chain: 'citrus', stage: 'marketing', status: 'operating', y: 60, county: '511303' }, // A 60 ✗ B 90 ✗ C 33 ✗
	// Another chain: never counts for citrus.
	{ id: 8, chain: 'pig', stage: 'processing', status: 'operating', y: -30 }, //    at B
	{ id: 9, chain: 'pig', stage: 'production', status: 'operating', y: -29 } //     B 1
];
// Degrees are not metres: two mushroom logistics sites near A, one 0.1° east, one 0.095° north.
// The northern one is nearer in degrees (0.095 < 0.1) but farther on the ground:
//   east:  1° of longitude at 30.8°N = (π/180) N cos φ, N = a / √(1 − e² sin²φ) = 6,383,742 m,
//          cos 30.8° = 0.85893 → 95,700 m per degree → 0.1° = 9.57 km
//   north: 0.095° × 110.864 km = 10.53 km
// so A's nearest mushroom logistics site is 9.6 km away, not 10.5.
const OFF_MERIDIAN = [
	{ id: 10, lon: LON + 0.1, lat: LAT_A },
	{ id: 11, lon: LON, lat: round6(LAT_A + 0.095) }
];
// Main chain: citrus has 2 operating production sites, pig 1 -> citrus.
//
// Citrus, baseline, stages reached (production, processing, cold chain, logistics, marketing):
//   A: 2 ✓, 10 ✓, 20 ✓, 5 ✓, 60 ✗   -> 4, missing marketing
//   B: 2 ✓, 40 ✗, 50 ✗, 25 ✓, 90 ✗  -> 2, missing processing, cold chain, marketing
//   C: 25 ✗, 17 ✗, 7 ✓, 32 ✗, 33 ✗  -> 1
const EXPECTED_KM: Record<string, (number | null)[]> = {
	[A]: [2, 10, 20, 5, 60],
	[B]: [2, 40, 50, 25, 90],
	[C]: [25, 17, 7, 32, 33]
};

// Households: A 12 still poor + 4 who left in 2015; B 3 still poor + 2 who left in 2015; C 3 who left in 2015.
// End of 2016: A 12, B 3 (suppressed at k = 5), C 0.  End of 2014: A 16, B 5, C 3 (suppressed).
const HOUSEHOLDS: { village: string; n: number; exit: number | null }[] = [
	{ village: A, n: 12, exit: null },
	{ village: A, n: 4, exit: 2015 },
	{ village: B, n: 3, exit: null },
	{ village: B, n: 2, exit: 2015 },
	{ village: C, n: 3, exit: 2015 }
];

const box = (w: number, s: number, e: number, n: number) =>
	sql<string>`ST_SetSRID(ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}), 4326)`;

async function insertFixture(db: Kysely<Database>) {
	await db
		.insertInto('regions')
		.values({ code: COUNTY, level: 'county', parent_code: null, county_code: COUNTY, name_zh: '测试区', source: 'test', geom: box(105.6, 30.3, 106.4, 31.3) })
		.execute();
	await db
		.insertInto('regions')
		.values({ code: TOWNSHIP, level: 'township', parent_code: COUNTY, county_code: COUNTY, name_zh: '测试镇', source: 'test', geom: box(105.6, 30.3, 106.4, 31.3) })
		.execute();
	for (const v of VILLAGES) {
		const geom = sql<string>`ST_SetSRID(ST_MakePoint(${LON}, ${north(v.y)}), 4326)`;
		await db.insertInto('regions').values({ code: v.code, level: 'village', parent_code: TOWNSHIP, county_code: COUNTY, name_zh: v.name_zh, source: 'test', geom }).execute();
		await db.insertInto('villages').values({ code: v.code, county_code: COUNTY, township_code: TOWNSHIP, name_zh: v.name_zh, population: 800, geom }).execute();
	}
	await db
		.insertInto('industry_sites')
		.values(
			SITES.map((s) => ({
				id: s.id,
				county_code: s.county ?? COUNTY,
				name_zh: `${s.chain}-${s.stage}-${s.id}`,
				chain: s.chain,
				stage: s.stage,
				status: s.status,
				jobs: 50,
				geom: sql<string>`ST_SetSRID(ST_MakePoint(${LON}, ${north(s.y)}), 4326)`
			}))
		)
		.execute();
	await db
		.insertInto('industry_sites')
		.values(
			OFF_MERIDIAN.map((s) => ({
				id: s.id,
				county_code: COUNTY,
				name_zh: `mushroom-logistics-${s.id}`,
				chain: 'mushroom',
				stage: 'logistics',
				status: 'operating',
				geom: sql<string>`ST_SetSRID(ST_MakePoint(${s.lon}, ${s.lat}), 4326)`
			}))
		)
		.execute();
	let i = 0;
	for (const h of HOUSEHOLDS)
		for (let j = 0; j < h.n; j++)
			await db
				.insertInto('households')
				.values({
					code: `HT${String(++i).padStart(4, '0')}`,
					county_code: COUNTY,
					village_code: h.village,
					members: 3,
					working_age_members: 1,
					income_per_capita_yuan: 2500,
					main_cause: 'illness',
					route: 'production',
					registered_year: 2014,
					exit_year: h.exit,
					housing_grade: 'B'
				})
				.execute();
	// The baseline takes the schema's default thresholds.
	await db.insertInto('scenarios').values({ id: 1, county_code: COUNTY, name: '基准方案' }).execute();
	await db
		.insertInto('scenarios')
		.values({ id: 2, county_code: COUNTY, name: '加工放宽', stage_threshold_minutes: JSON.stringify({ processing: 90, marketing: 70 }) })
		.execute();
	await db.insertInto('scenarios').values({ id: 3, county_code: '360731', name: '别县方案' }).execute();
}

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

/** Every index a JSON plan touches. */
function indexesIn(plan: unknown): string[] {
	if (Array.isArray(plan)) return plan.flatMap(indexesIn);
	if (typeof plan !== 'object' || plan === null) return [];
	const node = plan as Record<string, unknown>;
	const own = typeof node['Index Name'] === 'string' ? [node['Index Name'] as string] : [];
	return [...own, ...Object.values(node).flatMap(indexesIn)];
}

for (const backend of backends) {
	describe(`industrial-chain-coverage (${backend.name})`, () => {
		let handle: DatabaseHandle;
		let db: Kysely<Database>;
		let baseline: CoverageData;

		beforeAll(async () => {
			handle = await backend.open();
			db = handle.db;
			await insertFixture(db);
			baseline = await coverage(db, base);
		});
		afterAll(async () => {
			await handle?.close();
		});

		const village = (data: CoverageData, code: string) => data.villages.find((v) => v.code === code)!;

		test('chain defaults to the county main chain; baseline scenario and its thresholds', () => {
			expect(baseline).toMatchObject({ county: COUNTY, chain: 'citrus', chain_is_main: true, stage: 'processing', year: 2016, k: 5 });
			expect(baseline.scenario).toEqual({ id: 1, name: '基准方案' });
			expect(baseline.thresholds.map((t) => t.radius_km)).toEqual([10, 15, 22.5, 30, 30]);
			expect(baseline.reach).toEqual({ model: 'straight_line', speed_kmh: 30, search_km: 100 });
		});

		test('distances and stages reached per village (hand-computed)', () => {
			for (const v of VILLAGES) {
				const got = village(baseline, v.code);
				expect(got.nearest_km, v.code).toEqual(EXPECTED_KM[v.code]);
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

		test('the chosen stage: its sites (operating and planned) with service-area radius', () => {
			expect(baseline.sites.map((s) => [s.id, s.status, s.radius_m, s.villages_within])).toEqual([
				[3, 'operating', 15000, 1], // A at 10 km; C at 17 km is outside
				[4, 'planned', 15000, 1] //    B at 0 km
			]);
			expect(baseline.sites[0].position).toEqual([LON, north(10)]);
		});

		test('a site outside the county is drawn only when its service area reaches a village', async () => {
			expect((await coverage(db, { ...base, stage: 'marketing' })).sites).toEqual([]);
			// Scenario 2: marketing 70 min = 35 km, so the site 33 km from C is drawn and reaches it.
			const d = await coverage(db, { ...base, stage: 'marketing', scenario: 2 });
			expect(d.sites.map((s) => [s.id, s.county_code, s.radius_m, s.villages_within])).toEqual([[7, '511303', 35000, 1]]);
		});

		test('another scenario: processing 90 min = 45 km reaches B (40 km) and C (17 km)', async () => {
			const d = await coverage(db, { ...base, scenario: 2 });
			expect(d.scenario).toEqual({ id: 2, name: '加工放宽' });
			expect(d.thresholds.find((t) => t.stage === 'processing')).toEqual({ stage: 'processing', minutes: 90, radius_km: 45 });
			expect(d.villages.map((v) => v.stages_reached)).toEqual([4, 3, 3]); // C also gains marketing (33 <= 35)
			expect(d.summary.stages.find((g) => g.stage === 'processing')!.villages_not_reached).toBe(0);
		});

		test('a scenario of another county is an error naming the parameter', async () => {
			await expect(coverage(db, { ...base, scenario: 3 })).rejects.toBeInstanceOf(ParamError);
			await expect(coverage(db, { ...base, scenario: 99 })).rejects.toThrow(/^scenario: /);
		});

		test('an explicit chain: pig processing sits at B; its missing stages are "none within 100 km"', async () => {
			const d = await coverage(db, { ...base, chain: 'pig' });
			expect(d.chain_is_main).toBe(false);
			expect(village(d, B).nearest_km).toEqual([1, 0, null, null, null]);
			expect(village(d, B).reached).toEqual([true, true, false, false, false]);
			expect(village(d, A).nearest_km.slice(0, 2)).toEqual([29, 30]);
			expect(d.sites.map((s) => s.id)).toEqual([8]);
		});

		test('the nearest site is the nearest in metres, not in degrees', async () => {
			const d = await coverage(db, { ...base, chain: 'mushroom', stage: 'logistics' });
			expect(village(d, A).nearest_km).toEqual([null, null, null, 9.6, null]);
			expect(village(d, A).reached[3]).toBe(true); // 9.6 <= 30
			expect(d.sites.map((s) => s.id)).toEqual([10, 11]);
		});

		test('a chain without sites: nothing reached, every poor village flagged', async () => {
			const d = await coverage(db, { ...base, chain: 'tea' });
			expect(d.villages.map((v) => v.stages_reached)).toEqual([0, 0, 0]);
			expect(d.villages.every((v) => v.nearest_km.every((x) => x === null))).toBe(true);
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

		test('the reach step can be served by the GiST index on industry_sites.geom', async () => {
			// With 9 sites the planner rightly prefers a sequential scan; disabling it shows the
			// predicate is indexable (a bare ST_DWithin on geom::geography would not be).
			class Rollback extends Error {}
			let plan: unknown;
			await db
				.transaction()
				.execute(async (trx) => {
					await sql`set local enable_seqscan = off`.execute(trx);
					const q = straightLineReachSql({ county: COUNTY, chain: 'citrus', thresholds: thresholdsFrom(null) });
					const { rows } = await sql<{ 'QUERY PLAN': unknown }>`explain (format json) ${q}`.execute(trx);
					plan = rows[0]['QUERY PLAN'];
					throw new Rollback();
				})
				.catch((err: unknown) => {
					if (!(err instanceof Rollback)) throw err;
				});
			const parsed = typeof plan === 'string' ? JSON.parse(plan) : plan;
			expect(indexesIn(parsed), JSON.stringify(parsed)).toContain('industry_sites_geom_gist');
		});

		test('property: the index prefilter box holds every point within the distance (seeded)', async () => {
			// ST_Project gives the point at exactly `meters` along `azimuth` on the spheroid; the box of
			// expandMeters must contain it anywhere in China's latitudes.
			await fc.assert(
				fc.asyncProperty(
					// Integers scaled, not fc.double (which favours values near 0 and would rarely aim east or west).
					fc.integer({ min: 7300, max: 13500 }).map((x) => x / 100),
					fc.integer({ min: 1800, max: 5400 }).map((x) => x / 100),
					fc.oneof(fc.constantFrom(0, 90, 180, 270), fc.integer({ min: 0, max: 3599 }).map((x) => x / 10)).map((deg) => (deg * Math.PI) / 180),
					fc.integer({ min: 100, max: 200_000 }),
					async (lon, lat, azimuth, meters) => {
						const p = sql`ST_SetSRID(ST_MakePoint(${lon}::float8, ${lat}::float8), 4326)`;
						const { rows } = await sql<{ inside: boolean }>`
							select ST_Project(${p}::geography, ${meters}::float8, ${azimuth}::float8)::geometry
								&& ${expandMeters(p, sql`${meters}::float8`)} as inside`.execute(db);
						expect(rows[0].inside).toBe(true);
					}
				),
				{ seed: 511_304, numRuns: 40 }
			);
		});

		test('property: coverage never falls when a threshold rises, and matches an unfiltered brute force (seeded)', async () => {
			// Brute force: every village x operating citrus site, no prefilter.
			const { rows: brute } = await sql<{ code: string; stage: Stage; d: number }>`
				select v.code, s.stage, min(ST_Distance(v.geom::geography, s.geom::geography)) as d
				from villages v cross join industry_sites s
				where s.chain = 'citrus' and s.status = 'operating'
				group by v.code, s.stage`.execute(db);
			const nearestM = new Map(brute.map((r) => [`${r.code}/${r.stage}`, Number(r.d)]));
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
							const d = nearestM.get(`${v.code}/${stage}`);
							const radiusM = lo.thresholds[j].radius_km * 1000;
							expect(v.reached[j], `${v.code} ${stage}`).toBe(d !== undefined && d <= radiusM);
						});
					}
					lo.summary.stages.forEach((g, j) => expect(hi.summary.stages[j].villages_not_reached).toBeLessThanOrEqual(g.villages_not_reached));
				}),
				{ seed: 20_160_101, numRuns: 12 }
			);
		});
	});
}
