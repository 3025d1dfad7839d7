// The pieces under the readers: limits, CRS recognition, encoding detection, zip checks, XLSX dates.
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { crsFromEpsg, crsFromWkt, parseWkt } from '../../src/lib/formats/crs.ts';
import { detectEncoding } from '../../src/lib/formats/encoding.ts';
import { DEFAULT_LIMITS, FormatError, openSource, resolveLimits } from '../../src/lib/formats/index.ts';
import { columnIndex, columnName, formatKind, serialToIso } from '../../src/lib/formats/read/xlsx.ts';
import { decodeWkb, encodeWkb } from '../../src/lib/formats/wkb.ts';
import { SafeZip, unsafePath } from '../../src/lib/formats/zip.ts';
import { readAll } from './helpers.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('limits', () => {
	it('defaults as documented; partial overrides keep the rest', () => {
		expect(DEFAULT_LIMITS).toEqual({
			maxFileBytes: 200 * 1024 * 1024,
			maxUncompressedBytes: 1024 * 1024 * 1024,
			maxZipEntries: 10_000,
			maxCompressionRatio: 100,
			maxJsonDepth: 64,
			maxRecords: 2_000_000,
			maxColumns: 500,
			maxCellChars: 32_768,
			maxVertices: 1_000_000
		});
		expect(resolveLimits({ maxColumns: 3 })).toEqual({ ...DEFAULT_LIMITS, maxColumns: 3 });
	});

	it('file size is checked before reading', async () => {
		const e = await openSource({ name: 'a.csv', bytes: enc('a\n1\n') }, { limits: { maxFileBytes: 3 } }).catch((x) => x);
		expect(e).toBeInstanceOf(FormatError);
		expect(e.code).toBe('too-large');
	});

	it('each limit is enforced at its edge, not before', async () => {
		const csv = (s: string, limits: object) => openSource({ name: 'a.csv', bytes: enc(s) }, { limits }).then(readAll);
		await expect(csv('a,b,c\n1,2,3\n', { maxColumns: 3 })).resolves.toHaveLength(1);
		await expect(csv('a,b,c,d\n1,2,3,4\n', { maxColumns: 3 })).rejects.toMatchObject({ code: 'too-many-columns' });
		await expect(csv('a\n12345\n', { maxCellChars: 5 })).resolves.toHaveLength(1);
		await expect(csv('a\n123456\n', { maxCellChars: 5 })).rejects.toMatchObject({ code: 'cell-too-long', where: { row: 2, field: 'a' } });
		await expect(csv('a\n1\n2\n', { maxRecords: 2 })).resolves.toHaveLength(2);
		await expect(csv('a\n1\n2\n3\n', { maxRecords: 2 })).rejects.toMatchObject({ code: 'too-many-records' });
		const json = (depth: number) => '{"type":"Feature","properties":{"a":' + '['.repeat(depth) + ']'.repeat(depth) + '},"geometry":null}';
		// The feature object and properties are two levels; the array nesting makes up the rest.
		await expect(openSource({ name: 'a.geojson', bytes: enc(json(62)) }).then(readAll)).resolves.toHaveLength(1);
		await expect(openSource({ name: 'a.geojson', bytes: enc(json(63)) })).rejects.toMatchObject({ code: 'json-depth' });
		const line = (n: number) =>
			JSON.stringify({ type: 'LineString', coordinates: Array.from({ length: n }, (_, i) => [i, i]) });
		await expect(openSource({ name: 'l.geojson', bytes: enc(line(10)) }, { limits: { maxVertices: 10 } }).then(readAll)).resolves.toHaveLength(1);
		await expect(openSource({ name: 'l.geojson', bytes: enc(line(11)) }, { limits: { maxVertices: 10 } })).rejects.toMatchObject({
			code: 'too-many-vertices'
		});
	});

	it('zip entry count and compression ratio', () => {
		const files = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}.csv`, enc('a\n1\n')]));
		const bytes = zipSync(files);
		expect(SafeZip.open(bytes, 'z.zip', resolveLimits({ maxZipEntries: 5 })).files).toHaveLength(5);
		expect(() => SafeZip.open(bytes, 'z.zip', resolveLimits({ maxZipEntries: 4 }))).toThrow(expect.objectContaining({ code: 'zip-entries' }));
		const bomb = zipSync({ 'a.csv': new Uint8Array(4 << 20) });
		expect(() => SafeZip.open(bomb, 'b.zip', resolveLimits({}))).toThrow(expect.objectContaining({ code: 'zip-ratio' }));
		expect(SafeZip.open(bomb, 'b.zip', resolveLimits({ maxCompressionRatio: 10_000 })).files).toHaveLength(1);
		expect(() => SafeZip.open(bomb, 'b.zip', resolveLimits({ maxCompressionRatio: 10_000, maxUncompressedBytes: 1 << 20 }))).toThrow(
			expect.objectContaining({ code: 'too-large' })
		);
	});
});

describe('zip entry names', () => {
	it.each([
		['../a.csv', true],
		['a/../../b', true],
		['/etc/passwd', true],
		['C:/x', true],
		['c:x', true],
		['a\\b.csv', true],
		['a\0b', true],
		['村庄/villages.shp', false],
		['a/..b/c..', false]
	])('%j unsafe: %s', (name, unsafe) => {
		expect(unsafePath(name) !== null).toBe(unsafe);
	});
});

describe('CRS recognition', () => {
	it('EPSG codes: geographic, GK zones with and without the zone prefix, UTM', () => {
		expect(crsFromEpsg(4326)).toEqual({ epsg: 4326, definition: null, proj4: null });
		expect(crsFromEpsg(4490)?.proj4).toBeNull();
		expect(crsFromEpsg(4547)?.proj4).toBe('+proj=tmerc +lat_0=0 +lon_0=114 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs');
		expect(crsFromEpsg(4526)?.proj4).toBe('+proj=tmerc +lat_0=0 +lon_0=114 +k=1 +x_0=38500000 +y_0=0 +ellps=GRS80 +units=m +no_defs');
		expect(crsFromEpsg(4513)?.proj4).toContain('+lon_0=75 ');
		expect(crsFromEpsg(4554)?.proj4).toContain('+lon_0=135 ');
		expect(crsFromEpsg(32650)?.proj4).toBe('+proj=tmerc +lat_0=0 +lon_0=117 +k=0.9996 +x_0=500000 +y_0=0 +datum=WGS84 +units=m +no_defs');
		expect(crsFromEpsg(2383)).toBeNull();
		expect(crsFromEpsg(3857)).toBeNull();
	});

	it('ESRI WKT with a zone prefix in the false easting → EPSG 4526 (zone 38)', () => {
		const wkt =
			'PROJCS["CGCS2000_3_Degree_GK_Zone_38",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",38500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
		const crs = crsFromWkt(wkt, 'a.prj');
		expect(crs.epsg).toBe(4526);
		expect(crs.proj4).toContain('+x_0=38500000');
	});

	it('WKT2 (as GDAL 3 writes in GeoPackages) with an unknown authority still parses by parameters', () => {
		const wkt = `PROJCRS["custom GK",BASEGEOGCRS["China Geodetic Coordinate System 2000",DATUM["China 2000",ELLIPSOID["CGCS2000",6378137,298.257222101,LENGTHUNIT["metre",1]]]],CONVERSION["GK CM 117E",METHOD["Transverse Mercator",ID["EPSG",9807]],PARAMETER["Latitude of natural origin",0],PARAMETER["Longitude of natural origin",117],PARAMETER["Scale factor at natural origin",1],PARAMETER["False easting",500000],PARAMETER["False northing",0]],CS[Cartesian,2],AXIS["northing (X)",north],AXIS["easting (Y)",east],LENGTHUNIT["metre",1]]`;
		const crs = crsFromWkt(wkt, 'x');
		expect(crs.epsg).toBe(4548);
		expect(crs.proj4).toContain('+lon_0=117 ');
	});

	it('geographic WGS 84 and CGCS2000 in both dialects; others refused by name', () => {
		expect(crsFromWkt('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]]]', 'a').epsg).toBe(4326);
		expect(crsFromWkt('GEOGCRS["China Geodetic Coordinate System 2000",DATUM["China 2000",ELLIPSOID["CGCS2000",6378137,298.257222101]]]', 'a').epsg).toBe(4490);
		const e = (() => {
			try {
				crsFromWkt('GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]]]', 'b.prj');
			} catch (x) {
				return x as FormatError;
			}
		})();
		expect(e?.code).toBe('unknown-crs');
		expect(e?.message).toContain('GCS_Beijing_1954');
	});

	it('WKT parser is bounded', () => {
		expect(() => parseWkt('A['.repeat(100) + ']'.repeat(100))).toThrow(/deeply/);
		expect(parseWkt('A["x""y",1.5e3,B[C]]')).toEqual({ key: 'A', args: ['x"y', 1500, { key: 'B', args: [{ key: 'C', args: [] }] }] });
	});
});

describe('encoding detection', () => {
	it('UTF-8, GBK, GB18030 by validity', () => {
		expect(detectEncoding(enc('石门村,1204'))).toBe('utf-8');
		expect(detectEncoding(Uint8Array.of(0xca, 0xaf, 0xc3, 0xc5, 0xb4, 0xe5))).toBe('gbk'); // 石门村 in GBK
		expect(detectEncoding(Uint8Array.of(0x95, 0x32, 0x82, 0x36))).toBe('gb18030'); // U+20000
		expect(detectEncoding(Uint8Array.of(0xff, 0xfe, 0x41))).toBeNull();
		expect(detectEncoding(Uint8Array.of(0xca))).toBeNull(); // cut inside a character
	});
});

describe('XLSX helpers', () => {
	it('date serials (1900 with its phantom leap day, and 1904)', () => {
		expect(serialToIso(43646, false, 'date')).toBe('2019-06-30');
		expect(serialToIso(43646.5, false, 'datetime')).toBe('2019-06-30T12:00:00');
		expect(serialToIso(1, false, 'date')).toBe('1900-01-01');
		expect(serialToIso(61, false, 'date')).toBe('1900-03-01');
		expect(serialToIso(0, true, 'date')).toBe('1904-01-01');
	});

	it('number formats that show dates', () => {
		expect(formatKind('yyyy-mm-dd')).toBe('date');
		expect(formatKind('yyyy"年"m"月"d"日"')).toBe('date');
		expect(formatKind('yyyy/m/d h:mm')).toBe('datetime');
		expect(formatKind('0.00')).toBe(false);
		expect(formatKind('"days"0')).toBe(false);
		expect(formatKind('[Red]0.0')).toBe(false);
		expect(formatKind('General')).toBe(false);
	});

	it('cell references', () => {
		expect(columnIndex('B7')).toBe(1);
		expect(columnIndex('AA1')).toBe(26);
		expect(columnIndex('7B')).toBe(-1);
		expect(columnName(0)).toBe('A');
		expect(columnName(26)).toBe('AA');
		expect(columnName(16383)).toBe('XFD');
	});

	it('a formula cell is refused naming sheet, cell and row', async () => {
		const { join } = await import('node:path');
		const { HOSTILE } = await import('./helpers.ts');
		const e = await openSource({ name: 'f.xlsx', path: join(HOSTILE, 'files/xlsx-formula.xlsx') })
			.then(readAll)
			.catch((x) => x);
		expect(e).toBeInstanceOf(FormatError);
		expect(e.code).toBe('formula');
		expect(e.message).toContain('sheet "Sheet1", cell B7 (row 7)');
		expect(e.where).toEqual({ file: 'f.xlsx', row: 7, field: 'B7' });
	});
});

describe('WKB', () => {
	it('round-trips every geometry type, drops Z and M', () => {
		const geometries = [
			{ type: 'Point', coordinates: [115.4, 25.9] },
			{ type: 'LineString', coordinates: [[0, 0], [1, 1]] },
			{ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] },
			{ type: 'MultiPoint', coordinates: [[0, 0], [2, 2]] },
			{ type: 'MultiLineString', coordinates: [[[0, 0], [1, 1]], [[2, 2], [3, 3]]] },
			{ type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 5]]]] },
			{ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 2] }] }
		] as const;
		for (const g of geometries) expect(decodeWkb(encodeWkb(g as never), 100)).toEqual(g);
		// ISO PointZM (type 3001), big-endian.
		const zm = new Uint8Array(37);
		const v = new DataView(zm.buffer);
		zm[0] = 0;
		v.setUint32(1, 3001, false);
		[1, 2, 3, 4].forEach((n, i) => v.setFloat64(5 + i * 8, n, false));
		expect(decodeWkb(zm, 10)).toEqual({ type: 'Point', coordinates: [1, 2] });
	});
});
