// GET /api/health -> { status, backend, postgres, postgis, counts } (see $lib/server/health).
import { json } from '@sveltejs/kit';
import { database } from '$lib/server/db';
import { health } from '$lib/server/health';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	try {
		return json(await health(await database()), { headers: { 'cache-control': 'no-store' } });
	} catch (err) {
		return json(
			{ status: 'error', message: err instanceof Error ? err.message : String(err) },
			{ status: 503, headers: { 'cache-control': 'no-store' } }
		);
	}
};
