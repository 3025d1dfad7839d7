// POST /api/analysis/chain-gaps {county, chain, year, scenario?} -> {runId, cached}: starts (or reuses)
// an industrial-chain gaps run; poll GET /api/analysis/runs/<runId> for progress and the result.
import { error, json } from '@sveltejs/kit';
import { database } from '$lib/server/db';
import { checkRequest, parseChainGapsRequest, startChainGaps } from '$lib/analysis/chain-coverage/chain-gaps.server';
import { InputError } from '$lib/analysis/chain-coverage/network-minutes.server';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request }) => {
	const { db } = await database();
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		error(400, 'body: must be JSON');
	}
	try {
		const req = parseChainGapsRequest(body);
		await checkRequest(db, req);
		const { id, cached } = await startChainGaps(db, req);
		return json({ runId: id, cached }, { status: cached ? 200 : 202 });
	} catch (err) {
		if (err instanceof InputError) error(400, err.message);
		throw err;
	}
};
