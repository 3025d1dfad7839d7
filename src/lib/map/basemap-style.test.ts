import { describe, expect, it } from 'vitest';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { messages, LOCALES } from '$lib/i18n';
import { basemapStyle, countyLabelField, labelField, REFERENCE_LAYER } from './basemap-style.ts';
import { CONTEXT_LAYERS } from './context-layers.ts';
import { BASEMAP } from './palette.ts';

const ORIGIN = 'http://127.0.0.1:5173';

function build(overrides: Partial<Parameters<typeof basemapStyle>[0]> = {}) {
	return basemapStyle({ origin: ORIGIN, locale: 'zh-CN', messages: messages('zh-CN'), ...overrides });
}

/** Every string anywhere in a JSON-like value. */
function strings(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) return value.flatMap(strings);
	if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
	return [];
}

describe('basemapStyle', () => {
	for (const locale of LOCALES) {
		for (const selectedCounty of [null, '511304']) {
			it(`is a valid MapLibre style (${locale}, county ${selectedCounty ?? 'all'})`, () => {
				const style = build({ locale, messages: messages(locale), selectedCounty });
				expect(validateStyleMin(style)).toEqual([]);
			});
		}
	}

	it('draws every layer from a source the style declares', () => {
		const style = build();
		for (const layer of style.layers) {
			if (layer.type === 'background') continue;
			expect(style.sources, layer.id).toHaveProperty([(layer as { source: string }).source]);
		}
	});

	it('has one GeoJSON source per context endpoint, on our own server', () => {
		const style = build();
		expect(Object.keys(style.sources).sort()).toEqual([...CONTEXT_LAYERS].sort());
		for (const [name, source] of Object.entries(style.sources)) {
			expect(source.type).toBe('geojson');
			expect((source as { data: string }).data).toBe(`${ORIGIN}/api/layers/${name}/features`);
		}
	});

	it('asks for glyphs from the page origin, absolute, in the fontstack folders we ship', () => {
		const style = build({ origin: 'https://lantu.example.gov.cn:8443/some/page?x=1' });
		expect(style.glyphs).toBe('https://lantu.example.gov.cn:8443/glyphs/{fontstack}/{range}.pbf');
		const fonts = new Set(
			style.layers.flatMap((l) => (l.type === 'symbol' ? ((l.layout?.['text-font'] as string[]) ?? []) : []))
		);
		expect([...fonts].sort()).toEqual(['Noto Sans Medium', 'Noto Sans Regular']);
	});

	it('names no other host anywhere: every URL in the style is on the origin', () => {
		const style = build({ origin: 'http://localhost:3000' });
		const urls = strings(style).filter((s) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || s.startsWith('//'));
		expect(urls.length).toBeGreaterThan(CONTEXT_LAYERS.length);
		for (const url of urls) expect(url.startsWith('http://localhost:3000/'), url).toBe(true);
		expect(style).not.toHaveProperty('sprite');
	});

	it('refuses an origin that is not http(s)', () => {
		expect(() => build({ origin: 'file:///tmp' })).toThrow(/origin/);
		expect(() => build({ origin: 'not a url' })).toThrow();
	});

	it('draws the county outline in the legend colour, stronger for the county in focus', () => {
		const style = build({ selectedCounty: '360731' });
		const line = style.layers.find((l) => l.id === 'county-line');
		expect(line?.type).toBe('line');
		expect((line as { paint: Record<string, unknown> }).paint['line-color']).toBe(BASEMAP.countyLine);
		expect(JSON.stringify((line as { paint: Record<string, unknown> }).paint['line-width'])).toContain('360731');
	});

	it('draws each road class in its own colour, and only synthetic township areas faintly dashed', () => {
		const style = build();
		for (const cls of ['county', 'township', 'village'] as const) {
			const layer = style.layers.find((l) => l.id === `road-${cls}`) as { filter: unknown; paint: Record<string, unknown> };
			expect(layer.filter).toEqual(['==', ['get', 'class'], cls]);
			expect(layer.paint['line-color']).toBe(BASEMAP.roads[cls].color);
		}
		const townships = style.layers.filter((l) => 'source' in l && l.source === 'townships');
		expect(townships.map((l) => l.type)).toEqual(['line']);
		expect((townships[0] as { paint: Record<string, unknown> }).paint['line-dasharray']).toBeDefined();
	});

	it('labels townships at their seats and villages only when zoomed in', () => {
		const style = build();
		const township = style.layers.find((l) => l.id === 'township-label') as { source: string };
		const village = style.layers.find((l) => l.id === 'village-label') as { source: string; minzoom: number };
		expect(township.source).toBe('township-seats');
		expect(village.source).toBe('villages');
		expect(village.minzoom).toBeGreaterThanOrEqual(11);
	});

	it('labels in Chinese, or in English where a feature has an English name', () => {
		expect(labelField('zh-CN')).toEqual(['coalesce', ['get', 'name_zh'], '']);
		expect(labelField('en')).toEqual(['coalesce', ['get', 'name_en'], ['get', 'name_zh'], '']);
		expect(countyLabelField('en', messages('en'))).toEqual([
			'match',
			['get', 'code'],
			'511304',
			'Jialing District',
			'360731',
			'Yudu County',
			'360732',
			'Xingguo County',
			'360781',
			'Ruijin City',
			labelField('en')
		]);
		expect(countyLabelField('zh-CN', messages('zh-CN'))).toContain('于都县');
		const en = build({ locale: 'en', messages: messages('en') });
		expect((en.sources.counties as { attribution: string }).attribution).toBe(messages('en')['attribution.boundaries']);
		expect((build().sources.townships as { attribution: string }).attribution).toContain('示意');
	});

	it('splits into ground and a reference overlay (boundaries, seats, labels) that data layers go under', () => {
		const ids = build().layers.map((l) => l.id);
		const split = ids.indexOf(REFERENCE_LAYER);
		expect(split).toBeGreaterThan(0);
		const reference = build().layers.slice(split);
		for (const layer of reference) {
			const isLabel = layer.type === 'symbol';
			const isBoundary = layer.id.startsWith('county-');
			expect(isLabel || isBoundary || layer.id === 'township-seat', layer.id).toBe(true);
		}
		// Village dots are ground: a data layer that draws villages covers them.
		expect(ids.indexOf('village-point')).toBeLessThan(split);
	});
});
