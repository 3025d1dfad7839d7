// POST /api/analysis/location-allocation/<runId>/adopt {scenario} -> the decision stored in the
// scenario's decisions under 'siting' (chosen sites, village → site). Only on the user's "adopt".
import { json } from '@sveltejs/kit';
import { database } from '$lib/server/db';
import { adoptLocationAllocation } from '$lib/analysis/location-allocation/location-allocation.server';
import { RequestFieldError } from '$lib/analysis/suitability/request';
import { parseRunId, readJson, withFieldErrors } from '$lib/analysis/suitability/http.server';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = ({ params, request }) =>
	withFieldErrors(async () => {
		const runId = parseRunId(params.runId);
		const body = (await readJson(request)) as { scenario?: unknown } | null;
		const scenario = Number(body?.scenario);
		if (!(Number.isInteger(scenario) && scenario > 0)) throw new RequestFieldError('scenario', 'must be a positive integer (the scenario to store the decision in)');
		const { db } = await database();
		const decision = await adoptLocationAllocation(db, runId, scenario);
		return json({ scenario, siting: decision });
	});
