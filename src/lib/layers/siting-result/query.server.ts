// The siting-result layer's data: the latest finished location-allocation run of the county (and
// of the scenario, when one is asked for), or the run the `run` parameter names. The run's result
// is already suppressed at k = 5; a request for a higher k withholds more here. Without a run: the
// county's candidates alone.
import type { LayerQuery, QueryContext } from '../server.ts';
import { getRun } from '$lib/server/analysis/runs.server.ts';
import { candidateSites } from '$lib/analysis/suitability/inputs.server.ts';
import { latestLocationAllocation, type LocationAllocationOutput } from '$lib/analysis/location-allocation/location-allocation.server.ts';
import { suppressCount } from '../suppress.ts';
import { DEFAULT_K, ParamError } from '../params.ts';
import type { SitingResultData, SitingSite } from './definition.ts';

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * The run a `run` parameter names: a finished location-allocation run of this county (and scenario,
 * when given). A run of another kind is another result layer's (the map shares one `run` parameter):
 * undefined, and the latest location-allocation run is drawn.
 */
async function namedRun(db: QueryContext['db'], county: string, scenario: number | null, id: number) {
	const run = await getRun<LocationAllocationOutput>(db, id);
	if (!run) throw new ParamError('run', `there is no location-allocation run ${id}`);
	if (run.kind !== 'location-allocation') return undefined;
	if (run.county !== county) throw new ParamError('run', `run ${id} belongs to county ${run.county}, not ${county}`);
	if (scenario !== null && run.scenarioId !== scenario) throw new ParamError('run', `run ${id} was computed with scenario ${run.scenarioId}, not ${scenario}`);
	if (run.status !== 'done' || !run.result) throw new ParamError('run', `run ${id} is ${run.status}, not done`);
	return { id, result: run.result };
}

export const query: LayerQuery = async ({ db }, params): Promise<SitingResultData> => {
	const k = Math.max(params.k, DEFAULT_K);
	if (params.county === null) return { k, runId: null, scenario: params.scenario, sites: [], arcs: [] };
	const named = params.run !== null ? await namedRun(db, params.county, params.scenario, params.run) : undefined;
	const latest = named ?? (await latestLocationAllocation(db, params.county, params.scenario));
	if (!latest) {
		const sites = await candidateSites(db, params.county);
		return {
			k,
			runId: null,
			scenario: params.scenario,
			sites: sites.map((s) => ({
				id: s.id,
				name: s.name,
				role: s.exclusions.length ? 'excluded' : 'candidate',
				position: [round6(s.lon), round6(s.lat)],
				capacity: s.capacity,
				households: null,
				meanMinutes: null,
				exclusions: s.exclusions
			})),
			arcs: []
		};
	}
	const r = latest.result;
	// Stored counts are withheld at the run's k; a higher k here withholds the whole count column
	// rather than re-deriving the table (a shown count could otherwise give a newly hidden one back).
	const stricter = k > r.k;
	const count = (n: number | null) => (n === null || stricter ? null : suppressCount(n, k).suppressed ? null : n);
	const sites: SitingSite[] = [
		...r.chosen.map((c) => ({ id: c.id, name: c.name, role: 'chosen' as const, position: c.position, capacity: c.capacity, households: count(c.households), meanMinutes: c.meanMinutes, exclusions: [] })),
		...r.unchosen.map((c) => ({ id: c.id, name: c.name, role: 'candidate' as const, position: c.position, capacity: c.capacity, households: null, meanMinutes: null, exclusions: [] })),
		...r.excluded.map((c) => ({ id: c.id, name: c.name, role: 'excluded' as const, position: c.position, capacity: c.capacity, households: null, meanMinutes: null, exclusions: c.exclusions }))
	];
	const arcs = r.assignments.map((a) => ({
		village: a.village,
		villageName: a.villageName,
		siteId: a.site,
		siteName: a.siteName,
		from: a.from,
		to: a.to,
		households: count(a.households),
		minutes: a.minutes
	}));
	return { k, runId: latest.id, scenario: r.scenario.id, sites, arcs };
};
