// GET /ogc/api: the service's OpenAPI 3.0 definition.
import { apiResponse } from '$lib/ogc/handlers.server';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ url, request, cookies }) => apiResponse({ url, request, cookie: cookies.get('lang') });
