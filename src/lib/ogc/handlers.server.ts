// The /ogc endpoints as functions of (database, request): the routes under src/routes/ogc only call
// these. Errors are OGC exception documents ({ code, description }) with status 400 or 404.
import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db';
import { localeFromRequest, type Locale } from '$lib/i18n';
import { cachedResponse } from '$lib/server/http';
import { COLLECTIONS, collectionById, type OgcCollection } from './collections.ts';
import { checkKnown, NO_FILTERS, OgcError, parseFilters, parseItemsQuery } from './params.ts';
import { collectionExtent, countFeatures, featureById, featurePage } from './features.server.ts';
import {
	GEOJSON,
	JSON_TYPE,
	OPENAPI_TYPE,
	collectionDocument,
	collectionsDocument,
	conformance,
	exceptionDocument,
	featureDocument,
	itemsDocument,
	landingPage,
	openApiDocument,
	type CollectionFigures
} from './documents.ts';

type Db = Kysely<Database>;

export interface OgcRequest {
	url: URL;
	request: Request;
	/** The `lang` cookie, if any (the same locale rules as the app). */
	cookie?: string | null;
}

/** Aggregates and planning data only (no household points): cacheable for a minute, revalidated by ETag. */
const CACHE = 'public, max-age=60';

function json(req: OgcRequest, body: unknown, contentType: string): Response {
	const res = cachedResponse(req.request, JSON.stringify(body), { contentType: `${contentType}; charset=utf-8`, cacheControl: CACHE });
	res.headers.set('access-control-allow-origin', '*');
	res.headers.append('vary', 'accept-language');
	return res;
}

function exception(err: OgcError): Response {
	return new Response(JSON.stringify(exceptionDocument(err.code, err.message)), {
		status: err.status,
		headers: { 'content-type': `${JSON_TYPE}; charset=utf-8`, 'access-control-allow-origin': '*', 'cache-control': 'no-store' }
	});
}

async function guarded(fn: () => Promise<Response> | Response): Promise<Response> {
	try {
		return await fn();
	} catch (err) {
		if (err instanceof OgcError) return exception(err);
		throw err;
	}
}

const localeOf = (req: OgcRequest): Locale => localeFromRequest(req.url, req.request.headers.get('accept-language'), req.cookie ?? null);

function collectionOr404(id: string): OgcCollection {
	const c = collectionById(id);
	if (!c) throw new OgcError(404, 'NotFound', `no collection named "${id}" (collections: ${COLLECTIONS.map((x) => x.id).join(', ')})`);
	return c;
}

export function landing(req: OgcRequest): Promise<Response> {
	return guarded(() => {
		checkKnown(req.url.searchParams, []);
		return json(req, landingPage(req.url.origin, localeOf(req)), JSON_TYPE);
	});
}

export function conformanceResponse(req: OgcRequest): Promise<Response> {
	return guarded(() => {
		checkKnown(req.url.searchParams, []);
		return json(req, conformance(), JSON_TYPE);
	});
}

export function apiResponse(req: OgcRequest): Promise<Response> {
	return guarded(() => {
		checkKnown(req.url.searchParams, []);
		return json(req, openApiDocument(req.url.origin), OPENAPI_TYPE);
	});
}

async function figuresOf(db: Db, c: OgcCollection): Promise<CollectionFigures> {
	return { extent: await collectionExtent(db, c, NO_FILTERS) };
}

export function collections(db: Db, req: OgcRequest): Promise<Response> {
	return guarded(async () => {
		checkKnown(req.url.searchParams, []);
		const figures = new Map<string, CollectionFigures>();
		for (const c of COLLECTIONS) figures.set(c.id, await figuresOf(db, c));
		return json(req, collectionsDocument(req.url.origin, localeOf(req), figures), JSON_TYPE);
	});
}

export function collection(db: Db, req: OgcRequest, id: string): Promise<Response> {
	return guarded(async () => {
		const c = collectionOr404(id);
		checkKnown(req.url.searchParams, []);
		return json(req, collectionDocument(req.url.origin, c, localeOf(req), await figuresOf(db, c)), JSON_TYPE);
	});
}

export function items(db: Db, req: OgcRequest, id: string): Promise<Response> {
	return guarded(async () => {
		const c = collectionOr404(id);
		const q = parseItemsQuery(req.url.searchParams, c);
		const [numberMatched, features] = [await countFeatures(db, c, q.filters, q.bbox), await featurePage(db, c, q)];
		return json(req, itemsDocument(req.url, c, localeOf(req), { features, numberMatched, limit: q.limit, offset: q.offset }), GEOJSON);
	});
}

export function item(db: Db, req: OgcRequest, id: string, featureId: string): Promise<Response> {
	return guarded(async () => {
		const c = collectionOr404(id);
		checkKnown(req.url.searchParams, c.filters.filter((f) => f === 'year'));
		const feature = await featureById(db, c, featureId, parseFilters(req.url.searchParams, ['year']));
		if (!feature) throw new OgcError(404, 'NotFound', `collection ${c.id} has no feature "${featureId}"`);
		return json(req, featureDocument(req.url.origin, c, feature, localeOf(req)), GEOJSON);
	});
}
