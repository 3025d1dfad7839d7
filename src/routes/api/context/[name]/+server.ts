// GET /api/context/<layer>[?county=<6-digit code>] -> GeoJSON FeatureCollection for the basemap.
import { error } from '@sveltejs/kit';
import { database } from '$lib/server/db';
import { contextGeoJson } from '$lib/server/context';
import { cachedResponse } from '$lib/server/http';
import { isContextLayer, parseCountyCode } from '$lib/map/context-layers';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url, request }) => {
	if (!isContextLayer(params.name)) error(404, `no context layer named ${params.name}`);
	const countyParam = url.searchParams.get('county');
	const county = parseCountyCode(countyParam);
	if (countyParam !== null && county === null) error(400, 'county must be a 6-digit county code');
	const { db } = await database();
	const body = await contextGeoJson(db, params.name, county);
	// Public reference data that changes only when the data is reloaded: short cache, revalidate by ETag.
	return cachedResponse(request, body, {
		contentType: 'application/geo+json; charset=utf-8',
		cacheControl: 'public, max-age=300'
	});
};
