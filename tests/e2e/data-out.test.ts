// Data out of the built app on a fresh embedded database (one server for this file):
// - the /ogc service read by the real GDAL tools (Debian gdal-bin: the same OAPIF driver QGIS uses):
//   ogrinfo lists the collections, counts villages as the database does, filters by a bbox as the
//   API does, and ogr2ogr pages through every relocation site by following `next` links;
// - an export over HTTP: its headers, and the downloaded GeoPackage read by ogrinfo;
// - the layer panel's download menu in Chromium: a real download of the current view, with
//   screenshots of the open menu in both languages (tests/e2e/screenshots/).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../../src/lib/ogc/collections.ts';
import type { Locale } from '../../src/lib/i18n/index.ts';
import { ROOT, openMap, openPage } from './server.ts';
import { SCREENSHOTS, useApp } from './harness.ts';

/** 于都县: every kind of demo data. */
const COUNTY = '360731';

const run = promisify(execFile);

async function gdal(tool: 'ogrinfo' | 'ogr2ogr', args: string[]): Promise<string> {
	const { stdout, stderr } = await run(tool, args, { timeout: 300_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GDAL_HTTP_TIMEOUT: '120' } });
	return stdout + stderr;
}

describe('data out: OGC API read by GDAL, exports, the download menu', () => {
	const app = useApp();
	let counts: Record<string, number>;
	let tmp: string;
	beforeAll(async () => {
		counts = ((await (await fetch(`${app.server.url}/api/health`)).json()) as { counts: Record<string, number> }).counts;
		tmp = mkdtempSync(join(ROOT, 'tests/e2e/.tmp/ogc-'));
	});
	afterAll(async () => {
		if (tmp) rmSync(tmp, { recursive: true, force: true });
	});

	const source = () => `OAPIF:${app.server.url}/ogc`;

	it('ogrinfo lists every collection with its geometry type', async () => {
		const out = await gdal('ogrinfo', ['-ro', '-q', source()]);
		for (const c of COLLECTIONS) expect(out, out).toMatch(new RegExp(`^\\d+: ${c.id} \\(title: [^)]+\\) \\(`, 'm'));
		expect(out).toMatch(/: roads \(title: [^)]+\) \(Line String\)/);
		expect(out).toMatch(/: constraint-zones \(title: [^)]+\) \(Multi Polygon\)/);
	});

	it('ogrinfo counts as many villages as the database holds', async () => {
		expect(counts.villages).toBeGreaterThan(1000);
		const out = await gdal('ogrinfo', ['-ro', '-al', '-so', source(), 'villages']);
		expect(out).toContain(`Feature Count: ${counts.villages}`);
		expect(out).toMatch(/^name_zh: String/m);
		expect(out).toMatch(/^population: Integer/m);
	});

	it('a bbox (ogrinfo -spat) gives the features the API gives for it', async () => {
		const bbox = [115.3, 25.8, 115.6, 26.1];
		const api = (await (await fetch(`${app.server.url}/ogc/collections/villages/items?bbox=${bbox.join(',')}&limit=1`)).json()) as { numberMatched: number };
		expect(api.numberMatched).toBeGreaterThan(0);
		expect(api.numberMatched).toBeLessThan(counts.villages);
		const out = await gdal('ogr2ogr', ['-f', 'GeoJSON', join(tmp, 'bbox.json'), source(), 'villages', '-spat', ...bbox.map(String)]);
		const fc = JSON.parse(readFileSync(join(tmp, 'bbox.json'), 'utf8')) as { features: unknown[] };
		expect(fc.features.length, out).toBe(api.numberMatched);
	});

	it('ogr2ogr writes every relocation site, paging through next links', async () => {
		// More sites than one default page (100), so GDAL must follow `next`.
		expect(counts.relocation_sites).toBeGreaterThan(100);
		const out = await gdal('ogr2ogr', ['-f', 'GeoJSON', join(tmp, 'sites.json'), source(), 'relocation-sites']);
		const fc = JSON.parse(readFileSync(join(tmp, 'sites.json'), 'utf8')) as {
			features: { properties: { id: number; name_zh: string; capacity_households: number }; geometry: { type: string } }[];
		};
		expect(fc.features.length, out).toBe(counts.relocation_sites);
		expect(new Set(fc.features.map((f) => f.properties.id)).size).toBe(counts.relocation_sites);
		expect(fc.features.every((f) => f.geometry.type === 'Point' && f.properties.name_zh.length > 0 && f.properties.capacity_households > 0)).toBe(true);
	});

	it('poverty-density through GDAL carries no household ids and no count of 1..9', async () => {
		await gdal('ogr2ogr', ['-f', 'GeoJSON', join(tmp, 'poverty.json'), source(), 'poverty-density']);
		const fc = JSON.parse(readFileSync(join(tmp, 'poverty.json'), 'utf8')) as { features: { properties: Record<string, unknown> }[] };
		expect(fc.features.length).toBe(counts.villages);
		for (const f of fc.features) {
			for (const key of ['registered', 'poor']) {
				const v = f.properties[key] === null || f.properties[key] === undefined ? null : Number(f.properties[key]);
				if (v !== null) expect(v === 0 || v >= 10).toBe(true);
				else expect(f.properties[`${key}_flag`]).toBe('<10');
			}
		}
		expect(fc.features.some((f) => f.properties.registered_flag === '<10')).toBe(true);
		expect(Object.keys(fc.features[0].properties).some((k) => /household_code|^hh/i.test(k))).toBe(false);
	});

	it('an export over HTTP: a GeoPackage named for the layer and county, read by ogrinfo', async () => {
		const res = await fetch(`${app.server.url}/api/export/relocation-sites?format=gpkg&county=${COUNTY}`, { headers: { 'accept-language': 'zh-CN' } });
		expect(res.status, await res.clone().text().catch(() => '')).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/geopackage+sqlite3');
		const disposition = res.headers.get('content-disposition') ?? '';
		expect(disposition).toMatch(/^attachment; filename="lantu-relocation-sites-360731\.gpkg"; filename\*=UTF-8''/);
		expect(decodeURIComponent(disposition.split("UTF-8''")[1])).toBe('蓝图-安置点与搬迁流向-于都县.gpkg');
		const path = join(tmp, 'sites.gpkg');
		writeFileSync(path, new Uint8Array(await res.arrayBuffer()));
		const ogc = (await (await fetch(`${app.server.url}/ogc/collections/relocation-sites/items?county=${COUNTY}&limit=1`)).json()) as { numberMatched: number };
		const { stdout } = await run('ogrinfo', ['-ro', '-al', '-so', path]);
		expect(stdout).toContain(`Feature Count: ${ogc.numberMatched}`);
		expect(stdout).toMatch(/^assigned_households: Integer/m);

		const bad = await fetch(`${app.server.url}/api/export/households?format=csv`);
		expect(bad.status).toBe(404);
		const badFormat = await fetch(`${app.server.url}/api/export/villages?format=dwg`);
		expect(badFormat.status).toBe(400);
		expect(await badFormat.text()).toMatch(/format: must be one of/);
	});

	for (const locale of ['zh-CN', 'en'] as Locale[]) {
		it(`the layer panel's download menu downloads the current view (${locale})`, async () => {
			const { context, page, problems } = await openPage(app.browser, { viewport: { width: 1280, height: 800 }, locale, acceptDownloads: true, consoleErrors: false });
			try {
				await openMap(page, `${app.server.url}/?lang=${locale}&county=${COUNTY}&layers=poverty-density:100&year=2016`, { layers: false });
				const menu = page.getByTestId('export-poverty-density');
				await menu.locator('summary').click();
				await page.getByTestId('export-format-poverty-density').selectOption('csv');
				await expect.poll(() => page.getByTestId('export-link-poverty-density').getAttribute('href')).toMatch(/bbox=/);
				await page.getByTestId('layer-panel').screenshot({ path: join(SCREENSHOTS, `export-menu-${locale}.png`) });
				const href = (await page.getByTestId('export-link-poverty-density').getAttribute('href'))!;
				const url = new URL(href, app.server.url);
				expect(Object.fromEntries(url.searchParams)).toMatchObject({ format: 'csv', county: COUNTY, year: '2016' });
				const [w, s, e, n] = url.searchParams.get('bbox')!.split(',').map(Number);
				expect(w < e && s < n).toBe(true);

				const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-link-poverty-density').click()]);
				expect(download.suggestedFilename()).toBe(
					locale === 'zh-CN' ? '蓝图-贫困人口密度-于都县-2016年-当前视图.csv' : 'Lantu-Poverty density-Yudu County-2016-current view.csv'
				);
				const path = join(tmp, `download-${locale}.csv`);
				await download.saveAs(path);
				const bytes = readFileSync(path);
				expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
				const lines = bytes.toString('utf8').slice(1).trim().split(/\r?\n/);
				expect(lines[0]).toMatch(/registered,registered_flag,poor,poor_flag/);
				expect(lines.length).toBeGreaterThan(1);
				expect(problems).toEqual([]);
			} finally {
				await context.close();
			}
		});
	}
});
