// Relocation sites with their assigned households, origin villages, costs and housing-cost gap.
// Three SQL steps (sites; the village × site table of relocating households; the households of the
// sites, for the gap) and the pure parts: suppressTable (cells.ts) and the housing-gap core.
import { sql } from 'kysely';
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
	villagePoints
} from '../housing-cost-gap/data.server.ts';
import type { ScenarioRef } from '../housing-cost-gap/definition.ts';
import type { ArcFeature, RelocationSitesData, SiteFeature, SiteKind, SiteStatus } from './definition.ts';

export const query: LayerQuery = async ({ db }, params): Promise<RelocationSitesData> => {
	const k = effectiveK(params);
	const policyOf = await scenarioPolicies(db, params);
	const snap = await relocationSnapshot(db);

	const siteRows = await db
		.selectFrom('relocation_sites')
		.select([
			'id',
			'county_code',
			'name_zh',
			'kind',
			'status',
			'capacity_households',
			'land_cost_yuan',
			'building_cost_yuan',
			sql<number>`ST_X(geom)`.as('lon'),
			sql<number>`ST_Y(geom)`.as('lat')
		])
		.$if(params.county !== null, (qb) => qb.where('county_code', '=', params.county!))
		.orderBy('id')
		.execute();

	const withheld = snap.suppression(k);
	const siteIds = new Set(siteRows.map((s) => s.id));
	const bySite = new Map<number, { village: string; count: number; hidden: boolean }[]>();
	for (const c of withheld.cells) {
		if (c.site === null || !siteIds.has(c.site)) continue;
		const list = bySite.get(c.site) ?? [];
		list.push({ village: c.village, count: c.count, hidden: c.hidden });
		bySite.set(c.site, list);
	}
	const villages = await villagePoints(db, [...new Set([...bySite.values()].flat().map((c) => c.village))]);

	// The gap of each site's households, under each household's county scenario.
	const households = (relocatingHouseholds(snap, params.county)).filter((h) => h.site !== null && siteIds.has(h.site));
	const gaps = householdGaps(households, policyOf);
	const totals = groupTotals(households.map((h, i) => ({ group: String(h.site), result: gaps[i] })));

	const sites: SiteFeature[] = [];
	const arcs: ArcFeature[] = [];
	for (const s of siteRows) {
		const position: [number, number] = [round6(s.lon), round6(s.lat)];
		const origins = (bySite.get(s.id) ?? []).sort((a, b) => (a.village < b.village ? -1 : 1));
		const total = origins.reduce((sum, c) => sum + c.count, 0);
		// null for 1..k−1, or when withheld to protect a cell (cells.ts).
		const assigned = withheld.siteHidden(s.id) ? null : total;
		const capacity = Number(s.capacity_households);
		const landCost = Number(s.land_cost_yuan);
		const buildingCost = Number(s.building_cost_yuan);
		sites.push({
			type: 'site',
			id: s.id,
			county: s.county_code,
			name: s.name_zh,
			kind: s.kind as SiteKind,
			status: s.status as SiteStatus,
			position,
			capacity,
			assigned,
			fill: assigned === null ? null : Math.round((assigned / capacity) * 1000) / 1000,
			landCost,
			buildingCost,
			totalCost: landCost + buildingCost,
			origins: origins.map((o) => ({ code: o.village, name: villages.get(o.village)?.name ?? o.village, households: o.hidden ? null : o.count })),
			gap: assigned === null ? null : summarise(totals.get(String(s.id)), k)
		});
		for (const o of origins) {
			const v = villages.get(o.village);
			if (!v) continue;
			arcs.push({
				type: 'arc',
				siteId: s.id,
				siteName: s.name_zh,
				village: o.village,
				villageName: v.name,
				from: v.position,
				to: position,
				households: o.hidden ? null : o.count
			});
		}
	}

	const counties = [...new Set([...(params.county ? [params.county] : []), ...sites.map((s) => s.county)])].sort();
	const scenarios: ScenarioRef[] = counties.map((c) => policyOf(c).ref);
	return { k, scenarios, sites, arcs };
};
