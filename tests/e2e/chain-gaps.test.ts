// The chain-gaps panel on the demo data (built app, embedded database, Chromium): run the gaps, see
// the per-stage table and the gap list, run the best new site and see it drawn by the max-cover-result
// layer, download the CSV; the open dock hides neither the zoom buttons nor a table column; the API's
// 400s name the field. Screenshots in both languages go to tests/e2e/screenshots/ for people to look at.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openMap, openPage, settle } from './server.ts';
import { SCREENSHOTS, useApp } from './harness.ts';

const COUNTY = '360731'; // Yudu: navel orange

describe('chain gaps panel (built app, embedded database, Chromium)', () => {
	const app = useApp();

	it('answers bad requests with 400 naming the field', async () => {
		const post = (path: string, body: unknown) =>
			fetch(`${app.server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		const bad = await post('/api/analysis/chain-gaps', { county: '3607', chain: 'navel_orange', year: 2016 });
		expect(bad.status).toBe(400);
		expect((await bad.json()).message).toMatch(/^county: /);
		const badQ = await post('/api/analysis/max-cover', { county: COUNTY, chain: 'navel_orange', year: 2016, stage: 'processing', q: 0, candidates: 'villages' });
		expect((await badQ.json()).message).toMatch(/^q: /);
		const badScenario = await post('/api/analysis/chain-gaps', { county: COUNTY, chain: 'navel_orange', year: 2016, scenario: 99999 });
		expect(badScenario.status).toBe(400);
		expect((await badScenario.json()).message).toMatch(/^scenario: /);
	});

	/** The page URL after the zh-CN best-site run (the link a planner copies) and the run it drew. */
	let copied: { link: string; run: number; chain: string; stage: string } | null = null;

	for (const locale of ['zh-CN', 'en'] as const) {
		it(`runs the gaps and the best new site, and downloads the CSV (${locale})`, async () => {
			const { context, page, problems } = await openPage(app.browser, { viewport: { width: 1280, height: 900 }, locale, acceptDownloads: true, consoleErrors: false });
			await openMap(page, `${app.server.url}/?county=${COUNTY}&year=2016&lang=${locale}&layers=industrial-chain-coverage:100`, { layers: false });
			await page.getByTestId('analysis-toggle').click();
			await page.getByTestId('analysis-tab-chain-gaps').click();
			await page.getByTestId('chain-gaps-run').click();
			const summary = page.getByTestId('chain-gaps-summary');
			await summary.waitFor({ timeout: 120_000 });
			expect(await summary.locator('tbody tr').count()).toBe(5);
			const gaps = page.getByTestId('chain-gaps-list');
			expect(await gaps.locator('tbody tr').count()).toBeGreaterThan(0);
			// No count of 1..4 anywhere in the household column.
			const counts = await gaps.locator('tbody tr td:last-child').allTextContents();
			for (const c of counts) expect(['1', '2', '3', '4']).not.toContain(c.trim());
			const download = page.waitForEvent('download');
			await page.getByTestId('chain-gaps-csv').click();
			const file = await download;
			expect(file.suggestedFilename()).toMatch(/^chain-gaps-360731-navel_orange-2016\.csv$/);
			// The households column fits in the panel (fixed table layout), in both languages.
			const panel = await page.getByTestId('analysis-panel-chain-gaps').boundingBox();
			const lastHead = await gaps.locator('thead th').last().boundingBox();
			expect(lastHead!.x + lastHead!.width).toBeLessThanOrEqual(panel!.x + panel!.width + 0.5);
			// The open dock leaves MapLibre's zoom buttons uncovered and clickable.
			for (const button of ['.maplibregl-ctrl-zoom-in', '.maplibregl-ctrl-zoom-out']) {
				const box = (await page.locator(button).boundingBox())!;
				const hit = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest('button')?.className ?? '', [box.x + box.width / 2, box.y + box.height / 2]);
				expect(hit).toContain(button.slice(1));
			}
			// The best new site: its run id goes into the result layer's data URL, and the layer is switched on.
			const layerResponse = page.waitForResponse((r) => r.url().includes('/api/layers/max-cover-result/features') && /[?&]run=\d+/.test(r.url()), { timeout: 180_000 });
			await page.getByTestId('max-cover-run').click();
			await page.getByTestId('max-cover-result').waitFor({ timeout: 120_000 });
			const response = await layerResponse;
			expect(response.status()).toBe(200);
			const drawn = await response.json();
			expect(drawn.sites.length).toBeGreaterThan(0);
			expect(drawn.villages.length).toBeGreaterThan(0);
			expect(new URL(page.url()).searchParams.get('layers')).toContain('max-cover-result');
			expect(new URL(page.url()).searchParams.get('run')).toBe(String(drawn.run));
			if (locale === 'zh-CN') copied = { link: page.url(), run: drawn.run, chain: drawn.chain, stage: drawn.stage };
			await page.getByTestId('max-cover-result').scrollIntoViewIfNeeded();
			await page.waitForTimeout(1500);
			await page.screenshot({ path: join(SCREENSHOTS, `analysis-chain-gaps-${locale}.png`) });
			// The map with the dock closed: coverage of the processing stage and the best new site.
			await page.getByTestId('analysis-toggle').click();
			await settle(page, { layers: false });
			await page.waitForTimeout(1000);
			await page.screenshot({ path: join(SCREENSHOTS, `layer-max-cover-result-${locale}.png`) });
			expect(problems).toEqual([]);
			await context.close();
		});
	}

	it('a copied link draws the run it was copied with, not a later one', async () => {
		expect(copied, 'the zh-CN run left a link').not.toBeNull();
		const { link, run, chain, stage } = copied!;
		// A later run of the same chain and stage (three sites instead of one): now the latest.
		const started = await fetch(`${app.server.url}/api/analysis/max-cover`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ county: COUNTY, chain, year: 2016, stage, q: 3, candidates: 'villages' })
		});
		const { runId } = (await started.json()) as { runId: number };
		expect(runId).toBeGreaterThan(run);
		const status = async () => ((await (await fetch(`${app.server.url}/api/analysis/runs/${runId}?result=0`)).json()) as { status: string }).status;
		await expect.poll(status, { timeout: 120_000, interval: 1000 }).toBe('done');

		const { context, page, problems } = await openPage(app.browser, { viewport: { width: 1280, height: 900 }, consoleErrors: false });
		try {
			const layerResponse = page.waitForResponse((r) => r.url().includes('/api/layers/max-cover-result/features'), { timeout: 180_000 });
			await openMap(page, link, { layers: false });
			const response = await layerResponse;
			expect(new URL(response.url()).searchParams.get('run')).toBe(String(run));
			expect(((await response.json()) as { run: number }).run).toBe(run);
			expect(new URL(page.url()).searchParams.get('run')).toBe(String(run));
			expect(problems).toEqual([]);
		} finally {
			await context.close();
		}
	});
});
