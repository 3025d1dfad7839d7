// The poverty-density query: registered poor households at the end of `params.year`, aggregated per
// village, then per ST_HexagonGrid hexagon (below FEATURES_FROM) or kept per village (from it).
// Small counts are suppressed here, before anything leaves the server (suppress.ts); the result is
// the binary ColumnTable described in definition.ts.
//
// Differencing between responses: a filtered count is set against the unfiltered one of the same
// cell and year (suppressAgainst in suppress.ts), so a filtered and the unfiltered map never show
// counts of one cell that differ by 1..k−1. Each row carries the unfiltered raw counts from the
// same pass over households. Adjacent years are not set against each other: their differences are
// the registrations and exits each village posts publicly (suppress.ts says why, and what that
// leaves open). Known limits: zoom levels are not set against each other (a zoom-9 hexagon of 15
// households next to its one shown village of 12 reveals the other villages' 3), nor two different
// filters.
//
// One SQL statement per request; every request value is a bound parameter (kysely `sql`), never
// text spliced into the statement.
import { sql, type RawBuilder } from 'kysely';
import type { LayerQuery } from '../server.ts';
import { DEFAULT_K, type LayerParams } from '../params.ts';
import { suppressAgainst } from '../suppress.ts';
import {
	SUPPRESSED_INT,
	SUPPRESSED_POOR,
	SUPPRESSED_REGISTERED,
	SUPPRESSED_TO_PROTECT,
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
	/** The counts of the year without the cause filter (= registered/poor without one). */
	reg_all: number;
	poor_all: number;
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
	// Cause filter as a list of bound parameters; true when empty.
	const f = params.causes.length ? sql`h.main_cause in (${sql.join(params.causes)})` : sql`true`;
	const registered = (y: number) => sql`h.registered_year <= ${y}::int`;
	const poor = (y: number) => sql`h.registered_year <= ${y}::int and (h.exit_year is null or h.exit_year > ${y}::int)`;
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
		-- under the cause filter, and the same without the filter (all): the counts the unfiltered
		-- map shows for the cell, which a filtered count is set against.
		household_counts as (
			select h.village_code,
				count(*) filter (where ${f} and ${registered(year)}) as registered,
				count(*) filter (where ${f} and ${poor(year)}) as poor,
				coalesce(sum(h.members) filter (where ${f} and ${poor(year)}), 0) as poor_members,
				count(*) filter (where ${registered(year)}) as reg_all,
				count(*) filter (where ${poor(year)}) as poor_all
			from households h
			where (${params.county}::text is null or h.county_code = ${params.county}::text)
			group by h.village_code
		),
		-- village_counts: every village in scope, zero where it has no matching household
		village_counts as (
			select s.code, s.name_zh, s.population, s.geom,
				coalesce(c.registered, 0) as registered,
				coalesce(c.poor, 0) as poor,
				coalesce(c.poor_members, 0) as poor_members,
				coalesce(c.reg_all, 0) as reg_all,
				coalesce(c.poor_all, 0) as poor_all
			from scope s
			left join household_counts c on c.village_code = s.code
		)`;
}

function villageQuery(params: LayerParams): RawBuilder<Row> {
	return sql<Row>`
		with ${villageCounts(params)}
		select ST_X(geom) as lon, ST_Y(geom) as lat,
			registered::int, poor::int, poor_members::int, population::int, 1 as villages,
			reg_all::int, poor_all::int,
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
				sum(population) as population, count(*) as villages,
				sum(reg_all) as reg_all, sum(poor_all) as poor_all
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
			reg_all::int, poor_all::int,
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
	// The response a count can be set against (suppress.ts): the unfiltered map of the same year,
	// when a cause filter is on. Not the adjacent years: their differences are public.
	const filtered = params.causes.length > 0;
	const against = (all: number) => (filtered ? [all] : []);
	rows.forEach((row, i) => {
		const registered = suppressAgainst(row.registered, against(row.reg_all), k);
		const poor = suppressAgainst(row.poor, against(row.poor_all), k);
		columns.lon[i] = row.lon;
		columns.lat[i] = row.lat;
		columns.registered[i] = registered.value ?? SUPPRESSED_INT;
		columns.poor[i] = poor.value ?? SUPPRESSED_INT;
		// Members and incidence × population would reveal a suppressed still-poor count: withheld too.
		columns.poorMembers[i] = poor.suppressed ? SUPPRESSED_INT : row.poor_members;
		columns.population[i] = row.population;
		columns.villages[i] = row.villages;
		columns.incidence[i] = poor.suppressed || row.population <= 0 ? NaN : (100 * row.poor_members) / row.population;
		columns.suppressed[i] =
			(registered.suppressed ? SUPPRESSED_REGISTERED : 0) |
			(poor.suppressed ? SUPPRESSED_POOR : 0) |
			(registered.protective || poor.protective ? SUPPRESSED_TO_PROTECT : 0);
		if (level === 'village') {
			meta.codes.push(row.code ?? '');
			meta.names.push(row.name ?? '');
		}
	});
	return { length: n, columns, meta };
};
