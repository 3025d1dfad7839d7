// Queries behind the offline basemap: one GeoJSON FeatureCollection per context layer (see
// $lib/map/context-layers.ts), optionally for one county. Each is built by PostGIS as one text
// value, so the route sends it unchanged. Coordinates keep 5 decimals (~1 m); polygon outlines are
// simplified by ~20 m, invisible at the zooms the basemap is drawn at and ~3x smaller.
import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './db/types.ts';
import { asGeoJson, bbox, featureCollection, forceRfc7946Winding, pointOnSurface, simplify } from './db/postgis.ts';
import type { ContextLayer } from '../map/context-layers.ts';

const DECIMALS = 5;
const OUTLINE_TOLERANCE_DEG = 0.0002;
/** Province and prefecture outlines are only for orientation at small scales: ~200 m. */
const CONTEXT_TOLERANCE_DEG = 0.002;

type Db = Kysely<Database>;

/**
 * A village's map label: its official name without the committee suffix, as printed maps write it
 * (袁家店村村民委员会 -> 袁家店村, 白马村民委员会 -> 白马村, 镇庆寺社区居民委员会 -> 镇庆寺社区,
 * 城关居民委员会 -> 城关居委会). The official name stays in `name_zh`.
 */
export function villageLabel(name: Expression<string>): RawBuilder<string> {
	return sql<string>`case
		when ${name} ~ '村村民委员会$' then regexp_replace(${name}, '村民委员会$', '')
		when ${name} ~ '村民委员会$' then regexp_replace(${name}, '村民委员会$', '村')
		when ${name} ~ '村委会$' then regexp_replace(${name}, '委会$', '')
		when ${name} ~ '社区居民委员会$' then regexp_replace(${name}, '居民委员会$', '')
		when ${name} ~ '居民委员会$' then regexp_replace(${name}, '居民委员会$', '居委会')
		else ${name} end`;
}

/** A polygon for drawing: simplified, RFC 7946 winding (the county band is offset to the inside). */
const outline = (geom: Parameters<typeof simplify>[0], tolerance = OUTLINE_TOLERANCE_DEG) =>
	forceRfc7946Winding(simplify(geom, tolerance));

function featureQuery(db: Db, layer: ContextLayer, county: string | null) {
	switch (layer) {
		case 'outlines':
			// Provinces and prefectures have no county code: a county filter keeps its own two.
			return db
				.selectFrom('regions')
				.where('level', 'in', ['province', 'city'])
				.where('geom', 'is not', null)
				.$if(county !== null, (q) =>
					q.where((eb) => eb.or([eb('code', '=', county!.slice(0, 2)), eb('code', '=', county!.slice(0, 4))]))
				)
				.select((eb) => ['code', 'level', 'name_zh', 'name_en', asGeoJson(outline(eb.ref('geom'), CONTEXT_TOLERANCE_DEG), 4).as('geometry')])
				.orderBy('code');
		case 'counties':
			return db
				.selectFrom('regions')
				.where('level', '=', 'county')
				.where('geom', 'is not', null)
				.$if(county !== null, (q) => q.where('county_code', '=', county))
				.select((eb) => ['code', 'name_zh', 'name_en', asGeoJson(outline(eb.ref('geom')), DECIMALS).as('geometry')])
				.orderBy('code');
		case 'county-seats':
			return db
				.selectFrom('regions')
				.where('level', '=', 'county')
				.$if(county !== null, (q) => q.where('county_code', '=', county))
				.select((eb) => [
					'code',
					'name_zh',
					'name_en',
					asGeoJson(sql`coalesce(${eb.ref('seat')}, ${pointOnSurface(eb.ref('geom'))})`, DECIMALS).as('geometry')
				])
				.orderBy('code');
		case 'townships':
			return db
				.selectFrom('regions')
				.where('level', '=', 'township')
				.where('geom', 'is not', null)
				.$if(county !== null, (q) => q.where('county_code', '=', county))
				.select((eb) => [
					'code',
					'name_zh',
					'name_en',
					'county_code',
					'geom_schematic as schematic',
					asGeoJson(outline(eb.ref('geom')), DECIMALS).as('geometry')
				])
				.orderBy('code');
		case 'township-seats':
			return db
				.selectFrom('regions')
				.where('level', '=', 'township')
				.where('seat', 'is not', null)
				.$if(county !== null, (q) => q.where('county_code', '=', county))
				.select((eb) => ['code', 'name_zh', 'name_en', 'county_code', asGeoJson(eb.ref('seat'), DECIMALS).as('geometry')])
				.orderBy('code');
		case 'villages':
			return db
				.selectFrom('villages as v')
				.leftJoin('regions as r', 'r.code', 'v.code')
				.$if(county !== null, (q) => q.where('v.county_code', '=', county))
				.select((eb) => [
					'v.code',
					'v.name_zh',
					villageLabel(eb.ref('v.name_zh')).as('label_zh'),
					'r.name_en',
					'v.county_code',
					'v.township_code',
					'v.population',
					'v.synthetic',
					asGeoJson(eb.ref('v.geom'), DECIMALS).as('geometry')
				])
				.orderBy('v.code');
		case 'rivers':
			return db
				.selectFrom('rivers')
				.$if(county !== null, (q) => q.where('county_code', '=', county))
				.select((eb) => ['id', 'county_code', 'name_zh', 'name_en', asGeoJson(eb.ref('geom'), DECIMALS).as('geometry')])
				.orderBy('id');
		case 'roads':
			return db
				.selectFrom('roads')
				.$if(county !== null, (q) => q.where('county_code', '=', county))
				.select((eb) => ['id', 'county_code', 'class', 'name_zh', 'synthetic', asGeoJson(eb.ref('geom'), DECIMALS).as('geometry')])
				.orderBy('id');
		case 'facilities':
			return db
				.selectFrom('facilities')
				.$if(county !== null, (q) => q.where('county_code', '=', county))
				.select((eb) => ['id', 'county_code', 'kind', 'name_zh', 'village_code', 'synthetic', asGeoJson(eb.ref('geom'), DECIMALS).as('geometry')])
				.orderBy('id');
	}
}

/** The layer as GeoJSON FeatureCollection text. `county` must already be a checked 6-digit code. */
export async function contextGeoJson(db: Db, layer: ContextLayer, county: string | null = null): Promise<string> {
	const query = featureQuery(db, layer, county);
	const { rows } = await sql<{ fc: string }>`select ${featureCollection(query)} as fc`.execute(db);
	return rows[0].fc;
}

export interface CountyExtent {
	code: string;
	name_zh: string;
	name_en: string | null;
	/** [west, south, east, north] in degrees. */
	bbox: [number, number, number, number];
}

/** The counties that have an outline, with their bounding boxes (for the selector and fitBounds). */
export async function countyExtents(db: Db): Promise<CountyExtent[]> {
	const rows = await db
		.selectFrom('regions')
		.where('level', '=', 'county')
		.where('geom', 'is not', null)
		.select((eb) => ['code', 'name_zh', 'name_en', bbox(eb.ref('geom')).as('bbox')])
		.orderBy('code')
		.execute();
	return rows.flatMap((r) => (r.bbox ? [{ code: r.code, name_zh: r.name_zh, name_en: r.name_en, bbox: r.bbox.map(Number) as CountyExtent['bbox'] }] : []));
}
