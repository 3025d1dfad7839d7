// The import wizard in a real Chromium against the built app on a fresh embedded database (seeded
// with the demo counties): a GBK CSV exported the way the registration system does it is uploaded
// through the file input, its encoding detected, its columns mapped automatically (name and phone
// columns dropped), validated (one impossible row shown by row number, the preview map drawn), written
// with "skip invalid rows", found in the history and in the database, and undone; then uploaded again
// to update the households it wrote. Screenshots in zh-CN and en are kept for people to look at.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ROOT } from './server.ts';
import { SCREENSHOTS, useApp } from './harness.ts';

const FIXTURE = join(ROOT, 'tests/fixtures/import/households-gbk.csv');
const COUNTY = '360731';

describe('import wizard (built app, embedded database, Chromium)', () => {
	const app = useApp();

	async function households(): Promise<number> {
		const res = await fetch(`${app.server.url}/api/health`);
		const health = (await res.json()) as { counts: Record<string, number> };
		return health.counts.households;
	}

	/** The whole wizard in one shot: the page scrolls inside itself, so grow the viewport to fit it. */
	async function shot(page: Page, name: string): Promise<void> {
		const height = await page.evaluate(() => document.querySelector('.page')?.scrollHeight ?? 900);
		const before = page.viewportSize()!;
		await page.setViewportSize({ width: before.width, height: Math.min(4000, Math.max(before.height, height)) });
		await page.waitForTimeout(800);
		await page.screenshot({ path: join(SCREENSHOTS, name) });
		await page.setViewportSize(before);
	}

	/** Undo the newest batch from the history table (confirming the dialog); wait until it shows undone. */
	async function undoInHistory(page: Page, batch: number): Promise<void> {
		page.once('dialog', (d) => d.accept());
		await page.locator('[data-testid="import-undo"]').first().click();
		await page.waitForFunction((id) => document.querySelector(`[data-batch="${id}"]`)?.getAttribute('data-status') === 'undone', batch, { timeout: 60_000 });
	}

	async function walk(page: Page, lang: 'zh-CN' | 'en', actor: string): Promise<number> {
		// From the map header to the wizard.
		await page.goto(`${app.server.url}/?county=${COUNTY}&lang=${lang}`);
		await page.locator('[data-testid="import-link"]').click();
		await page.waitForURL(/\/import\?/);
		await page.waitForFunction(() => document.querySelector('[data-testid="import-county"]') !== null);
		await page.waitForTimeout(500); // hydration
		await page.locator('[data-testid="import-file"]').setInputFiles(FIXTURE);
		await page.locator('[data-testid="import-file-info"]').waitFor();
		expect(await page.locator('[data-testid="import-format"]').textContent()).toBe('CSV');
		expect(await page.locator('[data-testid="import-encoding-detected"]').textContent()).toContain('GBK');
		expect(await page.locator('[data-testid="import-target"]').inputValue()).toBe('households');
		const dropped = await page.locator('[data-testid="import-dropped"]').textContent();
		expect(dropped).toContain('户主姓名');
		expect(dropped).toContain('联系电话');
		// Automatic mapping of the Chinese headers.
		expect(await page.locator('select[data-field="members"]').inputValue()).toBe('家庭人口');
		expect(await page.locator('select[data-field="main_cause"]').inputValue()).toBe('致贫原因');
		expect(await page.locator('select[data-field="village_code"]').inputValue()).toBe('村代码');
		// The sample column shows decoded Chinese (GBK read right).
		expect(await page.locator('[data-testid="import-mapping"]').textContent()).toContain('因病');

		await page.locator('[data-testid="import-validate"]').click();
		await page.locator('[data-testid="import-report"]').waitFor({ timeout: 120_000 });
		const summary = await page.locator('[data-testid="import-summary"]').textContent();
		expect(summary).toMatch(/12.*11.*1/);
		const problems = await page.locator('[data-testid="import-problems"] tbody tr').allTextContents();
		expect(problems).toHaveLength(1);
		expect(problems[0]).toMatch(/^9/); // row 9: YD24-0008, 5 working-age members in a household of 4
		await page.waitForFunction(() => document.querySelector('[data-testid="import-preview-map"]')?.getAttribute('data-ready') === 'true', null, { timeout: 240_000 });
		expect(Number(await page.locator('[data-testid="import-preview-map"]').getAttribute('data-features'))).toBe(3);
		await page.waitForTimeout(1500); // let the basemap tiles settle for the screenshot
		await shot(page, `import-report-${lang}.png`);

		// Commit is refused until the invalid row is dealt with.
		await page.locator('[data-testid="import-actor"]').fill(actor);
		expect(await page.locator('[data-testid="import-commit"]').isDisabled()).toBe(true);
		await page.locator('[data-testid="import-skip"]').check();
		await page.locator('[data-testid="import-commit"]').click();
		await page.locator('[data-testid="import-done"]').waitFor({ timeout: 120_000 });
		const row = page.locator('[data-testid="import-history"] tbody tr').first();
		await row.waitFor();
		expect(await row.textContent()).toContain(actor);
		expect(await row.textContent()).toContain('11');
		expect(await row.getAttribute('data-status')).toBe('committed');
		await shot(page, `import-done-${lang}.png`);
		return Number(await row.getAttribute('data-batch'));
	}

	it('walks the wizard in Chinese, writes 11 households, lists the batch and undoes it', async () => {
		const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
		const before = await households();
		const batch = await walk(page, 'zh-CN', '于都县乡村振兴局 王工');
		expect(await households()).toBe(before + 11);
		// The batch is in the history API too.
		const history = (await (await fetch(`${app.server.url}/api/import/history?county=${COUNTY}`)).json()) as { batches: Array<{ id: number; written: number; file: string }> };
		expect(history.batches[0]).toMatchObject({ id: batch, written: 11, file: 'households-gbk.csv' });

		await undoInHistory(page, batch);
		expect(await households()).toBe(before);
		await page.close();
	}, 600_000);

	it('walks the wizard in English', async () => {
		const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
		const before = await households();
		await walk(page, 'en', 'County bureau, Wang');
		expect(await households()).toBe(before + 11);
		expect(await page.locator('h1').textContent()).toBe('Import data');
		await page.close();
	}, 600_000);

	// The yearly registry refresh: the same file with "update rows that already exist". The first pass
	// (English) adds whatever the walks above did not leave in the table; the second (Chinese) finds all
	// 11 households there — 0 added, 11 updated — and its undo puts them back.
	it('updates the households already written when asked, and undo puts them back', async () => {
		const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
		const validateUpsert = async (lang: 'en' | 'zh-CN') => {
			await page.goto(`${app.server.url}/import?county=${COUNTY}&lang=${lang}`);
			await page.waitForFunction(() => document.querySelector('[data-testid="import-county"]') !== null);
			await page.waitForTimeout(500); // hydration
			await page.locator('[data-testid="import-file"]').setInputFiles(FIXTURE);
			await page.locator('[data-testid="import-file-info"]').waitFor();
			await page.locator('[data-testid="import-upsert"]').check();
			await page.locator('[data-testid="import-validate"]').click();
			await page.locator('[data-testid="import-upsert-counts"]').waitFor({ timeout: 120_000 });
			// This page was opened directly, not reached from the map: its preview map must still load
			// MapLibre's worker and draw.
			await page.waitForFunction(() => document.querySelector('[data-testid="import-preview-map"]')?.getAttribute('data-ready') === 'true', null, { timeout: 240_000 });
			await page.waitForTimeout(1500); // let the basemap tiles settle for the screenshot
			await shot(page, `import-upsert-${lang}.png`);
			return (await page.locator('[data-testid="import-upsert-counts"]').textContent()) ?? '';
		};
		const commit = async () => {
			await page.locator('[data-testid="import-actor"]').fill('于都县乡村振兴局 王工');
			await page.locator('[data-testid="import-skip"]').check();
			await page.locator('[data-testid="import-commit"]').click();
			await page.locator('[data-testid="import-done"]').waitFor({ timeout: 120_000 });
		};

		const first = (await validateUpsert('en')).match(/(\d+) rows? will be added and (\d+) existing rows? updated/);
		expect(first).not.toBeNull();
		expect(Number(first![1]) + Number(first![2])).toBe(11);
		await commit();
		const before = await households();

		expect(await validateUpsert('zh-CN')).toContain('将新增 0 行，更新 11 行已有记录');
		await commit();
		expect(await households()).toBe(before);
		const row = page.locator('[data-testid="import-history"] tbody tr').first();
		expect(await row.textContent()).toContain('新增 0 · 更新 11');
		await shot(page, 'import-upsert-done-zh-CN.png');
		const batch = Number(await row.getAttribute('data-batch'));
		await undoInHistory(page, batch);
		expect(await households()).toBe(before);
		await page.close();
	}, 600_000);
});
