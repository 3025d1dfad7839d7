// Housing-cost gap of relocating households (domain.md): per origin village and per relocation site,
// under the county's scenario policy parameters. Client-safe and pure.
//
// Gap of a household = construction cost (area × unit cost) − subsidies − the self-funding it can be
// asked for (the smaller of its means and the cap). Positive: money nobody has planned for (red);
// negative: subsidies exceed the cost (blue). The colour is the gap per household on a diverging
// scale centred on zero, shared by the legend; the circle size is the total gap. Places with 1..k−1
// relocating households (or withheld to protect such a count, relocation-sites/cells.ts) get no
// values from the server and are drawn grey.
import type { Locale } from '$lib/i18n';
import { DEFAULT_HOUSING_GAP_PARAMS } from '$lib/analysis/housing-gap';
import { appliedK as kOf, type LayerParams } from '../params.ts';
import { RELOCATION_LAYER, sizeLegendItems, withheldLegendItem } from '../relocation-common.ts';
import { BU_RD, SUPPRESSED_COLOR, thresholdScale } from '../scale.ts';
import type { DeckLayerSpec, LayerDefinition, Legend, LegendItem, Rgba, StyleContext } from '../types.ts';
import { formatHouseholds, formatShare, formatYuan, withheld, yuanRange } from './format.ts';

/**
 * ASSUMPTION (not from a policy document): the money a household can put toward its new home is
 * half of one year's household income (income per person × members × 0.5) — savings plus a loan
 * it could repay within a few years. The national cap (≤ 3,000 yuan per person, ≤ 10,000 per
 * household) then limits what it may be asked for. The scenarios table has no column for it, so
 * both layers use this one value (the housing-gap core's default); the legend note prints it.
 */
export const MEANS_SHARE_OF_ANNUAL_INCOME: number = DEFAULT_HOUSING_GAP_PARAMS.meansShareOfIncome;

/** The scenario whose policy parameters a county's figures use. */
export interface ScenarioRef {
	county: string;
	/** null: the county has no scenario; the policy defaults of domain.md were used. */
	id: number | null;
	name: string | null;
}

/** Gap figures of a group of ≥ k relocating households. */
export interface GapSummary {
	households: number;
	/** Σ gap, yuan: > 0 unplanned money, < 0 surplus. */
	total: number;
	/** total ÷ households, yuan. */
	perHousehold: number;
	/** Share whose required self-funding exceeds the cap; null when the households over (or under) it are 1..k−1. */
	overCapShare: number | null;
}

export interface GapPlace {
	type: 'village' | 'site';
	/** 12-digit village code, or the site id as text. */
	id: string;
	county: string;
	name: string;
	/** [lon, lat] */
	position: [number, number];
	/** null: 1..k−1 relocating households, withheld. */
	gap: GapSummary | null;
	/** Name of the scenario the figures use (null: policy defaults, the county has no scenario). */
	scenario: string | null;
}

export interface HousingCostGapData {
	k: number;
	meansShare: number;
	scenarios: ScenarioRef[];
	villages: GapPlace[];
	sites: GapPlace[];
}

/** Gap per household, yuan: a diverging scale centred on zero (blue surplus, grey-white ±1 万, red gap). */
export const GAP_SCALE = thresholdScale([-60_000, -30_000, -10_000, 10_000, 30_000, 60_000], BU_RD);

export const SITE_OUTLINE: Rgba = [37, 37, 37, 255];

/** Circle radius in pixels from the total gap (area ∝ |total|). */
export function gapRadius(total: number | null): number {
	if (total === null) return 4;
	return Math.min(40, Math.max(4, 3 + 0.8 * Math.sqrt(Math.abs(total) / 10_000)));
}
const RADIUS_SAMPLES = [500_000, 5_000_000, 20_000_000];

export function placeColor(place: GapPlace): Rgba {
	return place.gap === null ? SUPPRESSED_COLOR : GAP_SCALE.colorOf(place.gap.perHousehold);
}

function legend(params: LayerParams, data?: HousingCostGapData): Legend {
	const k = data?.k ?? kOf(params);
	const share = data?.meansShare ?? MEANS_SHARE_OF_ANNUAL_INCOME;
	const items: LegendItem[] = [
		...GAP_SCALE.items(yuanRange).map((item) => ({ ...item, shape: 'circle' as const })),
		withheldLegendItem({ 'zh-CN': `不公开（搬迁户少于 ${k} 户或为保护小数）`, en: `withheld (under ${k} relocating households, or protecting such a count)` }),
		{ color: SITE_OUTLINE, label: { 'zh-CN': '安置点（按迁入户）', en: 'relocation site (by households moving in)' }, shape: 'ring' },
		...sizeLegendItems(RADIUS_SAMPLES, (v) => ({ 'zh-CN': `缺口合计 ${formatYuan(v, 'zh-CN')}`, en: `total gap ${formatYuan(v, 'en')}` }))
	];
	return {
		title: { 'zh-CN': '住房资金缺口（户均）', en: 'Housing-cost gap per household' },
		kind: 'diverging',
		items,
		note: {
			'zh-CN': `缺口 = 建房成本（人均面积 × 单价）− 补助 − 可自筹（自身能力与自筹上限中较小者）。红色为无资金来源的缺口，蓝色为补助有余；合计为净额。自身能力按年收入的 ${Math.round(share * 100)}% 估算（假设）。圆大小表示缺口合计。`,
			en: `Gap = building cost (area × unit cost) − subsidies − self-funding (the smaller of the household's means and the cap). Red: money nobody has planned for; blue: subsidies exceed the cost; totals are net. Means assumed to be ${Math.round(share * 100)}% of a year's income (an assumption). Circle size is the total gap.`
		}
	};
}

function toDeck(data: HousingCostGapData, ctx: StyleContext): DeckLayerSpec[] {
	const hovered = ctx.hoveredId ?? null;
	const common = {
		pickable: true,
		opacity: ctx.opacity,
		stroked: true,
		filled: true,
		radiusUnits: 'pixels',
		lineWidthUnits: 'pixels',
		getPosition: (p: GapPlace) => p.position,
		getRadius: (p: GapPlace) => gapRadius(p.gap?.total ?? null),
		getFillColor: (p: GapPlace) => placeColor(p)
	};
	// Biggest first, so small circles stay on top and clickable.
	const bySize = (list: GapPlace[]) =>
		[...list].sort((a, b) => Math.abs(b.gap?.total ?? 0) - Math.abs(a.gap?.total ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	return [
		{
			type: 'ScatterplotLayer',
			props: {
				...common,
				id: 'housing-cost-gap-villages',
				data: bySize(data.villages),
				getLineColor: [255, 255, 255, 220],
				getLineWidth: (p: GapPlace) => (hovered === p.id ? 3 : 1),
				updateTriggers: { getLineWidth: [hovered] }
			}
		},
		{
			type: 'ScatterplotLayer',
			props: {
				...common,
				id: 'housing-cost-gap-sites',
				data: bySize(data.sites),
				getLineColor: SITE_OUTLINE,
				getLineWidth: (p: GapPlace) => (hovered === p.id ? 4 : 2.5),
				updateTriggers: { getLineWidth: [hovered] }
			}
		}
	];
}

function rows(place: GapPlace, locale: Locale, k: number): { label: string; value: string }[] {
	const L = (zh: string, en: string) => (locale === 'zh-CN' ? zh : en);
	const head = {
		label: place.type === 'village' ? L('迁出村', 'origin village') : L('安置点', 'relocation site'),
		value: place.name
	};
	if (!place.gap) return [head, { label: L('搬迁户数', 'relocating households'), value: withheld(locale, k) }];
	const g = place.gap;
	return [
		head,
		{ label: L('搬迁户数', 'relocating households'), value: formatHouseholds(g.households, locale) },
		{ label: g.total >= 0 ? L('资金缺口合计', 'total gap') : L('补助结余合计', 'total surplus'), value: formatYuan(Math.abs(g.total), locale) },
		{ label: g.perHousehold >= 0 ? L('户均缺口', 'gap per household') : L('户均结余', 'surplus per household'), value: formatYuan(Math.abs(g.perHousehold), locale) },
		{
			label: L('自筹超上限户占比', 'share over the self-funding cap'),
			value: g.overCapShare === null ? withheld(locale, k) : formatShare(g.overCapShare, locale)
		}
	];
}

function tooltip(object: GapPlace, locale: Locale, params: LayerParams): string | null {
	return rows(object, locale, kOf(params))
		.map((r, i) => (i === 0 ? r.value : `${r.label}${locale === 'zh-CN' ? '：' : ': '}${r.value}`))
		.join('\n');
}

function details(object: GapPlace, locale: Locale, params: LayerParams): { label: string; value: string }[] {
	const L = (zh: string, en: string) => (locale === 'zh-CN' ? zh : en);
	return [
		...rows(object, locale, kOf(params)),
		{ label: L('方案', 'scenario'), value: object.scenario ?? L('政策默认值', 'policy defaults') },
		{ label: L('县区代码', 'county code'), value: object.county },
		{
			label: L('自身能力（假设）', 'means (assumption)'),
			value: L(
				`人均收入 × 人口 × ${MEANS_SHARE_OF_ANNUAL_INCOME}`,
				`income per person × members × ${MEANS_SHARE_OF_ANNUAL_INCOME}`
			)
		}
	];
}

export const definition: LayerDefinition<HousingCostGapData, GapPlace> = {
	id: 'housing-cost-gap',
	title: { 'zh-CN': '住房资金缺口', en: 'Housing-cost gap' },
	description: {
		'zh-CN': '搬迁户建房成本减去补助和可承受自筹后的缺口，按迁出村和安置点汇总（少于 k 户不公开）。',
		en: 'What relocating households’ new homes cost beyond subsidies and affordable self-funding, by origin village and by site (fewer than k households withheld).'
	},
	...RELOCATION_LAYER,
	fields: [
		'k',
		'meansShare',
		'villages.id',
		'villages.name',
		'villages.position',
		'villages.gap',
		'sites.id',
		'sites.name',
		'sites.position',
		'sites.gap'
	],
	legend,
	toDeck,
	tooltip,
	details
};
