// The SQL steps siting reads, shared by suitability and location-allocation: the county's scenario
// (road speeds, policy parameters), its candidate sites with the constraint zones each one touches
// (one query, ST_Intersects on the GiST index of constraint_zones), and the relocating households
// grouped by origin village. Every request value is a bound parameter.
import { sql, type Kysely } from 'kysely';
import type { Database } from '$lib/server/db/types.ts';
import { resolveHousingGapParams, type HousingGapParams } from '$lib/analysis/housing-gap';
import { roadSpeedsFromScenario, type RoadSpeeds } from '$lib/analysis/travel-time/network.server.ts';
import { MEANS_SHARE_OF_ANNUAL_INCOME } from '$lib/layers/housing-cost-gap/definition.ts';
import { RequestFieldError } from './request.ts';

/** The statuses of sites still open to choice: built settlements are not re-sited. */
export const SITING_STATUSES = ['candidate', 'approved'] as const;
/** Household relocation statuses that count as demand (schema: none / planned / relocated). */
export const RELOCATING_STATUSES = ['planned', 'relocated'] as const;

export interface SitingScenario {
	/** null when the county has no scenario (domain defaults). */
	id: number | null;
	name: string | null;
	speeds: RoadSpeeds;
	policy: HousingGapParams;
}

/**
 * The scenario a siting run uses: the one asked for (it must exist and belong to the county), else
 * the county's baseline (lowest id), else the domain defaults.
 */
export async function sitingScenario(db: Kysely<Database>, county: string, scenarioId: number | null): Promise<SitingScenario> {
	const row = await db
		.selectFrom('scenarios')
		.selectAll()
		.$if(scenarioId !== null, (q) => q.where('id', '=', scenarioId!))
		.$if(scenarioId === null, (q) => q.where('county_code', '=', county))
		.orderBy('id')
		.limit(1)
		.executeTakeFirst();
	if (scenarioId !== null) {
		if (!row) throw new RequestFieldError('scenario', `there is no scenario ${scenarioId}`);
		if (row.county_code !== county) throw new RequestFieldError('scenario', `scenario ${scenarioId} belongs to county ${row.county_code}, not ${county}`);
	}
	if (!row) return { id: null, name: null, speeds: roadSpeedsFromScenario(undefined), policy: resolveHousingGapParams({ meansShareOfIncome: MEANS_SHARE_OF_ANNUAL_INCOME }) };
	return {
		id: row.id,
		name: row.name,
		speeds: roadSpeedsFromScenario(typeof row.road_speed_kmh === 'string' ? JSON.parse(row.road_speed_kmh) : row.road_speed_kmh),
		policy: resolveHousingGapParams({
			areaPerPersonM2: Number(row.area_per_person_m2),
			largeHouseholdMembers: Number(row.large_household_members),
			largeHouseholdCapM2: Number(row.large_household_cap_m2),
			costPerM2Yuan: Number(row.construction_cost_per_m2_yuan),
			subsidyPerHouseholdYuan: Number(row.subsidy_per_household_yuan),
			subsidyPerPersonYuan: Number(row.subsidy_per_person_yuan),
			selfFundingCapPerPersonYuan: Number(row.self_funding_cap_per_person_yuan),
			selfFundingCapPerHouseholdYuan: Number(row.self_funding_cap_per_household_yuan),
			meansShareOfIncome: MEANS_SHARE_OF_ANNUAL_INCOME
		})
	};
}

export interface CandidateSiteRow {
	id: number;
	name: string;
	kind: string;
	status: string;
	capacity: number;
	lon: number;
	lat: number;
	/** Kinds of constraint zone the site intersects, sorted; empty = eligible. */
	exclusions: string[];
}

/** The county's candidate and approved sites, each with the kinds of constraint zone it intersects. */
export async function candidateSites(db: Kysely<Database>, county: string): Promise<CandidateSiteRow[]> {
	// Zones of any county count (a site on the border can touch the neighbour's flood plain); the
	// `&&` inside ST_Intersects uses constraint_zones_geom_gist.
	const { rows } = await sql<{ id: number; name_zh: string; kind: string; status: string; capacity_households: number; lon: number; lat: number; zones: string | null }>`
		select s.id, s.name_zh, s.kind, s.status, s.capacity_households, ST_X(s.geom) as lon, ST_Y(s.geom) as lat,
		       (select string_agg(distinct z.kind, ',' order by z.kind)
		          from constraint_zones z
		         where ST_Intersects(z.geom, s.geom)) as zones
		  from relocation_sites s
		 where s.county_code = ${county} and s.status in (${sql.join(SITING_STATUSES)})
		 order by s.id`.execute(db);
	return rows.map((r) => ({
		id: Number(r.id),
		name: r.name_zh,
		kind: r.kind,
		status: r.status,
		capacity: Number(r.capacity_households),
		lon: Number(r.lon),
		lat: Number(r.lat),
		exclusions: r.zones ? r.zones.split(',') : []
	}));
}

export interface OriginVillage {
	code: string;
	name: string;
	lon: number;
	lat: number;
	/** Relocating households of the county from this village. */
	households: number;
	/** Members and per-capita income of each of them, for the housing-cost gap (no identifiers). */
	members: number[];
	incomes: number[];
}

/** The county's relocating households (planned or relocated), grouped by origin village (code order). */
export async function originVillages(db: Kysely<Database>, county: string): Promise<OriginVillage[]> {
	const { rows } = await sql<{ code: string; name_zh: string; lon: number; lat: number; members: number; income: number }>`
		select v.code, v.name_zh, ST_X(v.geom) as lon, ST_Y(v.geom) as lat, h.members, h.income_per_capita_yuan as income
		  from households h join villages v on v.code = h.village_code
		 where h.county_code = ${county} and h.relocation_status in (${sql.join(RELOCATING_STATUSES)})
		 order by v.code, h.code`.execute(db);
	const out: OriginVillage[] = [];
	for (const r of rows) {
		let v = out[out.length - 1];
		if (!v || v.code !== r.code) {
			v = { code: r.code, name: r.name_zh, lon: Number(r.lon), lat: Number(r.lat), households: 0, members: [], incomes: [] };
			out.push(v);
		}
		v.households++;
		v.members.push(Number(r.members));
		v.incomes.push(Number(r.income));
	}
	return out;
}

export interface PlacedPoint {
	id: number;
	kind: string;
	lon: number;
	lat: number;
}

/** Facilities (by kind) and industry sites (by stage, all chains, operating or planned) of the county. */
export async function servicePoints(db: Kysely<Database>, county: string): Promise<{ facilities: PlacedPoint[]; industry: PlacedPoint[] }> {
	const facilities = await db
		.selectFrom('facilities')
		.select(['id', 'kind', sql<number>`ST_X(geom)`.as('lon'), sql<number>`ST_Y(geom)`.as('lat')])
		.where('county_code', '=', county)
		.orderBy('id')
		.execute();
	const industry = await db
		.selectFrom('industry_sites')
		.select(['id', 'stage as kind', sql<number>`ST_X(geom)`.as('lon'), sql<number>`ST_Y(geom)`.as('lat')])
		.where('county_code', '=', county)
		.orderBy('id')
		.execute();
	const norm = (r: { id: number; kind: string; lon: number; lat: number }) => ({ id: Number(r.id), kind: r.kind, lon: Number(r.lon), lat: Number(r.lat) });
	return { facilities: facilities.map(norm), industry: industry.map(norm) };
}
