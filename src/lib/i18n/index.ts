// Locales, message lookup and locale negotiation. Client-safe (no server imports): the server picks
// the locale per request (hooks.server.ts), the page renders with it, the client switches it.
import { en, zhCN, type MessageKey, type Messages } from './messages.ts';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
/** Name of the URL search parameter and of the cookie that carry an explicit choice. */
export const LOCALE_PARAM = 'lang';
export const LOCALE_COOKIE = 'lang';

export type { MessageKey, Messages };

const DICTIONARIES: Record<Locale, Messages> = { 'zh-CN': zhCN, en };

export function messages(locale: Locale): Messages {
	return DICTIONARIES[locale];
}

/** Fill {name} placeholders; a placeholder without a value stays visible rather than vanishing. */
/**
 * Fill {name} placeholders. {name|one|other} picks a word by the number (English plurals:
 * "{n} {n|row|rows}"); Chinese needs none.
 */
export function format(template: string, params: Record<string, string | number> = {}): string {
	return template
		.replace(/\{(\w+)\|([^|}]*)\|([^}]*)\}/g, (whole, name: string, one: string, other: string) =>
			name in params ? (Number(params[name]) === 1 ? one : other) : whole
		)
		.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function t(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
	return format(DICTIONARIES[locale][key], params);
}

/** A language tag (or our own value) to a supported locale: any zh-* is zh-CN, any en-* is en. */
export function parseLocale(value: string | null | undefined): Locale | null {
	if (!value) return null;
	const tag = value.trim().toLowerCase();
	if (tag === 'zh' || tag.startsWith('zh-') || tag.startsWith('zh_')) return 'zh-CN';
	if (tag === 'en' || tag.startsWith('en-') || tag.startsWith('en_')) return 'en';
	return null;
}

/** The best supported locale in an Accept-Language header (RFC 9110 quality values), or null. */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale | null {
	if (!header) return null;
	const ranges = header
		.split(',')
		.map((part, index) => {
			const [tag, ...params] = part.trim().split(';');
			const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
			const q = qParam ? Number(qParam.slice(2)) : 1;
			return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, index };
		})
		.filter((r) => r.tag && r.q > 0)
		.sort((a, b) => b.q - a.q || a.index - b.index);
	for (const range of ranges) {
		const locale = parseLocale(range.tag);
		if (locale) return locale;
	}
	return null;
}

/**
 * The locale for a request: `?lang=` wins, then the `lang` cookie, then Accept-Language, then
 * zh-CN. An unsupported value at one step falls through to the next.
 */
export function localeFromRequest(
	url: URL,
	acceptLanguage: string | null | undefined,
	cookie: string | null | undefined
): Locale {
	return (
		parseLocale(url.searchParams.get(LOCALE_PARAM)) ??
		parseLocale(cookie) ??
		localeFromAcceptLanguage(acceptLanguage) ??
		DEFAULT_LOCALE
	);
}

/** A message whose key is built at run time (e.g. `county.${code}`), or undefined if there is none. */
export function lookup(m: Messages, key: string): string | undefined {
	return Object.hasOwn(m, key) ? m[key as MessageKey] : undefined;
}

/** A county's display name: our dictionary first, then the database's names. */
export function countyName(
	locale: Locale,
	county: { code: string; name_zh: string; name_en?: string | null }
): string {
	return lookup(DICTIONARIES[locale], `county.${county.code}`) ?? (locale === 'en' ? county.name_en ?? county.name_zh : county.name_zh);
}
