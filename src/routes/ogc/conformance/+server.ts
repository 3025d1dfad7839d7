// GET /ogc/conformance: the conformance classes this service implements.
import { conformanceResponse } from '$lib/ogc/handlers.server';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ url, request, cookies }) => conformanceResponse({ url, request, cookie: cookies.get('lang') });
