// The SQL steps shared by the housing-cost-gap and relocation-sites layers: which scenario each
// county uses, and the relocating households (plain rows, no names or positions). The gap itself is
// computed in TypeScript by the pure core ($lib/analysis/housing-gap), then summarised and
// suppressed here. Every request value is a bound parameter.
import { sql, type Kysely } from 'kysely';
import type { Database } from '$lib/server/db';
import { DEFAULT_K, ParamError, type LayerParams } from '../params.ts';
import { suppressCount } from '../suppress.ts';
import {
	aggregateHousingGaps,
	housingGapExact,
	resolveHousingGapParams,
	type HousingGapParams,
	type HousingGapResult,
	type HousingGapSummary
} from '$lib/analysis/housing-gap';
import { suppressTable } from '../relocation-sites/cells.ts';
import { versionKey } from '../versions.server.ts';
import { MEANS_SHARE_OF_ANNUAL_INCOME, type GapSummary, type ScenarioRef } from './definition.ts';

/** The scenario a county uses and its policy parameters, as the housing-gap core takes them. */
export interface ScenarioPolicy {
	ref: ScenarioRef;
	params: HousingGapParams;
}

/** The defaults of domain.md (= the column defaults of `scenarios`), for a county with no scenario. */
export function defaultPolicy(county: string): ScenarioPolicy {
	return { ref: { county, id: null, name: null }, params: resolveHousingGapParams({ meansShareOfIncome: MEANS_SHARE_OF_ANNUAL_INCOME }) };
}

/** The k a query applies: the request's, never below the floor. */
export const effectiveK = (params: LayerParams) => Math.max(params.k, DEFAULT_K);

const scenarioColumns = [
	'id',
	'county_code',
	'name',
	'area_per_person_m2',
	'large_household_members',
	'large_household_cap_m2',
	'construction_cost_per_m2_yuan',
	'subsidy_per_household_yuan',
	'subsidy_per_person_yuan',
	'self_funding_cap_per_person_yuan',
	'self_funding_cap_per_household_yuan'
] as const;

type ScenarioRow = {
	id: number;
	county_code: string;
	name: string;
	area_per_person_m2: number;
	large_household_members: number;
	large_household_cap_m2: number;
	construction_cost_per_m2_yuan: number;
	subsidy_per_household_yuan: number;
	subsidy_per_person_yuan: number;
	self_funding_cap_per_person_yuan: number;
	self_funding_cap_per_household_yuan: number;
};

function toPolicy(r: ScenarioRow): ScenarioPolicy {
	return {
		ref: { county: r.county_code, id: r.id, name: r.name },
		params: resolveHousingGapParams({
			areaPerPersonM2: Number(r.area_per_person_m2),
			largeHouseholdMembers: Number(r.large_household_members),
			largeHouseholdCapM2: Number(r.large_household_cap_m2),
			costPerM2Yuan: Number(r.construction_cost_per_m2_yuan),
			subsidyPerHouseholdYuan: Number(r.subsidy_per_household_yuan),
			subsidyPerPersonYuan: Number(r.subsidy_per_person_yuan),
			selfFundingCapPerPersonYuan: Number(r.self_funding_cap_per_person_yuan),
			selfFundingCapPerHouseholdYuan: Number(r.self_funding_cap_per_household_yuan),
			meansShareOfIncome: MEANS_SHARE_OF_ANNUAL_INCOME
		})
	};
}

/**
 * The scenario of each county: `params.scenario` for its own county, otherwise the county's
 * baseline (lowest id). A scenario that does not exist, or belongs to another county than
 * `params.county`, is a parameter error. Counties with no scenario get `defaultPolicy`.
 */
export async function scenarioPolicies(db: Kysely<Database>, params: LayerParams): Promise<(county: string) => ScenarioPolicy> {
	// One statement: the scenarios of the county asked for (or all), and the chosen one wherever it is.
	const rows = (await db
		.selectFrom('scenarios')
		.select([...scenarioColumns])
		.where((eb) =>
			eb.or([
				params.county === null ? eb.lit(true) : eb('county_code', '=', params.county),
				...(params.scenario !== null ? [eb('id', '=', params.scenario)] : [])
			])
		)
		.orderBy('id')
		.execute()) as ScenarioRow[];
	// The baseline of a county is its lowest id (rows are in id order: the first seen).
	const byCounty = new Map<string, ScenarioPolicy>();
	for (const r of rows) if (!byCounty.has(r.county_code) && (params.county === null || r.county_code === params.county)) byCounty.set(r.county_code, toPolicy(r));
	if (params.scenario !== null) {
		const chosen = rows.find((r) => r.id === params.scenario);
		if (!chosen) throw new ParamError('scenario', `there is no scenario ${params.scenario}`);
		if (params.county !== null && chosen.county_code !== params.county)
			throw new ParamError('scenario', `scenario ${params.scenario} belongs to county ${chosen.county_code}, not ${params.county}`);
		byCounty.set(chosen.county_code, toPolicy(chosen));
	}
	const defaults = new Map<string, ScenarioPolicy>();
	return (county) => byCounty.get(county) ?? defaults.get(county) ?? defaults.set(county, defaultPolicy(county)).get(county)!;
}

/** One relocating household (relocation_status planned or relocated): the inputs of its gap. */
export interface RelocatingHousehold {
	county: string;
	village: string;
	/** Target site id, or null when none is chosen yet. */
	site: number | null;
	/** The target site's county (null without a site). */
	siteCounty: string | null;
	members: number;
	incomePerCapita: number;
}

/** The withholding decision over the whole village × site table (cells.ts), shared by both layers. */
export interface RelocationSuppression {
	/** Every (village, site) pair with relocating households; site null = no site yet. */
	cells: { village: string; site: number | null; count: number; hidden: boolean }[];
	/** A village's relocating-household total is withheld (1..k−1, or to protect a cell). */
	villageHidden(code: string): boolean;
	/** A site's assigned total is withheld (1..k−1, or to protect a cell). */
	siteHidden(id: number): boolean;
}

/**
 * Every relocating household of every county, read in one pass over `households` (there is no
 * index on relocation_status: each read is a full scan, ~50 ms on PGlite at demo scale), with the
 * village × site table and its suppression derived from it. Both relocation layers and every k,
 * scenario and county ask for parts of the same snapshot, so it is kept per data version of the
 * two tables it reads: one scan per change, not two per request.
 */
export interface RelocationSnapshot {
	/** Ordered by household code (sums are then the same on every run). */
	households: RelocatingHousehold[];
	/** The village × site table with its withholding for k (computed once per k). */
	suppression(k: number): RelocationSuppression;
}

let snapshot: { key: string; value: Promise<RelocationSnapshot> } | null = null;

export async function relocationSnapshot(db: Kysely<Database>): Promise<RelocationSnapshot> {
	const key = await versionKey(db, ['households', 'relocation_sites']);
	if (snapshot?.key !== key) {
		const value = loadSnapshot(db);
		snapshot = { key, value };
		// A failed load is not kept: the next request tries again.
		value.catch(() => {
			if (snapshot?.value === value) snapshot = null;
		});
	}
	return snapshot.value;
}

async function loadSnapshot(db: Kysely<Database>): Promise<RelocationSnapshot> {
	const rows = await db
		.selectFrom('households as h')
		.leftJoin('relocation_sites as s', 's.id', 'h.target_site_id')
		.select(['h.county_code', 'h.village_code', 'h.target_site_id', 's.county_code as site_county', 'h.members', 'h.income_per_capita_yuan'])
		.where('h.relocation_status', 'in', ['planned', 'relocated'])
		.orderBy('h.code')
		.execute();
	const households: RelocatingHousehold[] = rows.map((r) => ({
		county: r.county_code,
		village: r.village_code,
		site: r.target_site_id,
		siteCounty: r.site_county,
		members: Number(r.members),
		incomePerCapita: Number(r.income_per_capita_yuan)
	}));
	// The village × site table, whatever county is asked for: which parts are withheld must not
	// depend on the request (cells.ts). Households without a site are a never-shown part of their
	// village's row.
	const counts = new Map<string, { village: string; site: number | null; count: number }>();
	for (const h of households) {
		const cellKey = `${h.village}|${h.site ?? ''}`;
		const cell = counts.get(cellKey);
		if (cell) cell.count++;
		else counts.set(cellKey, { village: h.village, site: h.site, count: 1 });
	}
	const cells = [...counts.values()];
	const byK = new Map<number, RelocationSuppression>();
	return {
		households,
		suppression(k) {
			let s = byK.get(k);
			if (!s) {
				const result = suppressTable(
					cells.map((c) => ({ row: c.village, col: c.site === null ? null : String(c.site), count: c.count })),
					k
				);
				s = {
					cells: cells.map((c, i) => ({ ...c, hidden: result.cells[i] })),
					villageHidden: (code) => result.rows.has(code),
					siteHidden: (id) => result.cols.has(String(id))
				};
				byK.set(k, s);
			}
			return s;
		}
	};
}

/**
 * Relocating households of `county` (by their own county or by their site's county), or all.
 * A village's households and a site's households are therefore complete for the county asked for.
 */
export function relocatingHouseholds(snap: RelocationSnapshot, county: string | null): RelocatingHousehold[] {
	return county === null ? snap.households : snap.households.filter((h) => h.county === county || h.siteCounty === county);
}

export interface PlacePoint {
	id: string;
	county: string;
	name: string;
	position: [number, number];
}

let villageMemo: { key: string; value: Promise<Map<string, PlacePoint>> } | null = null;

/**
 * Names and positions of villages, by code. Every village is read once per data version of
 * `villages` (a few thousand rows per province) and looked up in memory: the per-request form,
 * `code = any($codes)`, cost ~20 ms of CPU on PGlite for a county's few hundred codes.
 */
export async function villagePoints(db: Kysely<Database>, codes: readonly string[]): Promise<Map<string, PlacePoint>> {
	if (codes.length === 0) return new Map();
	const key = await versionKey(db, ['villages']);
	if (villageMemo?.key !== key) {
		const value = db
			.selectFrom('villages')
			.select(['code', 'county_code', 'name_zh', sql<number>`ST_X(geom)`.as('lon'), sql<number>`ST_Y(geom)`.as('lat')])
			.execute()
			.then((rows) => new Map(rows.map((r) => [r.code, { id: r.code, county: r.county_code, name: r.name_zh, position: [round6(r.lon), round6(r.lat)] as [number, number] }])));
		villageMemo = { key, value };
		value.catch(() => {
			if (villageMemo?.value === value) villageMemo = null;
		});
	}
	const all = await villageMemo.value;
	const out = new Map<string, PlacePoint>();
	for (const code of codes) {
		const p = all.get(code);
		if (p) out.set(code, p);
	}
	return out;
}

/** 6 decimals of a degree (~0.1 m): more than any source here has. */
export const round6 = (x: number) => Math.round(Number(x) * 1e6) / 1e6;

/** Each household's gap under its county's scenario (exact: totals are rounded after summing). */
export function householdGaps(households: readonly RelocatingHousehold[], policyOf: (county: string) => ScenarioPolicy): HousingGapResult[] {
	return households.map((h) => housingGapExact({ members: h.members, perCapitaIncomeYuan: h.incomePerCapita }, policyOf(h.county).params));
}

/** Group totals (the core's aggregation) of household results, keyed by any group name. */
export function groupTotals(rows: ReadonlyArray<{ group: string; result: HousingGapResult }>): Map<string, HousingGapSummary> {
	return new Map(aggregateHousingGaps(rows).groups.map((g) => [g.group, g]));
}

/**
 * A group's figures for the map, or null when it has 1..k−1 households (withheld).
 *
 * The map's gap is signed: cost − subsidies − the self-funding asked. It equals the core's gap
 * where cost exceeds the subsidies, and is the (negative) surplus where the subsidies exceed the
 * cost (the core then asks nothing and reports a gap of 0). Group totals are net: one family's
 * surplus offsets another's gap, as pooled county funds would.
 *
 * The share over the cap is withheld as well when the households over it, or those not over it,
 * are 1..k−1: the share times the count would give that small count back.
 */
export function summarise(g: HousingGapSummary | undefined, k: number): GapSummary | null {
	if (!g || g.households === 0 || suppressCount(g.households, k).suppressed) return null;
	const n = g.households;
	const over = g.overCapHouseholds;
	const total = g.totalCostYuan - g.totalSubsidyYuan - g.totalAskedSelfFundingYuan;
	const shareShown = !suppressCount(over, k).suppressed && !suppressCount(n - over, k).suppressed;
	return {
		households: n,
		total,
		perHousehold: Math.round(total / n),
		overCapShare: shareShown ? Math.round((over / n) * 1000) / 1000 : null
	};
}
