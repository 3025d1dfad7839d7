// Responses with validators: an ETag from the body's hash, Cache-Control as given, and 304 when the
// client already holds this body (If-None-Match).
import { createHash } from 'node:crypto';

export function etagOf(body: string | Uint8Array): string {
	return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** Does If-None-Match name this ETag (or `*`)? Weak forms compare equal (RFC 9110 weak comparison). */
export function matches(ifNoneMatch: string | null, etag: string): boolean {
	if (!ifNoneMatch) return false;
	if (ifNoneMatch.trim() === '*') return true;
	return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

export function cachedResponse(
	request: Request,
	body: string,
	{ contentType, cacheControl }: { contentType: string; cacheControl: string }
): Response {
	const etag = etagOf(body);
	const headers = { etag, 'cache-control': cacheControl, vary: 'accept-encoding' };
	if (matches(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });
	return new Response(body, { headers: { ...headers, 'content-type': contentType } });
}
