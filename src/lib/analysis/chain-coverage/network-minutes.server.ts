// The SQL step and the travel-time step of industrial-chain coverage, shared by the chain-gaps and
// max-cover analyses and the coverage layer:
//  - one query each for the county's villages (with still-poor households at the end of a year), the
//    chain's industry sites around the county, and the scenario (thresholds, road speeds);
//  - the road graph of the county and of the counties those sites lie in (loadRoadNetwork, cached per
//    roads version), villages and sites snapped onto it;
//  - one multi-source Dijkstra per stage, sources = that stage's operating sites → village × stage
//    minutes. That matrix depends only on roads, industry sites, villages, the chain and the speeds,
//    so it is cached on exactly those (data versions included); thresholds and the year are applied
//    after it, which keeps the coverage layer's answer to a new threshold or year in milliseconds.
import { sql, type Kysely } from 'kysely';
import type { Database } from '$lib/server/db/types.ts';
import { dataVersionKey } from '$lib/server/db/data-version.ts';
import { perDbCache } from '$lib/server/db/per-db-cache.ts';
import { loadRoadNetwork, roadSpeedsFromScenario, type RoadNetwork, type RoadSpeeds } from '../travel-time/network.server.ts';
import { createWorkspace, nearestSourceTimes, snapPoints, type SnappedPoint } from '../travel-time/index.ts';
import { CHAINS, STAGES, type Stage } from '$lib/layers/params.ts';
import { thresholdMinutes } from './thresholds.ts';

type Db = Kysely<Database>;
export type Chain = (typeof CHAINS)[number];

/**
 * Sites of the chain outside the county count when they lie within this distance of the county's
 * villages' extent: a plant across the border serves a village as well. Their counties' roads are
 * loaded with the county's so the trip to them runs on roads. 60 km is an hour at 60 km/h, the
 * longest default threshold on a national road: a site farther out cannot reach a village in time
 * except on an expressway.
 */
export const NEIGHBOUR_SITES_KM = 60;

/** An input that names the field it is wrong in (the API turns it into a 400). */
export class InputError extends Error {
	constructor(
		readonly field: string,
		message: string
	) {
		super(`${field}: ${message}`);
		this.name = 'InputError';
	}
}

export interface ScenarioInputs {
	scenario: { id: number; name: string } | null;
	/** Minutes per stage, in STAGES order. */
	thresholds: number[];
	speeds: RoadSpeeds;
}

export { DEFAULT_THRESHOLD_MINUTES } from './thresholds.ts';

/** The requested scenario of the county, or the county's first; an error naming `scenario` if it is not the county's. */
export async function scenarioInputs(db: Db, county: string, id: number | null): Promise<ScenarioInputs> {
	const row = await db
		.selectFrom('scenarios')
		.select(['id', 'name', 'stage_threshold_minutes', 'road_speed_kmh'])
		.where('county_code', '=', county)
		.$if(id !== null, (q) => q.where('id', '=', id!))
		.orderBy('id')
		.limit(1)
		.executeTakeFirst();
	if (!row && id !== null) throw new InputError('scenario', `no scenario ${id} in county ${county}`);
	const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
	return {
		scenario: row ? { id: Number(row.id), name: row.name } : null,
		thresholds: thresholdMinutes(parse(row?.stage_threshold_minutes)),
		speeds: roadSpeedsFromScenario(parse(row?.road_speed_kmh) ?? null)
	};
}

export interface VillagePoint {
	code: string;
	name_zh: string;
	township_zh: string | null;
	lon: number;
	lat: number;
}

export interface SitePoint {
	id: number;
	name_zh: string;
	stage: Stage;
	status: 'operating' | 'planned';
	county_code: string;
	jobs: number | null;
	lon: number;
	lat: number;
}

/**
 * The county's villages (code order) with their township names and positions. One JSON row rather
 * than a row per village: at province scale (17,000 villages) that is 2–3× faster on PGlite, whose
 * per-row cost dominates, and no slower on the server. Coordinates survive exactly (PostgreSQL
 * writes float8 in shortest round-trip form).
 */
export async function countyVillages(db: Db, county: string): Promise<VillagePoint[]> {
	const { rows } = await sql<{ j: string | null }>`
		select json_agg(json_build_array(v.code, v.name_zh, t.name_zh, ST_X(v.geom), ST_Y(v.geom)) order by v.code)::text as j
		from villages v left join regions t on t.code = v.township_code
		where v.county_code = ${county}`.execute(db);
	const list = JSON.parse(rows[0]?.j ?? '[]') as [string, string, string | null, number, number][];
	return list.map((r) => ({ code: r[0], name_zh: r[1], township_zh: r[2], lon: r[3], lat: r[4] }));
}

/** Registered households still poor at the end of `year`, per village of the county (villages with none are absent). */
export async function poorHouseholds(db: Db, county: string, year: number): Promise<Map<string, number>> {
	// Exit in year Y: no longer poor at the end of Y. One JSON row, as in countyVillages.
	const { rows } = await sql<{ j: string | null }>`
		select json_agg(json_build_array(village_code, n))::text as j
		from (
			select village_code, count(*) as n from households
			where county_code = ${county} and registered_year <= ${year} and (exit_year is null or exit_year > ${year})
			group by village_code
		) s`.execute(db);
	return new Map(JSON.parse(rows[0]?.j ?? '[]') as [string, number][]);
}

/**
 * The chain's sites (operating and planned) in the county or within NEIGHBOUR_SITES_KM of its villages'
 * extent (the box is grown by a conservative number of degrees, so the GiST index prunes the rest).
 */
export async function chainSites(db: Db, county: string, chain: Chain): Promise<SitePoint[]> {
	const km = NEIGHBOUR_SITES_KM;
	const { rows } = await sql<{ id: number; name_zh: string; stage: Stage; status: 'operating' | 'planned'; county_code: string; jobs: number | null; lon: number; lat: number }>`
		with area as (
			select ST_Expand(ST_SetSRID(ST_Extent(geom)::geometry, 4326),
				${km}::float8 / (111.0 * cos(radians(least(89.0, greatest(abs(ST_YMin(ST_Extent(geom))), abs(ST_YMax(ST_Extent(geom)))) + 1.0)))),
				${km}::float8 / 110.0) as box
			from villages where county_code = ${county}
		)
		select s.id, s.name_zh, s.stage, s.status, s.county_code, s.jobs, ST_X(s.geom) as lon, ST_Y(s.geom) as lat
		from industry_sites s
		where s.chain = ${chain}
			and (s.county_code = ${county} or s.geom && (select box from area))
		order by s.id`.execute(db);
	return rows.map((r) => ({
		id: Number(r.id),
		name_zh: r.name_zh,
		stage: r.stage,
		status: r.status,
		county_code: r.county_code,
		jobs: r.jobs === null ? null : Number(r.jobs),
		lon: Number(r.lon),
		lat: Number(r.lat)
	}));
}

/** The county's main chain: most operating production sites, then production sites, then sites, then code. */
export async function mainChain(db: Db, county: string): Promise<Chain | null> {
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

export interface ChainMinutes {
	county: string;
	chain: Chain;
	villages: VillagePoint[];
	/** Villages snapped on the network (same order). */
	snapped: SnappedPoint[];
	/** The chain's sites around the county, operating and planned. */
	sites: SitePoint[];
	/** Village-major, STAGES order: minutes to the nearest operating site of the stage; Infinity = none reachable. */
	minutes: Float64Array;
	/** Same layout: index into `sites` of that nearest site, −1 if none. */
	nearestSite: Int32Array;
	network: RoadNetwork;
	/** Villages farther from every road than the network can serve (unsnapped: unreachable). */
	unsnapped: number;
	timings: { sqlMs: number; graphMs: number; dijkstraMs: number };
}

/** Up to 16 matrices per database. */
const cache = perDbCache<ChainMinutes>(16);

/** Drop every cached matrix (tests). */
export function clearChainMinutesCache(): void {
	cache.clear();
}

/** The key of a village × stage matrix: county, chain, speeds and the versions of the tables it read. */
async function minutesKey(db: Db, county: string, chain: Chain, speeds: RoadSpeeds): Promise<string> {
	const versions = await dataVersionKey(db, ['roads', 'industry_sites', 'villages', 'regions']);
	return `${county}|${chain}|${JSON.stringify(Object.entries(speeds.classes).sort())}|w${speeds.walking}|${versions}`;
}

/**
 * Village × stage travel minutes to the nearest operating site of the chain, cached per county, chain,
 * speeds and the roads / industry_sites / villages / regions data versions. Concurrent callers share one computation.
 */
export async function chainMinutes(db: Db, county: string, chain: Chain, speeds: RoadSpeeds, onProgress?: (f: number, stage: string) => void): Promise<ChainMinutes> {
	const key = await minutesKey(db, county, chain, speeds);
	return cache.get(db, key, () => computeChainMinutes(db, county, chain, speeds, onProgress));
}

export async function computeChainMinutes(
	db: Db,
	county: string,
	chain: Chain,
	speeds: RoadSpeeds,
	onProgress?: (f: number, stage: string) => void
): Promise<ChainMinutes> {
	const t0 = performance.now();
	onProgress?.(0, 'analysis.chain.stage.load');
	const villages = await countyVillages(db, county);
	const sites = await chainSites(db, county, chain);
	const t1 = performance.now();
	onProgress?.(0.1, 'analysis.chain.stage.graph');
	const counties = [county, ...new Set(sites.map((s) => s.county_code))];
	const network = await loadRoadNetwork(db, counties, speeds);
	const t2 = performance.now();
	onProgress?.(0.4, 'analysis.chain.stage.dijkstra');
	const { graph } = network;
	const snapped = snapPoints(graph, villages.map((v, i) => ({ id: i, lon: v.lon, lat: v.lat })));
	const siteSnaps = snapPoints(graph, sites.map((s, i) => ({ id: i, lon: s.lon, lat: s.lat })));
	const S = STAGES.length;
	const n = villages.length;
	const minutes = new Float64Array(n * S).fill(Infinity);
	const nearestSite = new Int32Array(n * S).fill(-1);
	// One Dijkstra workspace for the five runs: each run resets only the nodes it touched.
	const ws = createWorkspace(graph.nodeCount);
	const operating = sites.map((s) => s.status === 'operating');
	STAGES.forEach((stage, s) => {
		const sources = siteSnaps.filter((_, i) => sites[i].stage === stage && operating[i]);
		if (sources.length > 0 && n > 0) {
			const result = nearestSourceTimes(graph, sources, snapped, { workspace: ws });
			for (let v = 0; v < n; v++) {
				const j = result.sourceIndex[v];
				minutes[v * S + s] = result.minutes[v];
				nearestSite[v * S + s] = j >= 0 ? Number(sources[j].id) : -1;
			}
		}
		onProgress?.(0.4 + (0.6 * (s + 1)) / S, 'analysis.chain.stage.dijkstra');
	});
	const t3 = performance.now();
	return {
		county,
		chain,
		villages,
		snapped,
		sites,
		minutes,
		nearestSite,
		network,
		unsnapped: snapped.filter((p) => p.segment < 0).length,
		timings: { sqlMs: t1 - t0, graphMs: t2 - t1, dijkstraMs: t3 - t2 }
	};
}
