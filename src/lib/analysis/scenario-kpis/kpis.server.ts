// The SQL and road-network steps behind a scenario's key figures: relocating households, the
// adopted siting decision, destination sites, facilities, operating industry sites and villages of
// the county, read as plain rows; travel times on the county's road graph at the scenario's speeds;
// then the pure core (kpis.ts). Runs through the analysis-run cache (kind 'housing-gap'), so an
// unchanged scenario on unchanged data is answered from the stored result.
import { sql, type Kysely } from 'kysely';
import type { Database } from '$lib/server/db/types.ts';
import { startRun } from '$lib/server/analysis/runs.server.ts';
import { getScenario, ScenarioError, type Scenario } from '$lib/server/scenarios.server.ts';
import { loadRoadNetwork, roadSpeedsFromScenario } from '../travel-time/network.server.ts';
import { nearestSource, snapPoints, type PointInput, type RoadGraph } from '../travel-time/index.ts';
import { resolveHousingGapParams } from '../housing-gap/index.ts';
import { MEANS_SHARE_OF_ANNUAL_INCOME } from '$lib/layers/housing-cost-gap/definition.ts';
import { DEFAULT_K, STAGES } from '$lib/layers/params.ts';
import {
	SERVICE_KINDS,
	compareKpis,
	scenarioKpis,
	type ComparisonRow,
	type KpiHousehold,
	type ScenarioKpis,
	type SiteAccess,
	type SitingDecision,
	type StageCoverage,
	type StageCoverageInput
} from './kpis.ts';

type Db = Kysely<Database>;

/** Bump when the figures' definition changes: part of the cache key. */
const KPI_VERSION = 1;

export interface ScenarioKpiResult {
	scenario: { id: number; name: string; county: string; baseline: boolean };
	kpis: ScenarioKpis;
	runId: number;
	cached: boolean;
}

/**
 * The adopted siting decision in `decisions.siting`, or null when there is none or it is not in
 * the agreed shape ({chosenSites: number[], assignments: [{village, site, households, minutes}]}).
 */
export function sitingDecision(decisions: Record<string, unknown>): SitingDecision | null {
	const s = decisions.siting as Record<string, unknown> | undefined;
	if (!s || typeof s !== 'object' || !Array.isArray(s.assignments)) return null;
	const assignments = (s.assignments as Record<string, unknown>[]).flatMap((a) => {
		const site = Number(a?.site);
		const households = Number(a?.households);
		if (typeof a?.village !== 'string' || !Number.isInteger(site) || !(households >= 0)) return [];
		return [{ village: a.village, site, households, minutes: a.minutes == null ? null : Number(a.minutes) }];
	});
	const chosen = Array.isArray(s.chosenSites) ? (s.chosenSites as unknown[]).map(Number).filter(Number.isInteger) : [...new Set(assignments.map((a) => a.site))];
	return { chosenSites: chosen, assignments, runId: typeof s.runId === 'number' ? s.runId : null };
}

/**
 * Coverage per stage from a finished chain-gaps run of the scenario (its `stages` summary:
 * {stage, threshold, villages_covered, villages_not_covered, …}, see ChainGapsResult); null when the
 * result has no such summary (then coverage is computed here from the thresholds).
 */
export function coverageFromRun(result: unknown): StageCoverage[] | null {
	const stages = (result as { stages?: unknown } | null)?.stages;
	if (!Array.isArray(stages)) return null;
	const out: StageCoverage[] = [];
	for (const s of stages as Record<string, unknown>[]) {
		const covered = Number(s?.villages_covered);
		const villages = covered + Number(s?.villages_not_covered);
		if (typeof s?.stage !== 'string' || !Number.isFinite(villages) || !Number.isFinite(covered)) return null;
		out.push({ stage: s.stage, thresholdMinutes: Number(s.threshold ?? NaN), villages, covered });
	}
	return out.length ? out : null;
}

const points = <T extends { id: string | number; lon: number; lat: number }>(rows: readonly T[]): PointInput[] =>
	rows.map((r) => ({ id: r.id, lon: Number(r.lon), lat: Number(r.lat) }));

/** Minutes from each target to the nearest source (Infinity when none reaches it or there are none). */
function nearestMinutes(graph: RoadGraph, sources: readonly PointInput[], targets: readonly PointInput[]): number[] {
	if (sources.length === 0 || graph.segmentCount === 0) return targets.map(() => Infinity);
	return nearestSource(graph, sources, targets).map((r) => r.minutes);
}

async function compute(db: Db, scenario: Scenario, k: number, chainRun: { id: number; result: unknown } | null): Promise<ScenarioKpis> {
	const county = scenario.county;
	const p = scenario.parameters;
	const params = resolveHousingGapParams({
		areaPerPersonM2: p.areaPerPersonM2,
		largeHouseholdMembers: p.largeHouseholdMembers,
		largeHouseholdCapM2: p.largeHouseholdCapM2,
		costPerM2Yuan: p.constructionCostPerM2Yuan,
		subsidyPerHouseholdYuan: p.subsidyPerHouseholdYuan,
		subsidyPerPersonYuan: p.subsidyPerPersonYuan,
		selfFundingCapPerPersonYuan: p.selfFundingCapPerPersonYuan,
		selfFundingCapPerHouseholdYuan: p.selfFundingCapPerHouseholdYuan,
		meansShareOfIncome: MEANS_SHARE_OF_ANNUAL_INCOME
	});
	const households: KpiHousehold[] = (
		await db
			.selectFrom('households')
			.select(['village_code', 'target_site_id', 'members', 'income_per_capita_yuan'])
			.where('county_code', '=', county)
			.where('relocation_status', 'in', ['planned', 'relocated'])
			.orderBy('code')
			.execute()
	).map((h) => ({ village: h.village_code, site: h.target_site_id, members: Number(h.members), incomePerCapitaYuan: Number(h.income_per_capita_yuan) }));
	const siting = sitingDecision(scenario.decisions);
	const siteIds = [...new Set(siting ? siting.assignments.map((a) => a.site) : households.flatMap((h) => (h.site === null ? [] : [h.site])))].sort((a, b) => a - b);

	const xy = { lon: sql<number>`ST_X(geom)`, lat: sql<number>`ST_Y(geom)` };
	const sites = siteIds.length
		? await db.selectFrom('relocation_sites').select(['id', xy.lon.as('lon'), xy.lat.as('lat')]).where(sql<boolean>`id = any(${siteIds}::int[])`).orderBy('id').execute()
		: [];
	const facilities = await db
		.selectFrom('facilities')
		.select(['id', 'kind', xy.lon.as('lon'), xy.lat.as('lat')])
		.where('county_code', '=', county)
		.where('kind', 'in', [...SERVICE_KINDS])
		.orderBy('id')
		.execute();
	const industry = await db
		.selectFrom('industry_sites')
		.select(['id', 'stage', xy.lon.as('lon'), xy.lat.as('lat')])
		.where('county_code', '=', county)
		.where('status', '=', 'operating')
		.orderBy('id')
		.execute();

	const network = await loadRoadNetwork(db, [county], roadSpeedsFromScenario(p.roadSpeedKmh));
	const graph = network.graph;
	// Snap each set once; nearestSource keeps points that are already snapped.
	const snap = (pts: PointInput[]) => (graph.segmentCount === 0 ? pts : snapPoints(graph, pts));
	const siteTargets = snap(points(sites));
	const jobs = nearestMinutes(graph, snap(points(industry)), siteTargets);
	const byKind = Object.fromEntries(
		SERVICE_KINDS.map((kind) => [kind, nearestMinutes(graph, snap(points(facilities.filter((f) => f.kind === kind))), siteTargets)])
	) as Record<(typeof SERVICE_KINDS)[number], number[]>;
	const access: SiteAccess[] = sites.map((s, i) => ({
		site: s.id,
		jobs: jobs[i],
		township_seat: byKind.township_seat[i],
		school: byKind.school[i],
		clinic: byKind.clinic[i]
	}));

	let coverage: Parameters<typeof scenarioKpis>[0]['coverage'];
	const fromRun = chainRun ? coverageFromRun(chainRun.result) : null;
	if (chainRun && fromRun) {
		coverage = { source: 'run', runId: chainRun.id, stages: fromRun };
	} else {
		const villages = await db
			.selectFrom('villages')
			.select(['code as id', xy.lon.as('lon'), xy.lat.as('lat')])
			.where('county_code', '=', county)
			.orderBy('code')
			.execute();
		const villageTargets = snap(points(villages));
		const stages: StageCoverageInput[] = STAGES.map((stage) => ({
			stage,
			thresholdMinutes: p.stageThresholdMinutes[stage],
			villageMinutes: nearestMinutes(graph, snap(points(industry.filter((s) => s.stage === stage))), villageTargets)
		}));
		coverage = villages.length ? { source: 'computed', runId: null, stages } : { source: 'not-run', runId: null, stages: [] };
	}
	return scenarioKpis({ k, params, households, siting, access, coverage });
}

/** The latest finished chain-gaps run of the scenario, if any. */
async function latestChainRun(db: Db, scenarioId: number): Promise<{ id: number; result: unknown } | null> {
	const row = await db
		.selectFrom('analysis_runs')
		.select(['id', 'result'])
		.where('scenario_id', '=', scenarioId)
		.where('kind', '=', 'chain-gaps')
		.where('status', '=', 'done')
		.orderBy('id', 'desc')
		.executeTakeFirst();
	if (!row) return null;
	return { id: row.id, result: typeof row.result === 'string' ? JSON.parse(row.result) : row.result };
}

/** A scenario's key figures, from the run cache or computed now. */
export async function scenarioKpiResult(db: Db, id: number, k = DEFAULT_K): Promise<ScenarioKpiResult> {
	if (!(Number.isInteger(k) && k >= DEFAULT_K && k <= 100)) throw new ScenarioError(400, `k must be a whole number from ${DEFAULT_K} to 100`, 'k');
	const scenario = await getScenario(db, id);
	const chainRun = await latestChainRun(db, id);
	const run = await startRun<ScenarioKpis>(
		db,
		{
			county: scenario.county,
			scenarioId: id,
			kind: 'housing-gap',
			params: { kpis: KPI_VERSION, k, chainRun: chainRun?.id ?? null },
			tables: ['households', 'villages', 'relocation_sites', 'industry_sites', 'facilities', 'roads']
		},
		() => compute(db, scenario, k, chainRun)
	);
	const status = await run.done;
	if (status.status !== 'done' || !status.result) throw new Error(`key figures of scenario ${id}: run ${status.id} ${status.status}: ${status.error ?? ''}`);
	return {
		scenario: { id: scenario.id, name: scenario.name, county: scenario.county, baseline: scenario.baseline },
		kpis: status.result,
		runId: status.id,
		cached: run.cached
	};
}

export interface ScenarioComparison {
	a: ScenarioKpiResult;
	b: ScenarioKpiResult;
	rows: ComparisonRow[];
}

/** Two scenarios of one county side by side: both sets of figures and B − A per row. */
export async function compareScenarios(db: Db, a: number, b: number, k = DEFAULT_K): Promise<ScenarioComparison> {
	const ra = await scenarioKpiResult(db, a, k);
	const rb = await scenarioKpiResult(db, b, k);
	if (ra.scenario.county !== rb.scenario.county) {
		throw new ScenarioError(400, `scenarios ${a} and ${b} belong to different counties (${ra.scenario.county}, ${rb.scenario.county})`, 'b');
	}
	return { a: ra, b: rb, rows: compareKpis(ra.kpis, rb.kpis) };
}
