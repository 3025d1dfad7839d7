import { database } from '$lib/server/db';
import { countyExtents } from '$lib/server/context';
import { parseCountyCode } from '$lib/map/context-layers';
import { LOCALE_COOKIE, LOCALE_PARAM } from '$lib/i18n';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, cookies }) => {
	if (url.searchParams.has(LOCALE_PARAM) && cookies.get(LOCALE_COOKIE) !== locals.locale) {
		cookies.set(LOCALE_COOKIE, locals.locale, { path: '/', maxAge: 31536000, sameSite: 'lax', httpOnly: false });
	}
	const { db } = await database();
	const counties = await countyExtents(db);
	const requested = parseCountyCode(url.searchParams.get('county'));
	return {
		locale: locals.locale,
		counties,
		county: counties.some((c) => c.code === requested) ? requested : (counties[0]?.code ?? null)
	};
};
