// OGC API – Features on both backends, through the same handlers the /ogc routes call, on the
// hand-made fixture of ogc-fixture.ts: paging that never skips or repeats, bbox, filters, bad
// parameters as 400 with a message, feature by id, collection extents, titles per language, and the
// suppression of small village counts in poverty-density.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from './backends.ts';
import type { DatabaseHandle } from '../../src/lib/server/db/open.ts';
import * as ogc from '../../src/lib/ogc/handlers.server.ts';
import { COUNTY, COUNTY_BOXES, INDUSTRY_SITES, OTHER, insertOgcFixture, villageCode, villageLonLat } from './ogc-fixture.ts';

const BASE = 'http://ogc.test';

function req(path: string, headers: Record<string, string> = {}) {
	const url = new URL(path, BASE);
	return { url, request: new Request(url, { headers }) };
}

interface Fc {
	type: string;
	features: { id: string | number; geometry: { type: string; coordinates: unknown } | null; properties: Record<string, unknown> }[];
	links: { rel: string; href: string; type?: string }[];
	numberMatched: number;
	numberReturned: number;
	timeStamp: string;
}

async function body<T>(res: Response | Promise<Response>, status = 200): Promise<T> {
	const r = await res;
	const text = await r.text();
	expect(r.status, text).toBe(status);
	return JSON.parse(text) as T;
}

describe.each(backends)('OGC API – Features on $name', (backend) => {
	let handle: DatabaseHandle;
	beforeAll(async () => {
		handle = await backend.open();
		await insertOgcFixture(handle.db);
	});
	afterAll(async () => handle?.close());

	const items = (path: string, headers?: Record<string, string>) => {
		const [, id] = /collections\/([^/?]+)\/items/.exec(path)!;
		return ogc.items(handle.db, req(path, headers), id);
	};

	test('landing page, conformance and the OpenAPI definition link to each other', async () => {
		const landing = await body<{ links: { rel: string; href: string }[] }>(ogc.landing(req('/ogc')));
		const rels = Object.fromEntries(landing.links.map((l) => [l.rel, l.href]));
		expect(rels).toMatchObject({ self: `${BASE}/ogc`, 'service-desc': `${BASE}/ogc/api`, conformance: `${BASE}/ogc/conformance`, data: `${BASE}/ogc/collections` });
		const conf = await body<{ conformsTo: string[] }>(ogc.conformanceResponse(req('/ogc/conformance')));
		expect(conf.conformsTo).toContain('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core');
		expect(conf.conformsTo).toContain('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson');
		const api = await ogc.apiResponse(req('/ogc/api'));
		expect(api.headers.get('content-type')).toContain('application/vnd.oai.openapi+json');
		const doc = (await api.json()) as { paths: Record<string, unknown>; components: { parameters: { limit: { schema: { maximum: number } } } } };
		expect(doc.paths['/collections/villages/items']).toBeDefined();
		expect(doc.components.parameters.limit.schema.maximum).toBe(10_000);
	});

	test('collections: every one listed, extents from the data, titles by Accept-Language or ?lang', async () => {
		type Cols = { collections: { id: string; title: string; itemType: string; crs: string[]; extent?: { spatial: { bbox: number[][] } } }[] };
		const zh = await body<Cols>(ogc.collections(handle.db, req('/ogc/collections')));
		expect(zh.collections.map((c) => c.id)).toEqual([
			'villages',
			'industry-sites',
			'relocation-sites',
			'roads',
			'facilities',
			'constraint-zones',
			'townships',
			'counties',
			'poverty-density'
		]);
		const counties = zh.collections.find((c) => c.id === 'counties')!;
		expect(counties.title).toBe('县（市、区）');
		expect(counties.itemType).toBe('feature');
		expect(counties.crs).toEqual(['http://www.opengis.net/def/crs/OGC/1.3/CRS84']);
		const [w, s, e, n] = counties.extent!.spatial.bbox[0];
		expect([w, s, e, n].map((x) => Math.round(x * 1e6) / 1e6)).toEqual([COUNTY_BOXES[COUNTY][0], COUNTY_BOXES[OTHER][1], COUNTY_BOXES[OTHER][2], COUNTY_BOXES[COUNTY][3]]);
		const en = await body<Cols>(ogc.collections(handle.db, req('/ogc/collections', { 'accept-language': 'en-GB,en;q=0.9' })));
		expect(en.collections.find((c) => c.id === 'counties')!.title).toBe('Counties');
		const lang = await body<{ title: string }>(ogc.collection(handle.db, req('/ogc/collections/roads?lang=en', { 'accept-language': 'zh-CN' }), 'roads'));
		expect(lang.title).toBe('Roads');
		await body(ogc.collection(handle.db, req('/ogc/collections/households'), 'households'), 404);
	});

	test('offset paging in id order never skips or repeats, with next/prev/self links', async () => {
		const seen: number[] = [];
		let path: string | null = '/ogc/collections/industry-sites/items?limit=7';
		let pages = 0;
		while (path) {
			const page: Fc = await body<Fc>(items(path));
			expect(page.numberMatched).toBe(28);
			expect(page.numberReturned).toBe(page.features.length);
			expect(page.links.find((l) => l.rel === 'self')!.href).toBe(new URL(path, BASE).toString());
			if (pages > 0) expect(page.links.find((l) => l.rel === 'prev')).toBeDefined();
			else expect(page.links.find((l) => l.rel === 'prev')).toBeUndefined();
			expect(page.timeStamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
			seen.push(...page.features.map((f) => f.id as number));
			const next = page.links.find((l) => l.rel === 'next');
			path = next ? next.href.slice(BASE.length) : null;
			pages++;
		}
		expect(pages).toBe(4);
		expect(seen).toEqual(Array.from({ length: 28 }, (_, i) => i + 1));

		const third = await body<Fc>(items('/ogc/collections/industry-sites/items?limit=7&offset=14&chain=&county=511304'));
		expect(third.numberMatched).toBe(25);
		expect(third.features.map((f) => f.id)).toEqual([15, 16, 17, 18, 19, 20, 21]);
		const prev = new URL(third.links.find((l) => l.rel === 'prev')!.href);
		expect([prev.searchParams.get('offset'), prev.searchParams.get('limit'), prev.searchParams.get('county')]).toEqual(['7', '7', '511304']);

		const beyond = await body<Fc>(items('/ogc/collections/industry-sites/items?offset=1000'));
		expect([beyond.numberMatched, beyond.numberReturned]).toEqual([28, 0]);
		expect(beyond.links.find((l) => l.rel === 'next')).toBeUndefined();
		const all = await body<Fc>(items('/ogc/collections/villages/items'));
		expect(all.numberReturned).toBe(32);
		expect(all.features.map((f) => f.id)).toEqual([...all.features.map((f) => f.id as string)].sort());
	});

	test('a feature: its properties, geometry, and GeoJSON content type', async () => {
		const res = await items('/ogc/collections/industry-sites/items?limit=1&offset=7');
		expect(res.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
		const fc = await body<Fc>(res);
		const f = fc.features[0];
		const site = INDUSTRY_SITES[7];
		expect(f).toMatchObject({ type: 'Feature', id: 8, geometry: { type: 'Point', coordinates: site.lonLat } });
		expect(f.properties).toEqual({
			id: 8,
			name_zh: '茶叶加工厂, "一号"',
			county_code: COUNTY,
			village_code: villageCode(8),
			chain: site.chain,
			stage: site.stage,
			capacity: 80,
			jobs: null,
			status: 'planned',
			synthetic: true
		});
		const land = await body<{ properties: { land_cost_yuan: number } }>(ogc.item(handle.db, req('/ogc/collections/relocation-sites/items/3'), 'relocation-sites', '3'));
		expect(land.properties.land_cost_yuan).toBe(12_345_678_903);
	});

	test('bbox selects the features that intersect it; county, chain and stage filter', async () => {
		// Villages with lon in [106.0, 106.1] and lat in [30.7, 30.8]: columns 2..4 (lon 106.0, 106.05, 106.1), rows 2..4.
		const fc = await body<Fc>(items('/ogc/collections/villages/items?bbox=106.0,30.7,106.1,30.8'));
		const expected = Array.from({ length: 30 }, (_, i) => i + 1)
			.filter((n) => {
				const [lon, lat] = villageLonLat(n);
				return lon >= 106.0 - 1e-9 && lon <= 106.1 + 1e-9 && lat >= 30.7 - 1e-9 && lat <= 30.8 + 1e-9;
			})
			.map(villageCode);
		expect(expected.length).toBe(9);
		expect(fc.features.map((f) => f.id)).toEqual(expected);
		expect(fc.numberMatched).toBe(9);
		// A line crossing the box is found even though no vertex is inside it.
		const roads = await body<Fc>(items('/ogc/collections/roads/items?bbox=106.1,30.79,106.12,30.81'));
		expect(roads.features.map((f) => f.id)).toEqual([1]);
		const sixNumbers = await body<Fc>(items('/ogc/collections/villages/items?bbox=106.0,30.7,0,106.1,30.8,100'));
		expect(sixNumbers.numberMatched).toBe(9);

		const yudu = await body<Fc>(items(`/ogc/collections/villages/items?county=${OTHER}`));
		expect(yudu.features.map((f) => f.id)).toEqual(['360731100001', '360731100002']);
		const tea = await body<Fc>(items('/ogc/collections/industry-sites/items?chain=tea&stage=processing'));
		const expectedTea = INDUSTRY_SITES.filter((s) => s.chain === 'tea' && s.stage === 'processing').map((s) => s.id);
		expect(expectedTea.length).toBeGreaterThan(0);
		expect(tea.features.map((f) => f.id)).toEqual(expectedTea);
	});

	test('bad parameters are 400 with a message naming the parameter', async () => {
		const cases: [string, RegExp][] = [
			['bbox=1,2,3', /bbox: expected 4 numbers/],
			['bbox=a,30,106,31', /bbox: value 1 \("a"\) is not a number/],
			['bbox=106,31,106.1,30', /south is greater than north/],
			['bbox=107,30,106,31', /west is greater than east/],
			['bbox=106,30,200,31', /longitudes/],
			['limit=0', /limit/],
			['limit=-1', /limit: "-1"/],
			['limit=ten', /limit/],
			['offset=1.5', /offset/],
			['county=5113', /county/],
			['year=2014', /unknown query parameter "year"/],
			['colour=red', /unknown query parameter "colour"/],
			['f=html', /f: unsupported format/],
			['limit=5&limit=6', /limit: given more than once/]
		];
		for (const [query, message] of cases) {
			const doc = await body<{ code: string; description: string }>(items(`/ogc/collections/villages/items?${query}`), 400);
			expect(doc.description, query).toMatch(message);
		}
		const bad = await body<{ description: string }>(items('/ogc/collections/industry-sites/items?stage=packing'), 400);
		expect(bad.description).toMatch(/stage: unknown stage "packing"/);
		// Above the maximum is served as the maximum, not refused.
		const big = await body<Fc>(items('/ogc/collections/villages/items?limit=20000'));
		expect(new URL(big.links.find((l) => l.rel === 'self')!.href).searchParams.get('limit')).toBe('20000');
		expect(big.numberReturned).toBe(32);
	});

	test('a feature by id; 404 when absent or of the wrong form', async () => {
		const v = await body<{ id: string; properties: { population: number }; links: { rel: string; href: string }[] }>(
			ogc.item(handle.db, req(`/ogc/collections/villages/items/${villageCode(5)}`), 'villages', villageCode(5))
		);
		expect(v.id).toBe(villageCode(5));
		expect(v.properties.population).toBe(500);
		expect(v.links.find((l) => l.rel === 'self')!.href).toBe(`${BASE}/ogc/collections/villages/items/${villageCode(5)}`);
		for (const [collection, id] of [
			['villages', '511304100099'],
			['villages', 'abc'],
			['industry-sites', '999'],
			['industry-sites', '1; drop table villages'],
			['industry-sites', '99999999999999999999']
		]) {
			await body(ogc.item(handle.db, req(`/ogc/collections/${collection}/items/${encodeURIComponent(id)}`), collection, id), 404);
		}
	});

	test('poverty-density: village aggregates only, 1..9 households withheld with a "<10" flag', async () => {
		const at = async (year: number) => {
			const fc = await body<Fc>(items(`/ogc/collections/poverty-density/items?county=${COUNTY}&year=${year}&limit=3`));
			expect(fc.numberMatched).toBe(30);
			return fc.features.map((f) => f.properties);
		};
		const y2014 = await at(2014);
		expect(y2014[0]).toMatchObject({ code: villageCode(1), year: 2014, registered: 12, registered_flag: null, poor: 12, poor_flag: null, poor_members: 24, incidence_pct: 24 });
		expect(y2014[1]).toMatchObject({ code: villageCode(2), registered: null, registered_flag: '<10', poor: null, poor_flag: '<10', poor_members: null, incidence_pct: null });
		expect(y2014[2]).toMatchObject({ code: villageCode(3), registered: 10, poor: 10, poor_members: 20, incidence_pct: 6.67 });
		const y2017 = await at(2017);
		expect(y2017[2]).toMatchObject({ registered: 10, registered_flag: null, poor: null, poor_flag: '<10', poor_members: null, incidence_pct: null });
		const empty = await body<Fc>(items(`/ogc/collections/poverty-density/items?county=${COUNTY}&offset=10&limit=1`));
		expect(empty.features[0].properties).toMatchObject({ registered: 0, poor: 0, registered_flag: null });
		// The same schema on every feature (clients build their fields from it), no household ids anywhere.
		const all = await items('/ogc/collections/poverty-density/items');
		const text = await all.text();
		expect(text).not.toMatch(/OGC-\d/);
		const keys = new Set((JSON.parse(text) as Fc).features.map((f) => Object.keys(f.properties).join(',')));
		expect(keys.size).toBe(1);
		const one = await body<{ properties: Record<string, unknown> }>(
			ogc.item(handle.db, req(`/ogc/collections/poverty-density/items/${villageCode(3)}?year=2017`), 'poverty-density', villageCode(3))
		);
		expect(one.properties).toMatchObject({ year: 2017, poor: null, poor_flag: '<10' });
	});
});
