// POST /api/import/<id>/commit {actor, skipInvalid?} — write the validated rows in one transaction
// (all or nothing) and record the batch. 202 with the state; poll GET /api/import/<id>?state=1.
import { error, json } from '@sveltejs/kit';
import { database } from '$lib/server/db';
import { getUpload } from '$lib/import/uploads.server';
import { startCommit, uploadState } from '$lib/import/jobs.server';
import { importErrorResponse } from '$lib/import/http.server';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ params, request }) => {
	const upload = getUpload(params.id);
	if (!upload) error(404, `no upload ${params.id} (uploads are kept for a day)`);
	try {
		const body = ((await request.json().catch(() => null)) ?? {}) as { actor?: unknown; skipInvalid?: unknown };
		const actor = typeof body.actor === 'string' ? body.actor : '';
		const handle = await database();
		void startCommit(handle, upload, { actor, skipInvalid: body.skipInvalid === true });
		return json(uploadState(upload), { status: 202, headers: { 'cache-control': 'no-store' } });
	} catch (err) {
		return importErrorResponse(err);
	}
};
