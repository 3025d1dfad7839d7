// Siting result (选址与分配结果): the latest finished location-allocation run of the county (and
// scenario), or the run named by the `run` parameter, drawn on the map. The siting panel sets `run`
// when a run finishes, so the layer's data URL changes and the map fetches the new result rather
// than drawing its cached copy of the previous one. Client-safe and pure.
//
// Chosen sites are orange circles sized by the households assigned (area ∝ households; a withheld
// count, 1..k−1, gets one fixed size and a grey fill so the size tells nothing). Eligible candidates
// not chosen are hollow rings; candidates in a constraint zone are small grey dots. Arcs run from
// each origin village to its chosen site, wider for more households. Before any run the layer shows
// the candidates alone, so a planner sees what the solver will choose from.
import type { Locale } from '$lib/i18n';
import { appliedK as kOf, type LayerParams } from '../params.ts';
import { SUPPRESSED_COLOR } from '../scale.ts';
import type { DeckLayerSpec, LayerDefinition, Legend, Localized, Rgba, StyleContext } from '../types.ts';
import { formatHouseholds, withheld } from '../housing-cost-gap/format.ts';

export type SiteRole = 'chosen' | 'candidate' | 'excluded';

export interface SitingSite {
	id: number;
	name: string;
	role: SiteRole;
	/** [lon, lat] */
	position: [number, number];
	capacity: number;
	/** Households assigned (chosen sites); null when withheld or not chosen. */
	households: number | null;
	/** Household-weighted mean minutes of its villages (chosen sites, when shown). */
	meanMinutes: number | null;
	/** Constraint-zone kinds (excluded sites). */
	exclusions: string[];
}

export interface SitingArc {
	village: string;
	villageName: string;
	siteId: number;
	siteName: string;
	from: [number, number];
	to: [number, number];
	households: number | null;
	minutes: number;
}

export interface SitingResultData {
	k: number;
	/** The run drawn; null before any run (candidates only). */
	runId: number | null;
	scenario: number | null;
	sites: SitingSite[];
	arcs: SitingArc[];
}


export const CHOSEN_COLOR: Rgba = [217, 95, 2, 230];
export const CHOSEN_LINE: Rgba = [84, 39, 0, 255];
export const CANDIDATE_LINE: Rgba = [90, 90, 90, 220];
export const EXCLUDED_COLOR: Rgba = [160, 160, 160, 170];
export const ARC_SOURCE: Rgba = [253, 174, 107, 200];
export const ARC_TARGET: Rgba = [217, 95, 2, 230];
/** Radius of a chosen site whose count is withheld: one size, whatever the count. */
export const WITHHELD_RADIUS = 7;
export const CANDIDATE_RADIUS = 6;
export const EXCLUDED_RADIUS = 4;
export const WITHHELD_ARC_WIDTH = 1.5;
const SIZE_SAMPLES = [20, 100, 400];

/** Radius in pixels of a chosen site from its households (area ∝ households). */
export function chosenRadius(households: number | null): number {
	if (households === null) return WITHHELD_RADIUS;
	return Math.min(32, Math.max(6, 4 + 1.1 * Math.sqrt(households)));
}

/** Arc width in pixels; every withheld arc gets the same width. */
export function arcWidth(households: number | null): number {
	if (households === null) return WITHHELD_ARC_WIDTH;
	return households >= 100 ? 8 : households >= 50 ? 5 : households >= 20 ? 3.5 : 2.5;
}

const EXCLUSION: Record<string, Localized> = {
	geohazard: { 'zh-CN': '地质灾害区', en: 'geohazard zone' },
	flood: { 'zh-CN': '洪涝区', en: 'flood zone' },
	ecological: { 'zh-CN': '生态保护红线', en: 'ecological red line' },
	farmland: { 'zh-CN': '永久基本农田', en: 'permanent basic farmland' }
};

const isArc = (o: SitingSite | SitingArc): o is SitingArc => 'village' in o;

export function exclusionLabel(kinds: readonly string[], locale: Locale): string {
	return kinds.map((k) => EXCLUSION[k]?.[locale] ?? k).join(locale === 'zh-CN' ? '、' : '; ');
}

function legend(params: LayerParams, data?: SitingResultData): Legend {
	const k = data?.k ?? kOf(params);
	return {
		title: { 'zh-CN': '选址结果：入选安置点与分配', en: 'Siting result: chosen sites and assignment' },
		kind: 'symbol',
		items: [
			...SIZE_SAMPLES.map((n) => ({
				color: CHOSEN_COLOR,
				label: { 'zh-CN': `入选安置点，分配 ${n} 户`, en: `chosen site, ${n} households assigned` },
				shape: 'circle' as const,
				size: chosenRadius(n)
			})),
			{ color: SUPPRESSED_COLOR, label: { 'zh-CN': `入选安置点，户数不公开（少于 ${k} 户）`, en: `chosen site, count withheld (under ${k})` }, shape: 'circle', size: WITHHELD_RADIUS },
			{ color: CANDIDATE_LINE, label: { 'zh-CN': '未入选的备选点', en: 'candidate not chosen' }, shape: 'ring', size: CANDIDATE_RADIUS },
			{ color: EXCLUDED_COLOR, label: { 'zh-CN': '位于限制区的备选点（已排除）', en: 'candidate in a constraint zone (excluded)' }, shape: 'circle', size: EXCLUDED_RADIUS },
			{ color: ARC_TARGET, label: { 'zh-CN': '迁出村 → 安置点', en: 'origin village → site' }, shape: 'line', size: 3.5 },
			{ color: SUPPRESSED_COLOR, label: { 'zh-CN': `户数不公开的迁移（少于 ${k} 户）`, en: `move with count withheld (under ${k})` }, shape: 'line', size: WITHHELD_ARC_WIDTH }
		],
		note: {
			'zh-CN': data?.runId ? `最近一次选址分析（第 ${data.runId} 次运行）。` : '尚无选址分析结果：显示全部备选点。',
			en: data?.runId ? `Latest siting analysis (run ${data.runId}).` : 'No siting analysis yet: all candidate sites shown.'
		}
	};
}

function siteFill(s: SitingSite): Rgba {
	if (s.role === 'excluded') return EXCLUDED_COLOR;
	if (s.role === 'candidate') return [255, 255, 255, 120];
	return s.households === null ? SUPPRESSED_COLOR : CHOSEN_COLOR;
}

function siteRadius(s: SitingSite): number {
	return s.role === 'chosen' ? chosenRadius(s.households) : s.role === 'candidate' ? CANDIDATE_RADIUS : EXCLUDED_RADIUS;
}

const ORDER: Record<SiteRole, number> = { excluded: 0, candidate: 1, chosen: 2 };

function toDeck(data: SitingResultData, ctx: StyleContext): DeckLayerSpec[] {
	const hovered = ctx.hoveredId ?? null;
	const dim = (c: Rgba, a: SitingArc): Rgba => (hovered === null || hovered === a.siteId ? c : [c[0], c[1], c[2], Math.round(c[3] * 0.35)]);
	return [
		{
			type: 'ArcLayer',
			props: {
				id: 'siting-result-arcs',
				data: data.arcs,
				pickable: true,
				opacity: ctx.opacity,
				widthUnits: 'pixels',
				getSourcePosition: (a: SitingArc) => a.from,
				getTargetPosition: (a: SitingArc) => a.to,
				getWidth: (a: SitingArc) => arcWidth(a.households),
				getSourceColor: (a: SitingArc) => dim(a.households === null ? SUPPRESSED_COLOR : ARC_SOURCE, a),
				getTargetColor: (a: SitingArc) => dim(a.households === null ? SUPPRESSED_COLOR : ARC_TARGET, a),
				updateTriggers: { getSourceColor: [hovered], getTargetColor: [hovered] }
			}
		},
		{
			type: 'ScatterplotLayer',
			props: {
				id: 'siting-result-sites',
				// Chosen sites on top, big ones first among them so small ones stay clickable.
				data: [...data.sites].sort((a, b) => ORDER[a.role] - ORDER[b.role] || siteRadius(b) - siteRadius(a) || a.id - b.id),
				pickable: true,
				opacity: ctx.opacity,
				stroked: true,
				filled: true,
				radiusUnits: 'pixels',
				lineWidthUnits: 'pixels',
				getPosition: (s: SitingSite) => s.position,
				getRadius: siteRadius,
				getFillColor: siteFill,
				getLineColor: (s: SitingSite) => (s.role === 'chosen' ? CHOSEN_LINE : s.role === 'candidate' ? CANDIDATE_LINE : EXCLUDED_COLOR),
				getLineWidth: (s: SitingSite) => (s.role === 'excluded' ? 0.5 : s.role === 'candidate' ? 1.5 : 2) + (hovered === s.id ? 2 : 0),
				updateTriggers: { getLineWidth: [hovered] }
			}
		}
	];
}

const ROLE: Record<SiteRole, Localized> = {
	chosen: { 'zh-CN': '入选', en: 'chosen' },
	candidate: { 'zh-CN': '未入选', en: 'not chosen' },
	excluded: { 'zh-CN': '已排除', en: 'excluded' }
};

function minutes(m: number | null, locale: Locale): string {
	return m === null ? '—' : locale === 'zh-CN' ? `${m.toFixed(1)} 分钟` : `${m.toFixed(1)} min`;
}

function details(object: SitingSite | SitingArc, locale: Locale, params: LayerParams): { label: string; value: string }[] {
	const zh = locale === 'zh-CN';
	const k = kOf(params);
	if (isArc(object)) {
		return [
			{ label: zh ? '迁出村' : 'origin village', value: object.villageName },
			{ label: zh ? '安置点' : 'site', value: object.siteName },
			{ label: zh ? '户数' : 'households', value: object.households === null ? withheld(locale, k) : formatHouseholds(object.households, locale) },
			{ label: zh ? '行程' : 'travel', value: minutes(object.minutes, locale) }
		];
	}
	const rows = [
		{ label: zh ? '名称' : 'name', value: object.name },
		{ label: zh ? '结果' : 'result', value: ROLE[object.role][locale] },
		{ label: zh ? '容量' : 'capacity', value: formatHouseholds(object.capacity, locale) }
	];
	if (object.role === 'chosen') {
		rows.push({ label: zh ? '分配户数' : 'households assigned', value: object.households === null ? withheld(locale, k) : formatHouseholds(object.households, locale) });
		rows.push({ label: zh ? '平均行程' : 'mean travel', value: minutes(object.meanMinutes, locale) });
	}
	if (object.exclusions.length) rows.push({ label: zh ? '排除原因' : 'excluded because', value: exclusionLabel(object.exclusions, locale) });
	return rows;
}

function tooltip(object: SitingSite | SitingArc, locale: Locale, params: LayerParams): string | null {
	const zh = locale === 'zh-CN';
	if (isArc(object)) {
		const n = object.households === null ? withheld(locale, kOf(params)) : formatHouseholds(object.households, locale);
		return `${object.villageName} → ${object.siteName}\n${zh ? '户数' : 'households'}: ${n}\n${zh ? '行程' : 'travel'}: ${minutes(object.minutes, locale)}`;
	}
	return details(object, locale, params)
		.slice(1)
		.reduce((text, r) => `${text}\n${r.label}: ${r.value}`, object.name);
}

export const definition: LayerDefinition<SitingResultData, SitingSite | SitingArc> = {
	id: 'siting-result',
	title: { 'zh-CN': '选址与分配结果', en: 'Siting result' },
	description: {
		'zh-CN': '最近一次选址分析：入选安置点（按分配户数定大小）、未入选与被排除的备选点，以及迁出村到安置点的分配（少于 k 户的数字不显示）。',
		en: 'The latest siting analysis: chosen sites (sized by households assigned), candidates not chosen or excluded, and the assignment of origin villages to sites (counts under k withheld).'
	},
	group: 'data',
	minRole: 'bureau',
	zoom: { min: 6, max: 22 },
	params: ['county', 'scenario', 'k', 'run'],
	// The latest location-allocation run (or the one asked for) is what it draws: analysis_runs is
	// versioned (migration 0005).
	reads: ['analysis_runs', 'relocation_sites', 'constraint_zones', 'villages', 'scenarios'],
	fields: ['k', 'runId', 'sites.id', 'sites.name', 'sites.role', 'sites.position', 'sites.capacity', 'sites.households', 'sites.exclusions', 'arcs'],
	format: 'json',
	legend,
	toDeck,
	tooltip,
	details
};
