// The poverty-density query: registered poor households at the end of `params.year`, aggregated per
// village, then per ST_HexagonGrid hexagon (below FEATURES_FROM) or kept per village (from it).
// Small counts are suppressed here, before anything leaves the server (suppress.ts); the result is
// the binary ColumnTable described in definition.ts.
//
// Differencing between responses (suppress.ts says why each rule is enough and what is left open):
//   - filters against each other: the statement returns each village's raw counts per cause (one
//     pass over households, grouped by village and cause), and a filtered count is shown or
//     withheld from those (suppressFiltered), so no two filters of one village differ by 1..k−1;
//   - a hexagon against its villages: the hexagon level reads the same per-village rows, decides
//     each village as the village level would (same year, filter, k), and withholds a hexagon whose
//     residual — its count minus its shown villages' — could single out 1..k−1 households
//     (suppressAggregate);
//   - adjacent years are not set against each other: their differences are the registrations and
//     exits each village posts publicly.
//
// One SQL statement per request, the same for every cause filter (the filter is applied to the
// per-cause counts here); every request value is a bound parameter (kysely `sql`), never text
// spliced into the statement.
import { sql, type RawBuilder } from 'kysely';
import type { LayerQuery } from '../server.ts';
import { DEFAULT_K, type LayerParams } from '../params.ts';
import { hiddenByCause, suppressAggregate, suppressFiltered, type Part, type Selection, type Withheld } from '../suppress.ts';
import {
	CAUSE_LABELS,
	SUPPRESSED_INT,
	SUPPRESSED_POOR,
	SUPPRESSED_REGISTERED,
	SUPPRESSED_TO_PROTECT,
	hexSizeFor,
	levelFor,
	type PovertyDensityMeta,
	type PovertyDensityTable
} from './definition.ts';

/** The causes in the order of the per-cause count arrays; any other (or none) counts as one more. */
const CAUSES = Object.keys(CAUSE_LABELS);
const UNKNOWN = CAUSES.length;
const SLOTS = CAUSES.length + 1;
const causeIndex = new Map(CAUSES.map((c, i) => [c, i]));

interface Row {
	code: string;
	name: string;
	lon: number;
	lat: number;
	population: number;
	/** The village's causes with households registered by the end of the year, and per cause: */
	causes: (string | null)[] | null;
	/** households registered by the end of the year, */
	registered: number[] | null;
	/** of those, still poor at its end, */
	poor: number[] | null;
	/** and their members. */
	poor_members: number[] | null;
	/** Hexagon level: the village's hexagon and its centre (WGS84, rounded). */
	i?: number;
	j?: number;
	hex_lon?: number;
	hex_lat?: number;
}

/**
 * The named CTEs shared by both levels, ending in `village_counts`: one row per village in scope
 * (villages without households included, with null arrays), counts per cause as aligned arrays.
 */
function villageCounts(params: LayerParams): RawBuilder<unknown> {
	const year = params.year;
	const poor = sql`(h.exit_year is null or h.exit_year > ${year}::int)`;
	return sql`
		-- scope: the villages of the county (or of every loaded county), with point and population
		scope as (
			select v.code, v.name_zh, v.population, v.geom
			from villages v
			where (${params.county}::text is null or v.county_code = ${params.county}::text)
		),
		-- by_cause: per village and main cause, at the end of the year —
		--   registered = registered_year <= year
		--   still poor = registered and (exit_year is null or exit_year > year)
		-- with no cause filter: every filter's counts are sums of these (suppress.ts needs them all).
		by_cause as (
			select h.village_code, h.main_cause,
				count(*) as registered,
				count(*) filter (where ${poor}) as poor,
				coalesce(sum(h.members) filter (where ${poor}), 0) as poor_members
			from households h
			where (${params.county}::text is null or h.county_code = ${params.county}::text)
				and h.registered_year <= ${year}::int
			group by h.village_code, h.main_cause
		),
		-- per_village: the same as aligned arrays, one row per village with households
		per_village as (
			select village_code,
				array_agg(main_cause order by main_cause) as causes,
				array_agg(registered::int order by main_cause) as registered,
				array_agg(poor::int order by main_cause) as poor,
				array_agg(poor_members::int order by main_cause) as poor_members
			from by_cause
			group by village_code
		),
		-- village_counts: every village in scope
		village_counts as (
			select s.code, s.name_zh, s.population, s.geom, c.causes, c.registered, c.poor, c.poor_members
			from scope s
			left join per_village c on c.village_code = s.code
		)`;
}

function villageQuery(params: LayerParams): RawBuilder<Row> {
	return sql<Row>`
		with ${villageCounts(params)}
		select code, name_zh as name, ST_X(geom) as lon, ST_Y(geom) as lat, population::int,
			causes, registered, poor, poor_members
		from village_counts
		order by code`;
}

/** One row per village, ordered by hexagon (i, j) and code: the hexagons are summed in the query's caller. */
function hexQuery(params: LayerParams, hexSize: number): RawBuilder<Row> {
	return sql<Row>`
		with ${villageCounts(params)},
		-- village_cells: each village's hexagon. ST_HexagonGrid over the village's own point (in
		-- EPSG:3857, metres) returns the hexagons around it; the village goes to the one whose centre
		-- is nearest (a hexagon grid's Voronoi cells are its hexagons), on a tie (a point on an edge
		-- or corner) to the smallest (i, j), so every village is counted exactly once. Hexagon (i, j)
		-- is centred at x = 1.5·size·i, y = √3·size·(j + ½ for odd i). The grid is anchored at the
		-- 3857 origin, so a hexagon is the same cell in every request at that zoom. (Arithmetic and a
		-- lateral LIMIT 1, not ST_Intersects: the planner takes a set-returning function for 1,000
		-- rows and ST_Intersects for a costly call, and their product per village crossed
		-- PostgreSQL's JIT threshold — most of a second of compiling per request.)
		village_xy as (
			select vc.*, ST_X(p) as x, ST_Y(p) as y, p
			from village_counts vc, ST_Transform(vc.geom, 3857) as p
		),
		village_cells as (
			select v.*, h.i, h.j
			from village_xy v
			cross join lateral (
				select g.i, g.j
				from ST_HexagonGrid(${hexSize}::float8, v.p) as g
				order by (v.x - 1.5 * ${hexSize}::float8 * g.i) ^ 2 + (v.y - sqrt(3) * ${hexSize}::float8 * (g.j + 0.5 * (g.i & 1))) ^ 2, g.i, g.j
				limit 1
			) as h
		),
		-- centres: each hexagon's centre back in WGS84, rounded to 1e-7 degree (~1 cm) so that both
		-- backends' PROJ builds give the same numbers
		centres as (
			select i, j, ST_Transform(ST_SetSRID(ST_MakePoint(1.5 * ${hexSize}::float8 * i, sqrt(3) * ${hexSize}::float8 * (j + 0.5 * (i & 1))), 3857), 4326) as centre
			from (select distinct i, j from village_cells) c
		)
		select vc.code, vc.name_zh as name, ST_X(vc.geom) as lon, ST_Y(vc.geom) as lat, vc.population::int,
			vc.causes, vc.registered, vc.poor, vc.poor_members, vc.i::int as i, vc.j::int as j,
			round(ST_X(c.centre)::numeric, 7)::float8 as hex_lon, round(ST_Y(c.centre)::numeric, 7)::float8 as hex_lat
		from village_cells vc
		join centres c on c.i = vc.i and c.j = vc.j
		order by vc.i, vc.j, vc.code`;
}

/** A village's counts in cause order (SLOTS long): registered, still poor, still-poor members. */
interface VillageCounts {
	registered: number[];
	poor: number[];
	members: number[];
}

function perCause(row: Row): VillageCounts {
	const out: VillageCounts = { registered: new Array(SLOTS).fill(0), poor: new Array(SLOTS).fill(0), members: new Array(SLOTS).fill(0) };
	row.causes?.forEach((cause, n) => {
		const slot = cause === null ? UNKNOWN : (causeIndex.get(cause) ?? UNKNOWN);
		out.registered[slot] += row.registered![n];
		out.poor[slot] += row.poor![n];
		out.members[slot] += row.poor_members![n];
	});
	return out;
}

const sumOver = (counts: readonly number[], selection: Selection) =>
	selection === null ? counts.reduce((s, n) => s + n, 0) : selection.reduce((s, i) => s + counts[i], 0);

interface Cell {
	lon: number;
	lat: number;
	registered: number;
	poor: number;
	poorMembers: number;
	population: number;
	villages: number;
	registeredOutcome: Withheld;
	poorOutcome: Withheld;
}

/** A village as the village level shows it: its counts under the filter and each one's outcome. */
function villageCell(row: Row, counts: VillageCounts, selection: Selection, k: number): Cell {
	return {
		lon: row.lon,
		lat: row.lat,
		registered: sumOver(counts.registered, selection),
		poor: sumOver(counts.poor, selection),
		poorMembers: sumOver(counts.members, selection),
		population: row.population,
		villages: 1,
		registeredOutcome: suppressFiltered(counts.registered, selection, k),
		poorOutcome: suppressFiltered(counts.poor, selection, k)
	};
}

/**
 * A hexagon's cell from its villages (`rows`, with their counts and village-level cells): sums, and
 * each count set against the villages the village level shows (suppressAggregate).
 */
function hexCell(rows: Row[], counts: VillageCounts[], villages: Cell[], selection: Selection, k: number): Cell {
	const sum = (f: (c: Cell) => number) => villages.reduce((s, c) => s + f(c), 0);
	const decide = (key: 'registered' | 'poor') => {
		const outcome = key === 'registered' ? 'registeredOutcome' : 'poorOutcome';
		// What an observer knows bounds a village's count: its unfiltered count where the village map
		// shows it, else k − 1 (it reads "< k").
		const parts: Part[] = villages.map((c, n) => {
			const all = sumOver(counts[n][key], null);
			return { count: c[key], outcome: c[outcome], max: all >= 1 && all < k ? k - 1 : all };
		});
		let filter = null;
		if (selection !== null) {
			const hidden = new Array<number>(SLOTS).fill(0);
			for (const c of counts) hiddenByCause(c[key], k).forEach((x, i) => (hidden[i] += x));
			filter = { selection, hidden };
		}
		return suppressAggregate(sum((c) => c[key]), parts, k, filter);
	};
	return {
		lon: rows[0].hex_lon!,
		lat: rows[0].hex_lat!,
		registered: sum((c) => c.registered),
		poor: sum((c) => c.poor),
		poorMembers: sum((c) => c.poorMembers),
		population: sum((c) => c.population),
		villages: villages.length,
		registeredOutcome: decide('registered'),
		poorOutcome: decide('poor')
	};
}

export const query: LayerQuery = async ({ db }, params): Promise<PovertyDensityTable> => {
	// The suppression floor holds here too, not only in layerData: a caller can raise k, never lower it.
	const k = Math.max(Number.isInteger(params.k) ? params.k : DEFAULT_K, DEFAULT_K);
	const level = levelFor(params.zoom);
	const zoom = Math.floor(params.zoom);
	const hexSize = level === 'hex' ? hexSizeFor(params.zoom) : null;
	const { rows } = await (hexSize === null ? villageQuery(params) : hexQuery(params, hexSize)).execute(db);

	// The filter as cause slots; a cause the data cannot hold selects nothing.
	const selection: Selection = params.causes.length ? [...new Set(params.causes.flatMap((c) => (causeIndex.has(c) ? [causeIndex.get(c)!] : [])))] : null;
	const counts = rows.map(perCause);
	const villages = rows.map((row, n) => villageCell(row, counts[n], selection, k));
	let cells = villages;
	if (level === 'hex') {
		cells = [];
		for (let start = 0; start < rows.length; ) {
			let end = start + 1;
			while (end < rows.length && rows[end].i === rows[start].i && rows[end].j === rows[start].j) end++;
			cells.push(hexCell(rows.slice(start, end), counts.slice(start, end), villages.slice(start, end), selection, k));
			start = end;
		}
	}

	const n = cells.length;
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
	cells.forEach((cell, i) => {
		const registered = cell.registeredOutcome;
		const poor = cell.poorOutcome;
		columns.lon[i] = cell.lon;
		columns.lat[i] = cell.lat;
		columns.registered[i] = registered.value ?? SUPPRESSED_INT;
		columns.poor[i] = poor.value ?? SUPPRESSED_INT;
		// Members and incidence × population would reveal a suppressed still-poor count: withheld too.
		columns.poorMembers[i] = poor.suppressed ? SUPPRESSED_INT : cell.poorMembers;
		columns.population[i] = cell.population;
		columns.villages[i] = cell.villages;
		columns.incidence[i] = poor.suppressed || cell.population <= 0 ? NaN : (100 * cell.poorMembers) / cell.population;
		columns.suppressed[i] =
			(registered.suppressed ? SUPPRESSED_REGISTERED : 0) |
			(poor.suppressed ? SUPPRESSED_POOR : 0) |
			(registered.protective || poor.protective ? SUPPRESSED_TO_PROTECT : 0);
	});
	if (level === 'village') {
		meta.codes = rows.map((r) => r.code);
		meta.names = rows.map((r) => r.name);
	}
	return { length: n, columns, meta };
};
