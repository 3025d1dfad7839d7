// GET /api/layers/<id>/features?<params> -> the layer's data (JSON or binary columns).
import { error } from '@sveltejs/kit';
import { database } from '$lib/server/db';
import { layerData } from '$lib/layers/server';
import { parseParams, ParamError } from '$lib/layers/params';
import { etagOf } from '$lib/server/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url, request }) => {
	const { db, capabilities } = await database();
	let result;
	try {
		// Bad parameters, from the URL or found by the query (e.g. a scenario of another county), are 400s.
		result = await layerData({ db, capabilities }, params.id, parseParams(url.searchParams));
	} catch (err) {
		if (err instanceof ParamError) error(400, err.message);
		throw err;
	}
	if (!result) error(404, `no layer named ${params.id}`);
	const etag = etagOf(result.body);
	// Aggregates only (suppressed): cacheable; revalidated by ETag when the data changes.
	const headers = { etag, 'cache-control': 'public, max-age=60', vary: 'accept-encoding' };
	if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
	return new Response(result.body as BodyInit, { headers: { ...headers, 'content-type': result.contentType } });
};
