// A small road fixture for industrial-chain coverage, with travel times worked out by hand.
// Everything lies near the meridian 106°E. The travel-time core measures on the mean sphere
// (R = 6,371,008.8 m), where one degree of latitude is R·π/180 = 111.19508 km; a point y km north of
// village A sits at lat 30.8 + y / 111.19508, so the road distance between two points on the
// meridian road is exactly |y| km. The road is a township road at the scenarios' default 30 km/h:
// 2 minutes per km. Points on the road walk 0 m; an off-road point walks at 4 km/h (15 min per km).
//
// Roads (class township):
//   meridian: 106°E from y = −40 to y = 70, with a vertex at y = 10 (where the spur starts);
//   spur:     from (106°E, y = 10) 1 km east, then 10 km south to A's latitude (ends 1 km east of A).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../src/lib/server/db/types.ts';
import type { Stage } from '../../../src/lib/layers/params.ts';

export const COUNTY = '511304';
export const TOWNSHIP = '511304100';
export const LON = 106;
export const LAT_A = 30.8;
export const KM_PER_DEG_LAT = (6_371_008.8 * Math.PI) / 180 / 1000;
const round7 = (x: number) => Math.round(x * 1e7) / 1e7;
/** The latitude y km north of village A (negative: south). */
export const north = (y: number) => round7(LAT_A + y / KM_PER_DEG_LAT);
/** Degrees of longitude for `km` east at latitude `lat`. */
export const eastDeg = (km: number, lat: number) => km / (KM_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180));

// Villages: A at y = 0, B 30 km south, C 27 km north, all on the meridian road.
export const A = '511304100001';
export const B = '511304100002';
export const C = '511304100003';
export const VILLAGES = [
	{ code: A, name_zh: '甲村', y: 0 },
	{ code: B, name_zh: '乙村', y: -30 },
	{ code: C, name_zh: '丙村', y: 27 }
];

const SPUR_LON = round7(LON + eastDeg(1, north(10)));

// Sites on the meridian road. Default thresholds: production 20, processing 30, cold chain 45,
// logistics 60, marketing 60 minutes.                                    minutes by road (2 per km)
export const SITES: { id: number; chain: string; stage: Stage; status: 'operating' | 'planned'; y: number; county?: string }[] = [
	{ id: 1, chain: 'citrus', stage: 'production', status: 'operating', y: 2 }, //   A 4 ✓   B 64      C 50
	{ id: 2, chain: 'citrus', stage: 'production', status: 'operating', y: -28 }, // A 56     B 4 ✓    C 110
	{ id: 3, chain: 'citrus', stage: 'processing', status: 'operating', y: 10 }, //  A 20 ✓  B 80 ✗   C 34 ✗
	{ id: 4, chain: 'citrus', stage: 'processing', status: 'planned', y: -30 }, //   at B, but planned: not counted
	{ id: 5, chain: 'citrus', stage: 'cold_chain', status: 'operating', y: 20 }, //  A 40 ✓  B 100 ✗  C 14 ✓
	{ id: 6, chain: 'citrus', stage: 'logistics', status: 'operating', y: -5 }, //   A 10 ✓  B 50 ✓   C 64 ✗
	// In the neighbouring county, 33 km north of C: still counts (a plant across the border serves a village).
	{ id: 7, chain: 'citrus', stage: 'marketing', status: 'operating', y: 60, county: '511303' }, // A 120 ✗ B 180 ✗ C 66 ✗
	// Another chain: never counts for citrus.
	{ id: 8, chain: 'pig', stage: 'processing', status: 'operating', y: -30 }, //    at B
	{ id: 9, chain: 'pig', stage: 'production', status: 'operating', y: -29 } //     B 2, A 58
];
// Mushroom logistics: site 10 at the end of the spur, 1 km east of A in a straight line but
// 10 + 1 + 10 = 21 km = 42 min away by road; site 11 on the meridian 15 km north of A = 30 min.
// By road the nearest is site 11 (30 min), not the one next door.
export const MUSHROOM = [
	{ id: 10, lon: SPUR_LON, lat: LAT_A },
	{ id: 11, lon: LON, lat: north(15) }
];

/** Citrus, default thresholds: minutes per village and stage (production … marketing). */
export const EXPECTED_MIN: Record<string, (number | null)[]> = {
	[A]: [4, 20, 40, 10, 120],
	[B]: [4, 80, 100, 50, 180],
	[C]: [50, 34, 14, 64, 66]
};

// Households: A 12 still poor + 4 who left in 2015; B 3 still poor + 2 who left in 2015; C 3 who left in 2015.
// End of 2016: A 12, B 3 (suppressed at k = 5), C 0.  End of 2014: A 16, B 5, C 3 (suppressed).
export const HOUSEHOLDS: { village: string; n: number; exit: number | null }[] = [
	{ village: A, n: 12, exit: null },
	{ village: A, n: 4, exit: 2015 },
	{ village: B, n: 3, exit: null },
	{ village: B, n: 2, exit: 2015 },
	{ village: C, n: 3, exit: 2015 }
];

/** A township seat on the meridian 15 km south of A (15 km = 30 min from B). */
export const TOWNSHIP_SEAT_Y = -15;

const box = (w: number, s: number, e: number, n: number) => sql<string>`ST_SetSRID(ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}), 4326)`;
const point = (lon: number, lat: number) => sql<string>`ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)`;

export async function insertChainFixture(db: Kysely<Database>): Promise<void> {
	await db
		.insertInto('regions')
		.values({ code: COUNTY, level: 'county', parent_code: null, county_code: COUNTY, name_zh: '测试区', source: 'test', geom: box(105.6, 30.3, 106.4, 31.3) })
		.execute();
	await db
		.insertInto('regions')
		.values({ code: TOWNSHIP, level: 'township', parent_code: COUNTY, county_code: COUNTY, name_zh: '测试镇', source: 'test', geom: box(105.6, 30.3, 106.4, 31.3) })
		.execute();
	for (const v of VILLAGES) {
		const geom = point(LON, north(v.y));
		await db.insertInto('regions').values({ code: v.code, level: 'village', parent_code: TOWNSHIP, county_code: COUNTY, name_zh: v.name_zh, source: 'test', geom }).execute();
		await db.insertInto('villages').values({ code: v.code, county_code: COUNTY, township_code: TOWNSHIP, name_zh: v.name_zh, population: 800, geom }).execute();
	}
	await db
		.insertInto('roads')
		.values([
			{ county_code: COUNTY, class: 'township', speed_kmh: 30, geom: `SRID=4326;LINESTRING(${LON} ${north(-40)}, ${LON} ${north(10)}, ${LON} ${north(70)})` },
			{ county_code: COUNTY, class: 'township', speed_kmh: 30, geom: `SRID=4326;LINESTRING(${LON} ${north(10)}, ${SPUR_LON} ${north(10)}, ${SPUR_LON} ${LAT_A})` }
		] as never)
		.execute();
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
				geom: point(LON, north(s.y))
			}))
		)
		.execute();
	await db
		.insertInto('industry_sites')
		.values(
			MUSHROOM.map((s) => ({
				id: s.id,
				county_code: COUNTY,
				name_zh: `mushroom-logistics-${s.id}`,
				chain: 'mushroom',
				stage: 'logistics',
				status: 'operating',
				geom: point(s.lon, s.lat)
			}))
		)
		.execute();
	await db.insertInto('facilities').values({ county_code: COUNTY, kind: 'township_seat', name_zh: '测试镇政府', geom: point(LON, north(TOWNSHIP_SEAT_Y)) }).execute();
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
	// The baseline takes the schema's default thresholds and speeds.
	await db.insertInto('scenarios').values({ id: 1, county_code: COUNTY, name: '基准方案' }).execute();
	await db
		.insertInto('scenarios')
		.values({ id: 2, county_code: COUNTY, name: '加工放宽', stage_threshold_minutes: JSON.stringify({ processing: 90, marketing: 70 }) })
		.execute();
	await db.insertInto('scenarios').values({ id: 3, county_code: '360731', name: '别县方案' }).execute();
}
