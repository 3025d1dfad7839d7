// A small siting fixture for the suitability and location-allocation glue and the siting-result
// layer, with every expected figure worked out by hand below.
//
// County 511304, township 511304100. One county road along latitude 30.80 from 106.00 to 106.20;
// scenario 1 drives it at 60 km/h, so minutes = km. Every point lies on the road (no walk), and
// 0.01° of longitude at 30.80° N is 111.195 km × cos 30.80° × 0.01 = 0.95513 km: U = 0.95513 minutes.
//
//   lon    106.00  .02  .04  .05  .08  .10  .12  .16  .18  .20
//          A seat  log  sch  S1   S4   B mkt S2  proc  S3   C clinic
//
// Facilities: township seat 106.00, school 106.04, market 106.10, clinic 106.20.
// Industry: logistics 106.02, processing 106.16 (other stages absent: `industry` = mean of two).
// Sites: S1 candidate cap 10 at 106.05; S2 approved cap 20 at 106.12; S3 candidate cap 50 at
// 106.18 inside a flood zone and a farmland zone (excluded: farmland, flood); S4 built at 106.08
// (not a candidate: never considered).
// Villages (relocating households, all 2 members with 2,000 yuan per person): A 106.00 × 6,
// B 106.10 × 4, C 106.20 × 3 (13 in all); A also has 2 households that do not move.
//
// Suitability criteria (in U):
//   S1: seat 5, school 1, clinic 15, market 5, industry (3 + 11)/2 = 7,
//       origin (6·5 + 4·5 + 3·15)/13 = 95/13 = 7.3077, capacity 10
//   S2: seat 12, school 8, clinic 8, market 2, industry (10 + 4)/2 = 7,
//       origin (6·12 + 4·2 + 3·8)/13 = 104/13 = 8, capacity 20
// Eligible: S1 and S2, so each criterion normalises to 1 (better) and 0 (worse); industry is
// equal → 1 for both. Default weights (seat .15, school .15, clinic .15, market .10,
// industry .15, origin .20, capacity .10): S1 = .15 + .15 + .15 + .20 = .65, S2 = .15 + .10 + .15 + .10 = .50.
//
// Location-allocation (cost in U): A→S1 5, A→S2 12; B→S1 5, B→S2 2; C→S1 15, C→S2 8.
//   p = 1: S1 (cap 10) cannot house all 13, S2 can: S2, 6·12 + 4·2 + 3·8 = 104 U (mean 8 U).
//   p = 2: A→S1, B→S2, C→S2 = 30 + 8 + 24 = 62 U (B→S1 instead would give 74 U).
//   min-sites: 1 site (S2), 104 U.
//   p = 2 with a 6-minute limit: A→S1 4.78, B→S2 1.91 min; C is 7.64 min from S2 and 14.3 from
//   S1: unassigned, 'no-site-in-reach'.
// Housing gap (defaults): 2 members → 50 m² × 1,050 = 52,500 yuan; subsidy 18,720; required 33,780 >
// cap 6,000; means 2,000 × 2 × 0.5 = 2,000 → asked 2,000; gap 31,780 per household.
//   p = 1: S2 13 households, cost 682,500, gap 413,140.
// Suppression (k = 5): B (4) and C (3) are withheld cells; S2's total with both (7 or 13) is shown.
import { sql, type Kysely } from 'kysely';
import type { Database, NewHousehold } from '../../../src/lib/server/db/types.ts';

export const COUNTY = '511304';
export const TOWNSHIP = '511304100';
export const U = 0.95513;
export const LAT = 30.8;

export const V = {
	A: { code: '511304100001', name: '甲村', lon: 106.0, households: 6 },
	B: { code: '511304100002', name: '乙村', lon: 106.1, households: 4 },
	C: { code: '511304100003', name: '丙村', lon: 106.2, households: 3 }
} as const;

export const S = {
	S1: { id: 11, name: '甲备选点', status: 'candidate', capacity: 10, lon: 106.05 },
	S2: { id: 12, name: '乙安置点', status: 'approved', capacity: 20, lon: 106.12 },
	S3: { id: 13, name: '丙河滩点', status: 'candidate', capacity: 50, lon: 106.18 },
	S4: { id: 14, name: '已建点', status: 'built', capacity: 40, lon: 106.08 }
} as const;

const pt = (lon: number, lat = LAT) => sql<string>`ST_SetSRID(ST_MakePoint(${lon}::float8, ${lat}::float8), 4326)`;
const box = (w: number, s: number, e: number, n: number) => sql<string>`ST_Multi(ST_MakeEnvelope(${w}::float8, ${s}::float8, ${e}::float8, ${n}::float8, 4326))`;

export async function insertSitingFixture(db: Kysely<Database>): Promise<void> {
	await db
		.insertInto('regions')
		.values({ code: COUNTY, level: 'county', parent_code: null, county_code: COUNTY, name_zh: '嘉陵区', source: 'test', geom: sql<string>`ST_Multi(ST_MakeEnvelope(105.9, 30.6, 106.3, 31.0, 4326))` })
		.execute();
	await db
		.insertInto('regions')
		.values({ code: TOWNSHIP, level: 'township', parent_code: COUNTY, county_code: COUNTY, name_zh: '测试镇', source: 'test', seat: pt(106.0) })
		.execute();
	for (const v of Object.values(V)) {
		await db.insertInto('regions').values({ code: v.code, level: 'village', parent_code: TOWNSHIP, county_code: COUNTY, name_zh: v.name, source: 'test' }).execute();
		await db.insertInto('villages').values({ code: v.code, county_code: COUNTY, township_code: TOWNSHIP, name_zh: v.name, population: 500, geom: pt(v.lon) }).execute();
	}
	await db.insertInto('roads').values({ county_code: COUNTY, class: 'county', speed_kmh: 60, geom: sql<string>`ST_GeomFromText('LINESTRING(106 30.8, 106.2 30.8)', 4326)` }).execute();
	for (const s of Object.values(S)) {
		await db
			.insertInto('relocation_sites')
			.values({ id: s.id, county_code: COUNTY, township_code: TOWNSHIP, name_zh: s.name, kind: 'central_village', capacity_households: s.capacity, status: s.status, geom: pt(s.lon) })
			.execute();
	}
	await db
		.insertInto('constraint_zones')
		.values([
			{ county_code: COUNTY, kind: 'flood', name_zh: '河滩', geom: box(106.17, 30.79, 106.19, 30.81) },
			{ county_code: COUNTY, kind: 'farmland', name_zh: '基本农田', geom: box(106.175, 30.795, 106.185, 30.805) },
			// Near S2 but not touching it.
			{ county_code: COUNTY, kind: 'geohazard', name_zh: '滑坡', geom: box(106.125, 30.81, 106.13, 30.82) }
		])
		.execute();
	await db
		.insertInto('facilities')
		.values([
			{ county_code: COUNTY, kind: 'township_seat', name_zh: '镇政府', geom: pt(106.0) },
			{ county_code: COUNTY, kind: 'school', name_zh: '中心小学', geom: pt(106.04) },
			{ county_code: COUNTY, kind: 'market', name_zh: '集市', geom: pt(106.1) },
			{ county_code: COUNTY, kind: 'clinic', name_zh: '卫生院', geom: pt(106.2) }
		])
		.execute();
	await db
		.insertInto('industry_sites')
		.values([
			{ county_code: COUNTY, name_zh: '物流站', chain: 'citrus', stage: 'logistics', status: 'operating', geom: pt(106.02) },
			{ county_code: COUNTY, name_zh: '加工厂', chain: 'tea', stage: 'processing', status: 'planned', geom: pt(106.16) }
		])
		.execute();
	const rows: NewHousehold[] = [];
	let n = 0;
	for (const [key, v] of Object.entries(V)) {
		for (let i = 0; i < v.households + (key === 'A' ? 2 : 0); i++) {
			const moving = i < v.households;
			rows.push({
				code: `HS-${String(++n).padStart(4, '0')}`,
				county_code: COUNTY,
				village_code: v.code,
				members: 2,
				working_age_members: 1,
				income_per_capita_yuan: 2000,
				main_cause: 'illness',
				route: moving ? 'relocation' : 'production',
				registered_year: 2014,
				exit_year: null,
				housing_grade: 'D',
				relocation_status: moving ? 'planned' : 'none',
				target_site_id: null
			});
		}
	}
	await db.insertInto('households').values(rows).execute();
	await db
		.insertInto('scenarios')
		.values([
			{ id: 1, county_code: COUNTY, name: '基准方案', road_speed_kmh: JSON.stringify({ county: 60, walking: 4 }), decisions: JSON.stringify({ note: 'kept' }) },
			{ id: 2, county_code: '360731', name: '于都基准' }
		])
		.execute();
}
