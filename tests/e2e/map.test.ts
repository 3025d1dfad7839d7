// The map page in a real Chromium against the built app on a fresh embedded database: the
// basemap draws (checked on the pixels), every request stays on our own server, the language
// switch works, and /api/health reports the seeded data. Screenshots are kept for people to look at.
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { BASEMAP } from '../../src/lib/map/palette.ts';
import { canvasShot, isOwnHost, openMap, openPage, settle } from './server.ts';
import { SCREENSHOTS, useApp } from './harness.ts';

const VIEWPORT = { width: 1280, height: 800 };

function hexToRgb(hex: string): [number, number, number] {
	const n = Number.parseInt(hex.slice(1), 16);
	return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Pixels of a PNG within `tolerance` (Euclidean RGB distance) of a colour. */
function countColour(png: Buffer, hex: string, tolerance = 36): number {
	const image = PNG.sync.read(png);
	const [r, g, b] = hexToRgb(hex);
	let count = 0;
	for (let i = 0; i < image.data.length; i += 4) {
		const dr = image.data[i] - r;
		const dg = image.data[i + 1] - g;
		const db = image.data[i + 2] - b;
		if (dr * dr + dg * dg + db * db <= tolerance * tolerance) count++;
	}
	return count;
}

/** The panels and controls over the canvas, hidden for canvas shots. */
const OVER_MAP = '.panel, .maplibregl-control-container';

describe('map page (built app, embedded database, Chromium)', () => {
	const app = useApp();

	it('reports health: embedded backend, versions and the seeded data', async () => {
		const res = await fetch(`${app.server.url}/api/health`);
		expect(res.status).toBe(200);
		expect(res.headers.get('cache-control')).toBe('no-store');
		const body = await res.json();
		expect(body).toMatchObject({ status: 'ok', backend: 'pglite' });
		expect(body.postgres).toMatch(/^\d+/);
		expect(body.postgis).toMatch(/^3\./);
		for (const table of ['regions', 'villages', 'households']) expect(body.counts[table], table).toBeGreaterThan(0);
	});

	it('serves context layers through the registry as cacheable GeoJSON', async () => {
		const res = await fetch(`${app.server.url}/api/layers/counties/features`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toContain('application/geo+json');
		expect(res.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
		const etag = res.headers.get('etag');
		expect(etag).toMatch(/^"[\w-]+"$/);
		const fc = await res.json();
		expect(fc.features.map((f: { properties: { code: string } }) => f.properties.code).sort()).toEqual([
			'360731',
			'360732',
			'360781',
			'511304'
		]);
		const again = await fetch(`${app.server.url}/api/layers/counties/features`, { headers: { 'if-none-match': etag! } });
		expect(again.status).toBe(304);
		expect((await fetch(`${app.server.url}/api/layers/nope/features`)).status).toBe(404);
		expect((await fetch(`${app.server.url}/api/layers/roads/features?county=51x`)).status).toBe(400);
		const one = await (await fetch(`${app.server.url}/api/layers/villages/features?county=511304`)).json();
		expect(one.features.length).toBeGreaterThan(0);
		expect(new Set(one.features.map((f: { properties: { county_code: string } }) => f.properties.county_code))).toEqual(
			new Set(['511304'])
		);
	});

	for (const locale of ['zh-CN', 'en'] as const) {
		it(`draws the offline basemap in ${locale}, asking only our own server`, async () => {
			const { context, page, requests, problems } = await openPage(app.browser, { viewport: VIEWPORT, locale });
			try {
				// One county in focus: close enough for township labels and roads to show. No data
				// layer (`layers=`): this is about the basemap alone (layers.test.ts draws the data).
				await openMap(page, `${app.server.url}/?lang=${locale}&county=360731&layers=`, { layers: false });
				await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(locale);
				const legendTitle = await page.locator('[data-testid="legend"] h2').textContent();
				expect(legendTitle).toBe(locale === 'zh-CN' ? '图例' : 'Legend');
				await expect.poll(() => page.locator('[data-testid="source-note"]').textContent()).toContain('Vonng/adcode');

				await page.screenshot({ path: join(SCREENSHOTS, `map-${locale}.png`) });

				// The county outline is on the canvas in its colour...
				const withOutline = countColour(await canvasShot(page, OVER_MAP), BASEMAP.countyLine);
				expect(withOutline).toBeGreaterThan(400);
				// ...and those pixels are the outline's: without that layer they are (nearly) gone.
				await page.evaluate(() => window.__lantuMap!.setLayoutProperty('county-line', 'visibility', 'none'));
				await settle(page, { layers: false });
				const withoutOutline = countColour(await canvasShot(page, OVER_MAP), BASEMAP.countyLine);
				expect(withoutOutline).toBeLessThan(withOutline / 10);

				// Everything the page asked for came from our own server: no tiles, fonts or sprites from elsewhere.
				expect(requests.length).toBeGreaterThan(10);
				expect(requests.filter((u) => !isOwnHost(u))).toEqual([]);
				// Latin labels come from our glyph PBFs; Chinese ones are drawn locally (no glyph request).
				if (locale === 'en') expect(requests.some((u) => u.includes('/glyphs/Noto%20Sans%20'))).toBe(true);
				expect(requests.some((u) => u.includes('/api/layers/counties/features'))).toBe(true);
				expect(problems).toEqual([]);
			} finally {
				await context.close();
			}
		});
	}

	it('switches language in place, remembering it in the URL and the cookie', async () => {
		const { context, page, problems } = await openPage(app.browser, { viewport: VIEWPORT, locale: 'zh-CN' });
		const countyLabels = () =>
			page.evaluate(() => JSON.stringify(window.__lantuMap!.getLayoutProperty('county-label', 'text-field')));
		try {
			await openMap(page, `${app.server.url}/`, { layers: false });
			expect(await page.locator('[data-testid="legend"] h2').textContent()).toBe('图例');
			expect(await countyLabels()).toContain('于都县');
			await page.locator('[data-testid="locale-switch"] [data-locale="en"]').click();
			await expect.poll(() => page.locator('[data-testid="legend"] h2').textContent()).toBe('Legend');
			// The map restyles in place: English county labels and MapLibre's own button titles.
			await expect.poll(countyLabels).toContain('Yudu County');
			await expect.poll(() => page.locator('.maplibregl-ctrl-zoom-in').getAttribute('title')).toBe('Zoom in');
			await settle(page, { layers: false });
			expect(new URL(page.url()).searchParams.get('lang')).toBe('en');
			const cookies = await context.cookies(app.server.url);
			expect(cookies.find((c) => c.name === 'lang')?.value).toBe('en');
			expect(await page.locator('html').getAttribute('lang')).toBe('en');
			// A new visit without ?lang= keeps English (the cookie).
			await page.goto(`${app.server.url}/`, { waitUntil: 'load' });
			expect(await page.locator('[data-testid="legend"] h2').textContent()).toBe('Legend');
			// The selector only acts once the page has hydrated (the map is created on mount).
			await settle(page, { layers: false });
			// The county selector puts a county in the URL.
			await page.locator('[data-testid="county-select"]').selectOption('511304');
			await expect.poll(() => new URL(page.url()).searchParams.get('county'), { timeout: 30_000 }).toBe('511304');
			await settle(page, { layers: false });
			expect(problems).toEqual([]);
		} finally {
			await context.close();
		}
	});
});
