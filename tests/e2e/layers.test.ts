// The planning layers in a real Chromium against the built app on a fresh embedded database (one
// server for this file): each of the four data layers draws (checked on the canvas pixels, before
// and after switching it on), its tooltip says what its definition says for the feature under the
// pointer, the year slider and its animation redraw poverty density, a copied link reopens the same
// map, search flies to a place, and no request leaves our own server. Screenshots of every layer in
// both languages are kept in tests/e2e/screenshots/ for people to look at.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LAYERS } from '../../src/lib/layers/registry.ts';
import { DEFAULT_PARAMS, type LayerParams } from '../../src/lib/layers/params.ts';
import { decodeColumns } from '../../src/lib/layers/transport.ts';
import { parseMapUrl } from '../../src/lib/state/map-url-state.svelte.ts';
import { siteRadius } from '../../src/lib/layers/relocation-sites/definition.ts';
import { gapRadius } from '../../src/lib/layers/housing-cost-gap/definition.ts';
import type { Locale } from '../../src/lib/i18n/index.ts';
import { canvasShot as shotUnder, changedPixels, isOwnHost, openMap, openPage, settle, type OpenedPage } from './server.ts';
import { SCREENSHOTS, useApp } from './harness.ts';

const VIEWPORT = { width: 1280, height: 800 };
/** 于都县: a county with every kind of demo data (households, relocation sites, three chains). */
const COUNTY = '360731';
const DATA_LAYERS = LAYERS.filter((l) => l.group === 'data');
const LAYER_IDS = ['poverty-density', 'relocation-sites', 'housing-cost-gap', 'industrial-chain-coverage'];
/** Panels and controls over the canvas, hidden for canvas shots. */
const OVER_MAP =
	'.panel, .maplibregl-control-container, [data-testid="full-extent"], [data-testid="feature-tooltip"], [data-testid="details-panel"], [data-testid="search-marker"]';

type Def = (typeof DATA_LAYERS)[number];
const defOf = (id: string): Def => {
	const def = DATA_LAYERS.find((l) => l.id === id);
	if (!def) throw new Error(`no layer ${id} in the registry`);
	return def;
};

const HAN = /\p{Script=Han}/u;
/** The map canvas alone. */
const canvasShot = (page: Page) => shotUnder(page, OVER_MAP);

describe('planning layers (built app, embedded database, Chromium)', () => {
	const app = useApp();

	async function open(locale: Locale, query: string): Promise<OpenedPage> {
		const opened = await openPage(app.browser, { viewport: VIEWPORT, locale });
		await openMap(opened.page, `${app.server.url}/?${query}`);
		return opened;
	}

	/** The layer parameters of the page's current URL (what its layers were drawn with). */
	function paramsOf(page: Page): LayerParams {
		const url = parseMapUrl(new URL(page.url()).searchParams);
		return { ...DEFAULT_PARAMS, ...url.params, county: url.county, zoom: url.view?.zoom ?? DEFAULT_PARAMS.zoom };
	}

	/** Wait until the page URL (written after a short debounce) has the given parameters. */
	async function urlHas(page: Page, expected: Record<string, string>): Promise<void> {
		await expect
			.poll(() => {
				const search = new URL(page.url()).searchParams;
				return Object.fromEntries(Object.keys(expected).map((k) => [k, search.get(k)]));
			})
			.toEqual(expected);
	}

	async function finish(opened: OpenedPage): Promise<void> {
		try {
			expect(opened.requests.length).toBeGreaterThan(5);
			expect(opened.requests.filter((u) => !isOwnHost(u))).toEqual([]);
			expect(opened.problems).toEqual([]);
		} finally {
			await opened.context.close();
		}
	}

	it('has the four planning layers in the registry, served by the API', async () => {
		// Analysis result layers (e.g. siting-result) come on top of the four.
		expect(DATA_LAYERS.map((l) => l.id)).toEqual(expect.arrayContaining(LAYER_IDS));
		const res = await fetch(`${app.server.url}/api/layers`);
		const body = (await res.json()) as { layers: { id: string }[] };
		expect(body.layers.map((l) => l.id)).toEqual(expect.arrayContaining(LAYER_IDS));
	});

	for (const id of LAYER_IDS) {
		it(`draws ${id} when switched on, with its legend in zh-CN and en`, async () => {
			const opened = await open('zh-CN', `lang=zh-CN&county=${COUNTY}&layers=`);
			const { page } = opened;
			try {
				const before = await canvasShot(page);
				await page.getByTestId(`layer-toggle-${id}`).check();
				await settle(page);
				await expect.poll(() => page.getByTestId(`layer-${id}`).getAttribute('data-layer-status')).toBe('ready');
				const after = await canvasShot(page);
				// Thousands of pixels: hexagons, circles or arcs over a good part of the county.
				expect(changedPixels(before, after)).toBeGreaterThan(5_000);
				await urlHas(page, { layers: `${id}:80` });

				const legend = page.getByTestId(`layer-legend-${id}`);
				expect(await legend.locator('li').count()).toBeGreaterThanOrEqual(3);
				expect(await legend.locator('figcaption').textContent()).toMatch(HAN);
				await page.screenshot({ path: join(SCREENSHOTS, `layer-${id}-zh-CN.png`) });

				await page.locator('[data-testid="locale-switch"] [data-locale="en"]').click();
				await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
				await settle(page);
				await expect.poll(() => legend.locator('figcaption').textContent()).not.toMatch(HAN);
				for (const text of await legend.locator('li').allTextContents()) expect(text).not.toMatch(HAN);
				expect(await page.getByTestId(`layer-${id}`).locator('.title').textContent()).toBe(defOf(id).title.en);
				await urlHas(page, { lang: 'en', layers: `${id}:80` });
				// The data layer is still drawn after the basemap restyled for English.
				expect(changedPixels(before, await canvasShot(page))).toBeGreaterThan(5_000);
				await page.screenshot({ path: join(SCREENSHOTS, `layer-${id}-en.png`) });
				// Its data came from its own endpoint on our server.
				expect(opened.requests.some((u) => u.includes(`/api/layers/${id}/features`))).toBe(true);
			} finally {
				await finish(opened);
			}
		});
	}

	/**
	 * Candidates for hovering, per layer: an object the definition describes, its position, and the
	 * radius (px) it is drawn with, from the same data the page drew (fetched from the same URL).
	 */
	async function candidates(page: Page, opened: OpenedPage, id: string): Promise<{ object: unknown; lon: number; lat: number; r: number }[]> {
		const url = [...opened.requests].reverse().find((u) => u.includes(`/api/layers/${id}/features`));
		if (!url) throw new Error(`the page did not ask for ${id}`);
		const res = await fetch(url);
		expect(res.status).toBe(200);
		if (id === 'poverty-density') {
			const table = decodeColumns<{ level: string }>(await res.arrayBuffer()) as unknown as {
				length: number;
				columns: Record<string, ArrayLike<number>>;
				meta: { level: string };
			};
			expect(table.meta.level).toBe('hex');
			// Hexagon centres: each is inside its own hexagon, ~13 px from its edges.
			return Array.from({ length: table.length }, (_, index) => ({
				object: { index, data: table },
				lon: table.columns.lon[index],
				lat: table.columns.lat[index],
				r: 0
			})).filter((c) => table.columns.poor[c.object.index] >= 0);
		}
		const body = (await res.json()) as Record<string, unknown[]>;
		type Placed = { position: [number, number]; capacity?: number; gap?: { total: number } | null };
		// r: the radius (px) the layer draws the object with, plus its outline.
		const placed = (list: unknown[], r: (o: Placed) => number) =>
			(list as Placed[]).map((o) => ({ object: o as unknown, lon: o.position[0], lat: o.position[1], r: r(o) + 2 }));
		if (id === 'relocation-sites') return placed(body.sites, (o) => siteRadius(o.capacity ?? 0));
		if (id === 'housing-cost-gap') {
			const r = (o: Placed) => gapRadius(o.gap?.total ?? null);
			return [...placed(body.villages, r), ...placed(body.sites, r)];
		}
		// Coverage: villages 5 px (a poor village missing a stage has a 9 px ring), sites 7 px.
		return [...placed(body.villages, () => 9), ...placed(body.sites, () => 7)];
	}

	for (const id of LAYER_IDS) {
		it(`shows ${id}'s tooltip for the feature under the pointer, and its details on click`, async () => {
			const opened = await open('zh-CN', `lang=zh-CN&county=${COUNTY}&layers=${id}:100`);
			const { page } = opened;
			try {
				const def = defOf(id);
				const params = paramsOf(page);
				const box = (await page.locator('[data-testid="map"] canvas').boundingBox())!;
				const panel = (await page.locator('.panel').boundingBox())!;
				const list = await candidates(page, opened, id);
				const projected = await page.evaluate(
					(points) => points.map(([lon, lat]) => window.__lantuMap!.project([lon, lat])).map((p) => [p.x, p.y]),
					list.map((c) => [c.lon, c.lat])
				);
				// The feature farthest from every other one, clear of the panel and the map's edges.
				let best = -1;
				let bestClearance = -Infinity;
				projected.forEach(([x, y], i) => {
					if (box.x + x < panel.x + panel.width + 20 || x > box.width - 80 || y < 30 || y > box.height - 50) return;
					let clearance = Infinity;
					projected.forEach(([x2, y2], j) => {
						if (j !== i) clearance = Math.min(clearance, Math.hypot(x2 - x, y2 - y) - list[j].r);
					});
					if (clearance > bestClearance) [best, bestClearance] = [i, clearance];
				});
				expect(best).toBeGreaterThanOrEqual(0);
				// No other feature's circle reaches the pointer.
				expect(bestClearance, 'no feature stands clear enough of the others to hover').toBeGreaterThan(3);
				const [x, y] = projected[best];
				const expected = def.tooltip(list[best].object as never, 'zh-CN', params);
				expect(expected).toBeTruthy();

				await page.mouse.move(box.x + x + 1, box.y + y + 1);
				await page.mouse.move(box.x + x, box.y + y);
				const tooltip = page.getByTestId('feature-tooltip');
				await expect.poll(() => tooltip.isVisible()).toBe(true);
				expect((await tooltip.innerText()).trim()).toBe(expected);

				// A click opens the definition's details; the close button closes them.
				await page.mouse.click(box.x + x, box.y + y);
				const details = page.getByTestId('details-panel');
				await expect.poll(() => details.isVisible()).toBe(true);
				const rows = def.details!(list[best].object as never, 'zh-CN', params);
				const text = await details.innerText();
				for (const row of rows) {
					expect(text).toContain(row.label);
					expect(text).toContain(row.value);
				}
				await page.getByTestId('details-close').click();
				await expect.poll(() => details.count()).toBe(0);

				// Off the features, no tooltip.
				await page.mouse.move(box.x + box.width - 30, box.y + box.height - 30);
				await expect.poll(() => tooltip.count()).toBe(0);
			} finally {
				await finish(opened);
			}
		});
	}

	it('redraws poverty density for the year on the slider, and plays the years to 2020', async () => {
		const opened = await open('zh-CN', `lang=zh-CN&county=${COUNTY}&layers=poverty-density:100`);
		const { page } = opened;
		try {
			const y2014 = await canvasShot(page);
			const slider = page.getByTestId('year-slider-poverty-density');
			await slider.fill('2018');
			await settle(page);
			expect(await page.getByTestId('year-value-poverty-density').textContent()).toBe('2018 年末');
			const y2018 = await canvasShot(page);
			// Four years of exits: most hexagons move to lighter classes.
			expect(changedPixels(y2014, y2018)).toBeGreaterThan(5_000);
			await urlHas(page, { year: '2018' });
			expect(opened.requests.some((u) => u.includes('/api/layers/poverty-density/features') && u.includes('year=2018'))).toBe(true);

			// Play: 2019, then 2020, then it stops by itself.
			const play = page.getByTestId('year-play-poverty-density');
			await play.click();
			await expect.poll(() => play.getAttribute('aria-pressed')).toBe('true');
			await expect.poll(() => slider.inputValue(), { timeout: 120_000 }).toBe('2020');
			await expect.poll(() => play.getAttribute('aria-pressed'), { timeout: 120_000 }).toBe('false');
			await settle(page);
			await urlHas(page, { year: '2020' });
			for (const year of [2019, 2020]) {
				expect(opened.requests.some((u) => u.includes('/api/layers/poverty-density/features') && u.includes(`year=${year}`)), String(year)).toBe(true);
			}
			expect(changedPixels(y2018, await canvasShot(page))).toBeGreaterThan(1_000);
		} finally {
			await finish(opened);
		}
	});

	it('reopens a copied link as the same map: layers, order, opacity, year, stage and view', async () => {
		const first = await open('en', `lang=en&county=${COUNTY}&layers=`);
		let second: OpenedPage | null = null;
		try {
			const { page } = first;
			await page.getByTestId('layer-toggle-industrial-chain-coverage').check();
			await page.getByTestId('layer-toggle-poverty-density').check();
			await settle(page);
			// Poverty density on top of coverage, at 60 %; the year and the stage of the service areas.
			// Up, card by card (hidden layers' cards included), until poverty density is above coverage.
			const cards = () => page.locator('[data-testid="layer-panel"] li.card').evaluateAll((els) => els.map((c) => (c as HTMLElement).dataset.testid));
			for (let i = 0; i < 10; i++) {
				const order = await cards();
				if (order.indexOf('layer-poverty-density') < order.indexOf('layer-industrial-chain-coverage')) break;
				await page.getByTestId('layer-up-poverty-density').click();
			}
			await page.getByTestId('layer-opacity-poverty-density').fill('60');
			await page.getByTestId('year-slider-poverty-density').fill('2016');
			await page.getByTestId('stage-select-industrial-chain-coverage').selectOption('cold_chain');
			// A view whose numbers the URL holds exactly.
			await page.evaluate(() => window.__lantuMap!.jumpTo({ center: [115.45, 25.95], zoom: 9.5 }));
			await settle(page);
			await urlHas(page, {
				lang: 'en',
				county: COUNTY,
				center: '115.45,25.95',
				zoom: '9.5',
				layers: 'poverty-density:60,industrial-chain-coverage:80',
				year: '2016',
				stage: 'cold_chain'
			});
			const link = page.url();
			const shot = await canvasShot(page);

			second = await open('zh-CN', link.slice(link.indexOf('?') + 1));
			const other = second.page;
			// The same state: the URL it writes back is the link, and the panel shows it.
			await expect.poll(() => other.url()).toBe(link);
			expect(parseMapUrl(new URL(other.url()).searchParams)).toEqual(parseMapUrl(new URL(link).searchParams));
			expect(await other.locator('html').getAttribute('lang')).toBe('en');
			const order = await other.locator('[data-testid="layer-panel"] li.card').evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.testid));
			expect(order.slice(0, 2)).toEqual(['layer-poverty-density', 'layer-industrial-chain-coverage']);
			expect(await other.getByTestId('layer-toggle-poverty-density').isChecked()).toBe(true);
			expect(await other.getByTestId('layer-toggle-industrial-chain-coverage').isChecked()).toBe(true);
			expect(await other.getByTestId('layer-toggle-relocation-sites').isChecked()).toBe(false);
			expect(await other.getByTestId('layer-opacity-poverty-density').inputValue()).toBe('60');
			expect(await other.getByTestId('year-slider-poverty-density').inputValue()).toBe('2016');
			expect(await other.getByTestId('stage-select-industrial-chain-coverage').inputValue()).toBe('cold_chain');
			const [[lon, lat], zoom] = await other.evaluate(() => [window.__lantuMap!.getCenter().toArray(), window.__lantuMap!.getZoom()] as const);
			expect(lon).toBeCloseTo(115.45, 6);
			expect(lat).toBeCloseTo(25.95, 6);
			expect(zoom).toBeCloseTo(9.5, 6);
			// And the same picture (labels may settle a pixel differently: allow 0.5 %).
			const again = await canvasShot(other);
			const changed = changedPixels(shot, again);
			expect(changed).toBeLessThan(0.005 * VIEWPORT.width * VIEWPORT.height);
		} finally {
			await finish(first);
			if (second) await finish(second);
		}
	});

	it('finds a township by name and flies to it; searches and lists chains through the API', async () => {
		const res = await fetch(`${app.server.url}/api/search?q=${encodeURIComponent('贡江')}`);
		expect(res.status).toBe(200);
		const { results } = (await res.json()) as { results: { code: string; level: string; label_zh: string; lon: number; lat: number }[] };
		expect(results[0]).toMatchObject({ code: '360731100', level: 'township', label_zh: '贡江镇' });
		expect(results.length).toBeLessThanOrEqual(10);
		const chains = (await (await fetch(`${app.server.url}/api/chains?county=${COUNTY}`)).json()) as { chains: { chain: string }[] };
		expect(chains.chains.length).toBeGreaterThan(0);
		expect((await fetch(`${app.server.url}/api/chains`)).status).toBe(400);

		const opened = await open('zh-CN', `lang=zh-CN&county=${COUNTY}&layers=poverty-density:80`);
		const { page } = opened;
		try {
			await page.getByTestId('search-input').fill('贡江');
			const first = page.locator('[data-testid="search-results"] [role="option"]').first();
			await expect.poll(() => first.getAttribute('data-code')).toBe('360731100');
			expect(await first.textContent()).toContain('贡江镇');
			await page.getByTestId('search-input').press('Enter');
			await expect.poll(() => page.getByTestId('search-marker').count()).toBe(1);
			await settle(page);
			// The map is on the township: its seat in view and zoomed in past the county.
			const [seatX, seatY, zoom] = await page.evaluate(
				([lon, lat]) => {
					const p = window.__lantuMap!.project([lon, lat]);
					return [p.x, p.y, window.__lantuMap!.getZoom()];
				},
				[results[0].lon, results[0].lat]
			);
			const box = (await page.locator('[data-testid="map"] canvas').boundingBox())!;
			expect(seatX).toBeGreaterThan(0);
			expect(seatX).toBeLessThan(box.width);
			expect(seatY).toBeGreaterThan(0);
			expect(seatY).toBeLessThan(box.height);
			expect(zoom).toBeGreaterThan(10);
			await urlHas(page, { county: COUNTY, layers: 'poverty-density:80' });
			expect(Number(new URL(page.url()).searchParams.get('zoom'))).toBeGreaterThan(10);
		} finally {
			await finish(opened);
		}
	});
});
