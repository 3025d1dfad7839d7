// GET /api/import/history?county=<6 digits> — the county's import batches, newest first.
import { error, json } from '@sveltejs/kit';
import { database } from '$lib/server/db';
import { importHistory } from '$lib/import/pipeline.server';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url }) => {
	const county = url.searchParams.get('county') ?? '';
	if (!/^[0-9]{6}$/.test(county)) error(400, 'county must be a 6-digit county code');
	const { db } = await database();
	return json({ county, batches: await importHistory(db, county) }, { headers: { 'cache-control': 'private, no-store' } });
};
