// POST /api/analysis/max-cover {county, chain, stage, year, q, candidates: 'villages' | 'townships' |
// [{lon, lat}…], scenario?} -> {runId, cached}: where q new sites of a stage would newly cover the most
// poor households; poll GET /api/analysis/runs/<runId>.
import { error, json } from '@sveltejs/kit';
import { database } from '$lib/server/db';
import { checkRequest, parseMaxCoverRequest, startMaxCover } from '$lib/analysis/chain-coverage/chain-gaps.server';
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
		const req = parseMaxCoverRequest(body);
		await checkRequest(db, req);
		const { id, cached } = await startMaxCover(db, req);
		return json({ runId: id, cached }, { status: cached ? 200 : 202 });
	} catch (err) {
		if (err instanceof InputError) error(400, err.message);
		throw err;
	}
};
