// Context layers through the registry, in Chromium on the built app: the basemap is drawn from
// /api/layers/<id>/features (no other data URL), GET /api/layers lists the context layers, the
// features route revalidates with 304, and the facilities toggle draws township seats, schools,
// clinics and markets with their legend. Screenshots in zh-CN and en go to tests/e2e/screenshots/.
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BASEMAP, FACILITY_KINDS } from '../../src/lib/map/palette.ts';
import { openPage, settle } from './server.ts';
import { SCREENSHOTS, useApp } from './harness.ts';

const VIEWPORT = { width: 1280, height: 800 };
/** Central Yudu at zoom 11: township seats, schools, clinics and markets in view. */
const VIEW = 'county=360731&center=115.41,25.95&zoom=11&layers=';
const OVER_MAP = '.panel, .maplibregl-control-container, [data-testid="full-extent"]';

/** Pixels within a small distance of a '#rrggbb' colour. */
function pixelsNear(png: Buffer, color: string): number {
	const img = PNG.sync.read(png);
	const n = Number.parseInt(color.slice(1), 16);
	const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
	let count = 0;
	for (let i = 0; i < img.data.length; i += 4) {
		if (Math.abs(img.data[i] - r) + Math.abs(img.data[i + 1] - g) + Math.abs(img.data[i + 2] - b) < 30) count++;
	}
	return count;
}

describe('context layers (built app, embedded database, Chromium)', () => {
	const app = useApp();

	it('GET /api/layers lists the context layers; their features revalidate by ETag', async () => {
		const { layers } = (await (await fetch(`${app.server.url}/api/layers`)).json()) as { layers: { id: string; group: string; dataUrl: string; legend: { items: unknown[] } }[] };
		const context = layers.filter((l) => l.group === 'context');
		expect(context.map((l) => l.id).sort()).toEqual(['counties', 'county-seats', 'facilities', 'outlines', 'rivers', 'roads', 'township-seats', 'townships', 'villages']);
		expect(context.find((l) => l.id === 'facilities')!.dataUrl).toBe('/api/layers/facilities/features{?county}');
		expect(context.find((l) => l.id === 'facilities')!.legend.items.length).toBe(FACILITY_KINDS.length);
		const res = await fetch(`${app.server.url}/api/layers/facilities/features?county=360731`);
		expect(res.headers.get('content-type')).toContain('application/geo+json');
		const fc = (await res.json()) as { features: { properties: { kind: string; county_code: string } }[] };
		expect(new Set(fc.features.map((f) => f.properties.kind))).toEqual(new Set(FACILITY_KINDS));
		expect(new Set(fc.features.map((f) => f.properties.county_code))).toEqual(new Set(['360731']));
		const again = await fetch(`${app.server.url}/api/layers/facilities/features?county=360731`, { headers: { 'if-none-match': res.headers.get('etag')! } });
		expect(again.status).toBe(304);
	});

	async function shot(page: Page, name: string | null): Promise<Buffer> {
		await settle(page, { layers: false });
		await page.waitForTimeout(300);
		if (name) await page.screenshot({ path: join(SCREENSHOTS, name) });
		await page.addStyleTag({ content: `${OVER_MAP} { visibility: hidden !important; }` });
		const canvas = await page.screenshot();
		await page.addStyleTag({ content: `${OVER_MAP} { visibility: visible !important; }` });
		return canvas;
	}

	for (const locale of ['zh-CN', 'en'] as const) {
		it(`facilities on and off, with their legend (${locale})`, async () => {
			const { context, page, requests } = await openPage(app.browser, { viewport: VIEWPORT, locale });
			try {
				await page.goto(`${app.server.url}/?lang=${locale}&${VIEW}&facilities=1`, { waitUntil: 'load' });
				const toggle = page.getByTestId('toggle-facilities');
				await toggle.waitFor();
				// The link's ?facilities=1 takes effect once the page has hydrated.
				await expect.poll(() => toggle.isChecked(), { timeout: 60_000 }).toBe(true);
				const on = await shot(page, `context-facilities-${locale}.png`);
				const legend = await page.locator('section.context').innerText();
				expect(legend).toContain(locale === 'zh-CN' ? '卫生院' : 'Clinic');
				await toggle.uncheck();
				const off = await shot(page, null);
				for (const kind of ['school', 'clinic', 'market'] as const) {
					const color = BASEMAP.facilities[kind];
					expect(pixelsNear(on, color), `${kind} drawn`).toBeGreaterThan(pixelsNear(off, color) + 10);
				}
				// The basemap reads the registry's URLs only.
				const data = requests.filter((u) => u.includes('/api/')).map((u) => new URL(u).pathname);
				expect(data.some((p) => p === '/api/layers/facilities/features')).toBe(true);
				expect(data.filter((p) => p.startsWith('/api/context'))).toEqual([]);
			} finally {
				await context.close();
			}
		});
	}
});
