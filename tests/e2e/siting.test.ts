// Relocation siting in a real Chromium against the built app on a fresh embedded database: open a
// county's map, open the analysis dock, rate the candidates (ranking with exclusion reasons and
// rank ranges), run location-allocation ("house everyone"), wait for the key figures, and see the
// siting-result layer drawn on the canvas (pixels change); then a second run (p = 3) and the layer
// redrawn with it. Screenshots in zh-CN and en are kept in tests/e2e/screenshots/ for people to
// look at.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { canvasShot as shotUnder, changedPixels, isOwnHost, openMap, openPage, settle } from './server.ts';
import { SCREENSHOTS, useApp } from './harness.ts';

const VIEWPORT = { width: 1400, height: 900 };
/** 于都县: relocation sites, candidates and constraint zones in the demo data. */
const COUNTY = '360731';
const OVER_MAP =
	'.panel, .maplibregl-control-container, [data-testid="analysis-dock"], [data-testid="full-extent"], [data-testid="feature-tooltip"], [data-testid="details-panel"], [data-testid="search-marker"]';
const HAN = /\p{Script=Han}/u;

/** The map canvas alone. */
const canvasShot = (page: Page) => shotUnder(page, OVER_MAP);

describe('relocation siting (built app, embedded database, Chromium)', () => {
	const app = useApp();

	it('rates the candidates, sites the settlements, draws the result and shows the key figures', async () => {
		const { context, page, requests, problems } = await openPage(app.browser, { viewport: VIEWPORT, locale: 'zh-CN' });
		try {
			await openMap(page, `${app.server.url}/?lang=zh-CN&county=${COUNTY}&layers=`);
			const before = await canvasShot(page);

			await page.getByTestId('analysis-toggle').click();
			await page.getByTestId('analysis-tab-siting').click();
			const panel = page.getByTestId('siting-panel');
			await expect.poll(() => panel.isVisible()).toBe(true);

			// AHP grid: the consistency ratio is shown.
			await page.getByTestId('siting-ahp').check();
			expect(await page.getByTestId('siting-cr').textContent()).toMatch(/CR = 0\.000/);

			await page.getByTestId('siting-run-suitability').click();
			const ranking = page.getByTestId('siting-ranking');
			await ranking.waitFor({ state: 'visible', timeout: 180_000 });
			const rows = ranking.locator('tbody tr');
			expect(await rows.count()).toBeGreaterThan(2);
			expect(await rows.first().locator('td').first().textContent()).toBe('1');

			await page.getByTestId('siting-run-allocation').click();
			const kpis = page.getByTestId('siting-kpis');
			await kpis.waitFor({ state: 'visible', timeout: 300_000 });
			expect(await kpis.locator('table.kpi tr').count()).toBe(8);
			expect(await kpis.textContent()).toMatch(HAN);

			// The panel switched the result layer on; it draws chosen sites and arcs.
			await expect.poll(() => page.getByTestId('layer-siting-result').getAttribute('data-layer-status'), { timeout: 60_000 }).toBe('ready');
			await settle(page);
			const after = await canvasShot(page);
			expect(changedPixels(before, after)).toBeGreaterThan(2_000);
			await page.screenshot({ path: join(SCREENSHOTS, 'siting-zh-CN.png') });

			await page.locator('[data-testid="locale-switch"] [data-locale="en"]').click();
			await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
			await settle(page);
			await expect.poll(() => kpis.locator('h3').first().textContent()).toBe('Key figures');
			for (const th of await kpis.locator('table.kpi th').allTextContents()) expect(th).not.toMatch(HAN);
			await page.screenshot({ path: join(SCREENSHOTS, 'siting-en.png') });

			// The CSV downloads answer with a BOM.
			const runLink = await kpis.locator('a.csv').first().getAttribute('href');
			const csv = new Uint8Array(await (await fetch(app.server.url + runLink)).arrayBuffer());
			expect([...csv.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

			// A second run (p = 3 instead of everyone housed) redraws the layer: the panel names the
			// run in the layer's parameters, so its data URL changes and the map fetches the new
			// result rather than drawing its cached copy of the first one.
			const runOf = (href: string | null) => Number(/location-allocation\/(\d+)\//.exec(href ?? '')?.[1] ?? 0);
			const firstRun = runOf(runLink);
			expect(firstRun).toBeGreaterThan(0);
			const firstDrawn = await canvasShot(page);
			await page.getByTestId('siting-mode-p').check();
			await page.getByTestId('siting-p').fill('3');
			await page.getByTestId('siting-run-allocation').click();
			await expect
				.poll(async () => ((await kpis.isVisible()) ? runOf(await kpis.locator('a.csv').first().getAttribute('href')) : 0), { timeout: 300_000 })
				.toBeGreaterThan(firstRun);
			const secondRun = runOf(await kpis.locator('a.csv').first().getAttribute('href'));
			const layerUrl = (u: string) => u.includes('/api/layers/siting-result/features');
			await expect.poll(() => requests.some((u) => layerUrl(u) && new URL(u).searchParams.get('run') === String(secondRun)), { timeout: 60_000 }).toBe(true);
			await expect.poll(() => page.getByTestId('layer-siting-result').getAttribute('data-layer-status'), { timeout: 60_000 }).toBe('ready');
			await settle(page);
			const secondDrawn = await canvasShot(page);
			expect(changedPixels(firstDrawn, secondDrawn)).toBeGreaterThan(1_000);
			await page.screenshot({ path: join(SCREENSHOTS, 'siting-second-run-en.png') });

			expect(requests.filter((u) => !isOwnHost(u))).toEqual([]);
			expect(problems).toEqual([]);
		} finally {
			await context.close();
		}
	});
});
