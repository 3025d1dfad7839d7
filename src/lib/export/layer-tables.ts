// A registry layer's data, as the map receives it (already suppressed on the server), turned into
// one flat table for the file writers: one row per drawn place, a point geometry, plain columns.
// Withheld counts stay null, with a "<k" flag column beside them, exactly as the map shows them.
// Pure and client-safe; the unit tests feed it the layers' own data types.
import type { Geometry } from 'geojson';
import type { CellValue, OutputColumn, OutputTable } from '$lib/formats/types';
import { STAGES } from '$lib/layers/params';
import type { PovertyDensityTable } from '$lib/layers/poverty-density/definition';
import { SUPPRESSED_POOR, SUPPRESSED_REGISTERED } from '$lib/layers/poverty-density/definition';
import type { RelocationSitesData } from '$lib/layers/relocation-sites/definition';
import type { HousingCostGapData, GapSummary } from '$lib/layers/housing-cost-gap/definition';
import type { CoverageData } from '$lib/layers/industrial-chain-coverage/coverage';
import type { ViewBbox } from './targets.ts';

type Row = { values: CellValue[]; geometry: Geometry | null };
interface Flat {
	columns: OutputColumn[];
	rows: { position: [number, number]; values: CellValue[] }[];
}

const col = (name: string, type: OutputColumn['type']): OutputColumn => ({ name, type });
const flag = (withheld: boolean, k: number) => (withheld ? `<${k}` : null);
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

function povertyDensity(t: PovertyDensityTable): Flat {
	const { columns: c, meta } = t;
	const village = meta.level === 'village';
	const columns = [
		...(village ? [col('code', 'text'), col('name_zh', 'text')] : []),
		col('level', 'text'),
		col('year', 'integer'),
		col('villages', 'integer'),
		col('population', 'integer'),
		col('registered', 'integer'),
		col('registered_flag', 'text'),
		col('poor', 'integer'),
		col('poor_flag', 'text'),
		col('poor_members', 'integer'),
		col('incidence_pct', 'real')
	];
	const rows = Array.from({ length: t.length }, (_, i) => {
		const regHidden = (c.suppressed[i] & SUPPRESSED_REGISTERED) !== 0;
		const poorHidden = (c.suppressed[i] & SUPPRESSED_POOR) !== 0;
		return {
			position: [c.lon[i], c.lat[i]] as [number, number],
			values: [
				...(village ? [meta.codes[i], meta.names[i]] : []),
				meta.level,
				meta.year,
				c.villages[i],
				c.population[i],
				regHidden ? null : c.registered[i],
				flag(regHidden, meta.k),
				poorHidden ? null : c.poor[i],
				flag(poorHidden, meta.k),
				poorHidden ? null : c.poorMembers[i],
				Number.isNaN(c.incidence[i]) ? null : round(c.incidence[i], 2)
			]
		};
	});
	return { columns, rows };
}

const GAP_COLUMNS = [col('gap_households', 'integer'), col('gap_total_yuan', 'integer'), col('gap_per_household_yuan', 'integer'), col('over_cap_share', 'real')];
const gapValues = (g: GapSummary | null): CellValue[] =>
	g ? [g.households, Math.round(g.total), Math.round(g.perHousehold), g.overCapShare === null ? null : round(g.overCapShare, 4)] : [null, null, null, null];

function relocationSites(d: RelocationSitesData): Flat {
	return {
		columns: [
			col('id', 'integer'),
			col('name_zh', 'text'),
			col('county_code', 'text'),
			col('kind', 'text'),
			col('status', 'text'),
			col('capacity_households', 'integer'),
			col('assigned_households', 'integer'),
			col('assigned_flag', 'text'),
			col('fill_share', 'real'),
			col('land_cost_yuan', 'integer'),
			col('building_cost_yuan', 'integer'),
			...GAP_COLUMNS
		],
		rows: d.sites.map((s) => ({
			position: s.position,
			values: [
				s.id,
				s.name,
				s.county,
				s.kind,
				s.status,
				s.capacity,
				s.assigned,
				// null assigned with origins means withheld; a site nobody is assigned to has 0.
				flag(s.assigned === null, d.k),
				s.fill === null ? null : round(s.fill, 4),
				s.landCost,
				s.buildingCost,
				...gapValues(s.gap)
			]
		}))
	};
}

function housingCostGap(d: HousingCostGapData): Flat {
	return {
		columns: [col('place', 'text'), col('id', 'text'), col('name_zh', 'text'), col('county_code', 'text'), col('scenario', 'text'), ...GAP_COLUMNS, col('gap_flag', 'text')],
		rows: [...d.villages, ...d.sites].map((p) => ({
			position: p.position,
			values: [p.type, p.id, p.name, p.county, p.scenario, ...gapValues(p.gap), flag(p.gap === null, d.k)]
		}))
	};
}

function chainCoverage(d: CoverageData): Flat {
	return {
		columns: [
			col('code', 'text'),
			col('name_zh', 'text'),
			col('township_zh', 'text'),
			col('chain', 'text'),
			col('year', 'integer'),
			col('stages_reached', 'integer'),
			...STAGES.map((s) => col(`reach_${s}`, 'boolean')),
			...STAGES.map((s) => col(`min_${s}`, 'real')),
			col('missing', 'text'),
			col('poor_households', 'integer'),
			col('poor_flag', 'text'),
			col('flagged', 'boolean')
		],
		rows: d.villages.map((v) => ({
			position: v.position,
			values: [
				v.code,
				v.name_zh,
				v.township_zh,
				d.chain,
				d.year,
				v.stages_reached,
				...v.reached,
				...v.nearest_min,
				v.missing.join(','),
				v.poor_households,
				flag(v.poor_households_suppressed, d.k),
				v.flagged
			]
		}))
	};
}

const FLATTEN: Record<string, (data: never) => Flat> = {
	'poverty-density': povertyDensity,
	'relocation-sites': relocationSites,
	'housing-cost-gap': housingCostGap,
	'industrial-chain-coverage': chainCoverage
};

export function hasLayerTable(id: string): boolean {
	return id in FLATTEN;
}

const inside = ([lon, lat]: [number, number], b: ViewBbox | null) => !b || (lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3]);

/** The layer's rows inside the view (all when bbox is null) as an OutputTable of points. */
export function layerTable(id: string, data: unknown, name: string, bbox: ViewBbox | null): OutputTable {
	const flatten = FLATTEN[id];
	if (!flatten) throw new Error(`layer ${id} has no export table`);
	const flat = flatten(data as never);
	const rows: Row[] = flat.rows.filter((r) => inside(r.position, bbox)).map((r) => ({ values: r.values, geometry: { type: 'Point', coordinates: r.position } }));
	return { name, columns: flat.columns, geometryType: 'Point', rows };
}
