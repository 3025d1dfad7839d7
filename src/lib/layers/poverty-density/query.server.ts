// The poverty-density query: registered poor households at the end of `params.year`, aggregated per
// village, then per ST_HexagonGrid hexagon (below FEATURES_FROM) or kept per village (from it).
// Small counts are suppressed here, before anything leaves the server (suppress.ts); the result is
// the binary ColumnTable described in definition.ts.
//
// Known limit (a policy question, not solved here): each response is suppressed on its own, so two
// responses can be differenced — a zoom-9 hexagon of 15 households next to its one shown village of
// 12 reveals the other village's 3, and so can "all causes" minus the other causes. Closing that
// needs secondary suppression across levels and filters.
//
// One SQL statement per request; every request value is a bound parameter (kysely `sql`), never
// text spliced into the statement.
import { sql, type RawBuilder } from 'kysely';
import type { LayerQuery } from '../server.ts';
import { DEFAULT_K, type LayerParams } from '../params.ts';
import { suppressCount } from '../suppress.ts';
import {
	SUPPRESSED_INT,
	SUPPRESSED_POOR,
	SUPPRESSED_REGISTERED,
	hexSizeFor,
	levelFor,
	type PovertyDensityMeta,
	type PovertyDensityTable
} from './definition.ts';

interface Row {
	lon: number;
	lat: number;
	registered: number;
	poor: number;
	poor_members: number;
	population: number;
	villages: number;
	code: string | null;
	name: string | null;
}

/**
 * The named CTEs shared by both levels, ending in `village_counts`: one row per village in scope
 * (villages without households included, with zeros).
 */
function villageCounts(params: LayerParams): RawBuilder<unknown> {
	const year = params.year;
	// Cause filter as a list of bound parameters; no filter when empty.
	const causeFilter = params.causes.length ? sql`and h.main_cause in (${sql.join(params.causes)})` : sql``;
	return sql`
		-- scope: the villages of the county (or of every loaded county), with point and population
		scope as (
			select v.code, v.name_zh, v.population, v.geom
			from villages v
			where (${params.county}::text is null or v.county_code = ${params.county}::text)
		),
		-- household_counts: per village, at the end of the year —
		--   registered = registered_year <= year
		--   still poor = registered and (exit_year is null or exit_year > year)
		household_counts as (
			select h.village_code,
				count(*) filter (where h.registered_year <= ${year}::int) as registered,
				count(*) filter (where h.registered_year <= ${year}::int
					and (h.exit_year is null or h.exit_year > ${year}::int)) as poor,
				coalesce(sum(h.members) filter (where h.registered_year <= ${year}::int
					and (h.exit_year is null or h.exit_year > ${year}::int)), 0) as poor_members
			from households h
			where (${params.county}::text is null or h.county_code = ${params.county}::text)
				${causeFilter}
			group by h.village_code
		),
		-- village_counts: every village in scope, zero where it has no matching household
		village_counts as (
			select s.code, s.name_zh, s.population, s.geom,
				coalesce(c.registered, 0) as registered,
				coalesce(c.poor, 0) as poor,
				coalesce(c.poor_members, 0) as poor_members
			from scope s
			left join household_counts c on c.village_code = s.code
		)`;
}

function villageQuery(params: LayerParams): RawBuilder<Row> {
	return sql<Row>`
		with ${villageCounts(params)}
		select ST_X(geom) as lon, ST_Y(geom) as lat,
			registered::int, poor::int, poor_members::int, population::int, 1 as villages,
			code, name_zh as name
		from village_counts
		order by code`;
}

function hexQuery(params: LayerParams, hexSize: number): RawBuilder<Row> {
	return sql<Row>`
		with ${villageCounts(params)},
		-- village_cells: each village's hexagon. ST_HexagonGrid over the village's own point (in
		-- EPSG:3857, metres) returns the hexagon(s) touching it: a point on a shared edge or corner
		-- touches several, and goes to the one that contains it with the smallest (i, j), so every
		-- village is counted exactly once. The grid is anchored at the 3857 origin, so a hexagon is
		-- the same cell in every request at that zoom.
		village_cells as (
			select distinct on (vc.code) vc.*, h.i, h.j, h.geom as hex
			from village_counts vc
			cross join lateral ST_HexagonGrid(${hexSize}::float8, ST_Transform(vc.geom, 3857)) as h
			order by vc.code, ST_Intersects(h.geom, ST_Transform(vc.geom, 3857)) desc, h.i, h.j
		),
		-- cells: sums per hexagon
		cells as (
			select i, j, (array_agg(hex))[1] as hex,
				sum(registered) as registered, sum(poor) as poor, sum(poor_members) as poor_members,
				sum(population) as population, count(*) as villages
			from village_cells
			group by i, j
		),
		-- centres: the hexagon centre back in WGS84, rounded to 1e-7 degree (~1 cm) so that both
		-- backends' PROJ builds give the same numbers
		centres as (
			select c.*, ST_Transform(ST_Centroid(c.hex), 4326) as centre
			from cells c
		)
		select round(ST_X(centre)::numeric, 7)::float8 as lon, round(ST_Y(centre)::numeric, 7)::float8 as lat,
			registered::int, poor::int, poor_members::int, population::int, villages::int,
			null::text as code, null::text as name
		from centres
		order by i, j`;
}

export const query: LayerQuery = async ({ db }, params): Promise<PovertyDensityTable> => {
	// The suppression floor holds here too, not only in layerData: a caller can raise k, never lower it.
	const k = Math.max(Number.isInteger(params.k) ? params.k : DEFAULT_K, DEFAULT_K);
	const level = levelFor(params.zoom);
	const zoom = Math.floor(params.zoom);
	const hexSize = level === 'hex' ? hexSizeFor(params.zoom) : null;
	const { rows } = await (hexSize === null ? villageQuery(params) : hexQuery(params, hexSize)).execute(db);

	const n = rows.length;
	const columns = {
		lon: new Float64Array(n),
		lat: new Float64Array(n),
		registered: new Int32Array(n),
		poor: new Int32Array(n),
		poorMembers: new Int32Array(n),
		population: new Int32Array(n),
		villages: new Int32Array(n),
		incidence: new Float32Array(n),
		suppressed: new Uint8Array(n)
	};
	const meta: PovertyDensityMeta = {
		level,
		zoom,
		hexSize,
		k,
		year: params.year,
		county: params.county,
		causes: [...params.causes],
		codes: [],
		names: []
	};
	rows.forEach((row, i) => {
		const registered = suppressCount(row.registered, k);
		const poor = suppressCount(row.poor, k);
		columns.lon[i] = row.lon;
		columns.lat[i] = row.lat;
		columns.registered[i] = registered.value ?? SUPPRESSED_INT;
		columns.poor[i] = poor.value ?? SUPPRESSED_INT;
		// Members and incidence × population would reveal a suppressed still-poor count: withheld too.
		columns.poorMembers[i] = poor.suppressed ? SUPPRESSED_INT : row.poor_members;
		columns.population[i] = row.population;
		columns.villages[i] = row.villages;
		columns.incidence[i] = poor.suppressed || row.population <= 0 ? NaN : (100 * row.poor_members) / row.population;
		columns.suppressed[i] = (registered.suppressed ? SUPPRESSED_REGISTERED : 0) | (poor.suppressed ? SUPPRESSED_POOR : 0);
		if (level === 'village') {
			meta.codes.push(row.code ?? '');
			meta.names.push(row.name ?? '');
		}
	});
	return { length: n, columns, meta };
};
