// Best new sites (新站点选址结果): the result of the latest maximal-covering run for the county, chain
// and stage — where one or a few new sites of a stage would bring the most poor households within
// the stage's travel-time threshold. Draws the chosen sites, ranked, the poor villages each newly
// covers, and a line from each such village to its new site. Client-safe and pure.
import type { Locale } from '$lib/i18n';
import { DEFAULT_K, type LayerParams } from '../params.ts';
import { suppressedLabel } from '../suppress.ts';
import type { DeckLayerSpec, LayerDefinition, Legend, Localized, Rgba } from '../types.ts';
import { CHAIN_LABELS, DEFAULT_STAGE, STAGE_LABELS } from '../industrial-chain-coverage/coverage.ts';
import { withAlpha } from '../industrial-chain-coverage/definition.ts';
import type { MaxCoverResultData, NewSite, NewlyCoveredVillage } from './result.ts';

export type { MaxCoverResultData, NewSite, NewlyCoveredVillage } from './result.ts';
export type MaxCoverObject = NewSite | NewlyCoveredVillage;

const ID = 'max-cover-result';
const L = (zh: string, en: string): Localized => ({ 'zh-CN': zh, en });

/**
 * Colours of a proposal, apart from everything the coverage layer draws under it (green ramp, red
 * rings, the five stage colours): a white disc in a thick black ring with its priority number for a
 * new site, and cyan for the villages it newly reaches and the lines to them.
 */
export const SITE_RADIUS = 12;
export const SITE_FILL: Rgba = [255, 255, 255, 255];
export const SITE_RING: Rgba = [20, 20, 20, 255];
export const REACH_COLOR: Rgba = [0, 174, 239, 255];
/** A newly reached village: a cyan ring outside the coverage layer's red ring (9 px). */
export const VILLAGE_RING_RADIUS = 13;
export const LINK_ALPHA = 200;

const stageOf = (params: LayerParams, data?: MaxCoverResultData) => data?.stage ?? params.stage ?? DEFAULT_STAGE;
const kOf = (params: LayerParams, data?: MaxCoverResultData) => data?.k ?? Math.max(params.k, DEFAULT_K);

export function legend(params: LayerParams, data?: MaxCoverResultData): Legend {
	const stage = stageOf(params, data);
	const s = STAGE_LABELS[stage];
	const chain = data?.chain ?? null;
	const items = [
		{ color: SITE_RING, label: L(`建议新建${s['zh-CN']}点（序号为优先次序）`, `proposed new ${s.en} site (number = priority)`), shape: 'ring' as const, size: SITE_RADIUS },
		{ color: REACH_COLOR, label: L('因此新覆盖的贫困村', 'poor village it newly brings within reach'), shape: 'ring' as const },
		{ color: withAlpha(REACH_COLOR, LINK_ALPHA), label: L('村到新站点（道路通行时间）', 'village to its new site (travel time by road)'), shape: 'line' as const }
	];
	const k = kOf(params, data);
	let note: Localized;
	if (!data || data.run === null) {
		note = L('尚无结果：在“规划分析 · 产业链缺口”中运行“寻找最佳选址”。', 'No result yet: run “Find the best sites” in Planning analyses · Chain gaps.');
	} else {
		const hidden = data.covered_sites_suppressed;
		const candidates = data.candidates?.kind === 'townships' ? L('乡镇驻地', 'township seats') : data.candidates?.kind === 'points' ? L('自选点', 'drawn points') : L('村委会驻地', 'village seats');
		note = L(
			`第 ${data.run} 次分析（${data.year} 年末未脱贫户）：在 ${data.candidates?.count ?? 0} 个${candidates['zh-CN']}中选 ${data.q} 个，门槛 ${data.threshold} 分钟车程；合计新覆盖贫困户 ${data.covered} 户${hidden ? `（另 ${hidden} 个站点各不足 ${k} 户，不计入）` : ''}。只计运营中的现有站点。`,
			`Run ${data.run} (households still poor at the end of ${data.year}): ${data.q} chosen among ${data.candidates?.count ?? 0} ${candidates.en}, threshold ${data.threshold} min by road; together they newly reach ${data.covered} poor households${hidden ? ` (+ ${hidden} site(s) with fewer than ${k} each, not counted)` : ''}. Existing sites: operating only.`
		);
	}
	return {
		title: chain
			? L(`新站点选址 · ${CHAIN_LABELS[chain]['zh-CN']}${s['zh-CN']}`, `Best new sites · ${CHAIN_LABELS[chain].en} ${s.en}`)
			: L(`新站点选址 · ${s['zh-CN']}`, `Best new sites · ${s.en}`),
		kind: 'symbol',
		items,
		note
	};
}

export function toDeck(data: MaxCoverResultData, ctx: { opacity: number; hoveredId?: string | number | null }): DeckLayerSpec[] {
	const hovered = ctx.hoveredId ?? null;
	return [
		{
			type: 'LineLayer',
			props: {
				id: `${ID}-links`,
				data: data.villages,
				getSourcePosition: (d: NewlyCoveredVillage) => d.site_position,
				getTargetPosition: (d: NewlyCoveredVillage) => d.position,
				getColor: withAlpha(REACH_COLOR, LINK_ALPHA),
				getWidth: 2,
				widthUnits: 'pixels',
				pickable: false,
				opacity: ctx.opacity
			}
		},
		{
			type: 'ScatterplotLayer',
			props: {
				id: `${ID}-villages`,
				data: data.villages,
				getPosition: (d: NewlyCoveredVillage) => d.position,
				getRadius: (d: NewlyCoveredVillage) => (d.code === hovered ? VILLAGE_RING_RADIUS + 3 : VILLAGE_RING_RADIUS),
				radiusUnits: 'pixels',
				filled: false,
				stroked: true,
				getLineColor: REACH_COLOR,
				getLineWidth: 3,
				lineWidthUnits: 'pixels',
				pickable: true,
				opacity: ctx.opacity,
				updateTriggers: { getRadius: hovered }
			}
		},
		{
			type: 'ScatterplotLayer',
			props: {
				id: `${ID}-sites`,
				data: data.sites,
				getPosition: (d: NewSite) => d.position,
				getRadius: (d: NewSite) => (d.id === hovered ? SITE_RADIUS + 3 : SITE_RADIUS),
				radiusUnits: 'pixels',
				filled: true,
				stroked: true,
				getFillColor: SITE_FILL,
				getLineColor: SITE_RING,
				getLineWidth: 3,
				lineWidthUnits: 'pixels',
				pickable: true,
				opacity: ctx.opacity,
				updateTriggers: { getRadius: hovered }
			}
		},
		{
			// The priority number on each new site (digits only: the default font atlas has them).
			type: 'TextLayer',
			props: {
				id: `${ID}-ranks`,
				data: data.sites,
				getPosition: (d: NewSite) => d.position,
				getText: (d: NewSite) => String(d.rank),
				getSize: 13,
				sizeUnits: 'pixels',
				getColor: SITE_RING,
				fontWeight: 700,
				getTextAnchor: 'middle',
				getAlignmentBaseline: 'center',
				pickable: false,
				opacity: ctx.opacity
			}
		}
	];
}

function householdsText(n: number | null, k: number, locale: Locale): string {
	const v = n === null ? suppressedLabel(k) : String(n);
	return locale === 'zh-CN' ? `${v} 户` : v;
}

const minutesText = (m: number | null, locale: Locale) => (m === null ? '—' : locale === 'zh-CN' ? `${m} 分钟` : `${m} min`);

function siteName(s: NewSite, locale: Locale): string {
	if (s.name_zh) return s.name_zh;
	const at = `${s.position[0].toFixed(4)}, ${s.position[1].toFixed(4)}`;
	return locale === 'zh-CN' ? `自选点 ${at}` : `drawn point ${at}`;
}

export function tooltip(o: MaxCoverObject, locale: Locale, params: LayerParams): string | null {
	const k = Math.max(params.k, DEFAULT_K);
	if (o.kind === 'site') {
		return locale === 'zh-CN'
			? [`建议新建站点 ${o.rank}：${siteName(o, locale)}`, `新覆盖贫困村 ${o.villages} 个，贫困户 ${householdsText(o.poor_households, k, locale)}`].join('\n')
			: [`Proposed new site ${o.rank}: ${siteName(o, locale)}`, `newly reaches ${o.villages} poor villages, ${householdsText(o.poor_households, k, locale)} poor households`].join('\n');
	}
	return locale === 'zh-CN'
		? [o.name_zh, `到新站点 ${o.rank}：${minutesText(o.minutes, locale)}车程`].join('\n')
		: [o.name_zh, `to new site ${o.rank}: ${minutesText(o.minutes, locale)} by road`].join('\n');
}

export function details(o: MaxCoverObject, locale: Locale, params: LayerParams): { label: string; value: string }[] {
	const zh = locale === 'zh-CN';
	const k = Math.max(params.k, DEFAULT_K);
	if (o.kind === 'site') {
		const kind = { village: L('村委会驻地', 'village seat'), township: L('乡镇驻地', 'township seat'), point: L('自选点', 'drawn point') }[o.candidate];
		return [
			{ label: zh ? '优先次序' : 'priority', value: String(o.rank) },
			{ label: zh ? '位置' : 'location', value: siteName(o, locale) },
			{ label: zh ? '候选类型' : 'candidate', value: kind[locale] },
			{ label: zh ? '新覆盖贫困村' : 'poor villages newly reached', value: String(o.villages) },
			{ label: zh ? '新覆盖贫困户' : 'poor households newly reached', value: householdsText(o.poor_households, k, locale) }
		];
	}
	return [
		{ label: zh ? '村' : 'village', value: o.name_zh },
		{ label: zh ? '代码' : 'code', value: o.code },
		{ label: zh ? '新站点' : 'new site', value: String(o.rank) },
		{ label: zh ? '车程' : 'by road', value: minutesText(o.minutes, locale) }
	];
}

export const definition: LayerDefinition<MaxCoverResultData, MaxCoverObject> = {
	id: ID,
	title: L('新站点选址结果', 'Best new sites'),
	description: L(
		'最大覆盖选址分析的结果：某一产业链环节新建站点的最佳位置，以及因此新进入通行时间门槛的贫困村',
		'The result of the maximal-covering analysis: where new sites of one chain stage would help most, and the poor villages they bring within the travel-time threshold'
	),
	group: 'data',
	// Poor villages by name (counts suppressed below k): a bureau view, as the coverage layer.
	minRole: 'bureau',
	zoom: { min: 7, max: 22 },
	params: ['county', 'chain', 'stage', 'run', 'k'],
	reads: ['analysis_runs', 'industry_sites', 'villages'],
	fields: ['run', 'chain', 'stage', 'k', 'threshold', 'covered', 'covered_sites_suppressed', 'sites', 'villages'],
	format: 'json',
	legend,
	toDeck: (data, ctx) => toDeck(data, ctx),
	tooltip,
	details
};
