// Scenarios in a real Chromium against the built app on a fresh embedded database: create a
// scenario in the analysis dock, raise its subsidy and see the housing-cost gap layer redraw (canvas
// pixels), compare it with the baseline — the key-figure table shows the difference, the split map
// draws scenario A left and B right of the divider (pixels at both ends of the swipe) — download
// the table, and delete the scenario. Screenshots in zh-CN and en go to tests/e2e/screenshots/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ROOT, canvasShot as shotUnder, changedPixels, openMap, openPage, settle as settleMaps } from './server.ts';
import { SCREENSHOTS, useApp } from './harness.ts';

const VIEWPORT = { width: 1440, height: 900 };
const COUNTY = '360731';
/** Everything over the map canvas, hidden for canvas shots (the split map stays: it is the map). */
const OVER_MAP =
	'.panel, .maplibregl-control-container, [data-testid="full-extent"], [data-testid="analysis-dock"], .divider, [data-testid="feature-tooltip"], [data-testid="details-panel"]';

/** The map canvas alone (with the split map, which is part of the map). */
const canvasShot = (page: Page) => shotUnder(page, OVER_MAP);
/** Both maps idle and every visible layer loaded (a layer in error is not this test's concern). */
const settle = (page: Page) => settleMaps(page, { failOnLayerError: false });

describe('scenarios (built app, embedded database, Chromium)', () => {
	const app = useApp();

	const searchOf = (page: Page) => new URL(page.url()).searchParams;
	/** expect.poll with room for a loaded 2-core machine (its default gives up after one second). */
	const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 60_000, interval: 200 });

	it('creates a scenario, redraws the gap layer with its subsidy, compares it with the baseline and deletes it', async () => {
		const { context, page, requests, problems } = await openPage(app.browser, {
			viewport: VIEWPORT,
			locale: 'zh-CN',
			acceptDownloads: true,
			// The refused duplicate name (409) is expected; Chromium logs every failed response.
			expectedConsole: /status of 409/
		});
		try {
			await openMap(page, `${app.server.url}/?lang=zh-CN&county=${COUNTY}&layers=housing-cost-gap:100`, { failOnLayerError: false });
			const baselineShot = await canvasShot(page);

			// The dock opens on the scenarios panel: the county's baseline is listed and chosen.
			await page.getByTestId('analysis-toggle').click();
			const panel = page.getByTestId('scenarios-panel');
			const options = panel.getByRole('listbox').getByRole('option');
			await poll(() => options.count()).toBe(1);
			expect(await options.first().getAttribute('aria-selected')).toBe('true');
			const baselineId = Number((await options.first().getAttribute('data-testid'))!.replace('scenario-', ''));

			// Create "高补助" and see it chosen on the map.
			await page.getByTestId('scenario-new').click();
			await page.getByTestId('scenario-name').fill('高补助');
			await page.getByTestId('scenario-name-ok').click();
			await poll(() => options.count()).toBe(2);
			const created = panel.getByRole('listbox').getByRole('option', { name: /高补助/ });
			await poll(() => created.getAttribute('aria-selected')).toBe('true');
			const newId = Number((await created.getAttribute('data-testid'))!.replace('scenario-', ''));
			await poll(() => searchOf(page).get('scenario')).toBe(String(newId));

			// A taken name is refused with a message in the page's language.
			await page.getByTestId('scenario-copy').click();
			await page.getByTestId('scenario-name').fill('基准方案 Baseline');
			await page.getByTestId('scenario-name-ok').click();
			await poll(() => page.getByTestId('scenario-message').textContent()).toMatch(/已有名为“基准方案 Baseline”/);
			await page.getByRole('button', { name: '取消' }).click();
			expect(await options.count()).toBe(2);

			// A bad value is refused at the field, in the page's language; nothing is saved.
			const subsidy = page.getByTestId('param-subsidyPerHouseholdYuan');
			await subsidy.fill('-5');
			await page.getByTestId('scenario-save').click();
			await poll(() => panel.locator('.field-error').first().textContent()).toMatch(/不能为负数/);
			expect(await panel.locator('.field.invalid input').getAttribute('data-testid')).toBe('param-subsidyPerHouseholdYuan');

			// 80,000 yuan per household: the gap layer redraws with the new parameters.
			await subsidy.fill('80000');
			await page.getByTestId('scenario-save').click();
			await poll(() => page.getByTestId('scenario-message').textContent()).toMatch(/已保存/);
			await poll(() => requests.some((u) => u.includes('/api/layers/housing-cost-gap/features') && u.includes(`scenario=${newId}`) && u.includes('rev='))).toBe(true);
			await settle(page);
			const generousShot = await canvasShot(page);
			expect(changedPixels(baselineShot, generousShot)).toBeGreaterThan(500);
			const stored = (await (await fetch(`${app.server.url}/api/scenarios/${newId}`)).json()) as { parameters: { subsidyPerHouseholdYuan: number } };
			expect(stored.parameters.subsidyPerHouseholdYuan).toBe(80_000);

			// Compare with the baseline: A = 高补助 (left), B = baseline (right).
			await page.getByTestId('scenario-compare').selectOption(String(baselineId));
			await poll(() => searchOf(page).get('compare')).toBe(String(baselineId));
			const table = page.getByTestId('scenario-kpis');
			await poll(() => table.locator('thead th').count()).toBe(4);
			const gapRow = table.locator('tr[data-kpi="gap"]');
			// The baseline's gap is larger: B − A is positive and marked worse.
			await poll(() => gapRow.getAttribute('class')).toMatch(/worse/);
			expect(await gapRow.locator('.diff').textContent()).toMatch(/\+[\d,]+/);
			const compareRes = (await (await fetch(`${app.server.url}/api/scenarios/compare?a=${newId}&b=${baselineId}`)).json()) as { rows: { key: string; a: number; b: number; difference: number }[] };
			const gap = compareRes.rows.find((r) => r.key === 'gap')!;
			expect(gap.b).toBeGreaterThan(gap.a);
			expect(gap.difference).toBe(gap.b - gap.a);
			expect(compareRes.rows.find((r) => r.key === 'construction')!.difference).toBe(0);

			// The split map: a second map with the baseline's layer, right of the divider.
			await poll(() => page.getByTestId('compare-map').count()).toBe(1);
			await settle(page);
			expect(requests.some((u) => u.includes('/api/layers/housing-cost-gap/features') && u.includes(`scenario=${baselineId}`))).toBe(true);
			await poll(() => page.getByTestId('compare-label-a').textContent()).toContain('高补助');
			expect(await page.getByTestId('compare-label-b').textContent()).toContain('基准');
			await table.scrollIntoViewIfNeeded();
			await page.screenshot({ path: join(SCREENSHOTS, 'scenarios-compare-zh-CN.png') });

			// Swipe to the right end: all A (the generous scenario); to the left end: all B (the baseline).
			const divider = page.getByTestId('compare-divider');
			await divider.focus();
			for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
			await poll(() => page.getByTestId('compare-wrap').getAttribute('data-split')).toBe('100');
			const allA = await canvasShot(page);
			// The shot hid the divider, which took the focus away from it.
			await divider.focus();
			for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowLeft');
			await poll(() => page.getByTestId('compare-wrap').getAttribute('data-split')).toBe('0');
			const allB = await canvasShot(page);
			await divider.focus();
			const aVsB = changedPixels(allA, allB);
			expect(aVsB).toBeGreaterThan(500);
			// Each end looks like that scenario drawn alone.
			expect(changedPixels(allA, generousShot)).toBeLessThan(aVsB / 2);
			expect(changedPixels(allB, baselineShot)).toBeLessThan(aVsB / 2);
			for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');

			// The comparison as CSV: UTF-8 with a BOM, both names, the full numbers.
			const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('scenario-download-csv').click()]);
			const csv = readFileSync((await download.path())!, 'utf8');
			expect(csv.charCodeAt(0)).toBe(0xfeff);
			expect(csv).toContain('高补助');
			expect(csv).toContain(String(gap.difference));
			const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('scenario-download-xlsx').click()]);
			expect(readFileSync((await xlsx.path())!).subarray(0, 2).toString()).toBe('PK');

			// English.
			await page.locator('[data-testid="locale-switch"] [data-locale="en"]').click();
			await poll(() => page.locator('html').getAttribute('lang')).toBe('en');
			await settle(page);
			await poll(() => table.locator('thead th').first().textContent()).toBe('Figure');
			await table.scrollIntoViewIfNeeded();
			await page.screenshot({ path: join(SCREENSHOTS, 'scenarios-compare-en.png') });
			await page.getByTestId('scenario-params').locator('details').nth(1).locator('summary').click();
			await page.screenshot({ path: join(SCREENSHOTS, 'scenarios-parameters-en.png') });

			// End the comparison and delete the scenario: the baseline is left and chosen.
			await page.getByTestId('scenario-compare').selectOption('');
			await poll(() => page.getByTestId('compare-map').count()).toBe(0);
			await page.getByTestId('scenario-delete').click();
			await page.getByTestId('scenario-delete-confirm').click();
			await poll(() => options.count()).toBe(1);
			await poll(() => searchOf(page).get('scenario')).toBeNull();
			expect((await fetch(`${app.server.url}/api/scenarios/${newId}`)).status).toBe(404);
			// The last scenario cannot be deleted.
			expect(await page.getByTestId('scenario-delete').isDisabled()).toBe(true);
			const refused = await fetch(`${app.server.url}/api/scenarios/${baselineId}`, { method: 'DELETE' });
			expect(refused.status).toBe(409);
			expect(((await refused.json()) as { message: string }).message).toMatch(/only scenario/);

			expect(problems).toEqual([]);
		} catch (err) {
			await page.screenshot({ path: join(ROOT, 'tests/e2e/.tmp/scenarios-failure.png') }).catch(() => {});
			console.error(`server output:\n${app.server.output().slice(-3000)}\nproblems: ${problems.join('\n')}`);
			throw err;
		} finally {
			await context.close();
		}
	});
});
