// GET /api/import/<id>/problems.csv — every problem of the last validation (file, row, field, reason,
// detail), UTF-8 with BOM so Excel shows Chinese correctly; streamed from the staging tables.
import { error } from '@sveltejs/kit';
import { database } from '$lib/server/db';
import { getUpload } from '$lib/import/uploads.server';
import { problemsCsv } from '$lib/import/pipeline.server';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	const upload = getUpload(params.id);
	if (!upload?.report) error(404, `no validation report for upload ${params.id}`);
	const { db } = await database();
	const lines = problemsCsv(db, upload.id, upload.fileName);
	const encoder = new TextEncoder();
	let first = true;
	const stream = new ReadableStream<Uint8Array>({
		async pull(controller) {
			const next = await lines.next().catch((e) => {
				controller.error(e);
				return null;
			});
			if (!next) return;
			if (next.done) return controller.close();
			controller.enqueue(encoder.encode((first ? '\uFEFF' : '') + next.value));
			first = false;
		}
	});
	const base = upload.fileName.replace(/\.[^.]+$/, '').replace(/[^\w\u4e00-\u9fff-]+/g, '_') || 'import';
	return new Response(stream, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="problems.csv"; filename*=UTF-8''${encodeURIComponent(base)}-problems.csv`,
			'cache-control': 'private, no-store'
		}
	});
};
