// The SQL behind each collection of collections.ts. A source is one SELECT whose rows are the
// collection's features: `fid` (the feature id: the code or the integer id, the paging key),
// `county_code`, `geom` (EPSG:4326) and one column per property. Filters other than bbox are applied
// here; bbox, order and paging are applied around the source by features.server.ts.
//
// Every request value is a bound parameter; collection and column names come from our own
// declarations (sql.ref / sql.lit), never from the request.
import { sql, type RawBuilder } from 'kysely';
import { suppressCount } from '$lib/layers/suppress';
import { DEFAULT_PARAMS } from '$lib/layers/params';
import { PUBLIC_K, type OgcCollection } from './collections.ts';
import type { OgcFilters } from './params.ts';

type Source = (f: OgcFilters) => RawBuilder<unknown>;

const county = (column: string, f: OgcFilters) => sql`(${f.county}::text is null or ${sql.ref(column)} = ${f.county}::text)`;

const SOURCES: Record<string, Source> = {
	villages: (f) => sql`
		select v.code as fid, v.county_code, v.geom,
			v.code, v.name_zh, r.name_en, v.township_code, v.population, v.elevation_m, v.urban_rural_code, v.synthetic
		from villages v left join regions r on r.code = v.code
		where ${county('v.county_code', f)}`,
	'industry-sites': (f) => sql`
		select id as fid, county_code, geom, id, name_zh, village_code, chain, stage, capacity, jobs, status, synthetic
		from industry_sites
		where ${county('county_code', f)}
			and (${f.chain}::text is null or chain = ${f.chain}::text)
			and (${f.stage}::text is null or stage = ${f.stage}::text)`,
	'relocation-sites': (f) => sql`
		select id as fid, county_code, geom, id, name_zh, township_code, kind, capacity_households, status,
			land_cost_yuan, building_cost_yuan, synthetic
		from relocation_sites
		where ${county('county_code', f)}`,
	roads: (f) => sql`
		select id as fid, county_code, geom, id, name_zh, class, speed_kmh, synthetic
		from roads where ${county('county_code', f)}`,
	facilities: (f) => sql`
		select id as fid, county_code, geom, id, name_zh, village_code, kind, synthetic
		from facilities where ${county('county_code', f)}`,
	'constraint-zones': (f) => sql`
		select id as fid, county_code, geom, id, name_zh, kind, synthetic
		from constraint_zones where ${county('county_code', f)}`,
	townships: (f) => sql`
		select code as fid, county_code, ST_Multi(geom) as geom, code, name_zh, name_en, geom_schematic as schematic
		from regions where level = 'township' and ${county('county_code', f)}`,
	counties: (f) => sql`
		select code as fid, county_code, ST_Multi(geom) as geom, code, name_zh, name_en
		from regions where level = 'county' and ${county('county_code', f)}`,
	// Households at the end of the year, counted per village as the poverty-density layer counts them
	// (registered: registered_year <= year; still poor: and not exited by then). The raw counts are
	// suppressed by povertyProperties below before anything leaves the server.
	'poverty-density': (f) => {
		const year = f.year ?? DEFAULT_PARAMS.year;
		return sql`
			select v.code as fid, v.county_code, v.geom, v.code, v.name_zh, ${year}::int as year, v.population, v.synthetic,
				c.registered, c.poor, c.poor_members
			from villages v
			cross join lateral (
				select count(*) filter (where h.registered_year <= ${year}::int)::int as registered,
					count(*) filter (where h.registered_year <= ${year}::int
						and (h.exit_year is null or h.exit_year > ${year}::int))::int as poor,
					coalesce(sum(h.members) filter (where h.registered_year <= ${year}::int
						and (h.exit_year is null or h.exit_year > ${year}::int)), 0)::int as poor_members
				from households h where h.village_code = v.code
			) c
			where ${county('v.county_code', f)}`;
	}
};

export function sourceOf(collection: OgcCollection, filters: OgcFilters): RawBuilder<unknown> {
	const source = SOURCES[collection.id];
	if (!source) throw new Error(`collection ${collection.id} has no source`);
	return source(filters);
}

/** The columns a source selects for its properties (poverty-density: the raw counts). */
export function sourceColumns(collection: OgcCollection): string[] {
	if (collection.id === 'poverty-density') return ['code', 'name_zh', 'county_code', 'year', 'population', 'registered', 'poor', 'poor_members', 'synthetic'];
	return collection.properties.map((p) => p.name);
}

type Props = Record<string, string | number | boolean | null>;

/**
 * Village counts as published: 1..k−1 households become null with a "<k" flag; the still-poor
 * people and the incidence would reveal a withheld still-poor count, so they are withheld with it.
 */
export function povertyProperties(raw: Props, k = PUBLIC_K): Props {
	const registered = suppressCount(Number(raw.registered), k);
	const poor = suppressCount(Number(raw.poor), k);
	const population = Number(raw.population);
	const members = Number(raw.poor_members);
	return {
		code: raw.code,
		name_zh: raw.name_zh,
		county_code: raw.county_code,
		year: raw.year,
		population,
		registered: registered.value,
		registered_flag: registered.suppressed ? `<${k}` : null,
		poor: poor.value,
		poor_flag: poor.suppressed ? `<${k}` : null,
		poor_members: poor.suppressed ? null : members,
		incidence_pct: poor.suppressed || population <= 0 ? null : Math.round((10_000 * members) / population) / 100,
		synthetic: raw.synthetic
	};
}

/** The published properties of a source row. */
export function publicProperties(collection: OgcCollection, raw: Props): Props {
	return collection.id === 'poverty-density' ? povertyProperties(raw) : raw;
}
