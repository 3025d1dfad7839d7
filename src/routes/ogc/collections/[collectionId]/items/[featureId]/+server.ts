// GET /ogc/collections/<id>/items/<featureId>: one feature (404 when absent).
import { database } from '$lib/server/db';
import { item } from '$lib/ogc/handlers.server';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url, request, cookies, params }) => {
	const { db } = await database();
	return item(db, { url, request, cookie: cookies.get('lang') }, params.collectionId, params.featureId);
};
