// GET /api/import/<id> — what the file is (format, encoding, declared CRS, headers, sample rows, the
// automatic column mapping for each target) plus the upload's state. ?encoding= and ?layer= re-read it
// with an override; ?state=1 returns only the state (progress, report, error) for polling.
// DELETE /api/import/<id> — discard the upload and its staging tables.
import { error, json } from '@sveltejs/kit';
import { database } from '$lib/server/db';
import { getUpload, inspectUpload, removeUpload } from '$lib/import/uploads.server';
import { uploadState } from '$lib/import/jobs.server';
import { importErrorResponse } from '$lib/import/http.server';
import type { RequestHandler } from './$types';

const noStore = { 'cache-control': 'private, no-store' };

export const GET: RequestHandler = async ({ params, url }) => {
	const upload = getUpload(params.id);
	if (!upload) error(404, `no upload ${params.id} (uploads are kept for a day)`);
	if (url.searchParams.get('state') === '1') return json(uploadState(upload), { headers: noStore });
	try {
		const info = await inspectUpload(upload, {
			encoding: url.searchParams.get('encoding') || undefined,
			layer: url.searchParams.get('layer') || undefined
		});
		return json({ ...info, state: uploadState(upload) }, { headers: noStore });
	} catch (err) {
		return importErrorResponse(err);
	}
};

export const DELETE: RequestHandler = async ({ params }) => {
	const upload = getUpload(params.id);
	if (!upload) error(404, `no upload ${params.id}`);
	if (upload.busy) return json({ error: `${upload.fileName} is being processed` }, { status: 409 });
	const { db } = await database();
	await removeUpload(db, upload.id);
	return json({ removed: upload.id });
};
