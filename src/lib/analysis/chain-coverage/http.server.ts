// The POST endpoints of the chain analyses (the gaps, the best new sites) are one shape: a JSON body,
// parsed (the max-cover parser reads the gaps fields through parseChainGapsRequest and adds its own),
// checked against the database, then a run started or reused. Bad input is a 400 whose message
// starts with the field it is about ("county: must be a 6-digit county code").
import { error, json } from '@sveltejs/kit';
import type { Kysely } from 'kysely';
import { database } from '$lib/server/db';
import type { Database } from '$lib/server/db/types.ts';
import { checkRequest, type ChainGapsRequest } from './chain-gaps.server.ts';
import { InputError } from './network-minutes.server.ts';

/** A POST handler: body -> parse -> check -> start; answers {runId, cached}, 202 for a new run, 200 for a cached one. */
export function chainRunEndpoint<R extends ChainGapsRequest>(
	parse: (raw: unknown) => R,
	start: (db: Kysely<Database>, req: R) => Promise<{ id: number; cached: boolean }>
): (event: { request: Request }) => Promise<Response> {
	return async ({ request }) => {
		const { db } = await database();
		let body: unknown;
		try {
			body = await request.json();
		} catch {
			error(400, 'body: must be JSON');
		}
		try {
			const req = parse(body);
			await checkRequest(db, req);
			const { id, cached } = await start(db, req);
			return json({ runId: id, cached }, { status: cached ? 200 : 202 });
		} catch (err) {
			if (err instanceof InputError) error(400, err.message);
			throw err;
		}
	};
}
