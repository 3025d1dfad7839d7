// GET /api/scenarios/<id>/kpis[?k=] -> the scenario's key figures (households relocated, travel
// times to jobs and services, cost, gap, households over the cap, villages covered per stage).
import { database } from '$lib/server/db';
import { parseScenarioId, scenarioApi } from '$lib/server/scenarios.server';
import { scenarioKpiResult } from '$lib/analysis/scenario-kpis/kpis.server';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ params, url }) =>
	scenarioApi(async () => {
		const id = parseScenarioId(params.id);
		const k = url.searchParams.has('k') ? Number(url.searchParams.get('k')) : undefined;
		const { db } = await database();
		return scenarioKpiResult(db, id, k);
	});
