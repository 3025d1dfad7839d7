// A small relocation fixture shared by the relocation-sites and housing-cost-gap DB tests, with
// every expected figure worked out by hand below (policy defaults of domain.md, k = 5).
//
// Jialing 511304, township 511304100 (seat 106.05, 30.80); villages A 甲村, B 乙村, C 丙村; sites
// S1 城北安置点 (county town, built, capacity 30), S2 乙村中心村安置点 (central village, approved,
// capacity 10), S3 丙村备选点 (candidate, capacity 20, nobody assigned). Yudu 360731: village D 丁村
// and site S4 with 5 households, to check the county filter and each county's own scenario.
//
// Scenarios: 1 基准方案 (511304, defaults), 2 高补助 (511304, subsidy 70,000 per household),
// 3 按人补助 (511304, plus 30,000 per person), 4 于都基准 (360731, defaults).
//
// Model (defaults): area = 25 m² × members (≤ 150 m² for 6+), cost = area × 1,050,
// subsidy 18,720, required = cost − subsidy, cap = min(3,000 × members, 10,000),
// means = income per person × members × 0.5 (the layers' stated assumption),
// asked = min(means, cap, required), gap = cost − subsidy − asked; over cap when required > cap.
//
// Village A → S1, 9 relocating households (+ 2 not relocating, never counted):
//   a1 m1 inc 8,000: cost 26,250, req 7,530 > cap 3,000; means 4,000 → asked 3,000; gap 4,530
//   a2 m2 inc 2,500: cost 52,500, req 33,780 > 6,000; means 2,500; gap 31,280
//   a3 m3 inc 2,000: cost 78,750, req 60,030 > 9,000; means 3,000; gap 57,030
//   a4 m3 inc 1,500: means 2,250; gap 57,780
//   a5 m4 inc 1,800: cost 105,000, req 86,280 > 10,000; means 3,600; gap 82,680
//   a6 m5 inc 1,200: cost 131,250, req 112,530; means 3,000; gap 109,530
//   a7 m6 inc 1,000: 150 m², cost 157,500, req 138,780; means 3,000; gap 135,780
//   a8 m7 inc   900: 175 m² capped at 150, cost 157,500; means 3,150; gap 135,630
//   a9 m2 inc 3,600: means 3,600; gap 33,780 − 3,600 = 30,180
//   A: 9 households, Σ 644,420, per household 71,602.2 → 71,602, all 9 over the cap (share 1)
// Village B → S1 (3) and → S2 (6):
//   b1 m3 inc 2,000 → S1: gap 57,030      b4 m1 inc 2,000 → S2: means 1,000; gap 6,530
//   b2 m2 inc 2,000 → S1: gap 31,780      b5 m3 inc 1,000 → S2: means 1,500; gap 58,530
//   b3 m4 inc 2,500 → S1: means 5,000;    b6 m3 inc 3,000 → S2: means 4,500; gap 55,530
//      gap 81,280                         b7 m5 inc 1,500 → S2: means 3,750; gap 108,780
//                                         b8 m2 inc 1,000 → S2: means 1,000; gap 32,780
//                                         b9 m6 inc 2,000 → S2: means 6,000; gap 132,780
//   B → S1 Σ 170,090; B → S2 Σ 394,930; B: 9 households, Σ 565,020, per household 62,780
// Village C → S1, 2 households (withheld everywhere):
//   c1 m3 inc 1,000: gap 58,530; c2 m4 inc 1,000: means 2,000; gap 84,280 — Σ 142,810
// S1: 9 + 3 + 2 = 14 households, Σ 644,420 + 170,090 + 142,810 = 957,320, per household 68,380
// S2: 6 households, Σ 394,930, per household 65,821.7 → 65,822
// Village D (360731) → S4, 5 households m2 inc 2,000: gap 31,780 each, Σ 158,900
import { sql, type Kysely } from 'kysely';
import type { Database, NewHousehold } from '../../../src/lib/server/db/types.ts';

export const COUNTY = '511304';
export const TOWNSHIP = '511304100';
export const OTHER_COUNTY = '360731';
export const OTHER_TOWNSHIP = '360731100';

export const V = {
	A: { code: '511304100001', name: '甲村', lonLat: [106.0, 30.9] as const },
	B: { code: '511304100002', name: '乙村', lonLat: [106.1, 30.85] as const },
	C: { code: '511304100003', name: '丙村', lonLat: [106.2, 30.7] as const },
	D: { code: '360731100001', name: '丁村', lonLat: [115.4, 25.95] as const }
};

export const SITES = [
	{ id: 1, county: COUNTY, township: TOWNSHIP, name: '城北安置点', kind: 'county_town', status: 'built', capacity: 30, land: 300_000, building: 2_550_000, lonLat: [106.08, 30.79] },
	{ id: 2, county: COUNTY, township: TOWNSHIP, name: '乙村中心村安置点', kind: 'central_village', status: 'approved', capacity: 10, land: 80_000, building: 850_000, lonLat: [106.11, 30.84] },
	{ id: 3, county: COUNTY, township: TOWNSHIP, name: '丙村备选点', kind: 'central_village', status: 'candidate', capacity: 20, land: 0, building: 0, lonLat: [106.2, 30.72] },
	{ id: 4, county: OTHER_COUNTY, township: OTHER_TOWNSHIP, name: '于都城南安置点', kind: 'county_town', status: 'built', capacity: 50, land: 500_000, building: 4_250_000, lonLat: [115.41, 25.94] }
] as const;

// [village, members, income per person, status, site]
type Row = [keyof typeof V, number, number, 'none' | 'planned' | 'relocated', number | null];
const ROWS: Row[] = [
	['A', 1, 8000, 'relocated', 1],
	['A', 2, 2500, 'relocated', 1],
	['A', 3, 2000, 'relocated', 1],
	['A', 3, 1500, 'relocated', 1],
	['A', 4, 1800, 'relocated', 1],
	['A', 5, 1200, 'planned', 1],
	['A', 6, 1000, 'planned', 1],
	['A', 7, 900, 'planned', 1],
	['A', 2, 3600, 'planned', 1],
	['A', 3, 1000, 'none', null],
	['A', 4, 1500, 'none', null],
	['B', 3, 2000, 'planned', 1],
	['B', 2, 2000, 'planned', 1],
	['B', 4, 2500, 'planned', 1],
	['B', 1, 2000, 'planned', 2],
	['B', 3, 1000, 'planned', 2],
	['B', 3, 3000, 'planned', 2],
	['B', 5, 1500, 'planned', 2],
	['B', 2, 1000, 'planned', 2],
	['B', 6, 2000, 'planned', 2],
	['C', 3, 1000, 'planned', 1],
	['C', 4, 1000, 'planned', 1],
	['C', 2, 1500, 'none', null],
	['D', 2, 2000, 'planned', 4],
	['D', 2, 2000, 'planned', 4],
	['D', 2, 2000, 'planned', 4],
	['D', 2, 2000, 'planned', 4],
	['D', 2, 2000, 'planned', 4]
];

const point = (lonLat: readonly [number, number]) => sql<string>`ST_SetSRID(ST_MakePoint(${lonLat[0]}::float8, ${lonLat[1]}::float8), 4326)`;
const box = ([w, s, e, n]: readonly [number, number, number, number]) => sql<string>`ST_MakeEnvelope(${w}::float8, ${s}::float8, ${e}::float8, ${n}::float8, 4326)`;

export async function insertFixture(db: Kysely<Database>): Promise<void> {
	for (const [county, township, b, seat] of [
		[COUNTY, TOWNSHIP, [105.9, 30.6, 106.3, 31.0], [106.05, 30.8]],
		[OTHER_COUNTY, OTHER_TOWNSHIP, [115.2, 25.8, 115.6, 26.1], [115.4, 25.9]]
	] as const) {
		await db
			.insertInto('regions')
			.values({ code: county, level: 'county', parent_code: null, county_code: county, name_zh: `县${county}`, source: 'test', geom: box(b) })
			.execute();
		await db
			.insertInto('regions')
			.values({ code: township, level: 'township', parent_code: county, county_code: county, name_zh: `镇${township}`, source: 'test', geom: box(b), seat: point(seat) })
			.execute();
	}
	for (const v of Object.values(V)) {
		const county = v.code.slice(0, 6);
		const township = v.code.slice(0, 9);
		await db.insertInto('regions').values({ code: v.code, level: 'village', parent_code: township, county_code: county, name_zh: v.name, source: 'test' }).execute();
		await db
			.insertInto('villages')
			.values({ code: v.code, county_code: county, township_code: township, name_zh: v.name, population: 1000, geom: point(v.lonLat) })
			.execute();
	}
	for (const s of SITES) {
		await db
			.insertInto('relocation_sites')
			.values({
				id: s.id,
				county_code: s.county,
				township_code: s.township,
				name_zh: s.name,
				kind: s.kind,
				capacity_households: s.capacity,
				status: s.status,
				land_cost_yuan: s.land,
				building_cost_yuan: s.building,
				geom: point(s.lonLat)
			})
			.execute();
	}
	const households: NewHousehold[] = ROWS.map(([village, members, income, status, site], i) => ({
		code: `HT-${String(i + 1).padStart(4, '0')}`,
		county_code: V[village].code.slice(0, 6),
		village_code: V[village].code,
		members,
		working_age_members: 1,
		income_per_capita_yuan: income,
		main_cause: 'illness',
		route: status === 'none' ? 'production' : 'relocation',
		registered_year: 2014,
		exit_year: null,
		housing_grade: 'D',
		relocation_status: status,
		target_site_id: site
	}));
	await db.insertInto('households').values(households).execute();
	await db
		.insertInto('scenarios')
		.values([
			{ id: 1, county_code: COUNTY, name: '基准方案' },
			{ id: 2, county_code: COUNTY, name: '高补助', subsidy_per_household_yuan: 70_000 },
			{ id: 3, county_code: COUNTY, name: '按人补助', subsidy_per_person_yuan: 30_000 },
			{ id: 4, county_code: OTHER_COUNTY, name: '于都基准' }
		])
		.execute();
}
