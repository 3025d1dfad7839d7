// Suitability of a county's candidate settlement sites: the SQL steps (inputs.server.ts), road
// travel times on the county's graph (loadRoadNetwork, snapPoints, one multi-source Dijkstra per
// facility kind and per chain stage, one per site for the origin villages), then the pure core
// (score, AHP, sensitivity). Run through startRun (kind 'suitability') so the same question with
// unchanged data is answered from the cache, and long runs report progress.
import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db/types.ts';
import { startRun, type RunContext } from '$lib/server/analysis/runs.server.ts';
import { loadRoadNetwork } from '$lib/analysis/travel-time/network.server.ts';
import { nearestSource, snapPoints, travelTimeMatrix, type SnappedPoint } from '$lib/analysis/travel-time';
import { STAGES, type Stage } from '$lib/layers/params.ts';
import { ahpWeights } from './ahp.ts';
import { scoreSites } from './score.ts';
import { sensitivity } from './sensitivity.ts';
import type { AhpResult, SiteCriteria } from './types.ts';
import { CRITERION_IDS, SITING_CRITERIA, type SitingCriterionId, type SuitabilityRequest } from './request.ts';
import { candidateSites, originVillages, servicePoints, sitingScenario, type CandidateSiteRow } from './inputs.server.ts';

export const FACILITY_KINDS = ['township_seat', 'school', 'clinic', 'market'] as const;
type FacilityKind = (typeof FACILITY_KINDS)[number];

export interface SuitabilitySite {
	id: number;
	name: string;
	kind: string;
	status: string;
	capacity: number;
	/** [lon, lat] */
	position: [number, number];
	/** Raw criterion values (minutes, households); null = unreachable. */
	values: Record<SitingCriterionId, number | null>;
	/** Minutes to the nearest industry site of each stage (all chains); null = none reachable. */
	stageMinutes: Record<Stage, number | null>;
	score: number;
	rank: number | null;
	excluded: boolean;
	exclusions: string[];
	/** Best and worst rank over the ±20 % weight changes (eligible sites only). */
	rankRange: { min: number; max: number } | null;
}

export interface SuitabilityOutput {
	county: string;
	scenario: { id: number | null; name: string | null };
	criteria: { id: SitingCriterionId; direction: 'benefit' | 'cost' }[];
	/** Weights used, criteria order, sum 1. */
	weights: number[];
	weightSource: 'direct' | 'ahp';
	ahp: AhpResult | null;
	/** Stages with at least one industry site in the county (the `industry` criterion averages these). */
	stagesPresent: Stage[];
	/** Relocating households whose origin times enter the `origin` criterion. */
	relocatingHouseholds: number;
	sites: SuitabilitySite[];
	sensitivity: { factors: number[] };
}

const roundMinutes = (x: number) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : x);
const finiteOrNull = (x: number) => (Number.isFinite(x) ? roundMinutes(x) : null);

/** The analysis itself (no run bookkeeping): tests and the bench call it directly. */
export async function computeSuitability(db: Kysely<Database>, request: SuitabilityRequest, ctx?: Pick<RunContext, 'progress'>): Promise<SuitabilityOutput> {
	const progress = (f: number, stage: string) => ctx?.progress(f, stage);
	let weights: number[];
	let ahp: AhpResult | null = null;
	if (request.weights.kind === 'ahp') {
		ahp = ahpWeights(request.weights.pairwise);
		weights = ahp.weights;
	} else {
		const values = request.weights.values;
		weights = CRITERION_IDS.map((id) => values[id]);
	}

	progress(0.02, 'analysis.siting.stage.load');
	const scenario = await sitingScenario(db, request.county, request.scenario);
	const sites = await candidateSites(db, request.county);
	const villages = await originVillages(db, request.county);
	const { facilities, industry } = await servicePoints(db, request.county);

	progress(0.1, 'analysis.siting.stage.network');
	const net = await loadRoadNetwork(db, [request.county], scenario.speeds);
	const snappedSites = snapPoints(net.graph, sites.map((s) => ({ id: s.id, lon: s.lon, lat: s.lat })));

	progress(0.2, 'analysis.siting.stage.facilities');
	const nearest = (points: { id: number; lon: number; lat: number }[]): number[] =>
		points.length === 0 ? sites.map(() => Infinity) : nearestSource(net.graph, points, snappedSites).map((r) => r.minutes);
	const facilityMinutes = {} as Record<FacilityKind, number[]>;
	for (const kind of FACILITY_KINDS) facilityMinutes[kind] = nearest(facilities.filter((f) => f.kind === kind));
	const stageMinutes = {} as Record<Stage, number[]>;
	for (const stage of STAGES) stageMinutes[stage] = nearest(industry.filter((f) => f.kind === stage));
	const stagesPresent = STAGES.filter((s) => industry.some((f) => f.kind === s));

	progress(0.35, 'analysis.siting.stage.origins');
	const originMinutes = householdWeightedOriginMinutes(net.graph, villages, snappedSites, (done, total) =>
		progress(0.35 + 0.55 * (done / Math.max(1, total)), 'analysis.siting.stage.origins')
	);

	progress(0.92, 'analysis.siting.stage.score');
	const rows: SiteCriteria[] = sites.map((s, i) => {
		const industryMean = stagesPresent.length ? stagesPresent.reduce((sum, st) => sum + stageMinutes[st][i], 0) / stagesPresent.length : Infinity;
		const values: Record<SitingCriterionId, number> = {
			township_seat: facilityMinutes.township_seat[i],
			school: facilityMinutes.school[i],
			clinic: facilityMinutes.clinic[i],
			market: facilityMinutes.market[i],
			industry: industryMean,
			origin: originMinutes[i],
			capacity: s.capacity
		};
		// Scored as shown: minutes to 0.01, so float noise in equal times never splits them apart.
		return { id: String(s.id), values: CRITERION_IDS.map((id) => roundMinutes(values[id])), exclusions: s.exclusions };
	});
	const criteria = SITING_CRITERIA.map((c) => ({ ...c }));
	const scored = scoreSites(criteria, rows, weights);
	const sens = sensitivity(criteria, rows, scored.weights);
	const ranges = new Map(sens.ranges.map((r) => [r.id, r]));

	const out: SuitabilitySite[] = sites.map((s: CandidateSiteRow, i) => {
		const sc = scored.sites[i];
		const rr = ranges.get(String(s.id));
		return {
			id: s.id,
			name: s.name,
			kind: s.kind,
			status: s.status,
			capacity: s.capacity,
			position: [Math.round(s.lon * 1e6) / 1e6, Math.round(s.lat * 1e6) / 1e6],
			values: Object.fromEntries(CRITERION_IDS.map((id, j) => [id, finiteOrNull(rows[i].values[j] as number)])) as Record<SitingCriterionId, number | null>,
			stageMinutes: Object.fromEntries(STAGES.map((st) => [st, finiteOrNull(stageMinutes[st][i])])) as Record<Stage, number | null>,
			score: Math.round(sc.score * 1e6) / 1e6,
			rank: sc.rank,
			excluded: sc.excluded,
			exclusions: sc.exclusions,
			rankRange: rr ? { min: rr.minRank, max: rr.maxRank } : null
		};
	});
	// Best first; excluded sites after the ranked ones, by id.
	out.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.id - b.id);
	return {
		county: request.county,
		scenario: { id: scenario.id, name: scenario.name },
		criteria,
		weights: scored.weights,
		weightSource: request.weights.kind,
		ahp,
		stagesPresent,
		relocatingHouseholds: villages.reduce((s, v) => s + v.households, 0),
		sites: out,
		sensitivity: { factors: sens.factors }
	};
}

/**
 * For each site, Σ households × minutes / Σ households over the origin villages it can be reached
 * from (one Dijkstra per site, travelTimeMatrix). A site no village can reach gets Infinity; a
 * county with no relocating households gets 0 everywhere (the criterion then tells nothing).
 */
export function householdWeightedOriginMinutes(
	graph: Parameters<typeof travelTimeMatrix>[0],
	villages: readonly { code: string; lon: number; lat: number; households: number }[],
	sites: readonly SnappedPoint[],
	onProgress?: (done: number, total: number) => void
): number[] {
	if (villages.length === 0) return sites.map(() => 0);
	const m = travelTimeMatrix(graph, villages.map((v) => ({ id: v.code, lon: v.lon, lat: v.lat })), sites, { onProgress });
	const nS = sites.length;
	return sites.map((_, j) => {
		let w = 0;
		let sum = 0;
		villages.forEach((v, i) => {
			const t = m.minutes[i * nS + j];
			if (!Number.isFinite(t)) return;
			w += v.households;
			sum += v.households * t;
		});
		return w > 0 ? sum / w : Infinity;
	});
}

/** Start (or reuse) a suitability run; resolves with its id at once. */
export async function startSuitabilityRun(db: Kysely<Database>, request: SuitabilityRequest) {
	// Resolve the scenario first: a bad one is a request error, not a failed run.
	const scenario = await sitingScenario(db, request.county, request.scenario);
	return startRun<SuitabilityOutput>(
		db,
		{
			county: request.county,
			scenarioId: scenario.id,
			kind: 'suitability',
			params: { weights: request.weights },
			tables: ['relocation_sites', 'constraint_zones', 'households', 'villages', 'facilities', 'industry_sites', 'roads']
		},
		(ctx) => computeSuitability(db, { ...request, scenario: scenario.id }, ctx)
	);
}
