// The query behind the industrial-chain-coverage layer: the SQL steps (villages with their
// still-poor household counts, nearest operating site per village and stage, the chosen stage's
// sites) return plain rows; coverage.ts computes the answer. Every request value goes in as a
// bound parameter; spatial tests use the GiST index on geom through a `geom && box` prefilter and
// are then decided exactly with ST_DWithin / ST_Distance on geography (metres on the spheroid).
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '$lib/server/db';
import type { LayerQuery } from '../server.ts';
import { DEFAULT_K, ParamError, STAGES, type LayerParams, type Stage } from '../params.ts';
import {
	buildCoverage,
	DEFAULT_STAGE,
	emptyCoverage,
	NEAREST_SEARCH_KM,
	NOMINAL_SPEED_KMH,
	thresholdsFrom,
	type Chain,
	type CoverageData,
	type CoverageSite,
	type ReachRow,
	type StageThreshold,
	type VillageInput
} from './coverage.ts';

type Db = Kysely<Database>;

/**
 * A box around `geom` that holds every point within `meters` of it, for `other.geom && box` (the
 * GiST index) before the exact test on geography. Conservative on WGS84: a degree of latitude is
 * at least 110,574 m (we divide by 110,000) and a degree of longitude at least 111,319 m x cos(lat)
 * (we divide by 111,000 x cos of the box's poleward edge), so the box never cuts off a point the
 * exact test would keep (the DB test checks this with ST_Project at random places and bearings).
 * `geom` may be a point or any geometry (its bounding box is grown).
 */
export function expandMeters(geom: RawBuilder<unknown>, meters: RawBuilder<unknown>): RawBuilder<unknown> {
	return sql`ST_Expand(${geom},
		${meters} / (111000.0 * cos(radians(least(greatest(abs(ST_YMin(${geom})), abs(ST_YMax(${geom}))) + ${meters} / 110000.0, 89.0)))),
		${meters} / 110000.0)`;
}

export interface ReachRequest {
	county: string;
	chain: Chain | null;
	thresholds: readonly StageThreshold[];
}

/** The distance test: for each village of the county and each stage, the nearest site and whether it is within the threshold. */
export type ReachFunction = (db: Db, request: ReachRequest) => Promise<ReachRow[]>;

/**
 * Straight-line reach: a stage reaches a village when an operating site of the chain and stage lies
 * within the threshold's straight-line radius (minutes at NOMINAL_SPEED_KMH). Sites of any county
 * count — a plant across the border serves a village as well. This is the one function to replace
 * with road travel time when the analyses issue lands (same request, same rows).
 */
export const straightLineReach: ReachFunction = async (db, request) => {
	if (request.chain === null) return [];
	const { rows } = await straightLineReachSql(request).execute(db);
	return rows.map((r) => {
		const nearest = r.nearest_m === null ? null : Number(r.nearest_m);
		return {
			village_code: r.village_code,
			stage: r.stage,
			nearest_km: nearest === null ? null : nearest / 1000,
			// Inclusive, like ST_DWithin.
			reached: nearest !== null && nearest <= Number(r.radius_m)
		};
	});
};

/**
 * The SQL step of straightLineReach: per village of the county and per stage, the straight-line
 * distance (m, on the spheroid) to the nearest operating site of the chain and stage within the
 * search radius — exact, yet with only one or two spheroid distances per village and stage:
 *   - `near`: the chain's operating sites around the county (its villages' extent grown by the
 *     largest search radius), fetched once through the GiST index on industry_sites.geom;
 *   - `bound`: the nearest of those in degrees (`<->`, cheap). A degree of longitude is shorter
 *     than one of latitude, so it need not be the nearest in metres, but its distance in metres
 *     bounds the nearest one;
 *   - `n`: the minimum spheroid distance over the sites inside the box of that bound — a box
 *     that holds every point within the bound (expandMeters), so the true nearest is among them.
 * The property test in tests/db/layers checks the answer against an unfiltered brute force.
 */
export function straightLineReachSql({ county, chain, thresholds }: ReachRequest) {
	const searchM = (t: StageThreshold) => Math.max(t.radius_km, NEAREST_SEARCH_KM) * 1000;
	const stages = sql.join(thresholds.map((t) => sql`(${t.stage}::text, ${t.radius_km * 1000}::float8, ${searchM(t)}::float8)`));
	const maxSearch = sql`${Math.max(...thresholds.map(searchM))}::float8`;
	return sql<{ village_code: string; stage: Stage; nearest_m: number | null; radius_m: number }>`
		with stage_radius (stage, radius_m, search_m) as (values ${stages}),
		county_villages as materialized (
			select code, geom, geom::geography as geog from villages where county_code = ${county}
		),
		near as materialized (
			select s.stage, s.geom, s.geom::geography as geog
			from industry_sites s
			where s.chain = ${chain}
				and s.status = 'operating'
				and s.geom && (
					select ${expandMeters(sql`ST_SetSRID(ST_Extent(geom)::geometry, 4326)`, maxSearch)} from county_villages
				)
		)
		select v.code as village_code, r.stage, r.radius_m,
			case when least(bound.m, n.m) <= r.search_m then least(bound.m, n.m) end as nearest_m
		from county_villages v
		cross join stage_radius r
		left join lateral (
			select ST_Distance(v.geog, s.geog) as m
			from near s
			where s.stage = r.stage
			order by s.geom <-> v.geom
			limit 1
		) bound on true
		left join lateral (
			-- offset 0 keeps this a subquery: the box is computed once, not once per site below.
			select ${expandMeters(sql.ref('v.geom'), sql.ref('bound.m'))} as box offset 0
		) b on true
		left join lateral (
			select min(ST_Distance(v.geog, s.geog)) as m
			from near s
			where s.stage = r.stage and s.geom && b.box
		) n on true
		order by v.code, r.stage`;
}

/** The reach function in use. */
const reach: ReachFunction = straightLineReach;

/** The scenario whose thresholds apply: the requested one (of this county), or the county's first. */
async function scenarioOf(db: Db, county: string, id: number | null) {
	const row = await db
		.selectFrom('scenarios')
		.select(['id', 'name', 'stage_threshold_minutes'])
		.where('county_code', '=', county)
		.$if(id !== null, (q) => q.where('id', '=', id!))
		.orderBy('id')
		.limit(1)
		.executeTakeFirst();
	if (!row && id !== null) throw new ParamError('scenario', `no scenario ${id} in county ${county}`);
	return row ?? null;
}

/**
 * The county's main chain: the one with the most operating production sites (then most production
 * sites of any status, then most sites, then by code, so the choice is stable); null without sites.
 */
async function mainChain(db: Db, county: string): Promise<Chain | null> {
	const row = await sql<{ chain: Chain }>`
		select chain from industry_sites
		where county_code = ${county}
		group by chain
		order by count(*) filter (where stage = 'production' and status = 'operating') desc,
			count(*) filter (where stage = 'production') desc,
			count(*) desc,
			chain
		limit 1`.execute(db);
	return row.rows[0]?.chain ?? null;
}

/** The county's villages with their registered households still poor at the end of `year`. */
async function villagesOf(db: Db, county: string, year: number): Promise<VillageInput[]> {
	const poor = db
		.selectFrom('households')
		.select((eb) => ['village_code', eb.fn.countAll<number>().as('n')])
		.where('county_code', '=', county)
		.where('registered_year', '<=', year)
		// Exit in year Y: no longer poor at the end of Y.
		.where((eb) => eb.or([eb('exit_year', 'is', null), eb('exit_year', '>', year)]))
		.groupBy('village_code');
	const rows = await db
		.selectFrom('villages as v')
		.leftJoin('regions as t', 't.code', 'v.township_code')
		.leftJoin(poor.as('p'), 'p.village_code', 'v.code')
		.select([
			'v.code',
			'v.name_zh',
			't.name_zh as township_zh',
			sql<number>`ST_X(v.geom)`.as('lon'),
			sql<number>`ST_Y(v.geom)`.as('lat'),
			sql<number>`coalesce(p.n, 0)`.as('poor_households')
		])
		.where('v.county_code', '=', county)
		.orderBy('v.code')
		.execute();
	return rows.map((r) => ({
		code: r.code,
		name_zh: r.name_zh,
		township_zh: r.township_zh,
		lon: Number(r.lon),
		lat: Number(r.lat),
		poor_households: Number(r.poor_households)
	}));
}

/** Sites of the chain per stage in the county, operating and planned. */
async function siteCounts(db: Db, county: string, chain: Chain | null) {
	const counts: Partial<Record<Stage, { operating: number; planned: number }>> = {};
	if (chain === null) return counts;
	const rows = await db
		.selectFrom('industry_sites')
		.select((eb) => [
			'stage',
			eb.fn.countAll<number>().filterWhere('status', '=', 'operating').as('operating'),
			eb.fn.countAll<number>().filterWhere('status', '=', 'planned').as('planned')
		])
		.where('county_code', '=', county)
		.where('chain', '=', chain)
		.groupBy('stage')
		.execute();
	for (const r of rows) counts[r.stage as Stage] = { operating: Number(r.operating), planned: Number(r.planned) };
	return counts;
}

/**
 * The chosen stage's sites (operating and planned) that are in the county or whose service area
 * reaches one of its villages, each with the number of the county's villages within its radius.
 * Candidates come from the chain/stage index (in the county) or the GiST index (near it).
 */
async function stageSites(db: Db, county: string, chain: Chain | null, threshold: StageThreshold): Promise<CoverageSite[]> {
	if (chain === null) return [];
	const radiusM = threshold.radius_km * 1000;
	const r = sql`${radiusM}::float8`;
	const rows = await sql<{
		id: number;
		name_zh: string;
		status: 'operating' | 'planned';
		county_code: string;
		jobs: number | null;
		lon: number;
		lat: number;
		villages_within: number;
	}>`
		with area as (
			select ${expandMeters(sql`ST_SetSRID(ST_Extent(geom)::geometry, 4326)`, r)} as box
			from villages where county_code = ${county}
		)
		select s.id, s.name_zh, s.status, s.county_code, s.jobs, ST_X(s.geom) as lon, ST_Y(s.geom) as lat, w.n as villages_within
		from industry_sites s
		cross join lateral (
			select count(*) as n from villages v
			where v.county_code = ${county}
				and v.geom && ${expandMeters(sql.ref('s.geom'), r)}
				and ST_DWithin(v.geom::geography, s.geom::geography, ${r})
		) w
		where s.chain = ${chain} and s.stage = ${threshold.stage}
			and (s.county_code = ${county} or s.geom && (select box from area))
			and (s.county_code = ${county} or w.n > 0)
		order by s.id`.execute(db);
	return rows.rows.map((s) => ({
		kind: 'site',
		id: Number(s.id),
		name_zh: s.name_zh,
		stage: threshold.stage,
		status: s.status,
		county_code: s.county_code,
		position: [Number(s.lon), Number(s.lat)],
		radius_m: radiusM,
		villages_within: Number(s.villages_within),
		jobs: s.jobs === null ? null : Number(s.jobs)
	}));
}

export async function coverage(db: Db, params: LayerParams): Promise<CoverageData> {
	const stage = params.stage ?? DEFAULT_STAGE;
	// layerData already raises k to the floor; kept here too, since this function is the one that suppresses.
	const k = Math.max(params.k, DEFAULT_K);
	// The layer is per county (its main chain, its scenario): without one there is nothing to draw.
	if (params.county === null) return emptyCoverage({ county: null, stage, year: params.year, k });
	const county = params.county;
	// One connection on PGlite: the steps run one after another.
	const scenario = await scenarioOf(db, county, params.scenario);
	const thresholds = thresholdsFrom(scenario?.stage_threshold_minutes, NOMINAL_SPEED_KMH);
	const chain = (params.chain as Chain | null) ?? (await mainChain(db, county));
	const villages = await villagesOf(db, county, params.year);
	const rows = await reach(db, { county, chain, thresholds });
	const counts = await siteCounts(db, county, chain);
	const sites = await stageSites(db, county, chain, thresholds[STAGES.indexOf(stage)]);
	const { villages: out, summary } = buildCoverage({ villages, reach: rows, thresholds, siteCounts: counts, k });
	return {
		layer: 'industrial-chain-coverage',
		county,
		chain,
		chain_is_main: params.chain === null && chain !== null,
		stage,
		year: params.year,
		k,
		scenario: scenario ? { id: Number(scenario.id), name: scenario.name } : null,
		reach: { model: 'straight_line', speed_kmh: NOMINAL_SPEED_KMH, search_km: NEAREST_SEARCH_KM },
		thresholds,
		villages: out,
		sites,
		summary
	};
}

export const query: LayerQuery = ({ db }, params) => coverage(db, params);
