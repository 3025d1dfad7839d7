// GET /api/scenarios?county=<code> -> the county's scenarios, baseline first.
// POST /api/scenarios {county, name, description?, parameters?} -> the new scenario (201); missing
// parameters take the defaults of domain.md. 400 names the bad field; 409 when the name is taken.
import { database } from '$lib/server/db';
import { createScenario, listScenarios, readJsonObject, scenarioApi } from '$lib/server/scenarios.server';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ url }) =>
	scenarioApi(async () => {
		const { db } = await database();
		return { scenarios: await listScenarios(db, url.searchParams.get('county') ?? '') };
	});

export const POST: RequestHandler = ({ request }) =>
	scenarioApi(async () => {
		const body = await readJsonObject(request);
		const { db } = await database();
		return createScenario(db, { county: body.county, name: body.name, description: body.description, parameters: body.parameters });
	}, 201);
