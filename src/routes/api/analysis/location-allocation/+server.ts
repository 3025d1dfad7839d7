// POST /api/analysis/location-allocation {county, scenario?, mode: {kind: 'p', p} | {kind: 'min-sites'},
// maxMinutes?, method?} -> {runId, cached}; the result via GET /api/analysis/runs/<runId>.
// Errors are 400 {error, field}.
import { json } from '@sveltejs/kit';
import { database } from '$lib/server/db';
import { parseLocationAllocationRequest } from '$lib/analysis/suitability/request';
import { startLocationAllocationRun } from '$lib/analysis/location-allocation/location-allocation.server';
import { readJson, withFieldErrors } from '$lib/analysis/suitability/http.server';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = ({ request }) =>
	withFieldErrors(async () => {
		const req = parseLocationAllocationRequest(await readJson(request));
		const { db } = await database();
		const run = await startLocationAllocationRun(db, req);
		return json({ runId: run.id, cached: run.cached }, { status: 202 });
	});
