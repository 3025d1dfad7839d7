// GET /ogc/collections/<id>: one collection's description and extent.
import { database } from '$lib/server/db';
import { collection } from '$lib/ogc/handlers.server';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url, request, cookies, params }) => {
	const { db } = await database();
	return collection(db, { url, request, cookie: cookies.get('lang') }, params.collectionId);
};
