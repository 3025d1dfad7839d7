// GET /api/chains?county=<6-digit code> -> the industrial chains with sites in the county, main first.
import { error, json } from '@sveltejs/kit';
import { database } from '$lib/server/db';
import { countyChains } from '$lib/server/chains';
import { parseCountyCode } from '$lib/map/context-layers';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url }) => {
	const county = parseCountyCode(url.searchParams.get('county'));
	if (!county) error(400, 'county must be a 6-digit county code');
	const { db } = await database();
	const chains = await countyChains(db, county);
	return json({ county, chains }, { headers: { 'cache-control': 'public, max-age=300' } });
};
