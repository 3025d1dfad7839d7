// GET /api/scenarios/<id> -> the scenario. PATCH {name?, description?, parameters?} -> the updated
// scenario (thresholds and speeds merge per stage / road class). DELETE -> {id, county}; the
// county's last scenario is refused (409).
import { database } from '$lib/server/db';
import { deleteScenario, getScenario, parseScenarioId, readJsonObject, scenarioApi, updateScenario } from '$lib/server/scenarios.server';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ params }) =>
	scenarioApi(async () => {
		const { db } = await database();
		return getScenario(db, parseScenarioId(params.id));
	});

export const PATCH: RequestHandler = ({ params, request }) =>
	scenarioApi(async () => {
		const id = parseScenarioId(params.id);
		const body = await readJsonObject(request);
		const { db } = await database();
		return updateScenario(db, id, body);
	});

export const DELETE: RequestHandler = ({ params }) =>
	scenarioApi(async () => {
		const { db } = await database();
		return deleteScenario(db, parseScenarioId(params.id));
	});
