// A small fixture for the OGC API and export tests, every figure chosen by hand:
//
// - Counties 511304 (box 105.9..106.3 E, 30.6..31.0 N) and 360731 (115.2..115.6 E, 25.8..26.1 N),
//   one township each (same box).
// - 30 villages in 511304 on a 6 × 5 grid: village n (1..30) at lon 105.95 + 0.05·((n−1) mod 6),
//   lat 30.65 + 0.05·floor((n−1)/6); code 5113041000NN (NN = n, 2 digits); population 100·n.
//   Two villages in 360731 at (115.3, 25.9) and (115.5, 26.0).
// - Households (all registered 2014):
//     village 1: 12, none exits        → 2014 registered 12, poor 12; 2017 the same
//     village 2: 3, none exits         → registered 3 and poor 3: withheld (< 10)
//     village 3: 10, six exit in 2016  → 2014 poor 10; 2017 registered 10, poor 4: withheld
//   every other village has none (0, shown as 0). Village 1's twelve are to move to relocation
//   site 1 and village 3's four still-poor to site 2 (planned): the housing-gap figures of village 1
//   and site 1 are shown, those of village 3 and site 2 withheld (< 5).
// - 25 industry sites in 511304 (id 1..25) at village n's point + 0.01° east, chain cycling
//   tea, pig, navel_orange, stage cycling the five stages; site 7 is named "=HYPERLINK(…)" (a formula
//   a spreadsheet would run) and site 8 "茶叶加工厂, \"一号\"" (comma and quotes); 3 in 360731 (26..28).
// - 7 relocation sites (1..6 in 511304, 7 in 360731), 3 roads, 3 facilities, 2 constraint zones.
import { sql, type InsertObject, type Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/types.ts';

export const COUNTY = '511304';
export const OTHER = '360731';
export const CHAINS_CYCLE = ['tea', 'pig', 'navel_orange'] as const;
export const STAGES_CYCLE = ['production', 'processing', 'cold_chain', 'logistics', 'marketing'] as const;

export const villageCode = (n: number) => `5113041000${String(n).padStart(2, '0')}`;
export const villageLonLat = (n: number): [number, number] => [
	Math.round((105.95 + 0.05 * ((n - 1) % 6)) * 1e6) / 1e6,
	Math.round((30.65 + 0.05 * Math.floor((n - 1) / 6)) * 1e6) / 1e6
];
export const OTHER_VILLAGES = [
	{ code: '360731100001', lonLat: [115.3, 25.9] as [number, number] },
	{ code: '360731100002', lonLat: [115.5, 26.0] as [number, number] }
];

export const siteName = (id: number) => (id === 7 ? '=HYPERLINK("http://example.com","x")' : id === 8 ? '茶叶加工厂, "一号"' : `产业站点${id}号`);
export const INDUSTRY_SITES = Array.from({ length: 25 }, (_, i) => {
	const id = i + 1;
	const [lon, lat] = villageLonLat(id);
	return {
		id,
		county_code: COUNTY,
		village_code: villageCode(id),
		name_zh: siteName(id),
		chain: CHAINS_CYCLE[i % 3],
		stage: STAGES_CYCLE[i % 5],
		capacity: id * 10,
		jobs: id % 4 === 0 ? null : id,
		status: id % 2 ? 'operating' : 'planned',
		lonLat: [Math.round((lon + 0.01) * 1e6) / 1e6, lat] as [number, number]
	};
}).concat(
	[26, 27, 28].map((id, i) => ({
		id,
		county_code: OTHER,
		village_code: OTHER_VILLAGES[i % 2].code,
		name_zh: `于都站点${id}`,
		chain: 'navel_orange',
		stage: 'processing',
		capacity: 100,
		jobs: 5,
		status: 'operating',
		lonLat: [115.3 + 0.05 * i, 25.95] as [number, number]
	}))
);

const point = ([lon, lat]: readonly [number, number]) => sql<string>`ST_SetSRID(ST_MakePoint(${lon}::float8, ${lat}::float8), 4326)`;
const box = ([w, s, e, n]: readonly number[]) => sql<string>`ST_MakeEnvelope(${w}::float8, ${s}::float8, ${e}::float8, ${n}::float8, 4326)`;
const wkt = (text: string) => sql<string>`ST_GeomFromText(${text}, 4326)`;

export const COUNTY_BOXES: Record<string, [number, number, number, number]> = {
	[COUNTY]: [105.9, 30.6, 106.3, 31.0],
	[OTHER]: [115.2, 25.8, 115.6, 26.1]
};

export async function insertOgcFixture(db: Kysely<Database>): Promise<void> {
	for (const [county, b] of Object.entries(COUNTY_BOXES)) {
		await db
			.insertInto('regions')
			.values({ code: county, level: 'county', parent_code: null, county_code: county, name_zh: `县${county}`, name_en: `County ${county}`, source: 'test', geom: box(b) })
			.execute();
		await db
			.insertInto('regions')
			.values({ code: `${county}100`, level: 'township', parent_code: county, county_code: county, name_zh: `镇${county}`, source: 'test', geom: box(b) })
			.execute();
	}
	const villages = [
		...Array.from({ length: 30 }, (_, i) => ({ code: villageCode(i + 1), lonLat: villageLonLat(i + 1), population: 100 * (i + 1) })),
		...OTHER_VILLAGES.map((v) => ({ ...v, population: 500 }))
	];
	for (const v of villages) {
		const county = v.code.slice(0, 6);
		await db.insertInto('regions').values({ code: v.code, level: 'village', parent_code: v.code.slice(0, 9), county_code: county, name_zh: `村${v.code.slice(-2)}`, source: 'test' }).execute();
		await db
			.insertInto('villages')
			.values({ code: v.code, county_code: county, township_code: v.code.slice(0, 9), name_zh: `村${v.code.slice(-2)}`, population: v.population, geom: point(v.lonLat), synthetic: true })
			.execute();
	}
	await db
		.insertInto('relocation_sites')
		.values(
			Array.from({ length: 7 }, (_, i) => ({
				id: i + 1,
				county_code: i < 6 ? COUNTY : OTHER,
				township_code: i < 6 ? `${COUNTY}100` : `${OTHER}100`,
				name_zh: `安置点${i + 1}`,
				kind: (['county_town', 'township', 'central_village'] as const)[i % 3],
				capacity_households: 20 + i,
				status: (['candidate', 'approved', 'built'] as const)[i % 3],
				land_cost_yuan: 12_345_678_901 + i,
				building_cost_yuan: 1000 * i,
				geom: point(i < 6 ? [106.0 + 0.03 * i, 30.8] : [115.4, 25.95])
			}))
		)
		.execute();
	const households: InsertObject<Database, 'households'>[] = [];
	const add = (village: number, n: number, exit: number | null, from: number, site: number | null = null) => {
		for (let i = 0; i < n; i++) {
			households.push({
				code: `OGC-${village}-${from + i}`,
				county_code: COUNTY,
				village_code: villageCode(village),
				members: 2,
				working_age_members: 1,
				income_per_capita_yuan: 3000,
				main_cause: 'illness',
				route: 'production',
				registered_year: 2014,
				exit_year: exit,
				housing_grade: site ? 'D' : 'B',
				relocation_status: site ? 'planned' : 'none',
				target_site_id: site,
				geom: point(villageLonLat(village))
			});
		}
	};
	add(1, 12, null, 0, 1);
	add(2, 3, null, 0);
	add(3, 4, null, 0, 2);
	add(3, 6, 2016, 4);
	await db.insertInto('households').values(households).execute();

	await db
		.insertInto('industry_sites')
		.values(INDUSTRY_SITES.map(({ lonLat, ...s }) => ({ ...s, geom: point(lonLat), synthetic: true })))
		.execute();
	await db
		.insertInto('roads')
		.values([
			{ id: 1, county_code: COUNTY, class: 'county', name_zh: '嘉陵大道', speed_kmh: 40, geom: wkt('LINESTRING(105.95 30.65, 106.0 30.7, 106.2 30.9)') },
			{ id: 2, county_code: COUNTY, class: 'village', name_zh: null, speed_kmh: 20.5, geom: wkt('LINESTRING(106.0 30.7, 106.05 30.7)') },
			{ id: 3, county_code: OTHER, class: 'national', name_zh: '国道323', speed_kmh: 60, geom: wkt('LINESTRING(115.3 25.9, 115.5 26.0)') }
		])
		.execute();
	await db
		.insertInto('facilities')
		.values([
			{ id: 1, county_code: COUNTY, village_code: villageCode(1), kind: 'school', name_zh: '一小', geom: point([105.96, 30.66]) },
			{ id: 2, county_code: COUNTY, village_code: null, kind: 'clinic', name_zh: '卫生院', geom: point([106.1, 30.8]) },
			{ id: 3, county_code: OTHER, village_code: null, kind: 'market', name_zh: '集市', geom: point([115.45, 25.95]) }
		])
		.execute();
	await db
		.insertInto('constraint_zones')
		.values([
			{ id: 1, county_code: COUNTY, kind: 'flood', name_zh: '洪泛区', geom: wkt('MULTIPOLYGON(((106.0 30.7, 106.1 30.7, 106.1 30.75, 106.0 30.75, 106.0 30.7)))') },
			{
				id: 2,
				county_code: COUNTY,
				kind: 'geohazard',
				name_zh: null,
				geom: wkt('MULTIPOLYGON(((106.2 30.9, 106.25 30.9, 106.25 30.95, 106.2 30.95, 106.2 30.9),(106.21 30.91, 106.22 30.91, 106.22 30.92, 106.21 30.91)),((106.28 30.9, 106.29 30.9, 106.29 30.91, 106.28 30.9)))')
			}
		])
		.execute();
}
