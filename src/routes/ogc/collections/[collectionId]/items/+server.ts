// GET /ogc/collections/<id>/items?bbox=&limit=&offset=&<filters>: a page of features (GeoJSON).
import { database } from '$lib/server/db';
import { items } from '$lib/ogc/handlers.server';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url, request, cookies, params }) => {
	const { db } = await database();
	return items(db, { url, request, cookie: cookies.get('lang') }, params.collectionId);
};
