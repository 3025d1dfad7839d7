// POST /api/analysis/suitability {county, scenario?, weights?} -> {runId, cached}; the result via
// GET /api/analysis/runs/<runId>. weights: {kind: 'direct', values: {criterion: weight}} or
// {kind: 'ahp', pairwise: n × n}. Errors are 400 {error, field}.
import { json } from '@sveltejs/kit';
import { database } from '$lib/server/db';
import { parseSuitabilityRequest } from '$lib/analysis/suitability/request';
import { startSuitabilityRun } from '$lib/analysis/suitability/suitability.server';
import { ahpWeights } from '$lib/analysis/suitability/ahp';
import { readJson, withFieldErrors } from '$lib/analysis/suitability/http.server';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = ({ request }) =>
	withFieldErrors(async () => {
		const req = parseSuitabilityRequest(await readJson(request));
		// Check the AHP matrix now, so a bad judgement is a 400 naming its cell, not a failed run.
		if (req.weights.kind === 'ahp') ahpWeights(req.weights.pairwise);
		const { db } = await database();
		const run = await startSuitabilityRun(db, req);
		return json({ runId: run.id, cached: run.cached }, { status: 202 });
	});
