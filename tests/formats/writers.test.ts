// Every writer round-tripped through our readers and through GDAL's ogrinfo (gdal-bin).
import type { Geometry, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { openSource, type CellValue, type OutputTable } from '../../src/lib/formats/index.ts';
import { csvCell } from '../../src/lib/formats/write/csv.ts';
import { WRITERS, writeCsv, writeGeoJson, writeGpkg, writeShapefile, writeXlsx } from '../../src/lib/formats/write/index.ts';
import { ogrinfo, readAll } from './helpers.ts';

type Row = { values: CellValue[]; geometry: Geometry | null };

const COLUMNS: OutputTable['columns'] = [
	{ name: '村名', type: 'text' },
	{ name: 'village_code', type: 'text' },
	{ name: 'households_total', type: 'integer' },
	{ name: 'households_poor', type: 'integer' },
	{ name: 'income', type: 'real' },
	{ name: 'relocated', type: 'boolean' },
	{ name: 'surveyed', type: 'date' },
	{ name: 'note', type: 'text' }
];

const POINT_ROWS: Row[] = [
	{ values: ['石门村', '360731100201', 120, 37, 8650.5, true, '2019-06-30', '=SUM(A1:A9)'], geometry: { type: 'Point', coordinates: [115.4121, 25.9603] } },
	{ values: ['李家,湾村', '360731100202', 85, null, -12.25, false, null, '带"引号"的\n两行'], geometry: { type: 'Point', coordinates: [115.4388, 25.9512] } },
	{ values: ['宝塔村', '360731101203', 0, 0, 0, null, '2020-01-08', '-5'], geometry: null }
];

const square = (x: number, y: number, d: number): Position[] => [
	[x, y],
	[x + d, y],
	[x + d, y + d],
	[x, y + d],
	[x, y]
];

const POLYGON_ROWS: Row[] = [
	{
		values: ['贡江水源保护区', 'Z1', 1, 1, 152.5, true, '2021-03-01', '@risk'],
		geometry: { type: 'MultiPolygon', coordinates: [[square(115.4, 25.95, 0.05), square(115.42, 25.96, 0.01).reverse()]] }
	},
	{
		values: ['梓山基本农田', 'Z2', 2, 0, 88, false, null, '+86'],
		geometry: { type: 'MultiPolygon', coordinates: [[square(115.29, 25.86, 0.02)], [square(115.33, 25.86, 0.01)]] }
	}
];

const pointTable = (): OutputTable => ({ name: '村庄 villages', columns: COLUMNS, geometryType: 'Point', rows: POINT_ROWS });
const polygonTable = (): OutputTable => ({ name: 'zones', columns: COLUMNS, geometryType: 'MultiPolygon', rows: POLYGON_ROWS });

async function reread(file: { fileName: string; bytes: Uint8Array }) {
	const source = await openSource({ name: file.fileName, bytes: file.bytes });
	return { source, rows: await readAll(source) };
}

/** Rings compared without regard to orientation (shapefiles rewind them). */
function normaliseRings(g: Geometry | null): unknown {
	if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return g;
	const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
	return polys.map((p) => p.map((ring) => ring.map((c) => c.join(' ')).sort()));
}

describe('GeoJSON writer', () => {
	it('round-trips through our reader and ogrinfo', async () => {
		const file = await writeGeoJson(pointTable());
		expect(file.contentType).toBe('application/geo+json');
		const { source, rows } = await reread(file);
		expect(source.crs?.epsg).toBe(4326);
		expect(rows.map((r) => r.geometry)).toEqual(POINT_ROWS.map((r) => r.geometry));
		expect(rows.map((r) => COLUMNS.map((c) => r.fields[c.name]))).toEqual(POINT_ROWS.map((r) => r.values));
		const info = ogrinfo(file.fileName, file.bytes);
		expect(info).toContain('村名 (String) = 李家,湾村');
		expect(info).toContain('households_total (Integer) = 120');
		expect(info).toContain('POINT (115.4121 25.9603)');
	});
});

describe('CSV writer', () => {
	it('UTF-8 with BOM, formula cells guarded, numbers untouched', async () => {
		expect(csvCell('=1+1')).toBe("'=1+1");
		expect(csvCell('+86')).toBe("'+86");
		expect(csvCell('-5')).toBe("'-5");
		expect(csvCell('@risk')).toBe("'@risk");
		expect(csvCell('\tx')).toBe("'\tx");
		expect(csvCell('\rx')).toBe('"\'\rx"');
		expect(csvCell(-5)).toBe('-5');
		expect(csvCell('a,b')).toBe('"a,b"');
		const file = await writeCsv(pointTable());
		expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(file.bytes.subarray(3));
		expect(text).toContain("'=SUM(A1:A9)");
		expect(text.split('\r\n')[0]).toBe('村名,village_code,households_total,households_poor,income,relocated,surveyed,note,lon,lat');
	});

	it('round-trips through our reader (values as text, guards removed) and ogrinfo', async () => {
		const file = await writeCsv(pointTable());
		const { source, rows } = await reread(file);
		expect(source.encodingSource).toBe('bom');
		expect(rows.map((r) => r.row)).toEqual([2, 3, 4]);
		expect(rows[0].fields).toMatchObject({ 村名: '石门村', households_total: '120', note: '=SUM(A1:A9)', lon: '115.4121', lat: '25.9603' });
		expect(rows[1].fields).toMatchObject({ 村名: '李家,湾村', households_poor: null, note: '带"引号"的\n两行' });
		expect(rows[2].fields).toMatchObject({ note: '-5', lon: null });
		const info = ogrinfo(file.fileName, file.bytes);
		expect(info).toContain('村名 (String) = 石门村');
		expect(info).toContain("note (String) = '=SUM(A1:A9)");
	});

	it('non-point geometry goes out as WKT', async () => {
		const file = await writeCsv(polygonTable());
		const { rows } = await reread(file);
		expect(String(rows[1].fields.wkt)).toMatch(/^MULTIPOLYGON \(\(\(115\.29 25\.86, /);
		const info = ogrinfo('zones.csv', file.bytes, ['-al', '-q', '-oo', 'GEOM_POSSIBLE_NAMES=wkt']);
		expect(info).toContain('MULTIPOLYGON (((115.29 25.86');
	});
});

describe('XLSX writer', () => {
	it('round-trips through our reader and ogrinfo (Chinese header, types, dates)', async () => {
		const file = await writeXlsx(pointTable());
		const { source, rows } = await reread(file);
		expect(source.layer).toBe('村庄 villages');
		expect(source.headers).toEqual([...COLUMNS.map((c) => c.name), 'lon', 'lat']);
		expect(rows.map((r) => r.row)).toEqual([2, 3, 4]);
		expect(rows.map((r) => COLUMNS.map((c) => r.fields[c.name]))).toEqual(POINT_ROWS.map((r) => r.values));
		expect(rows[0].fields).toMatchObject({ lon: 115.4121, lat: 25.9603 });
		const info = ogrinfo(file.fileName, file.bytes);
		expect(info).toContain('Layer name: 村庄 villages');
		expect(info).toContain('村名 (String) = 李家,湾村');
		expect(info).toContain('surveyed (Date) = 2019/06/30');
		expect(info).toContain('relocated (Integer(Boolean)) = 1');
		expect(info).toContain('note (String) = =SUM(A1:A9)');
	});

	it('the header row is bold and control characters are dropped', async () => {
		const file = await writeXlsx({ name: 's', columns: [{ name: 'a', type: 'text' }], geometryType: null, rows: [{ values: ['x\u0001y'], geometry: null }] });
		const { rows } = await reread(file);
		expect(rows[0].fields.a).toBe('xy');
		const { unzipSync, strFromU8 } = await import('fflate');
		const parts = unzipSync(file.bytes);
		expect(strFromU8(parts['xl/worksheets/sheet1.xml'])).toContain('<c r="A1" t="inlineStr" s="1">');
		expect(strFromU8(parts['xl/styles.xml'])).toContain('<b/>');
	});
});

describe('Shapefile writer', () => {
	it('points: round-trips through our reader and ogrinfo; long field names cut and reported', async () => {
		const file = await writeShapefile(pointTable());
		expect(file.renamedFields).toEqual({ village_code: 'village_co', households_total: 'households', households_poor: 'househol_2' });
		expect(file.notes).toHaveLength(3);
		const { source, rows } = await reread(file);
		expect(source).toMatchObject({ encoding: 'utf-8', encodingSource: 'cpg' });
		expect(source.crs?.epsg).toBe(4326);
		expect(rows.map((r) => r.geometry)).toEqual(POINT_ROWS.map((r) => r.geometry));
		const renamed = COLUMNS.map((c) => file.renamedFields?.[c.name] ?? c.name);
		expect(rows.map((r) => renamed.map((n) => r.fields[n]))).toEqual(POINT_ROWS.map((r) => r.values.map((v) => (typeof v === 'string' ? v.replace(/\s+$/, '') : v))));
		const info = ogrinfo(file.fileName, file.bytes);
		expect(info).toContain('村名 (String) = 李家,湾村');
		expect(info).toContain('households (Integer) = 120');
		expect(info).toContain('surveyed (Date) = 2019/06/30');
		expect(info).toContain('POINT (115.4121 25.9603)');
	});

	it('polygons with holes and multipolygons: same rings, shapefile orientation, ogrinfo agrees', async () => {
		const file = await writeShapefile(polygonTable());
		const { rows } = await reread(file);
		expect(rows[0].geometry?.type).toBe('Polygon');
		expect(normaliseRings(rows[0].geometry)).toEqual(normaliseRings(POLYGON_ROWS[0].geometry));
		expect(rows[1].geometry?.type).toBe('MultiPolygon');
		expect(normaliseRings(rows[1].geometry)).toEqual(normaliseRings(POLYGON_ROWS[1].geometry));
		const summary = ogrinfo(file.fileName, file.bytes, ['-al', '-so']);
		expect(summary).toContain('Geometry: Polygon');
		expect(summary).toContain('Feature Count: 2');
		expect(summary).toMatch(/GEOGCRS\["WGS 84"|GEOGCS\["WGS 84"/);
		const info = ogrinfo(file.fileName, file.bytes);
		expect(info).toContain('POLYGON ((115.4 25.95,115.4 26.0,115.45 26.0,115.45 25.95,115.4 25.95),(115.42 25.96,115.43 25.96,115.43 25.97,115.42 25.97,115.42 25.96))');
		expect(info).toContain('MULTIPOLYGON (((115.29 25.86');
	});

	it('refuses a table without geometry or with mixed geometry types', async () => {
		await expect(writeShapefile({ ...pointTable(), geometryType: null })).rejects.toMatchObject({ code: 'unsupported' });
		await expect(
			writeShapefile({ ...pointTable(), rows: [{ values: POINT_ROWS[0].values, geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] } }] })
		).rejects.toMatchObject({ code: 'unsupported' });
	});
});

describe('GeoPackage writer', () => {
	it('round-trips through our reader and ogrinfo -al -so', async () => {
		for (const table of [pointTable(), polygonTable()]) {
			const file = await writeGpkg(table);
			const { source, rows } = await reread(file);
			expect(source.crs?.epsg).toBe(4326);
			expect(rows.map((r) => r.row)).toEqual((table.rows as Row[]).map((_, i) => i + 1));
			expect(rows.map((r) => r.geometry)).toEqual((table.rows as Row[]).map((r) => r.geometry));
			expect(rows.map((r) => COLUMNS.map((c) => r.fields[c.name]))).toEqual((table.rows as Row[]).map((r) => r.values));
			const summary = ogrinfo(file.fileName, file.bytes, ['-al', '-so']);
			expect(summary).toContain(`Geometry: ${table.geometryType === 'Point' ? 'Point' : 'Multi Polygon'}`);
			expect(summary).toContain(`Feature Count: ${(table.rows as Row[]).length}`);
			expect(summary).toContain('ID["EPSG",4326]');
			expect(summary).toContain('村名: String');
			expect(summary).toContain('surveyed: Date');
		}
	});

	it('writes an attribute table when there is no geometry', async () => {
		const file = await writeGpkg({ name: '户', columns: COLUMNS, geometryType: null, rows: POINT_ROWS.map((r) => ({ ...r, geometry: null })) });
		const { source, rows } = await reread(file);
		expect(source.layers).toEqual(['户']);
		expect(rows).toHaveLength(3);
		expect(ogrinfo(file.fileName, file.bytes, ['-al', '-so'])).toContain('Geometry: None');
	});
});

it('every export format re-imports to the same number of rows', async () => {
	for (const [format, write] of Object.entries(WRITERS)) {
		const file = await write(pointTable());
		const { rows } = await reread(file);
		expect(rows, format).toHaveLength(3);
	}
});
