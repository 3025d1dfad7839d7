// POST /api/import — upload a file to import. Either multipart/form-data with a `file` field, or the
// raw bytes as the body with ?name=<file name> (streamed to disk: large CSVs never sit in memory).
// Responds 201 {importId}. Nothing is read or written to the database yet.
import { json } from '@sveltejs/kit';
import { database } from '$lib/server/db';
import { createUpload, expireUploads } from '$lib/import/uploads.server';
import { importErrorResponse } from '$lib/import/http.server';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url }) => {
	try {
		const { db } = await database();
		await expireUploads(db);
		const type = request.headers.get('content-type') ?? '';
		let upload;
		if (type.startsWith('multipart/form-data')) {
			const form = await request.formData();
			const file = form.get('file');
			if (!(file instanceof File)) return json({ error: 'the form has no file field named “file”' }, { status: 400 });
			upload = await createUpload(file.name, file.stream());
		} else {
			const name = url.searchParams.get('name');
			if (!name) return json({ error: 'give the file name as ?name= (or upload multipart/form-data)' }, { status: 400 });
			if (!request.body) return json({ error: `${name}: the request has no body` }, { status: 400 });
			upload = await createUpload(name, request.body);
		}
		return json({ importId: upload.id, fileName: upload.fileName, size: upload.size }, { status: 201 });
	} catch (err) {
		return importErrorResponse(err);
	}
};
