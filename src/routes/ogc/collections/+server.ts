// GET /ogc/collections: every feature collection with its extent.
import { database } from '$lib/server/db';
import { collections } from '$lib/ogc/handlers.server';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url, request, cookies }) => {
	const { db } = await database();
	return collections(db, { url, request, cookie: cookies.get('lang') });
};
