// POST /api/import/batches/<id>/undo — delete the rows a batch inserted and restore the rows it
// updated, in one transaction. Refused (409, with the reason) when other rows now depend on them or a
// later batch has changed them.
import { error, json } from '@sveltejs/kit';
import { database } from '$lib/server/db';
import { undoBatch } from '$lib/import/pipeline.server';
import { importErrorResponse } from '$lib/import/http.server';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ params }) => {
	const id = Number(params.batch);
	if (!Number.isSafeInteger(id) || id <= 0) error(400, 'batch id must be a positive integer');
	try {
		const { db } = await database();
		return json({ batch: id, ...(await undoBatch(db, id)) });
	} catch (err) {
		return importErrorResponse(err);
	}
};
