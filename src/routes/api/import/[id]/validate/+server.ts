// POST /api/import/<id>/validate {target, county, mapping, crs, encoding?, layer?, swap?, repair?, mode?}
// (mode 'upsert': rows whose code is already in the county's table update it; default 'insert').
// Starts reading, converting, staging and validating the file (nothing is written to the target
// table) and answers 202 with the state; poll GET /api/import/<id>?state=1 for progress and the report.
import { error, json } from '@sveltejs/kit';
import { database } from '$lib/server/db';
import { getUpload } from '$lib/import/uploads.server';
import { parseValidateRequest, startValidation, uploadState } from '$lib/import/jobs.server';
import { importErrorResponse } from '$lib/import/http.server';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ params, request }) => {
	const upload = getUpload(params.id);
	if (!upload) error(404, `no upload ${params.id} (uploads are kept for a day)`);
	try {
		const body = await request.json().catch(() => null);
		const req = parseValidateRequest(body);
		const handle = await database();
		void startValidation(handle, upload, req);
		return json(uploadState(upload), { status: 202, headers: { 'cache-control': 'no-store' } });
	} catch (err) {
		return importErrorResponse(err);
	}
};
