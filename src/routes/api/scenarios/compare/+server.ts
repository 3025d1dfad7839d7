// GET /api/scenarios/compare?a=<id>&b=<id>[&k=] -> both scenarios' key figures and, per row, B − A
// and whether B is better. Both must belong to one county.
import { database } from '$lib/server/db';
import { parseScenarioId, scenarioApi } from '$lib/server/scenarios.server';
import { compareScenarios } from '$lib/analysis/scenario-kpis/kpis.server';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ url }) =>
	scenarioApi(async () => {
		const a = parseScenarioId(url.searchParams.get('a'), 'a');
		const b = parseScenarioId(url.searchParams.get('b'), 'b');
		const k = url.searchParams.has('k') ? Number(url.searchParams.get('k')) : undefined;
		const { db } = await database();
		return compareScenarios(db, a, b, k);
	});
