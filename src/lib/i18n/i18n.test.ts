import { describe, expect, it } from 'vitest';
import { en, zhCN } from './messages.ts';
import { format, localeFromAcceptLanguage, localeFromRequest, parseLocale, t } from './index.ts';

const url = (q = '') => new URL(`http://127.0.0.1/${q}`);

describe('localeFromRequest', () => {
	it('defaults to zh-CN', () => {
		expect(localeFromRequest(url(), null, undefined)).toBe('zh-CN');
		expect(localeFromRequest(url(), '', '')).toBe('zh-CN');
	});

	it('lets ?lang= win over the cookie and Accept-Language', () => {
		expect(localeFromRequest(url('?lang=en'), 'zh-CN,zh;q=0.9', 'zh-CN')).toBe('en');
		expect(localeFromRequest(url('?lang=zh-CN'), 'en-US,en;q=0.9', 'en')).toBe('zh-CN');
		expect(localeFromRequest(url('?lang=zh'), 'en', 'en')).toBe('zh-CN');
	});

	it('uses the cookie over Accept-Language', () => {
		expect(localeFromRequest(url(), 'en-GB,en;q=0.8', 'zh-CN')).toBe('zh-CN');
		expect(localeFromRequest(url(), 'zh-CN', 'en')).toBe('en');
	});

	it('falls through an unsupported value to the next source', () => {
		expect(localeFromRequest(url('?lang=fr'), null, 'en')).toBe('en');
		expect(localeFromRequest(url('?lang=fr'), 'en-US', 'de')).toBe('en');
		expect(localeFromRequest(url('?lang='), 'fr-FR, de;q=0.5', 'xx')).toBe('zh-CN');
	});

	it('reads Accept-Language by quality, not by order', () => {
		expect(localeFromAcceptLanguage('zh-CN;q=0.4, en;q=0.9')).toBe('en');
		expect(localeFromAcceptLanguage('fr-FR,fr;q=0.9,en-US;q=0.8,zh;q=0.7')).toBe('en');
		expect(localeFromAcceptLanguage('zh-TW,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
		expect(localeFromAcceptLanguage('en;q=0, zh-HK')).toBe('zh-CN');
		expect(localeFromAcceptLanguage('*')).toBeNull();
		expect(localeFromRequest(url(), 'en-US,en;q=0.9', undefined)).toBe('en');
	});

	it('normalises tags', () => {
		expect(parseLocale('EN-us')).toBe('en');
		expect(parseLocale('zh_Hans_CN')).toBe('zh-CN');
		expect(parseLocale('eng')).toBeNull();
		expect(parseLocale(null)).toBeNull();
	});
});

describe('messages', () => {
	it('has every key in both languages, none empty', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
		for (const [key, value] of [...Object.entries(zhCN), ...Object.entries(en)]) expect(value.trim(), key).not.toBe('');
	});

	it('writes the Chinese dictionary in Chinese and the English one in English', () => {
		const han = /\p{Script=Han}/u;
		const bilingual = new Set(['app.name', 'app.nameLatin', 'locale.zh-CN', 'locale.en', 'app.pageTitle']);
		for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
			if (bilingual.has(key)) continue;
			expect(han.test(zhCN[key]) || /^[A-Z0-9 ]+$/.test(zhCN[key]) || zhCN[key].includes('WGS'), key).toBe(true);
			expect(han.test(en[key]), `en ${key}: ${en[key]}`).toBe(false);
		}
	});

	it('uses the same placeholders in both languages', () => {
		const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
		for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) expect(names(en[key]), key).toEqual(names(zhCN[key]));
	});

	it('formats placeholders', () => {
		expect(t('en', 'map.error', { message: 'boom' })).toBe('The map cannot be shown: boom');
		expect(t('zh-CN', 'map.error', { message: 'x' })).toBe('地图无法显示：x');
		expect(format('{a} and {b}', { a: 1 })).toBe('1 and {b}');
		expect(format('{n} {n|row|rows}', { n: 1 })).toBe('1 row');
		expect(format('{n} {n|row|rows}', { n: 3 })).toBe('3 rows');
		expect(format('{n} {n|row|rows}', { n: 0 })).toBe('0 rows');
	});
});

describe('message areas', () => {
	it('never define the same key twice, and each area keeps to its prefix', async () => {
		const areas = {
			core: await import('./messages/core.ts'),
			analysis: await import('./messages/analysis.ts'),
			importer: await import('./messages/importer.ts')
		};
		const seen = new Map<string, string>();
		for (const [area, dict] of Object.entries(areas)) {
			for (const key of Object.keys(dict.zhCN)) {
				expect(seen.get(key), `${key} is in ${seen.get(key)} and ${area}`).toBeUndefined();
				seen.set(key, area);
				if (area !== 'core') expect(key.startsWith(`${area}.`), key).toBe(true);
			}
			expect(Object.keys(dict.en).sort()).toEqual(Object.keys(dict.zhCN).sort());
		}
	});
});
