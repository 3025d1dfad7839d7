// The query behind the industrial-chain-coverage layer, on road travel time. The village × stage
// minutes come from the chain-coverage analysis (network-minutes.server.ts: villages, the chain's
// sites and the county's roads from SQL, one multi-source Dijkstra per stage), cached per roads /
// industry_sites / villages data versions, chain and the scenario's road speeds. Per request only
// the cheap parts run: the year's still-poor households, the thresholds, and the chosen stage's
// service areas (one Dijkstra per site of that stage, bounded by its threshold; cached too).
import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db';
import type { LayerQuery } from '../server.ts';
import { DEFAULT_K, ParamError, STAGES, type LayerParams, type Stage } from '../params.ts';
import {
	buildCoverage,
	convexHull,
	DEFAULT_STAGE,
	emptyCoverage,
	thresholdsFrom,
	type Chain,
	type CoverageData,
	type CoverageSite,
	type ReachRow,
	type StageThreshold,
	type VillageInput
} from './coverage.ts';
import {
	chainMinutes,
	countyVillages,
	InputError,
	mainChain,
	poorHouseholds,
	scenarioInputs,
	type ChainMinutes
} from '$lib/analysis/chain-coverage/network-minutes.server.ts';
import { DEFAULT_SPEEDS_KMH, travelTimeMatrix } from '$lib/analysis/travel-time/index.ts';

type Db = Kysely<Database>;

/** Reach rows from the village × stage minutes (threshold inclusive). */
export function reachRows(cm: ChainMinutes, thresholds: readonly StageThreshold[]): ReachRow[] {
	const S = STAGES.length;
	return cm.villages.flatMap((v, i) =>
		STAGES.map((stage, s): ReachRow => {
			const m = cm.minutes[i * S + s];
			return { village_code: v.code, stage, minutes: Number.isFinite(m) ? m : null, reached: m <= thresholds[s].minutes };
		})
	);
}

/** Per chain-minutes object: the service areas of a stage at a threshold. */
const areaCache = new WeakMap<ChainMinutes, Map<string, CoverageSite[]>>();

/**
 * The chosen stage's sites (operating and planned) that are in the county or reach one of its
 * villages by road within the threshold, each with those villages and their convex hull.
 */
export function stageSites(cm: ChainMinutes, threshold: StageThreshold): CoverageSite[] {
	let byKey = areaCache.get(cm);
	if (!byKey) areaCache.set(cm, (byKey = new Map()));
	const key = `${threshold.stage}|${threshold.minutes}`;
	const hit = byKey.get(key);
	if (hit) return hit;
	const sites = cm.sites.filter((s) => s.stage === threshold.stage);
	const out: CoverageSite[] = [];
	if (sites.length > 0) {
		const matrix = travelTimeMatrix(
			cm.network.graph,
			cm.snapped,
			sites.map((s, j) => ({ id: j, lon: s.lon, lat: s.lat })),
			{ cutoffMinutes: threshold.minutes }
		);
		const m = sites.length;
		sites.forEach((s, j) => {
			const reached: [number, number][] = [];
			cm.villages.forEach((v, i) => {
				if (matrix.minutes[i * m + j] <= threshold.minutes) reached.push([v.lon, v.lat]);
			});
			if (s.county_code !== cm.county && reached.length === 0) return;
			out.push({
				kind: 'site',
				id: s.id,
				name_zh: s.name_zh,
				stage: s.stage,
				status: s.status,
				county_code: s.county_code,
				position: [s.lon, s.lat],
				threshold_min: threshold.minutes,
				villages_within: reached.length,
				service_area: convexHull([[s.lon, s.lat], ...reached]),
				jobs: s.jobs
			});
		});
	}
	byKey.set(key, out);
	return out;
}

function siteCounts(cm: ChainMinutes) {
	const counts: Partial<Record<Stage, { operating: number; planned: number }>> = {};
	for (const s of cm.sites) {
		if (s.county_code !== cm.county) continue;
		const c = (counts[s.stage] ??= { operating: 0, planned: 0 });
		c[s.status]++;
	}
	return counts;
}

export async function coverage(db: Db, params: LayerParams): Promise<CoverageData> {
	const stage = params.stage ?? DEFAULT_STAGE;
	// layerData already raises k to the floor; kept here too, since this function is the one that suppresses.
	const k = Math.max(params.k, DEFAULT_K);
	// The layer is per county (its main chain, its scenario): without one there is nothing to draw.
	if (params.county === null) return emptyCoverage({ county: null, stage, year: params.year, k });
	const county = params.county;
	// One connection on PGlite: the steps run one after another.
	let inputs;
	try {
		inputs = await scenarioInputs(db, county, params.scenario);
	} catch (err) {
		if (err instanceof InputError) throw new ParamError(err.field, err.message.replace(`${err.field}: `, ''));
		throw err;
	}
	const thresholds = thresholdsFrom(Object.fromEntries(STAGES.map((s, i) => [s, inputs.thresholds[i]])));
	const chain = (params.chain as Chain | null) ?? (await mainChain(db, county));
	const reach = { model: 'road' as const, speeds_kmh: { ...DEFAULT_SPEEDS_KMH, ...inputs.speeds.classes }, walking_kmh: inputs.speeds.walking };
	const poor = await poorHouseholds(db, county, params.year);
	let cm: ChainMinutes | null = null;
	if (chain !== null) cm = await chainMinutes(db, county, chain, inputs.speeds);
	const villageRows = cm ? cm.villages : await countyVillages(db, county);
	const villages: VillageInput[] = villageRows.map((v) => ({ ...v, poor_households: poor.get(v.code) ?? 0 }));
	const rows = cm ? reachRows(cm, thresholds) : [];
	const sites = cm ? stageSites(cm, thresholds[STAGES.indexOf(stage)]) : [];
	const { villages: out, summary } = buildCoverage({ villages, reach: rows, thresholds, siteCounts: cm ? siteCounts(cm) : {}, k });
	return {
		layer: 'industrial-chain-coverage',
		county,
		chain,
		chain_is_main: params.chain === null && chain !== null,
		stage,
		year: params.year,
		k,
		scenario: inputs.scenario,
		reach,
		thresholds,
		villages: out,
		sites,
		summary
	};
}

export const query: LayerQuery = ({ db }, params) => coverage(db, params);
