// Industrial-chain coverage, the pure core (no DB, no DOM; client-safe): which stages of one
// industrial chain reach each village by road within the scenario's travel-time threshold, which
// poor villages a stage misses, and the per-stage gaps the industry bureau reads in the side panel.
// query.server.ts feeds it plain rows (village × stage minutes from the chain-coverage analysis);
// definition.ts draws its output. Household counts are suppressed here, before anything leaves the server.
import { CHAINS, STAGES, type Stage } from '../params.ts';
import type { Localized } from '../types.ts';
import { suppressCount } from '../suppress.ts';
import { DEFAULT_THRESHOLD_MINUTES, thresholdMinutes } from '../../analysis/chain-coverage/thresholds.ts';

export type Chain = (typeof CHAINS)[number];

/** Thresholds when a scenario has none for a stage: the schema's defaults (domain.md). */
export { DEFAULT_THRESHOLD_MINUTES };

/** The stage whose service areas are drawn when the request names none. */
export const DEFAULT_STAGE: Stage = 'processing';

export const STAGE_LABELS: Readonly<Record<Stage, Localized>> = {
	production: { 'zh-CN': '生产基地', en: 'production base' },
	processing: { 'zh-CN': '加工', en: 'processing' },
	cold_chain: { 'zh-CN': '仓储冷链', en: 'storage and cold chain' },
	logistics: { 'zh-CN': '物流', en: 'logistics' },
	marketing: { 'zh-CN': '营销电商', en: 'marketing and e-commerce' }
};

export const CHAIN_LABELS: Readonly<Record<Chain, Localized>> = {
	navel_orange: { 'zh-CN': '脐橙', en: 'navel orange' },
	citrus: { 'zh-CN': '柑橘', en: 'citrus' },
	tea: { 'zh-CN': '茶叶', en: 'tea' },
	pig: { 'zh-CN': '生猪', en: 'pigs' },
	mushroom: { 'zh-CN': '食用菌', en: 'mushrooms' },
	silk: { 'zh-CN': '蚕桑', en: 'silk' },
	camellia_oil: { 'zh-CN': '油茶', en: 'camellia oil' },
	vegetable: { 'zh-CN': '蔬菜', en: 'vegetables' },
	goose: { 'zh-CN': '鹅', en: 'geese' },
	other: { 'zh-CN': '其他', en: 'other' }
};

export interface StageThreshold {
	stage: Stage;
	/** The scenario's travel-time threshold, minutes by road. */
	minutes: number;
}

/**
 * The five thresholds, in chain order, from a scenario's `stage_threshold_minutes` (jsonb). A stage
 * the scenario leaves out, or gives a value that is not a positive finite number, takes the default.
 */
export function thresholdsFrom(raw: unknown): StageThreshold[] {
	const minutes = thresholdMinutes(raw);
	return STAGES.map((stage, i) => ({ stage, minutes: minutes[i] }));
}

/** One village x stage answer of the reach step. */
export interface ReachRow {
	village_code: string;
	stage: Stage;
	/** Travel minutes by road to the nearest operating site of the chain and stage; null if none is reachable. */
	minutes: number | null;
	/** Whether that site lies within the stage's threshold. */
	reached: boolean;
}

export interface VillageInput {
	code: string;
	name_zh: string;
	township_zh: string | null;
	lon: number;
	lat: number;
	/** Registered households still poor at the end of the year (unsuppressed: server only). */
	poor_households: number;
}

export interface CoverageVillage {
	kind: 'village';
	code: string;
	name_zh: string;
	township_zh: string | null;
	/** [lon, lat], WGS84. */
	position: [number, number];
	/** Per stage, in chain order (STAGES): a site of that stage within its threshold. */
	reached: boolean[];
	/** Per stage, in chain order: minutes by road to the nearest operating site (0.1); null = none reachable. */
	nearest_min: (number | null)[];
	/** 0..5. */
	stages_reached: number;
	missing: Stage[];
	/** At least one registered household still poor at the end of the year. */
	poor: boolean;
	/** Still-poor households; null when 1..k-1 (suppressed). */
	poor_households: number | null;
	poor_households_suppressed: boolean;
	/** A poor village that some stage does not reach: drawn with a red ring. */
	flagged: boolean;
}

export interface CoverageSite {
	kind: 'site';
	id: number;
	name_zh: string;
	stage: Stage;
	status: 'operating' | 'planned';
	county_code: string;
	position: [number, number];
	/** The stage's threshold, minutes. */
	threshold_min: number;
	/** Villages of the county this site reaches by road within the threshold (for a planned site: the ones it would reach). */
	villages_within: number;
	/**
	 * Service area: the convex hull of the site and the villages it reaches within the threshold, as
	 * one closed [lon, lat] ring; null when those points do not span an area (fewer than three, or in a line).
	 */
	service_area: [number, number][] | null;
	jobs: number | null;
}

export interface StageGap {
	stage: Stage;
	minutes: number;
	/**
	 * Sites of the chain and stage in the county. Only operating ones count for coverage, and
	 * operating sites across the county border count too (the drawn `sites` include them).
	 */
	operating_sites: number;
	planned_sites: number;
	villages_not_reached: number;
	poor_villages_not_reached: number;
	/**
	 * Still-poor households in the villages not reached whose own count is shown (>= k each). Villages
	 * with a suppressed count are left out of the sum and counted in the next field instead: every
	 * published number is then a sum of numbers already published, so no difference of two of them
	 * (between stages, or against a village) can reveal a suppressed count.
	 */
	poor_households_not_reached: number;
	poor_villages_not_reached_suppressed: number;
}

export interface CoverageSummary {
	villages: number;
	poor_villages: number;
	/** Sum of the shown (unsuppressed) village counts; see StageGap.poor_households_not_reached. */
	poor_households: number;
	poor_villages_suppressed: number;
	/** Villages by stages reached, index 0..5. */
	by_stages_reached: number[];
	/** Poor villages that some stage does not reach. */
	flagged_villages: number;
	stages: StageGap[];
	/** The stage that leaves the most poor villages (then villages) unreached; null if none leaves any gap. */
	weakest_stage: Stage | null;
}

export interface CoverageData {
	layer: 'industrial-chain-coverage';
	/** null: no county chosen (the layer is per county); every list is then empty. */
	county: string | null;
	/** The chain shown; null when the county has no industry sites at all. */
	chain: Chain | null;
	/** True when the request named no chain and the county's main chain was taken. */
	chain_is_main: boolean;
	/** The stage whose sites and service areas are drawn. */
	stage: Stage;
	year: number;
	k: number;
	scenario: { id: number; name: string } | null;
	/** Road travel time with the scenario's speeds per road class and the walk to the road. */
	reach: { model: 'road'; speeds_kmh: Record<string, number>; walking_kmh: number };
	thresholds: StageThreshold[];
	villages: CoverageVillage[];
	sites: CoverageSite[];
	summary: CoverageSummary;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Convex hull (Andrew's monotone chain) of [lon, lat] points as a closed ring, counter-clockwise; null when it has no area. */
export function convexHull(points: readonly [number, number][]): [number, number][] | null {
	const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	if (p.length < 3) return null;
	const cross = (o: [number, number], a: [number, number], b: [number, number]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
	const lower: [number, number][] = [];
	for (const q of p) {
		while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], q) <= 0) lower.pop();
		lower.push(q);
	}
	const upper: [number, number][] = [];
	for (let i = p.length - 1; i >= 0; i--) {
		const q = p[i];
		while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], q) <= 0) upper.pop();
		upper.push(q);
	}
	const ring = lower.slice(0, -1).concat(upper.slice(0, -1));
	if (ring.length < 3) return null;
	return [...ring, ring[0]];
}

/** Combine villages and reach rows into the villages of the layer and the summary. */
export function buildCoverage(input: {
	villages: readonly VillageInput[];
	reach: readonly ReachRow[];
	thresholds: readonly StageThreshold[];
	siteCounts?: Partial<Record<Stage, { operating: number; planned: number }>>;
	k: number;
}): { villages: CoverageVillage[]; summary: CoverageSummary } {
	const { k } = input;
	const byVillage = new Map<string, Map<Stage, ReachRow>>();
	for (const row of input.reach) {
		let m = byVillage.get(row.village_code);
		if (!m) byVillage.set(row.village_code, (m = new Map()));
		m.set(row.stage, row);
	}
	const villages = input.villages.map((v): CoverageVillage => {
		const rows = byVillage.get(v.code);
		const reached = STAGES.map((s) => rows?.get(s)?.reached ?? false);
		const nearest = STAGES.map((s) => {
			const d = rows?.get(s)?.minutes;
			return d === null || d === undefined ? null : round1(d);
		});
		const missing = STAGES.filter((_, i) => !reached[i]);
		const count = suppressCount(v.poor_households, k);
		const poor = v.poor_households > 0;
		return {
			kind: 'village',
			code: v.code,
			name_zh: v.name_zh,
			township_zh: v.township_zh,
			position: [v.lon, v.lat],
			reached,
			nearest_min: nearest,
			stages_reached: STAGES.length - missing.length,
			missing,
			poor,
			poor_households: count.value,
			poor_households_suppressed: count.suppressed,
			flagged: poor && missing.length > 0
		};
	});
	return { villages, summary: summarize(villages, input.thresholds, input.siteCounts ?? {}) };
}

/** The per-stage gaps, from already-suppressed villages only (so it cannot leak what they hide). */
export function summarize(
	villages: readonly CoverageVillage[],
	thresholds: readonly StageThreshold[],
	siteCounts: Partial<Record<Stage, { operating: number; planned: number }>> = {}
): CoverageSummary {
	const shown = (list: readonly CoverageVillage[]) => list.reduce((n, v) => n + (v.poor_households ?? 0), 0);
	const hidden = (list: readonly CoverageVillage[]) => list.filter((v) => v.poor_households_suppressed).length;
	const poorVillages = villages.filter((v) => v.poor);
	const by = STAGES.map(() => 0).concat(0);
	for (const v of villages) by[v.stages_reached]++;
	const stages = STAGES.map((stage, i): StageGap => {
		const t = thresholds.find((x) => x.stage === stage) ?? { stage, minutes: DEFAULT_THRESHOLD_MINUTES[stage] };
		const notReached = villages.filter((v) => !v.reached[i]);
		const poorNotReached = notReached.filter((v) => v.poor);
		return {
			stage,
			minutes: t.minutes,
			operating_sites: siteCounts[stage]?.operating ?? 0,
			planned_sites: siteCounts[stage]?.planned ?? 0,
			villages_not_reached: notReached.length,
			poor_villages_not_reached: poorNotReached.length,
			poor_households_not_reached: shown(poorNotReached),
			poor_villages_not_reached_suppressed: hidden(poorNotReached)
		};
	});
	let weakest: StageGap | null = null;
	for (const g of stages) {
		if (g.villages_not_reached === 0) continue;
		if (
			!weakest ||
			g.poor_villages_not_reached > weakest.poor_villages_not_reached ||
			(g.poor_villages_not_reached === weakest.poor_villages_not_reached && g.villages_not_reached > weakest.villages_not_reached)
		)
			weakest = g;
	}
	return {
		villages: villages.length,
		poor_villages: poorVillages.length,
		poor_households: shown(poorVillages),
		poor_villages_suppressed: hidden(poorVillages),
		by_stages_reached: by,
		flagged_villages: villages.filter((v) => v.flagged).length,
		stages,
		weakest_stage: weakest?.stage ?? null
	};
}

/** The layer's answer when there is nothing to compute (no county chosen). */
export function emptyCoverage(p: { county: string | null; stage: Stage; year: number; k: number }): CoverageData {
	const thresholds = thresholdsFrom(null);
	return {
		layer: 'industrial-chain-coverage',
		county: p.county,
		chain: null,
		chain_is_main: false,
		stage: p.stage,
		year: p.year,
		k: p.k,
		scenario: null,
		reach: { model: 'road', speeds_kmh: {}, walking_kmh: 4 },
		thresholds,
		villages: [],
		sites: [],
		summary: summarize([], thresholds)
	};
}
