// POST /api/scenarios/<id>/copy {name?, description?} -> the copy (201): parameters and decisions,
// not results. Without a name the server picks "<name> 副本" (or the next free number).
import { database } from '$lib/server/db';
import { copyScenario, parseScenarioId, readJsonObject, scenarioApi } from '$lib/server/scenarios.server';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = ({ params, request }) =>
	scenarioApi(async () => {
		const id = parseScenarioId(params.id);
		const body = request.headers.get('content-length') === '0' ? {} : await readJsonObject(request);
		const { db } = await database();
		return copyScenario(db, id, body);
	}, 201);
