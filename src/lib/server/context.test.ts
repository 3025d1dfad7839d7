// The context-layer queries on a small hand-made fixture: two counties (unit squares, far apart),
// one township each, villages, a road and a river. Coordinates are lon/lat degrees.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../tests/db/backends.ts';
import type { DatabaseHandle } from './db/open.ts';
import { contextGeoJson, countyExtents } from './context.ts';
import { CONTEXT_LAYERS } from '../map/context-layers.ts';

interface FC {
	type: 'FeatureCollection';
	features: { type: 'Feature'; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }[];
}

const geom = (wkt: string) => sql<string>`ST_GeomFromText(${wkt}, 4326)`;

async function seed(handle: DatabaseHandle) {
	const { db } = handle;
	await db
		.insertInto('regions')
		.values([
			{
				code: '51',
				level: 'province',
				name_zh: '四川省',
				geom: geom('POLYGON((100 26, 100 34, 110 34, 110 26, 100 26))'),
				source: 'test'
			},
			{
				code: '5113',
				level: 'city',
				parent_code: '51',
				name_zh: '南充市',
				geom: geom('POLYGON((105.5 30, 107 30, 107 31.5, 105.5 31.5, 105.5 30))'),
				source: 'test'
			},
			{
				code: '511304',
				level: 'county',
				county_code: '511304',
				name_zh: '嘉陵区',
				name_en: 'Jialing',
				geom: geom('POLYGON((106.0 30.5, 106.5 30.5, 106.5 31.0, 106.0 31.0, 106.0 30.5))'),
				seat: geom('POINT(106.07123456 30.76234567)'),
				source: 'test'
			},
			{
				code: '360731',
				level: 'county',
				county_code: '360731',
				name_zh: '于都县',
				name_en: null,
				geom: geom('POLYGON((115.2 25.7, 115.8 25.7, 115.8 26.3, 115.2 26.3, 115.2 25.7))'),
				seat: null,
				source: 'test'
			},
			{
				code: '511304100',
				level: 'township',
				parent_code: '511304',
				county_code: '511304',
				name_zh: '火花街道',
				geom: geom('POLYGON((106.0 30.5, 106.25 30.5, 106.25 30.75, 106.0 30.75, 106.0 30.5))'),
				seat: geom('POINT(106.1 30.6)'),
				geom_schematic: true,
				source: 'test'
			},
			{
				code: '360731100',
				level: 'township',
				parent_code: '360731',
				county_code: '360731',
				name_zh: '贡江镇',
				seat: geom('POINT(115.4 25.95)'),
				source: 'test'
			},
			{ code: '511304100001', level: 'village', parent_code: '511304100', county_code: '511304', name_zh: '甲村村民委员会', name_en: 'Jia Cun', source: 'test' },
			{ code: '511304100002', level: 'village', parent_code: '511304100', county_code: '511304', name_zh: '白马村民委员会', source: 'test' },
			{ code: '511304100003', level: 'village', parent_code: '511304100', county_code: '511304', name_zh: '镇庆寺社区居民委员会', source: 'test' },
			{ code: '511304100004', level: 'village', parent_code: '511304100', county_code: '511304', name_zh: '城关居民委员会', source: 'test' }
		])
		.execute();
	await db
		.insertInto('villages')
		.values(
			(
				[
					['511304100001', '甲村村民委员会', 1200],
					['511304100002', '白马村民委员会', 800],
					['511304100003', '镇庆寺社区居民委员会', 3000],
					['511304100004', '城关居民委员会', 2500]
				] as const
			).map(([code, name_zh, population], i) => ({
				code,
				county_code: '511304',
				township_code: '511304100',
				name_zh,
				population,
				geom: geom(`POINT(${106.11 + i / 100} 30.61)`),
				synthetic: true
			}))
		)
		.execute();
	await db
		.insertInto('roads')
		.values([
			{ county_code: '511304', class: 'county', speed_kmh: 40, geom: geom('LINESTRING(106.0 30.6, 106.4 30.7)'), synthetic: true },
			{ county_code: '360731', class: 'village', speed_kmh: 20, geom: geom('LINESTRING(115.3 25.9, 115.4 25.95)'), synthetic: true }
		])
		.execute();
	await db
		.insertInto('rivers')
		.values({ county_code: '511304', name_zh: '嘉陵江', name_en: 'Jialing River', geom: geom('MULTILINESTRING((106.0 30.9, 106.5 30.8))'), source: 'Natural Earth' })
		.execute();
	await db
		.insertInto('facilities')
		.values([
			{ county_code: '511304', kind: 'school', name_zh: '测试小学', geom: geom('POINT(106.12 30.61)'), synthetic: true },
			{ county_code: '360731', kind: 'clinic', name_zh: '测试卫生院', geom: geom('POINT(115.35 25.93)'), synthetic: true }
		])
		.execute();
}

for (const backend of backends) {
	describe(`context layers on ${backend.name}`, () => {
		let handle: DatabaseHandle;
		const layer = async (name: (typeof CONTEXT_LAYERS)[number], county: string | null = null) =>
			JSON.parse(await contextGeoJson(handle.db, name, county)) as FC;

		beforeAll(async () => {
			handle = await backend.open();
			for (const name of CONTEXT_LAYERS) expect((await layer(name)).features).toEqual([]);
			await seed(handle);
		});
		afterAll(async () => {
			await handle?.close();
		});

		it('returns a FeatureCollection for every layer', async () => {
			for (const name of CONTEXT_LAYERS) {
				const fc = await layer(name);
				expect(fc.type, name).toBe('FeatureCollection');
				expect(fc.features.length, name).toBeGreaterThan(0);
				for (const f of fc.features) {
					expect(f.type).toBe('Feature');
					expect(f.properties).not.toHaveProperty('geometry');
					expect(f.properties).not.toHaveProperty('geom');
				}
			}
		});

		it('sends county outlines with their codes and names', async () => {
			const fc = await layer('counties');
			expect(fc.features.map((f) => f.properties.code)).toEqual(['360731', '511304']);
			expect(fc.features[1].properties).toEqual({ code: '511304', name_zh: '嘉陵区', name_en: 'Jialing' });
			expect(fc.features[1].geometry.type).toBe('Polygon');
		});

		it('sends province and prefecture outlines, in RFC 7946 winding, two around a county', async () => {
			const all = await layer('outlines');
			expect(all.features.map((f) => [f.properties.code, f.properties.level])).toEqual([
				['51', 'province'],
				['5113', 'city']
			]);
			// Counter-clockwise exterior ring: positive signed area (shoelace).
			const ring = (all.features[0].geometry.coordinates as number[][][])[0];
			let area = 0;
			for (let i = 0; i < ring.length - 1; i++) area += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
			expect(area).toBeGreaterThan(0);
			expect((await layer('outlines', '511304')).features).toHaveLength(2);
			expect((await layer('outlines', '360731')).features).toHaveLength(0);
		});

		it('labels a county at its seat, or inside its outline when it has none', async () => {
			const fc = await layer('county-seats');
			const jialing = fc.features.find((f) => f.properties.code === '511304')!;
			const yudu = fc.features.find((f) => f.properties.code === '360731')!;
			// 5 decimals, rounded.
			expect(jialing.geometry.coordinates).toEqual([106.07123, 30.76235]);
			const [lon, lat] = yudu.geometry.coordinates as [number, number];
			expect(lon).toBeGreaterThan(115.2);
			expect(lon).toBeLessThan(115.8);
			expect(lat).toBeGreaterThan(25.7);
			expect(lat).toBeLessThan(26.3);
		});

		it('marks township areas as schematic and leaves out townships without an area', async () => {
			const fc = await layer('townships');
			expect(fc.features.map((f) => [f.properties.code, f.properties.schematic])).toEqual([['511304100', true]]);
			const seats = await layer('township-seats');
			expect(seats.features.map((f) => f.properties.code)).toEqual(['360731100', '511304100']);
			expect(seats.features[0].geometry).toEqual({ type: 'Point', coordinates: [115.4, 25.95] });
		});

		it('sends villages with population, short label, English name and the synthetic flag', async () => {
			const fc = await layer('villages');
			expect(fc.features.map((f) => [f.properties.name_zh, f.properties.label_zh])).toEqual([
				['甲村村民委员会', '甲村'],
				['白马村民委员会', '白马村'],
				['镇庆寺社区居民委员会', '镇庆寺社区'],
				['城关居民委员会', '城关居委会']
			]);
			expect(fc.features[0].properties).toMatchObject({
				code: '511304100001',
				name_en: 'Jia Cun',
				township_code: '511304100',
				population: 1200,
				synthetic: true
			});
			expect(fc.features[0].geometry).toEqual({ type: 'Point', coordinates: [106.11, 30.61] });
		});

		it('filters every layer by county', async () => {
			expect((await layer('roads', '511304')).features.map((f) => f.properties.class)).toEqual(['county']);
			expect((await layer('roads', '360731')).features.map((f) => f.properties.class)).toEqual(['village']);
			expect((await layer('rivers', '360731')).features).toEqual([]);
			expect((await layer('counties', '360731')).features.map((f) => f.properties.code)).toEqual(['360731']);
			expect((await layer('villages', '360731')).features).toEqual([]);
			expect((await layer('township-seats', '999999')).features).toEqual([]);
		});

		it('sends facilities with their kind and name', async () => {
			const fc = await layer('facilities', '511304');
			expect(fc.features.map((f) => [f.properties.kind, f.properties.name_zh, f.geometry])).toEqual([
				['school', '测试小学', { type: 'Point', coordinates: [106.12, 30.61] }]
			]);
		});

		it('takes a hostile county value as data, not SQL', async () => {
			const fc = await layer('counties', "511304' or '1'='1");
			expect(fc.features).toEqual([]);
		});

		it('gives county extents as [west, south, east, north]', async () => {
			expect(await countyExtents(handle.db)).toEqual([
				{ code: '360731', name_zh: '于都县', name_en: null, bbox: [115.2, 25.7, 115.8, 26.3] },
				{ code: '511304', name_zh: '嘉陵区', name_en: 'Jialing', bbox: [106, 30.5, 106.5, 31] }
			]);
		});
	});
}
