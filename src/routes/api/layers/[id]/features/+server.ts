// GET /api/layers/<id>/features?<params> -> the layer's data (JSON or binary columns).
// The ETag is the response's cache key (layer, canonical parameters, data versions), known before
// any query runs: a matching If-None-Match is answered 304 from one small version lookup.
import { error } from '@sveltejs/kit';
import { version } from '$app/environment';
import { database } from '$lib/server/db';
import { layerBody, layerCacheControl, layerEtag, resolveLayer } from '$lib/layers/server';
import { parseParams, ParamError } from '$lib/layers/params';
import { matches } from '$lib/server/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url, request }) => {
	const { db, capabilities } = await database();
	const ctx = { db, capabilities };
	try {
		// Bad parameters, from the URL or found by the query (e.g. a scenario of another county), are 400s.
		const req = await resolveLayer(ctx, params.id, parseParams(url.searchParams));
		if (!req) error(404, `no layer named ${params.id}`);
		const headers = { 'cache-control': layerCacheControl(req.def), vary: 'accept-encoding' };
		const ifNoneMatch = request.headers.get('if-none-match');
		if (matches(ifNoneMatch, layerEtag(req.key, version))) return new Response(null, { status: 304, headers: { ...headers, etag: layerEtag(req.key, version) } });
		const result = await layerBody(ctx, req);
		// The key may be newer than the one resolved (a write committed in between): the ETag names the body sent.
		const etag = layerEtag(result.key, version);
		if (matches(ifNoneMatch, etag)) return new Response(null, { status: 304, headers: { ...headers, etag } });
		return new Response(result.body as BodyInit, { headers: { ...headers, etag, 'content-type': result.contentType } });
	} catch (err) {
		if (err instanceof ParamError) error(400, err.message);
		throw err;
	}
};
