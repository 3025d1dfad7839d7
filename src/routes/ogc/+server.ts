// GET /ogc: the OGC API – Features landing page (docs/ogc.md).
import { landing } from '$lib/ogc/handlers.server';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ url, request, cookies }) => landing({ url, request, cookie: cookies.get('lang') });
