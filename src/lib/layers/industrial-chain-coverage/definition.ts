// Industrial-chain coverage (产业链覆盖): for the county's chain, which of the five stages
// (production → processing → cold chain → logistics → marketing) reach each village within the
// scenario's travel-time threshold by road, and which poor villages a stage misses. Villages are coloured by stages
// reached; the chosen stage's sites are drawn with their service areas, and the poor villages that
// stage misses get a red ring (a ring for "misses any stage" would circle nearly every poor village,
// since processing and cold chain are sparse everywhere: it would hide where each stage falls short). Client-safe and pure: deck.gl props as data, legend from the same scale.
import type { Locale } from '$lib/i18n';
import { appliedK as kOf, STAGES, type LayerParams, type Stage } from '../params.ts';
import { thresholdScale } from '../scale.ts';
import { suppressedLabel } from '../suppress.ts';
import { localize, type DeckLayerSpec, type LayerDefinition, type Legend, type LegendItem, type Localized, type Rgba } from '../types.ts';
import {
	CHAIN_LABELS,
	DEFAULT_STAGE,
	STAGE_LABELS,
	thresholdsFrom,
	type Chain,
	type CoverageData,
	type CoverageSite,
	type CoverageVillage,
	type StageThreshold
} from './coverage.ts';

export type CoverageObject = CoverageVillage | CoverageSite;

const ID = 'industrial-chain-coverage';

/**
 * Stages reached, 0..5: ColorBrewer YlGn (6 classes), pale = few stages, dark green = the whole
 * chain. A green ramp rather than the shared YlOrRd so that the red ring on poor villages missing a
 * stage stays the only red on the layer. The legend reads this same scale.
 */
export const STAGES_REACHED_SCALE = thresholdScale(
	[1, 2, 3, 4, 5],
	[
		[255, 255, 204, 255],
		[217, 240, 163, 255],
		[173, 221, 142, 255],
		[120, 198, 121, 255],
		[49, 163, 84, 255],
		[0, 104, 55, 255]
	]
);

/** The ring around a poor village that some stage misses: the same size for every village (a size would encode a count). */
export const GAP_RING_COLOR: Rgba = [215, 25, 28, 255];
export const VILLAGE_OUTLINE: Rgba = [80, 80, 80, 200];

/** Site symbols by stage (distinct from the green ramp and from the ring). */
export const STAGE_COLORS: Readonly<Record<Stage, Rgba>> = {
	production: [140, 81, 10, 255],
	processing: [118, 42, 131, 255],
	cold_chain: [33, 102, 172, 255],
	logistics: [230, 97, 1, 255],
	marketing: [197, 27, 125, 255]
};
/** Service areas: the stage colour, mostly transparent, with a firmer outline. */
export const SERVICE_AREA_FILL_ALPHA = 36;
export const SERVICE_AREA_LINE_ALPHA = 170;

export const withAlpha = (c: Rgba, a: number): Rgba => [c[0], c[1], c[2], a];

const PLANNED_FILL: Rgba = [255, 255, 255, 255];

const min = (x: number) => `${Number.isInteger(x) ? x : x.toFixed(1)} min`;
const fen = (x: number) => `${Number.isInteger(x) ? x : x.toFixed(1)} 分钟`;
const L = (zh: string, en: string): Localized => ({ 'zh-CN': zh, en });

/** "加工 ≤ 30 分钟车程" / "processing ≤ 30 min by road". */
export function thresholdLabel(t: StageThreshold): Localized {
	const s = STAGE_LABELS[t.stage];
	return L(`${s['zh-CN']} ≤ ${t.minutes} 分钟车程`, `${s.en} ≤ ${t.minutes} min by road`);
}

function stagesReachedLabel(n: number): Localized {
	if (n === STAGES.length) return L(`${n} 个环节可达（全链）`, `all ${n} stages reached`);
	if (n === 0) return L('0 个环节可达', 'no stage reached');
	return L(`${n} 个环节可达`, `${n} of ${STAGES.length} stages reached`);
}

function context(params: LayerParams, data?: CoverageData) {
	return {
		thresholds: data?.thresholds ?? thresholdsFrom(null),
		stage: data?.stage ?? params.stage ?? DEFAULT_STAGE,
		chain: (data ? data.chain : params.chain) as Chain | null
	};
}

export function legend(params: LayerParams, data?: CoverageData): Legend {
	const { thresholds, stage, chain } = context(params, data);
	const t = thresholds.find((x) => x.stage === stage)!;
	const s = STAGE_LABELS[stage];
	const color = STAGE_COLORS[stage];
	const items: LegendItem[] = [
		...STAGES_REACHED_SCALE.items((lo) => stagesReachedLabel(lo ?? 0)).map((i) => ({ ...i, shape: 'circle' as const })),
		{ color: GAP_RING_COLOR, label: L(`贫困村：${s['zh-CN']}未覆盖`, `poor village ${s.en} does not reach`), shape: 'ring' },
		{ color, label: L(`${s['zh-CN']}点（运营）`, `${s.en} site (operating)`), shape: 'circle' },
		{ color: withAlpha(color, SERVICE_AREA_FILL_ALPHA), label: thresholdLabel(t), shape: 'fill' },
		{ color, label: L(`${s['zh-CN']}点（规划，不计入覆盖）`, `${s.en} site (planned, not counted)`), shape: 'ring' }
	];
	const all = thresholds.map(thresholdLabel);
	const walking = data?.reach.walking_kmh ?? 4;
	const k = data?.k ?? kOf(params);
	return {
		title: chain
			? L(`产业链覆盖 · ${CHAIN_LABELS[chain]['zh-CN']}`, `Industrial-chain coverage · ${CHAIN_LABELS[chain].en}`)
			: L('产业链覆盖', 'Industrial-chain coverage'),
		kind: 'sequential',
		items,
		note: L(
			`可达门槛为道路通行时间（按方案的各级道路车速，村到路边按步行 ${walking} km/h）：${all.map((x) => x['zh-CN']).join('；')}。服务范围为站点在门槛内可达各村的外包多边形。只计运营中的站点。贫困户数少于 ${k} 户的村不显示户数。`,
			`Thresholds are travel times by road (the scenario's speeds per road class, walking ${walking} km/h to the road): ${all.map((x) => x.en).join('; ')}. A service area is the hull of the villages a site reaches within its threshold. Operating sites only. Poor-household counts under ${k} are not shown.`
		)
	};
}

export function toDeck(data: CoverageData, ctx: { opacity: number; hoveredId?: string | number | null }): DeckLayerSpec[] {
	const color = STAGE_COLORS[data.stage];
	const operating = data.sites.filter((s) => s.status === 'operating');
	// Rings: poor villages the drawn stage does not reach (`flagged`, any stage, stays in the data and the summary).
	const stageIndex = STAGES.indexOf(data.stage);
	const ringed = data.villages.filter((v) => v.poor && !v.reached[stageIndex]);
	const hovered = ctx.hoveredId ?? null;
	return [
		{
			// Service areas: per operating site, the convex hull of the villages it reaches by road
			// within the threshold (computed on the server from the same travel times as the colours).
			type: 'PolygonLayer',
			props: {
				id: `${ID}-service-areas`,
				data: operating.filter((s) => s.service_area !== null),
				getPolygon: (d: CoverageSite) => d.service_area!,
				filled: true,
				stroked: true,
				getFillColor: withAlpha(color, SERVICE_AREA_FILL_ALPHA),
				getLineColor: withAlpha(color, SERVICE_AREA_LINE_ALPHA),
				getLineWidth: 1.5,
				lineWidthUnits: 'pixels',
				pickable: false,
				opacity: ctx.opacity
			}
		},
		{
			type: 'ScatterplotLayer',
			props: {
				id: `${ID}-villages`,
				data: data.villages,
				getPosition: (d: CoverageVillage) => d.position,
				getRadius: (d: CoverageVillage) => (d.code === hovered ? 8 : 5),
				radiusUnits: 'pixels',
				filled: true,
				stroked: true,
				getFillColor: (d: CoverageVillage) => STAGES_REACHED_SCALE.colorOf(d.stages_reached),
				getLineColor: VILLAGE_OUTLINE,
				getLineWidth: 1,
				lineWidthUnits: 'pixels',
				pickable: true,
				opacity: ctx.opacity,
				updateTriggers: { getRadius: hovered }
			}
		},
		{
			// Poor villages the stage misses: a fixed-size red ring — never a size that encodes a count.
			type: 'ScatterplotLayer',
			props: {
				id: `${ID}-poor-gaps`,
				data: ringed,
				getPosition: (d: CoverageVillage) => d.position,
				getRadius: 9,
				radiusUnits: 'pixels',
				filled: false,
				stroked: true,
				getLineColor: GAP_RING_COLOR,
				getLineWidth: 2.5,
				lineWidthUnits: 'pixels',
				pickable: true,
				opacity: ctx.opacity
			}
		},
		{
			type: 'ScatterplotLayer',
			props: {
				id: `${ID}-sites`,
				data: data.sites,
				getPosition: (d: CoverageSite) => d.position,
				getRadius: 7,
				radiusUnits: 'pixels',
				filled: true,
				stroked: true,
				getFillColor: (d: CoverageSite) => (d.status === 'operating' ? color : PLANNED_FILL),
				getLineColor: (d: CoverageSite) => (d.status === 'operating' ? ([255, 255, 255, 255] as Rgba) : color),
				getLineWidth: 2,
				lineWidthUnits: 'pixels',
				pickable: true,
				opacity: ctx.opacity
			}
		}
	];
}

function poorText(v: CoverageVillage, locale: Locale, params: LayerParams): string {
	if (!v.poor) return locale === 'zh-CN' ? `${params.year} 年末无未脱贫户` : `no household still poor at the end of ${params.year}`;
	const n = v.poor_households === null ? suppressedLabel(kOf(params)) : String(v.poor_households);
	return locale === 'zh-CN' ? `${params.year} 年末未脱贫户：${n} 户` : `households still poor at the end of ${params.year}: ${n}`;
}

function stageText(v: CoverageVillage, i: number, locale: Locale): string {
	const d = v.nearest_min[i];
	const dist = d === null ? (locale === 'zh-CN' ? '道路不可达' : 'none reachable by road') : locale === 'zh-CN' ? fen(d) : min(d);
	return `${v.reached[i] ? '✓' : '✗'} ${dist}`;
}

function reachedText(v: CoverageVillage, locale: Locale): string {
	const missing = v.missing.map((s) => localize(STAGE_LABELS[s], locale));
	if (locale === 'zh-CN') return `${v.stages_reached}/${STAGES.length} 个环节可达${missing.length ? `，缺：${missing.join('、')}` : ''}`;
	return `${v.stages_reached} of ${STAGES.length} stages reached${missing.length ? `; missing: ${missing.join(', ')}` : ''}`;
}

function siteStatus(s: CoverageSite, locale: Locale): string {
	if (s.status === 'operating') return locale === 'zh-CN' ? '运营中' : 'operating';
	return locale === 'zh-CN' ? '规划中（不计入覆盖）' : 'planned (not counted)';
}

function siteReachText(s: CoverageSite, locale: Locale): string {
	if (locale === 'zh-CN') return `${fen(s.threshold_min)}车程内 ${s.villages_within} 个村`;
	return `${s.villages_within} villages within ${min(s.threshold_min)} by road`;
}

export function tooltip(o: CoverageObject, locale: Locale, params: LayerParams): string | null {
	if (o.kind === 'site') {
		return [o.name_zh, `${localize(STAGE_LABELS[o.stage], locale)} · ${siteStatus(o, locale)}`, siteReachText(o, locale)].join('\n');
	}
	const head = o.township_zh ? (locale === 'zh-CN' ? `${o.name_zh}（${o.township_zh}）` : `${o.name_zh} (${o.township_zh})`) : o.name_zh;
	return [
		head,
		reachedText(o, locale),
		...STAGES.map((s, i) => `${localize(STAGE_LABELS[s], locale)} ${stageText(o, i, locale)}`),
		poorText(o, locale, params)
	].join('\n');
}

export function details(o: CoverageObject, locale: Locale, params: LayerParams): { label: string; value: string }[] {
	const zh = locale === 'zh-CN';
	if (o.kind === 'site') {
		return [
			{ label: zh ? '名称' : 'name', value: o.name_zh },
			{ label: zh ? '环节' : 'stage', value: localize(STAGE_LABELS[o.stage], locale) },
			{ label: zh ? '状态' : 'status', value: siteStatus(o, locale) },
			{ label: zh ? '服务范围' : 'service area', value: siteReachText(o, locale) },
			{ label: zh ? '就业岗位' : 'jobs', value: o.jobs === null ? '—' : String(o.jobs) },
			{ label: zh ? '所在县' : 'county', value: o.county_code }
		];
	}
	return [
		{ label: zh ? '村' : 'village', value: o.name_zh },
		{ label: zh ? '代码' : 'code', value: o.code },
		{ label: zh ? '乡镇' : 'township', value: o.township_zh ?? '—' },
		{ label: zh ? '可达环节' : 'stages reached', value: `${o.stages_reached}/${STAGES.length}` },
		...STAGES.map((s, i) => ({ label: localize(STAGE_LABELS[s], locale), value: stageText(o, i, locale) })),
		{ label: zh ? '未脱贫户' : 'households still poor', value: o.poor ? (o.poor_households === null ? suppressedLabel(kOf(params)) : String(o.poor_households)) : '0' }
	];
}

/** One row per stage for the side panel: where the chain does not reach, and whom it leaves out. */
export interface GapRow {
	stage: Stage;
	stageLabel: string;
	threshold: string;
	sites: string;
	villagesNotReached: string;
	poorVillagesNotReached: string;
	poorHouseholdsNotReached: string;
	weakest: boolean;
}

export function gapRows(data: CoverageData, locale: Locale): GapRow[] {
	const zh = locale === 'zh-CN';
	const s = data.summary;
	return s.stages.map((g) => {
		const hidden = g.poor_villages_not_reached_suppressed;
		// The sum covers villages whose own count is shown; the others are named as villages, never as a number of households.
		const households = hidden
			? zh
				? `${g.poor_households_not_reached} 户（另 ${hidden} 个村各不足 ${data.k} 户，不计入）`
				: `${g.poor_households_not_reached} (+ ${hidden} ${hidden === 1 ? 'village' : 'villages'} with fewer than ${data.k} each, not counted)`
			: zh
				? `${g.poor_households_not_reached} 户`
				: String(g.poor_households_not_reached);
		return {
			stage: g.stage,
			stageLabel: localize(STAGE_LABELS[g.stage], locale),
			threshold: localize(thresholdLabel(g), locale),
			sites: zh ? `运营 ${g.operating_sites}，规划 ${g.planned_sites}` : `${g.operating_sites} operating, ${g.planned_sites} planned`,
			villagesNotReached: `${g.villages_not_reached}/${s.villages}`,
			poorVillagesNotReached: `${g.poor_villages_not_reached}/${s.poor_villages}`,
			poorHouseholdsNotReached: households,
			weakest: g.stage === s.weakest_stage
		};
	});
}

export const definition: LayerDefinition<CoverageData, CoverageObject> = {
	id: ID,
	title: L('产业链覆盖', 'Industrial-chain coverage'),
	description: L(
		'各村可达的产业链环节（生产基地、加工、仓储冷链、物流、营销电商）及未覆盖的贫困村',
		'Which stages of the local industrial chain (production, processing, cold chain, logistics, marketing) reach each village, and the poor villages each stage misses'
	),
	group: 'data',
	// Village-level poverty flags (counts suppressed below k): a bureau view, not a public one.
	minRole: 'bureau',
	// Villages are already aggregates (suppressed household counts), drawn at every county zoom.
	zoom: { min: 7, max: 22 },
	reads: ['industry_sites', 'villages', 'households', 'scenarios', 'roads', 'regions'],
	params: ['county', 'chain', 'stage', 'scenario', 'year', 'k'],
	// Paths from the response's root; arrays are looked into (checked against real output by tests).
	fields: [
		'chain',
		'stage',
		'k',
		'thresholds.stage',
		'thresholds.minutes',
		'villages.code',
		'villages.name_zh',
		'villages.position',
		'villages.stages_reached',
		'villages.reached',
		'villages.nearest_min',
		'villages.missing',
		'villages.flagged',
		'villages.poor',
		'villages.poor_households',
		'villages.poor_households_suppressed',
		'sites.name_zh',
		'sites.stage',
		'sites.position',
		'sites.threshold_min',
		'sites.service_area',
		'sites.status',
		'sites.villages_within',
		'summary.stages'
	],
	format: 'json',
	legend,
	toDeck: (data, ctx) => toDeck(data, ctx),
	tooltip,
	details
};
