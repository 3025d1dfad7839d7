// Relocation settlements (安置点) and who is moving to them. Client-safe and pure.
//
// A site is a circle: its size is the capacity (households), its fill how full it is (assigned ÷
// capacity, a sequential scale shared with the legend), its outline the status (candidate: faded
// fill and a thin grey outline; approved: a blue outline; built: a heavy dark outline). Arcs run
// from each origin village to the site its households are assigned to, wider for more households.
// Household counts of 1..k−1 never reach the browser (query.server.ts withholds them, and the
// cells and totals that would give them back by subtraction, cells.ts): a withheld arc has one
// fixed thin width and a grey colour, its tooltip says "withheld", and a withheld site total
// leaves the fill grey.
import type { Locale } from '$lib/i18n';
import { appliedK as kOf, type LayerParams } from '../params.ts';
import { RELOCATION_LAYER, sizeLegendItems, withheldLegendItem } from '../relocation-common.ts';
import { SUPPRESSED_COLOR, thresholdScale, YL_OR_RD } from '../scale.ts';
import type { DeckLayerSpec, LayerDefinition, Legend, LegendItem, Localized, Rgba, StyleContext } from '../types.ts';
import { formatHouseholds, formatShare, formatYuan, withheld } from '../housing-cost-gap/format.ts';
import type { GapSummary, ScenarioRef } from '../housing-cost-gap/definition.ts';

export const SITE_KINDS = ['county_town', 'township', 'central_village', 'dispersed'] as const;
export const SITE_STATUSES = ['candidate', 'approved', 'built'] as const;
export type SiteKind = (typeof SITE_KINDS)[number];
export type SiteStatus = (typeof SITE_STATUSES)[number];

export interface SiteOrigin {
	/** 12-digit village code. */
	code: string;
	name: string;
	/** Households of this village assigned to the site; null when withheld. */
	households: number | null;
}

export interface SiteFeature {
	type: 'site';
	id: number;
	county: string;
	name: string;
	kind: SiteKind;
	status: SiteStatus;
	/** [lon, lat] */
	position: [number, number];
	/** Capacity in households: a property of the site, not of any family. */
	capacity: number;
	/** Households assigned (planned or relocated); null when withheld (1..k−1). */
	assigned: number | null;
	/** assigned ÷ capacity; null when `assigned` is withheld. */
	fill: number | null;
	landCost: number;
	buildingCost: number;
	/** land + building cost, yuan. */
	totalCost: number;
	/** Origin villages, by code. */
	origins: SiteOrigin[];
	/** Housing-cost gap of the assigned households under their county's scenario; null when withheld or none. */
	gap: GapSummary | null;
}

export interface ArcFeature {
	type: 'arc';
	siteId: number;
	siteName: string;
	village: string;
	villageName: string;
	from: [number, number];
	to: [number, number];
	/** Households moving along this arc; null when withheld. */
	households: number | null;
}

export interface RelocationSitesData {
	/** The suppression threshold the server applied. */
	k: number;
	/** The scenario each county's costs were computed with. */
	scenarios: ScenarioRef[];
	sites: SiteFeature[];
	arcs: ArcFeature[];
}

export type RelocationSitesObject = SiteFeature | ArcFeature;

const KIND_LABEL: Record<SiteKind, Localized> = {
	county_town: { 'zh-CN': '县城集中安置', en: 'county-town settlement' },
	township: { 'zh-CN': '乡镇集中安置', en: 'township settlement' },
	central_village: { 'zh-CN': '中心村安置', en: 'central-village settlement' },
	dispersed: { 'zh-CN': '分散安置', en: 'dispersed' }
};

const STATUS_LABEL: Record<SiteStatus, Localized> = {
	candidate: { 'zh-CN': '备选', en: 'candidate' },
	approved: { 'zh-CN': '已批准', en: 'approved' },
	built: { 'zh-CN': '已建成', en: 'built' }
};

/** How each status is drawn: outline colour and width, and the opacity of the fill. */
export const STATUS_STYLE: Record<SiteStatus, { line: Rgba; lineWidth: number; fillAlpha: number }> = {
	candidate: { line: [115, 115, 115, 255], lineWidth: 1, fillAlpha: 90 },
	approved: { line: [33, 102, 172, 255], lineWidth: 2, fillAlpha: 230 },
	built: { line: [37, 37, 37, 255], lineWidth: 3, fillAlpha: 230 }
};

/** Fill: assigned ÷ capacity. The legend reads the same scale. */
export const FILL_SCALE = thresholdScale([0.25, 0.5, 0.75, 0.9, 1], YL_OR_RD);

/** Circle radius in pixels from capacity (area ∝ capacity). */
export function siteRadius(capacity: number): number {
	return Math.min(30, Math.max(4, 3 + 0.6 * Math.sqrt(Math.max(0, capacity))));
}
const RADIUS_SAMPLES = [100, 500, 1000];

export const ARC_COLOR: Rgba = [106, 61, 154, 210];
const ARC_SOURCE_COLOR: Rgba = [202, 178, 214, 210];
/** The one width of every withheld arc: it must not depend on the count. */
export const WITHHELD_ARC_WIDTH = 1.5;
const ARC_BREAKS = [20, 50, 100];
const ARC_WIDTHS = [3, 5, 8, 12];

/** Width classes of shown arcs (counts ≥ k): [lo, hi) households and a width in pixels. */
export function arcClasses(k: number): { lo: number; hi: number | null; width: number }[] {
	const breaks = ARC_BREAKS.filter((b) => b > k);
	const widths = ARC_WIDTHS.slice(ARC_WIDTHS.length - breaks.length - 1);
	return widths.map((width, i) => ({ lo: i === 0 ? k : breaks[i - 1], hi: i < breaks.length ? breaks[i] : null, width }));
}

/** Pixel width of an arc; a withheld arc (null) always gets WITHHELD_ARC_WIDTH. */
export function arcWidth(households: number | null, k: number): number {
	if (households === null) return WITHHELD_ARC_WIDTH;
	const classes = arcClasses(k);
	let width = classes[0].width;
	for (const c of classes) if (households >= c.lo) width = c.width;
	return width;
}

export function siteFillColor(site: SiteFeature): Rgba {
	const base = site.fill === null ? SUPPRESSED_COLOR : FILL_SCALE.colorOf(site.fill);
	return [base[0], base[1], base[2], Math.min(base[3], STATUS_STYLE[site.status].fillAlpha)];
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const range = (lo: number | null, hi: number | null): Localized => {
	const text = lo === null ? `< ${pct(hi!)}` : hi === null ? `≥ ${pct(lo)}` : `${pct(lo)}–${pct(hi)}`;
	return { 'zh-CN': text, en: text };
};

function legend(params: LayerParams, data?: RelocationSitesData): Legend {
	const k = data?.k ?? kOf(params);
	const fill: LegendItem[] = FILL_SCALE.items(range).map((item, i, all) =>
		i === all.length - 1
			? { ...item, shape: 'circle', label: { 'zh-CN': `${item.label['zh-CN']}（超容量）`, en: `${item.label.en} (over capacity)` } }
			: { ...item, shape: 'circle' }
	);
	const status: LegendItem[] = SITE_STATUSES.map((s) => ({ color: STATUS_STYLE[s].line, label: STATUS_LABEL[s], shape: 'ring' }));
	const sizes = sizeLegendItems(RADIUS_SAMPLES, (c) => ({ 'zh-CN': `容量 ${c} 户`, en: `capacity ${c} households` }));
	const arcs: LegendItem[] = arcClasses(k).map((c) => ({
		color: ARC_COLOR,
		label: {
			'zh-CN': `搬迁 ${c.hi === null ? `≥ ${c.lo}` : `${c.lo}–${c.hi - 1}`} 户（线宽 ${c.width}）`,
			en: `${c.hi === null ? `≥ ${c.lo}` : `${c.lo}–${c.hi - 1}`} households moving (width ${c.width})`
		},
		shape: 'line'
	}));
	return {
		title: { 'zh-CN': '安置点：入住率（已分配 ÷ 容量）', en: 'Relocation sites: assigned ÷ capacity' },
		kind: 'sequential',
		items: [
			...fill,
			withheldLegendItem({ 'zh-CN': `已分配户数不公开（少于 ${k} 户或为保护小数）`, en: `assigned withheld (under ${k}, or protecting such a count)` }),
			...status,
			...sizes,
			...arcs,
			withheldLegendItem(
				{ 'zh-CN': `搬迁户数不公开（少于 ${k} 户或为保护小数，线宽 ${WITHHELD_ARC_WIDTH}）`, en: `households withheld (under ${k}, or protecting such a count; width ${WITHHELD_ARC_WIDTH})` },
				'line'
			)
		],
		note: {
			'zh-CN': `圆大小表示容量，填色表示入住率，边框表示状态；弧线从迁出村指向安置点。少于 ${k} 户的数字不显示，可推算出这类数字的其他数字也不显示。`,
			en: `Circle size is capacity, fill is assigned ÷ capacity, outline is status; arcs run from origin village to site. Counts under ${k} households are not shown, nor counts that would give one back by subtraction.`
		}
	};
}

function toDeck(data: RelocationSitesData, ctx: StyleContext): DeckLayerSpec[] {
	const k = data.k;
	const hovered = ctx.hoveredId ?? null;
	const arcAlpha = (a: ArcFeature) => (hovered === null || hovered === a.siteId ? 1 : 0.35);
	const withAlpha = (c: Rgba, f: number): Rgba => [c[0], c[1], c[2], Math.round(c[3] * f)];
	return [
		{
			type: 'ArcLayer',
			props: {
				id: 'relocation-sites-arcs',
				data: data.arcs,
				pickable: true,
				opacity: ctx.opacity,
				widthUnits: 'pixels',
				getSourcePosition: (a: ArcFeature) => a.from,
				getTargetPosition: (a: ArcFeature) => a.to,
				getWidth: (a: ArcFeature) => arcWidth(a.households, k),
				getSourceColor: (a: ArcFeature) => withAlpha(a.households === null ? SUPPRESSED_COLOR : ARC_SOURCE_COLOR, arcAlpha(a)),
				getTargetColor: (a: ArcFeature) => withAlpha(a.households === null ? SUPPRESSED_COLOR : ARC_COLOR, arcAlpha(a)),
				updateTriggers: { getSourceColor: [hovered], getTargetColor: [hovered], getWidth: [k] }
			}
		},
		{
			type: 'ScatterplotLayer',
			props: {
				id: 'relocation-sites-sites',
				// Big sites first so small ones stay clickable on top.
				data: [...data.sites].sort((a, b) => b.capacity - a.capacity || a.id - b.id),
				pickable: true,
				opacity: ctx.opacity,
				stroked: true,
				filled: true,
				radiusUnits: 'pixels',
				lineWidthUnits: 'pixels',
				getPosition: (s: SiteFeature) => s.position,
				getRadius: (s: SiteFeature) => siteRadius(s.capacity),
				getFillColor: (s: SiteFeature) => siteFillColor(s),
				getLineColor: (s: SiteFeature) => STATUS_STYLE[s.status].line,
				getLineWidth: (s: SiteFeature) => STATUS_STYLE[s.status].lineWidth + (hovered === s.id ? 2 : 0),
				updateTriggers: { getLineWidth: [hovered] }
			}
		}
	];
}

function assignedText(site: SiteFeature, locale: Locale, k: number): string {
	return site.assigned === null ? withheld(locale, k) : formatHouseholds(site.assigned, locale);
}

function tooltip(object: RelocationSitesObject, locale: Locale, params: LayerParams): string | null {
	const zh = locale === 'zh-CN';
	if (object.type === 'arc') {
		const n = object.households === null ? withheld(locale, kOf(params)) : formatHouseholds(object.households, locale);
		return zh ? `${object.villageName} → ${object.siteName}\n搬迁：${n}` : `${object.villageName} → ${object.siteName}\nmoving: ${n}`;
	}
	const lines = [
		zh ? `${object.name}（${STATUS_LABEL[object.status][locale]}）` : `${object.name} (${STATUS_LABEL[object.status][locale]})`,
		zh ? `容量：${formatHouseholds(object.capacity, locale)}` : `capacity: ${formatHouseholds(object.capacity, locale)}`,
		zh ? `已分配：${assignedText(object, locale, kOf(params))}` : `assigned: ${assignedText(object, locale, kOf(params))}`
	];
	if (object.fill !== null) lines.push(zh ? `入住率：${formatShare(object.fill, locale)}` : `assigned ÷ capacity: ${formatShare(object.fill, locale)}`);
	return lines.join('\n');
}

function details(object: RelocationSitesObject, locale: Locale, params: LayerParams): { label: string; value: string }[] {
	if (object.type === 'arc') {
		const n = object.households === null ? withheld(locale, kOf(params)) : formatHouseholds(object.households, locale);
		return [
			{ label: locale === 'zh-CN' ? '迁出村' : 'origin village', value: object.villageName },
			{ label: locale === 'zh-CN' ? '安置点' : 'site', value: object.siteName },
			{ label: locale === 'zh-CN' ? '搬迁户数' : 'households moving', value: n }
		];
	}
	const L = (zh: string, en: string) => (locale === 'zh-CN' ? zh : en);
	const origins = object.origins
		.map((o) => {
			const n = o.households === null ? (locale === 'zh-CN' ? '不公开' : 'withheld') : formatHouseholds(o.households, locale);
			return locale === 'zh-CN' ? `${o.name}（${n}）` : `${o.name} (${n})`;
		})
		.join(locale === 'zh-CN' ? '、' : '; ');
	const rows = [
		{ label: L('名称', 'name'), value: object.name },
		{ label: L('类型', 'kind'), value: KIND_LABEL[object.kind][locale] },
		{ label: L('状态', 'status'), value: STATUS_LABEL[object.status][locale] },
		{ label: L('容量', 'capacity'), value: formatHouseholds(object.capacity, locale) },
		{ label: L('已分配户数', 'assigned households'), value: assignedText(object, locale, kOf(params)) },
		{ label: L('迁出村数', 'origin villages'), value: String(object.origins.length) },
		{ label: L('迁出村', 'villages'), value: origins || '—' },
		{ label: L('总投资（土地 + 建设）', 'total cost (land + building)'), value: formatYuan(object.totalCost, locale) },
		{ label: L('土地费用', 'land cost'), value: formatYuan(object.landCost, locale) },
		{ label: L('建设费用', 'building cost'), value: formatYuan(object.buildingCost, locale) }
	];
	if (object.gap) {
		rows.push({ label: L('住房资金缺口合计', 'housing-cost gap, total'), value: formatYuan(object.gap.total, locale) });
		rows.push({ label: L('户均缺口', 'gap per household'), value: formatYuan(object.gap.perHousehold, locale) });
		rows.push({
			label: L('自筹超上限户占比', 'share over the self-funding cap'),
			value: object.gap.overCapShare === null ? withheld(locale, kOf(params)) : formatShare(object.gap.overCapShare, locale)
		});
	} else {
		rows.push({ label: L('住房资金缺口合计', 'housing-cost gap, total'), value: object.assigned === null ? withheld(locale, kOf(params)) : '—' });
	}
	return rows;
}

export const definition: LayerDefinition<RelocationSitesData, RelocationSitesObject> = {
	id: 'relocation-sites',
	title: { 'zh-CN': '安置点与搬迁流向', en: 'Relocation sites and moves' },
	description: {
		'zh-CN': '安置点的容量、状态、入住率和投资，以及从迁出村到安置点的搬迁流向（少于 k 户的数字不显示）。',
		en: 'Relocation sites by capacity, status, assigned ÷ capacity and cost, with arcs from origin villages to their site (counts under k are withheld).'
	},
	...RELOCATION_LAYER,
	fields: [
		'k',
		'sites.id',
		'sites.name',
		'sites.kind',
		'sites.status',
		'sites.position',
		'sites.capacity',
		'sites.assigned',
		'sites.fill',
		'sites.totalCost',
		'sites.landCost',
		'sites.buildingCost',
		'sites.origins',
		'sites.gap',
		'arcs.siteId',
		'arcs.siteName',
		'arcs.villageName',
		'arcs.from',
		'arcs.to',
		'arcs.households'
	],
	legend,
	toDeck,
	tooltip,
	details
};
