// Place search (the map's search box) and the county's chains (the coverage layer's selector), on
// both backends, against a fixture small enough to know every answer: one county with two
// townships and four villages, one neighbouring county with a village of a similar name, and
// industry sites of three chains.
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from './backends.ts';
import type { DatabaseHandle } from '../../src/lib/server/db/open.ts';
import type { Database } from '../../src/lib/server/db/types.ts';
import { escapeLike, normalizeQuery, searchPlaces } from '../../src/lib/server/search.ts';
import { countyChains } from '../../src/lib/server/chains.ts';

const A = '360731';
const B = '360732';
const point = (lon: number, lat: number) => sql<string>`ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)`;
const box = (w: number, s: number, e: number, n: number) => sql<string>`ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)`;

// Townships: 贡江镇 (a box with a seat), 禾丰镇 (a box, no seat: the marker goes on the area).
// Villages, with official names; the search shows the short form.
const VILLAGES = [
	{ code: '360731100201', township: '360731100', name: '仓前村委会', lon: 115.41, lat: 25.96 },
	{ code: '360731100202', township: '360731100', name: '袁家店村村民委员会', lon: 115.42, lat: 25.97 },
	{ code: '360731101201', township: '360731101', name: '禾丰村民委员会', lon: 115.49, lat: 25.8 },
	{ code: '360731101202', township: '360731101', name: '100%_村委会', lon: 115.5, lat: 25.81 },
	{ code: '360732100201', township: '360732100', name: '袁家村村民委员会', lon: 115.35, lat: 26.34 }
];

async function insertFixture(db: Kysely<Database>) {
	await db
		.insertInto('regions')
		.values([
			{ code: A, level: 'county', parent_code: null, county_code: A, name_zh: '于都县', name_en: 'Yudu', source: 'test' },
			{ code: B, level: 'county', parent_code: null, county_code: B, name_zh: '兴国县', source: 'test' },
			{ code: '360731100', level: 'township', parent_code: A, county_code: A, name_zh: '贡江镇', source: 'test', geom: box(115.3, 25.9, 115.5, 26.1), seat: point(115.41, 25.96) },
			{ code: '360731101', level: 'township', parent_code: A, county_code: A, name_zh: '禾丰镇', source: 'test', geom: box(115.4, 25.7, 115.6, 25.9) },
			{ code: '360732100', level: 'township', parent_code: B, county_code: B, name_zh: '潋江镇', source: 'test', seat: point(115.35, 26.34) },
			...VILLAGES.map((v) => ({ code: v.code, level: 'village' as const, parent_code: v.township, county_code: v.code.slice(0, 6), name_zh: v.name, source: 'test' }))
		])
		.execute();
	await db
		.insertInto('villages')
		.values(VILLAGES.map((v) => ({ code: v.code, county_code: v.code.slice(0, 6), township_code: v.township, name_zh: v.name, population: 500, geom: point(v.lon, v.lat) })))
		.execute();
	const sites: [string, string, string, string][] = [
		// chain, stage, status, county
		['tea', 'production', 'operating', A],
		['tea', 'processing', 'planned', A],
		['navel_orange', 'production', 'operating', A],
		['navel_orange', 'production', 'operating', A],
		['navel_orange', 'marketing', 'planned', A],
		['pig', 'logistics', 'operating', A],
		['silk', 'production', 'operating', B]
	];
	await db
		.insertInto('industry_sites')
		.values(sites.map(([chain, stage, status, county], i) => ({ county_code: county, name_zh: `site-${i}`, chain, stage, status, geom: point(115.4, 25.9) })))
		.execute();
}

test('normalizeQuery and escapeLike', () => {
	expect(normalizeQuery('  袁家   店 ')).toBe('袁家 店');
	expect(normalizeQuery('   ')).toBeNull();
	expect(normalizeQuery(null)).toBeNull();
	// Full-width digits from a Chinese IME are ordinary digits.
	expect(normalizeQuery('３６０７３１')).toBe('360731');
	expect(normalizeQuery('x'.repeat(80))).toHaveLength(50);
	expect(escapeLike('100%_\\')).toBe('100\\%\\_\\\\');
});

for (const backend of backends) {
	describe(`search and chains (${backend.name})`, () => {
		let handle: DatabaseHandle;
		let db: Kysely<Database>;

		beforeAll(async () => {
			handle = await backend.open();
			db = handle.db;
			await insertFixture(db);
		});
		afterAll(async () => {
			await handle?.close();
		});

		test('finds villages by any part of the name, with the short form, township and county', async () => {
			const hits = await searchPlaces(db, '袁家');
			expect(hits.map((h) => [h.code, h.label_zh, h.township_name_zh, h.county_name_zh])).toEqual([
				// Both start with the query: the shorter official name first.
				['360732100201', '袁家村', '潋江镇', '兴国县'],
				['360731100202', '袁家店村', '贡江镇', '于都县']
			]);
			expect(hits[1]).toMatchObject({ level: 'village', lon: 115.42, lat: 25.97, bbox: null, county_name_en: 'Yudu' });
			expect((await searchPlaces(db, '店村')).map((h) => h.code)).toEqual(['360731100202']);
		});

		test('puts exact names first, then names that start with the query, then townships before villages', async () => {
			const hits = await searchPlaces(db, '禾丰');
			expect(hits.map((h) => [h.level, h.name_zh])).toEqual([
				['township', '禾丰镇'],
				['village', '禾丰村民委员会']
			]);
			expect((await searchPlaces(db, '禾丰镇')).map((h) => h.code)).toEqual(['360731101']);
		});

		test('gives a township its area box, and its seat (or a point on its area) for the marker', async () => {
			const [gongjiang] = await searchPlaces(db, '贡江镇');
			expect(gongjiang).toMatchObject({ level: 'township', lon: 115.41, lat: 25.96, bbox: [115.3, 25.9, 115.5, 26.1] });
			const [hefeng] = await searchPlaces(db, '禾丰镇');
			expect(hefeng.bbox).toEqual([115.4, 25.7, 115.6, 25.9]);
			expect(hefeng.lon).toBeGreaterThanOrEqual(115.4);
			expect(hefeng.lon).toBeLessThanOrEqual(115.6);
			expect(hefeng.lat).toBeGreaterThanOrEqual(25.7);
			expect(hefeng.lat).toBeLessThanOrEqual(25.9);
		});

		test('matches codes by prefix only, and a county filter keeps its own', async () => {
			const township = await searchPlaces(db, '360731101');
			expect(township.map((h) => h.code)).toEqual(['360731101', '360731101201', '360731101202']);
			expect(await searchPlaces(db, '0731101')).toEqual([]);
			expect((await searchPlaces(db, '袁家', { county: A })).map((h) => h.code)).toEqual(['360731100202']);
		});

		test('takes % and _ literally', async () => {
			expect((await searchPlaces(db, '100%_')).map((h) => h.code)).toEqual(['360731101202']);
			expect((await searchPlaces(db, '%')).map((h) => h.code)).toEqual(['360731101202']);
			expect((await searchPlaces(db, '_')).map((h) => h.code)).toEqual(['360731101202']);
			// As wildcards these would find 仓前村委会.
			expect(await searchPlaces(db, '仓%委')).toEqual([]);
			expect(await searchPlaces(db, '仓_村')).toEqual([]);
		});

		test('returns at most 10, and nothing for an empty query', async () => {
			expect(await searchPlaces(db, '   ')).toEqual([]);
			expect((await searchPlaces(db, '3607')).length).toBe(8);
			expect((await searchPlaces(db, '3607', { limit: 3 })).length).toBe(3);
			expect((await searchPlaces(db, '3607', { limit: 50 })).length).toBeLessThanOrEqual(10);
		});

		test("lists the county's chains, main chain first (most operating production sites)", async () => {
			expect(await countyChains(db, A)).toEqual([
				{ chain: 'navel_orange', operating: 2, planned: 1, production: 2 },
				{ chain: 'tea', operating: 1, planned: 1, production: 1 },
				{ chain: 'pig', operating: 1, planned: 0, production: 0 }
			]);
			expect(await countyChains(db, B)).toEqual([{ chain: 'silk', operating: 1, planned: 0, production: 1 }]);
			expect(await countyChains(db, '511304')).toEqual([]);
		});
	});
}
