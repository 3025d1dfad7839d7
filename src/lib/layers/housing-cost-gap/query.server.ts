// Housing-cost gap per origin village and per relocation site. SQL gives the relocating households
// (members, income, village, site) and the scenario of each county; the housing-gap core computes
// each household's gap; `summarise` totals the groups. Villages and sites of 1..k−1 households, and
// those withheld to protect such a count (relocation-sites/cells.ts), get no figures.
import { sql } from 'kysely';
import type { HousingGapResult } from '$lib/analysis/housing-gap';
import type { LayerQuery } from '../server.ts';
import {
	effectiveK,
	groupTotals,
	householdGaps,
	relocatingHouseholds,
	relocationSnapshot,
	round6,
	scenarioPolicies,
	summarise,
	villagePoints,
	type PlacePoint
} from './data.server.ts';
import { MEANS_SHARE_OF_ANNUAL_INCOME, type GapPlace, type HousingCostGapData } from './definition.ts';

export const query: LayerQuery = async ({ db }, params): Promise<HousingCostGapData> => {
	const k = effectiveK(params);
	const policyOf = await scenarioPolicies(db, params);
	const snap = await relocationSnapshot(db);
	const households = relocatingHouseholds(snap, params.county);
	const gaps = householdGaps(households, policyOf);
	const withheld = snap.suppression(k);

	// Each household counts in two groups: its origin village and its site.
	const rows: { group: string; result: HousingGapResult }[] = [];
	const villageCodes = new Set<string>();
	const siteIdSet = new Set<number>();
	households.forEach((h, i) => {
		// A village is drawn for its own county; a site for its own county (a household of another
		// county moving to this county's site counts at the site only).
		if (params.county === null || h.county === params.county) {
			rows.push({ group: `v:${h.village}`, result: gaps[i] });
			villageCodes.add(h.village);
		}
		if (h.site !== null) {
			rows.push({ group: `s:${h.site}`, result: gaps[i] });
			siteIdSet.add(h.site);
		}
	});
	const totals = groupTotals(rows);

	const villagePlaces = await villagePoints(db, [...villageCodes]);
	const siteIds = [...siteIdSet].sort((a, b) => a - b);
	const siteRows = siteIds.length
		? await db
				.selectFrom('relocation_sites')
				.select(['id', 'county_code', 'name_zh', sql<number>`ST_X(geom)`.as('lon'), sql<number>`ST_Y(geom)`.as('lat')])
				.where(sql<boolean>`id = any(${siteIds}::int[])`)
				.$if(params.county !== null, (qb) => qb.where('county_code', '=', params.county!))
				.orderBy('id')
				.execute()
		: [];
	const sitePlaces = new Map<string, PlacePoint>(
		siteRows.map((s) => [String(s.id), { id: String(s.id), county: s.county_code, name: s.name_zh, position: [round6(s.lon), round6(s.lat)] }])
	);

	const place = (type: GapPlace['type'], p: PlacePoint, group: string, hidden: boolean): GapPlace => ({
		type,
		id: p.id,
		county: p.county,
		name: p.name,
		position: p.position,
		gap: hidden ? null : summarise(totals.get(group), k),
		scenario: policyOf(p.county).ref.name
	});
	const villages = [...villageCodes]
		.filter((code) => villagePlaces.has(code))
		.sort()
		.map((code) => place('village', villagePlaces.get(code)!, `v:${code}`, withheld.villageHidden(code)));
	const sites = siteRows.map((s) => place('site', sitePlaces.get(String(s.id))!, `s:${s.id}`, withheld.siteHidden(s.id)));

	const counties = [...new Set([...(params.county ? [params.county] : []), ...villages.map((v) => v.county), ...sites.map((s) => s.county)])].sort();
	return { k, meansShare: MEANS_SHARE_OF_ANNUAL_INCOME, scenarios: counties.map((c) => policyOf(c).ref), villages, sites };
};
