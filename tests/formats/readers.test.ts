// Every reader on the fixtures made by real tools (tests/fixtures/formats/make.sh): Chinese text,
// row numbers, types and declared CRS come out right.
import { createWriteStream } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { FormatError, openSource } from '../../src/lib/formats/index.ts';
import { openFixture, readAll } from './helpers.ts';

const NAMES = ['石门村', '李家,湾村', '宝塔村', '龙溪村', '上坪村'];
const LONLAT = [
	[115.4121, 25.9603],
	[115.4388, 25.9512],
	[115.3012, 25.8735],
	[115.5247, 26.0931],
	[115.5581, 26.1102]
];

describe('CSV reader', () => {
	it.each([
		['villages-utf8.csv', 'utf-8', 'detected', ','],
		['villages-utf8-bom.csv', 'utf-8', 'bom', ','],
		['villages-gbk.csv', 'gbk', 'detected', ','],
		['villages-semicolon.csv', 'utf-8', 'detected', ';'],
		['villages-tab.txt', 'utf-8', 'detected', '\t']
	])('%s: encoding %s (%s), Chinese names and spreadsheet row numbers', async (file, encoding, source) => {
		const s = await openFixture(file);
		expect(s.format).toBe('csv');
		expect(s.encoding).toBe(encoding);
		expect(s.encodingSource).toBe(source);
		expect(s.headers).toEqual(['村代码', '村名', '乡镇', '人口', '贫困户', '人均收入', '调查日期', '经度', '纬度']);
		const rows = await readAll(s);
		expect(rows.map((r) => r.row)).toEqual([2, 3, 4, 5, 6]);
		expect(rows.map((r) => r.fields['村名'])).toEqual(NAMES);
		expect(rows[0].fields['村代码']).toBe('360731100201');
		expect(rows[3].fields['贫困户']).toBeNull();
		expect(rows.map((r) => [Number(r.fields['经度']), Number(r.fields['纬度'])])).toEqual(LONLAT);
	});

	it('GB18030: four-byte characters outside GBK are detected and decoded', async () => {
		const s = await openFixture('villages-gb18030.csv');
		expect(s.encoding).toBe('gb18030');
		const rows = await readAll(s);
		expect(rows.map((r) => r.fields['村名'])).toEqual(['𠮷家村', '䶮溪村', '沙洲坝村']);
	});

	it('a manual override wins over detection (and reads GBK as mojibake-free only when right)', async () => {
		const s = await openFixture('villages-gbk.csv', { encoding: 'GB18030' });
		expect(s.encoding).toBe('gb18030');
		expect(s.encodingSource).toBe('override');
		expect((await readAll(s))[2].fields['村名']).toBe('宝塔村');
		await expect(openFixture('villages-gbk.csv', { encoding: 'utf-8' }).then(readAll)).rejects.toMatchObject({ code: 'encoding' });
		await expect(openFixture('villages-gbk.csv', { encoding: 'klingon' })).rejects.toMatchObject({ code: 'encoding' });
	});

	it('blank lines count as rows but are not returned; short rows are padded; guarded formula cells lose the guard', async () => {
		const text = 'a,b,c\n1,2,3\n\n4,5\n"x\ny",\'=1+1,\'-2\n';
		const s = await openSource({ name: 't.csv', bytes: new TextEncoder().encode(text) });
		const rows = await readAll(s);
		expect(rows).toEqual([
			{ row: 2, fields: { a: '1', b: '2', c: '3' }, geometry: null },
			{ row: 4, fields: { a: '4', b: '5', c: null }, geometry: null },
			{ row: 5, fields: { a: 'x\ny', b: '=1+1', c: '-2' }, geometry: null }
		]);
	});

	it("Excel's sep= line picks the delimiter and is not a row", async () => {
		const s = await openSource({ name: 's.csv', bytes: new TextEncoder().encode('sep=;\r\n村名;人口\r\n石门村;1204\r\n') });
		expect(s.headers).toEqual(['村名', '人口']);
		expect(await readAll(s)).toEqual([{ row: 2, fields: { 村名: '石门村', 人口: '1204' }, geometry: null }]);
	});

	it('duplicate and blank headers get distinct names', async () => {
		const s = await openSource({ name: 't.csv', bytes: new TextEncoder().encode('名称,,名称\n1,2,3\n') });
		expect(s.headers).toEqual(['名称', 'column_2', '名称_2']);
		await s.close();
	});

	it('streams a 1,000,000-row file in bounded memory', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'lantu-csv-'));
		try {
			const path = join(dir, 'big.csv');
			const ws = createWriteStream(path);
			ws.write('户编号,村代码,人口\n');
			for (let i = 0; i < 1_000_000; i++) {
				if (!ws.write(`H${i},360731100201,${i % 7}\n`)) await new Promise<void>((r) => ws.once('drain', () => r()));
			}
			await new Promise<void>((r) => ws.end(r));
			const before = process.memoryUsage().rss;
			let peak = before;
			let n = 0;
			let last = 0;
			for await (const r of (await openSource({ name: 'big.csv', path })).records()) {
				n++;
				last = r.row;
				if (n % 50_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
			}
			expect(n).toBe(1_000_000);
			expect(last).toBe(1_000_001);
			// The file is ~25 MB and a million parsed records would take hundreds of MB.
			expect(peak - before).toBeLessThan(120 * 1024 * 1024);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('GeoJSON reader', () => {
	it('RFC 7946: WGS 84, properties typed, feature numbers from 1', async () => {
		const s = await openFixture('villages.geojson');
		expect(s.crs).toEqual({ epsg: 4326, definition: null, proj4: null });
		expect(s.count).toBe(5);
		const rows = await readAll(s);
		expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4, 5]);
		expect(rows.map((r) => r.fields['村名'])).toEqual(NAMES);
		expect(rows[0].fields['人口']).toBe(1204);
		expect(rows.map((r) => r.geometry)).toEqual(LONLAT.map((c) => ({ type: 'Point', coordinates: c })));
	});

	it('a legacy crs member is honoured (CGCS2000)', async () => {
		const s = await openFixture('villages-4490.geojson');
		expect(s.crs?.epsg).toBe(4490);
		await s.close();
	});

	it('a single Feature and a bare geometry are one record each', async () => {
		const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
		const f = await openSource({ name: 'f.json', bytes: enc({ type: 'Feature', properties: { 名: 'a' }, geometry: { type: 'Point', coordinates: [1, 2] } }) });
		expect(await readAll(f)).toEqual([{ row: 1, fields: { 名: 'a' }, geometry: { type: 'Point', coordinates: [1, 2] } }]);
		const g = await openSource({ name: 'g.geojson', bytes: enc({ type: 'LineString', coordinates: [[1, 2], [3, 4]] }) });
		expect((await readAll(g))[0].geometry).toEqual({ type: 'LineString', coordinates: [[1, 2], [3, 4]] });
	});

	it('an unknown crs member is refused', async () => {
		const bytes = new TextEncoder().encode(
			JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::2383' } }, features: [] })
		);
		await expect(openSource({ name: 'x.geojson', bytes })).rejects.toMatchObject({ code: 'unknown-crs' });
	});
});

describe('XLSX reader', () => {
	it('Chinese headers, typed cells, dates as ISO, sheet row numbers, sheets listed', async () => {
		const s = await openFixture('villages.xlsx');
		expect(s.layers).toEqual(['村庄', '罕见字']);
		expect(s.layer).toBe('村庄');
		expect(s.headers).toEqual(['村代码', '村名', '乡镇', '人口', '贫困户', '人均收入', '调查日期', '经度', '纬度']);
		const rows = await readAll(s);
		expect(rows.map((r) => r.row)).toEqual([2, 3, 4, 5, 6]);
		expect(rows.map((r) => r.fields['村名'])).toEqual(NAMES);
		expect(rows[0].fields).toMatchObject({ 村代码: 360731100201, 人口: 1204, 人均收入: 8650.5, 调查日期: '2019-06-30', 经度: 115.4121 });
		expect(rows[3].fields['贫困户']).toBeNull();
	});

	it('the second sheet by name', async () => {
		const s = await openFixture('villages.xlsx', { layer: '罕见字' });
		expect((await readAll(s)).map((r) => r.fields['村名'])).toEqual(['𠮷家村', '䶮溪村', '沙洲坝村']);
		await expect(openFixture('villages.xlsx', { layer: 'nope' })).rejects.toMatchObject({ code: 'unsupported' });
	});
});

describe('Shapefile reader', () => {
	it('GBK DBF with a .cpg, CGCS2000 .prj', async () => {
		const s = await openFixture('villages-gbk-shp.zip');
		expect(s).toMatchObject({ format: 'shapefile', encoding: 'gbk', encodingSource: 'cpg', count: 5, layer: 'villages' });
		expect(s.crs?.epsg).toBe(4490);
		const rows = await readAll(s);
		expect(rows.map((r) => r.fields['村名'])).toEqual(NAMES);
		expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4, 5]);
		expect(rows.map((r) => r.geometry)).toEqual(LONLAT.map((c) => ({ type: 'Point', coordinates: c })));
		expect(rows[0].fields).toMatchObject({ 村代码: 360731100201, 人口: 1204, 人均收入: 8650.5, 调查日期: '2019-06-30' });
	});

	it('GBK known only from the DBF language driver id', async () => {
		const s = await openFixture('villages-ldid-shp.zip');
		expect(s).toMatchObject({ encoding: 'gbk', encodingSource: 'dbf-ldid' });
		expect((await readAll(s)).map((r) => r.fields['村名'])).toEqual(NAMES);
	});

	it('CGCS2000 3-degree Gauss-Kruger CM 114E: EPSG 4547 and a proj4 string that reprojects to the source points', async () => {
		const s = await openFixture('villages-gk4547-shp.zip');
		expect(s.crs?.epsg).toBe(4547);
		expect(s.crs?.proj4).toBe('+proj=tmerc +lat_0=0 +lon_0=114 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs');
		// GDAL cut the 12-byte UTF-8 name 人均收入 to 10 bytes; the broken last character is dropped.
		expect(s.headers).toContain('人均收');
		const rows = await readAll(s);
		rows.forEach((r, i) => {
			const [x, y] = (r.geometry as { coordinates: number[] }).coordinates;
			expect(x).toBeGreaterThan(600000);
			const [lon, lat] = proj4(s.crs!.proj4!, 'EPSG:4326', [x, y]);
			expect(lon).toBeCloseTo(LONLAT[i][0], 6);
			expect(lat).toBeCloseTo(LONLAT[i][1], 6);
		});
	});

	it('polygons: holes stay with their outer ring, multipolygons stay multi', async () => {
		const rows = await readAll(await openFixture('zones-gbk-shp.zip'));
		expect(rows.map((r) => r.fields['名称'])).toEqual(['贡江水源保护区', '梓山基本农田']);
		expect(rows[0].geometry?.type).toBe('Polygon');
		expect((rows[0].geometry as { coordinates: unknown[] }).coordinates).toHaveLength(2);
		expect(rows[1].geometry?.type).toBe('MultiPolygon');
		expect((rows[1].geometry as { coordinates: unknown[] }).coordinates).toHaveLength(2);
	});

	it('macOS metadata entries in the zip are not layers', async () => {
		const { unzipSync, zipSync } = await import('fflate');
		const { readFileSync } = await import('node:fs');
		const { FIXTURES } = await import('./helpers.ts');
		const parts = unzipSync(readFileSync(join(FIXTURES, 'villages-gbk-shp.zip')));
		const bytes = zipSync({ ...parts, '._villages.shp': new Uint8Array(10), '__MACOSX/._villages.dbf': new Uint8Array(10) });
		const s = await openSource({ name: 'mac.zip', bytes });
		expect(s.layers).toEqual(['villages']);
		expect(await readAll(s)).toHaveLength(5);
	});

	it('an unknown .prj is refused, quoting its name', async () => {
		const error = await openFixture('villages-xian80-shp.zip').catch((e) => e);
		expect(error).toBeInstanceOf(FormatError);
		expect(error.code).toBe('unknown-crs');
		expect(error.message).toContain('Xian_1980');
	});
});

describe('GeoPackage reader', () => {
	it('layers, CRS per layer, feature ids as row numbers', async () => {
		const s = await openFixture('two-layers.gpkg');
		expect(s.layers).toEqual(['villages', 'zones', 'households_plain']);
		expect(s.layer).toBe('villages');
		expect(s.crs?.epsg).toBe(4490);
		expect(s.count).toBe(5);
		const rows = await readAll(s);
		expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4, 5]);
		expect(rows.map((r) => r.fields['村名'])).toEqual(NAMES);
		expect(rows.map((r) => r.geometry)).toEqual(LONLAT.map((c) => ({ type: 'Point', coordinates: c })));
	});

	it('a polygon layer and an attribute table by name', async () => {
		const zones = await openFixture('two-layers.gpkg', { layer: 'zones' });
		expect(zones.crs?.epsg).toBe(4326);
		const rows = await readAll(zones);
		expect(rows[0].geometry?.type).toBe('MultiPolygon');
		expect((rows[0].geometry as { coordinates: number[][][][] }).coordinates[0]).toHaveLength(2);
		const plain = await openFixture('two-layers.gpkg', { layer: 'households_plain' });
		expect(plain.crs).toBeNull();
		expect((await readAll(plain)).map((r) => [r.fields['村名'], r.geometry])).toEqual([
			['𠮷家村', null],
			['䶮溪村', null],
			['沙洲坝村', null]
		]);
	});
});

describe('format detection', () => {
	it('by content, not only by name', async () => {
		const { readFileSync } = await import('node:fs');
		const { FIXTURES } = await import('./helpers.ts');
		const cases: [string, string][] = [
			['villages.xlsx', 'xlsx'],
			['two-layers.gpkg', 'gpkg'],
			['villages-gbk-shp.zip', 'shapefile'],
			['villages.geojson', 'geojson']
		];
		for (const [file, format] of cases) {
			const s = await openSource({ name: 'upload.bin', bytes: readFileSync(join(FIXTURES, file)) });
			expect(s.format).toBe(format);
			await s.close();
		}
	});

	it('single parts of a shapefile and old .xls files get a clear refusal', async () => {
		await expect(openSource({ name: 'a.shp', bytes: new Uint8Array(200) })).rejects.toMatchObject({ code: 'missing-part' });
		const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
		await expect(openSource({ name: 'a.xls', bytes: ole })).rejects.toMatchObject({ code: 'unsupported' });
	});
});
