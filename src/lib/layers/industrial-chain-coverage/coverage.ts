// Industrial-chain coverage, the pure core (no DB, no DOM; client-safe): which stages of one
// industrial chain reach each village, which poor villages a stage misses, and the per-stage gaps
// the industry bureau reads in the side panel. query.server.ts feeds it plain rows; definition.ts
// draws its output. Household counts are suppressed here, before anything leaves the server.
import { CHAINS, STAGES, type Stage } from '../params.ts';
import type { Localized } from '../types.ts';
import { suppressCount } from '../suppress.ts';

export type Chain = (typeof CHAINS)[number];

/**
 * The nominal speed that turns a scenario's travel-time threshold (minutes) into a straight-line
 * radius: 30 km/h, the scenarios' default township-road speed. Straight-line distance for now;
 * road travel time when the analyses issue lands (then only the reach function in
 * query.server.ts changes, and `reach.model` says which one produced the data).
 */
export const NOMINAL_SPEED_KMH = 30;

/** Thresholds when a scenario has none for a stage: the schema's defaults (domain.md). */
export const DEFAULT_THRESHOLD_MINUTES: Readonly<Record<Stage, number>> = {
	production: 20,
	processing: 30,
	cold_chain: 45,
	logistics: 60,
	marketing: 60
};

/** The stage whose service areas are drawn when the request names none. */
export const DEFAULT_STAGE: Stage = 'processing';

/**
 * Nearest-site distances are looked up within this radius (or the stage's own radius, if larger);
 * farther sites are reported as "none within 100 km". At 30 km/h that is over three hours, far past
 * any threshold, and the cap lets the spatial index prune at province scale.
 */
export const NEAREST_SEARCH_KM = 100;

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
	/** The scenario's travel-time threshold. */
	minutes: number;
	/** The straight-line radius that stands for it at NOMINAL_SPEED_KMH. */
	radius_km: number;
}

/** Straight-line radius (km) standing for `minutes` of travel at `speedKmh`. */
export function radiusKm(minutes: number, speedKmh = NOMINAL_SPEED_KMH): number {
	return (minutes / 60) * speedKmh;
}

/**
 * The five thresholds, in chain order, from a scenario's `stage_threshold_minutes` (jsonb). A stage
 * the scenario leaves out, or gives a value that is not a positive finite number, takes the default.
 */
export function thresholdsFrom(raw: unknown, speedKmh = NOMINAL_SPEED_KMH): StageThreshold[] {
	const given = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
	return STAGES.map((stage) => {
		const v = given[stage];
		const minutes = typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : DEFAULT_THRESHOLD_MINUTES[stage];
		return { stage, minutes, radius_km: radiusKm(minutes, speedKmh) };
	});
}

/** One village x stage answer of the reach function (the replaceable distance test). */
export interface ReachRow {
	village_code: string;
	stage: Stage;
	/** Straight-line distance to the nearest operating site of the chain and stage, km; null if none within the search radius. */
	nearest_km: number | null;
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
	/** Per stage, in chain order: distance to the nearest operating site, km (0.1); null = none within the search radius. */
	nearest_km: (number | null)[];
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
	/** Service-area radius (the stage's threshold as a straight-line distance), metres. */
	radius_m: number;
	/** Villages of the county within the radius (for a planned site: the ones it would reach). */
	villages_within: number;
	jobs: number | null;
}

export interface StageGap {
	stage: Stage;
	minutes: number;
	radius_km: number;
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
	reach: { model: 'straight_line'; speed_kmh: number; search_km: number };
	thresholds: StageThreshold[];
	villages: CoverageVillage[];
	sites: CoverageSite[];
	summary: CoverageSummary;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

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
			const d = rows?.get(s)?.nearest_km;
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
			nearest_km: nearest,
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
		const t = thresholds.find((x) => x.stage === stage) ?? { stage, minutes: DEFAULT_THRESHOLD_MINUTES[stage], radius_km: radiusKm(DEFAULT_THRESHOLD_MINUTES[stage]) };
		const notReached = villages.filter((v) => !v.reached[i]);
		const poorNotReached = notReached.filter((v) => v.poor);
		return {
			stage,
			minutes: t.minutes,
			radius_km: t.radius_km,
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
		reach: { model: 'straight_line', speed_kmh: NOMINAL_SPEED_KMH, search_km: NEAREST_SEARCH_KM },
		thresholds,
		villages: [],
		sites: [],
		summary: summarize([], thresholds)
	};
}
