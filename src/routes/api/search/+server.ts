// GET /api/search?q=<name or code>[&county=<6-digit code>] -> up to 10 townships and villages.
import { error, json } from '@sveltejs/kit';
import { database } from '$lib/server/db';
import { MAX_QUERY_LENGTH, normalizeQuery, searchPlaces } from '$lib/server/search';
import { parseCountyCode } from '$lib/map/context-layers';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url }) => {
	const raw = url.searchParams.get('q') ?? '';
	if (raw.length > MAX_QUERY_LENGTH * 4) error(400, `q: at most ${MAX_QUERY_LENGTH} characters`);
	const countyParam = url.searchParams.get('county');
	const county = parseCountyCode(countyParam);
	if (countyParam && county === null) error(400, 'county must be a 6-digit county code');
	const q = normalizeQuery(raw);
	const { db } = await database();
	const results = q ? await searchPlaces(db, q, { county }) : [];
	// Public reference data (names and codes of administrative units): a short shared cache.
	return json({ q, results }, { headers: { 'cache-control': 'public, max-age=60' } });
};
