import type { Handle, ServerInit } from '@sveltejs/kit';
import { database } from '$lib/server/db';
import { localeFromRequest } from '$lib/i18n';

// Migrate and (on first start) seed before the first request is served.
export const init: ServerInit = async () => {
	await database();
};

export const handle: Handle = async ({ event, resolve }) => {
	event.locals.locale = localeFromRequest(event.url, event.request.headers.get('accept-language'), event.cookies.get('lang'));
	return resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale)
	});
};
