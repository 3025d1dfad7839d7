// Money, counts and shares as the two layers about relocation print them. Client-safe and pure.
// Chinese planning documents count money in 万元 (10,000 yuan): "2.5 万元"; English shows whole
// yuan with thousands separators: "25,000 yuan".
import type { Locale } from '$lib/i18n';
import type { Localized } from '../types.ts';

const MINUS = '\u2212';

function number(value: number, maximumFractionDigits: number): string {
	const text = new Intl.NumberFormat('en-US', { maximumFractionDigits, minimumFractionDigits: 0 }).format(Math.abs(value));
	// -0 and values that round to zero print without a sign.
	return value < 0 && Number(text.replace(/,/g, '')) !== 0 ? `${MINUS}${text}` : text;
}

/** 25000 → "2.5 万元" (zh-CN) / "25,000 yuan" (en). */
export function formatYuan(value: number, locale: Locale): string {
	return locale === 'zh-CN' ? `${number(value / 10_000, 2)} 万元` : `${number(Math.round(value), 0)} yuan`;
}

/** Both locales at once, for legend labels. */
export function yuanLabel(value: number): Localized {
	return { 'zh-CN': formatYuan(value, 'zh-CN'), en: formatYuan(value, 'en') };
}

/** A count of households: "12 户" / "12 households". Only for counts already past suppression. */
export function formatHouseholds(count: number, locale: Locale): string {
	return locale === 'zh-CN' ? `${number(count, 0)} 户` : `${number(count, 0)} ${count === 1 ? 'household' : 'households'}`;
}

/** 0.873 → "87 %" (zh-CN) / "87%" (en). */
export function formatShare(share: number, locale: Locale): string {
	const pct = number(share * 100, 0);
	return locale === 'zh-CN' ? `${pct} %` : `${pct}%`;
}

/**
 * What a withheld household count says: never the number. The same words for a count under k and
 * for one withheld to protect such a count (secondary suppression, relocation-sites/cells.ts), so
 * a reader cannot tell the two apart.
 */
export function withheld(locale: Locale, k: number): string {
	return locale === 'zh-CN' ? `不公开（少于 ${k} 户或为保护小数）` : `withheld (under ${k}, or protecting such a count)`;
}

function bare(value: number, locale: Locale): string {
	return locale === 'zh-CN' ? number(value / 10_000, 2) : number(Math.round(value), 0);
}

/** A legend class of yuan values: "< −6 万元", "−6 至 −3 万元", "≥ 6 万元" / "−60,000 to −30,000 yuan". */
export function yuanRange(lo: number | null, hi: number | null): Localized {
	const one = (locale: Locale) =>
		lo === null
			? `< ${formatYuan(hi!, locale)}`
			: hi === null
				? `≥ ${formatYuan(lo, locale)}`
				: `${bare(lo, locale)} ${locale === 'zh-CN' ? '至' : 'to'} ${formatYuan(hi, locale)}`;
	return { 'zh-CN': one('zh-CN'), en: one('en') };
}
