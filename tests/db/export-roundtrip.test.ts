// Exports on both backends, from the fixture of ogc-fixture.ts: every target the export menu offers
// is written in every format by the real writers and read back by the importer's readers
// (openSource), to the same rows — values and geometry — as the export table held. GDAL's ogrinfo
// reads the Shapefile and GeoPackage too. Values are compared as the importer maps them: by the
// declared column type (CSV and DBF hold text), with a CSV cell's formula guard removed.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Geometry, Position } from 'geojson';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from './backends.ts';
import type { DatabaseHandle } from '../../src/lib/server/db/open.ts';
import { openSource } from '../../src/lib/formats/index.ts';
import type { CellValue, OutputColumn, OutputTable } from '../../src/lib/formats/types.ts';
import { EXPORT_FORMATS, EXPORT_TARGETS, exportTarget, type ExportFormat } from '../../src/lib/export/targets.ts';
import { ExportError, contentDisposition, exportFile, exportTable, parseExportRequest, type ExportRequest } from '../../src/lib/export/export.server.ts';
import { COUNTY, insertOgcFixture } from './ogc-fixture.ts';

const run = promisify(execFile);

type Row = { values: CellValue[]; geometry: Geometry | null };

async function materialise(table: OutputTable): Promise<{ columns: OutputColumn[]; rows: Row[] }> {
	const rows: Row[] = [];
	for await (const r of table.rows as AsyncIterable<Row>) rows.push(r);
	return { columns: table.columns, rows };
}

/** A value as the importer reads it for a column of this type. */
function asType(value: CellValue | undefined, type: OutputColumn['type'], format: ExportFormat): CellValue {
	if (value === null || value === undefined || value === '') return null;
	if (type === 'integer' || type === 'real') {
		const n = Number(value);
		return type === 'real' ? Math.round(n * 1e6) / 1e6 : n;
	}
	if (type === 'boolean') {
		if (typeof value === 'boolean') return value;
		if (typeof value === 'number') return value !== 0;
		return /^(true|t|y|yes|1)$/i.test(String(value).trim());
	}
	let text = String(value);
	// The CSV writer neutralises cells a spreadsheet would run; the importer reads them back as written.
	if (format === 'csv' && /^'[=+\-@]/.test(text)) text = text.slice(1);
	return text;
}

const r7 = (x: number) => Math.round(x * 1e7) / 1e7;

/** Rings start at their smallest vertex and run counter-clockwise; polygons as a sorted list. */
function canonicalRing(ring: Position[]): string {
	const open = ring.slice(0, -1).map(([x, y]) => [r7(x), r7(y)]);
	let area = 0;
	for (let i = 0; i < open.length; i++) {
		const [x1, y1] = open[i];
		const [x2, y2] = open[(i + 1) % open.length];
		area += x1 * y2 - x2 * y1;
	}
	if (area < 0) open.reverse();
	let start = 0;
	open.forEach((p, i) => {
		const s = open[start];
		if (p[0] < s[0] || (p[0] === s[0] && p[1] < s[1])) start = i;
	});
	return JSON.stringify([...open.slice(start), ...open.slice(0, start)]);
}

function canonical(g: Geometry | null): string | null {
	if (!g) return null;
	switch (g.type) {
		case 'Point':
			return JSON.stringify(['Point', g.coordinates.slice(0, 2).map(r7)]);
		case 'LineString':
		case 'MultiLineString': {
			const lines = g.type === 'LineString' ? [g.coordinates] : g.coordinates;
			return JSON.stringify(['Lines', lines.map((l) => l.map(([x, y]) => [r7(x), r7(y)]))]);
		}
		case 'Polygon':
		case 'MultiPolygon': {
			const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
			return JSON.stringify(['Polygons', polys.map((rings) => [canonicalRing(rings[0]), ...rings.slice(1).map(canonicalRing).sort()]).sort()]);
		}
		default:
			throw new Error(`unexpected geometry ${g.type}`);
	}
}

const search = (params: Record<string, string>) => new URLSearchParams(params);

describe.each(backends)('exports on $name', (backend) => {
	let handle: DatabaseHandle;
	let tmp: string;
	beforeAll(async () => {
		handle = await backend.open();
		await insertOgcFixture(handle.db);
		tmp = mkdtempSync(join(tmpdir(), 'lantu-export-'));
	});
	afterAll(async () => {
		await handle?.close();
		if (tmp) rmSync(tmp, { recursive: true, force: true });
	});

	/** Each target with parameters that give it rows in the fixture. */
	const requests: [string, Record<string, string>][] = [
		['villages', {}],
		['industry-sites', { county: COUNTY }],
		['roads', {}],
		['facilities', {}],
		['constraint-zones', {}],
		['poverty-density', { county: COUNTY, zoom: '11', year: '2017' }],
		['poverty-density', { zoom: '6' }],
		['relocation-sites', {}],
		['housing-cost-gap', { county: COUNTY }],
		['industrial-chain-coverage', { county: COUNTY, chain: 'tea' }],
		['siting-result', { county: COUNTY }]
	];

	test('every export target is exercised', () => {
		expect(new Set(requests.map(([id]) => id))).toEqual(new Set(EXPORT_TARGETS.map((t) => t.id)));
	});

	test.each(requests)('%s %o reads back to the same rows in every format', async (id, params) => {
		for (const format of EXPORT_FORMATS) {
			const req = parseExportRequest(id, search({ format, ...params }));
			const expected = await materialise(await exportTable(handle, req));
			expect(expected.rows.length, `${id} has rows in the fixture`).toBeGreaterThan(0);
			const file = await exportFile(handle, req);
			const source = await openSource({ name: file.fileName, bytes: file.bytes });
			const got: { fields: Record<string, CellValue>; geometry: Geometry | null }[] = [];
			try {
				for await (const r of source.records()) got.push({ fields: r.fields, geometry: r.geometry });
			} finally {
				await source.close();
			}
			expect(got.length, `${id} ${format}`).toBe(expected.rows.length);
			const renamed = file.renamedFields ?? {};
			const pointColumns = format === 'csv' || format === 'xlsx';
			expected.rows.forEach((row, i) => {
				const fields = got[i].fields;
				expected.columns.forEach((c, j) => {
					const name = renamed[c.name] ?? c.name;
					expect(name in fields, `${id} ${format}: column ${name} (${Object.keys(fields).join(',')})`).toBe(true);
					expect(asType(fields[name], c.type, format), `${id} ${format} row ${i + 1} ${c.name}`).toEqual(asType(row.values[j], c.type, 'geojson'));
				});
				if (pointColumns && row.geometry?.type === 'Point') {
					expect([Number(fields.lon), Number(fields.lat)].map(r7), `${id} ${format} row ${i + 1} lon/lat`).toEqual(row.geometry.coordinates.map(r7));
				} else if (pointColumns) {
					expect(typeof fields.wkt, `${id} ${format} row ${i + 1} wkt`).toBe('string');
				} else {
					expect(canonical(got[i].geometry), `${id} ${format} row ${i + 1} geometry`).toBe(canonical(row.geometry));
				}
			});
		}
	});

	test('the current view and the layer filters limit the rows', async () => {
		const all = await materialise(await exportTable(handle, parseExportRequest('villages', search({ format: 'geojson' }))));
		const view = await materialise(await exportTable(handle, parseExportRequest('villages', search({ format: 'geojson', bbox: '106.0,30.7,106.1,30.8' }))));
		expect(all.rows.length).toBe(32);
		expect(view.rows.length).toBe(9);
		const layerView = await materialise(
			await exportTable(handle, parseExportRequest('poverty-density', search({ format: 'csv', county: COUNTY, zoom: '11', bbox: '106.0,30.7,106.1,30.8' })))
		);
		expect(layerView.rows.length).toBe(9);
		const tea = await materialise(await exportTable(handle, parseExportRequest('industry-sites', search({ format: 'csv', chain: 'tea', stage: 'processing' }))));
		expect(tea.rows.every((r) => r.values[4] === 'tea' && r.values[5] === 'processing')).toBe(true);
		expect(tea.rows.length).toBeGreaterThan(0);
	});

	test('suppression in an export is the map’s: small village counts stay empty with a "<k" flag', async () => {
		const t = await materialise(await exportTable(handle, parseExportRequest('poverty-density', search({ format: 'csv', county: COUNTY, zoom: '11', year: '2014' }))));
		const names = t.columns.map((c) => c.name);
		const byCode = new Map(t.rows.map((r) => [r.values[names.indexOf('code')], r.values]));
		const v2 = byCode.get('511304100002')!;
		expect([v2[names.indexOf('registered')], v2[names.indexOf('registered_flag')]]).toEqual([null, '<5']);
		const v1 = byCode.get('511304100001')!;
		expect(v1[names.indexOf('registered')]).toBe(12);
		// A raised k is honoured, a lowered one is not.
		const k10 = await materialise(await exportTable(handle, parseExportRequest('poverty-density', search({ format: 'csv', county: COUNTY, zoom: '11', k: '10' }))));
		expect(k10.rows.find((r) => r.values[0] === '511304100002')!.values[names.indexOf('registered_flag')]).toBe('<10');
		expect(() => parseExportRequest('poverty-density', search({ format: 'csv', k: '1' }))).toThrow(/k: must be an integer from 2/);
		expect(JSON.stringify(t.rows)).not.toMatch(/OGC-\d/);
	});

	test('CSV is UTF-8 with a BOM and a formula cell is neutralised', async () => {
		const file = await exportFile(handle, parseExportRequest('industry-sites', search({ format: 'csv', county: COUNTY })));
		expect([...file.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = new TextDecoder().decode(file.bytes);
		expect(text).toContain('茶叶加工厂');
		expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
		expect(text).toMatch(/'=HYPERLINK/);
	});

	test('housing-cost gap: a village of fewer than k relocating households is withheld', async () => {
		const t = await materialise(await exportTable(handle, parseExportRequest('housing-cost-gap', search({ format: 'csv', county: COUNTY }))));
		const names = t.columns.map((c) => c.name);
		const row = (place: string, id: string) => t.rows.find((r) => r.values[0] === place && r.values[1] === id)?.values;
		expect(row('village', '511304100001')![names.indexOf('gap_households')]).toBe(12);
		expect(row('village', '511304100001')![names.indexOf('gap_flag')]).toBe(null);
		const v3 = row('village', '511304100003')!;
		expect([v3[names.indexOf('gap_households')], v3[names.indexOf('gap_flag')]]).toEqual([null, '<5']);
		expect(row('site', '2')![names.indexOf('gap_flag')]).toBe('<5');
	});

	test('bad requests: unknown target, households, bad format, bad bbox', () => {
		const fails = (id: string, params: Record<string, string>, status: number, message: RegExp) => {
			try {
				parseExportRequest(id, search(params));
			} catch (err) {
				expect(err).toBeInstanceOf(ExportError);
				expect((err as ExportError).status).toBe(status);
				expect((err as Error).message).toMatch(message);
				return;
			}
			throw new Error(`${id} ${JSON.stringify(params)} was accepted`);
		};
		fails('households', { format: 'csv' }, 404, /nothing to export named "households"/);
		fails('villages', { format: 'xls' }, 400, /format: must be one of geojson, csv, xlsx, shp, gpkg/);
		fails('villages', {}, 400, /format/);
		fails('villages', { format: 'csv', bbox: '1,2,3' }, 400, /bbox/);
		fails('villages', { format: 'csv', county: '12' }, 400, /county/);
	});

	test('GDAL reads the Shapefile and the GeoPackage', async () => {
		for (const [format, open] of [
			['shp', (p: string) => `/vsizip/${p}`],
			['gpkg', (p: string) => p]
		] as const) {
			const req: ExportRequest = parseExportRequest('constraint-zones', search({ format }));
			const file = await exportFile(handle, req);
			const path = join(tmp, `${backend.name}-${file.fileName}`);
			writeFileSync(path, file.bytes);
			const { stdout } = await run('ogrinfo', ['-ro', '-al', '-so', open(path)]);
			expect(stdout, format).toContain('Feature Count: 2');
			expect(stdout, format).toMatch(/Polygon/);
			expect(stdout, format).toMatch(/WGS 84/);
			expect(stdout, format).toMatch(/^name_zh: String/m);
		}
	});

	test('file names: ASCII fallback and the UTF-8 name', () => {
		expect(contentDisposition('lantu-poverty-density-360731-2016.csv', '蓝图-贫困人口密度-于都县-2016年.csv')).toBe(
			`attachment; filename="lantu-poverty-density-360731-2016.csv"; filename*=UTF-8''${encodeURIComponent('蓝图-贫困人口密度-于都县-2016年.csv')}`
		);
		expect(contentDisposition('a "b".csv', "x'(y).csv")).toBe(`attachment; filename="a__b_.csv"; filename*=UTF-8''x%27%28y%29.csv`);
		expect(exportTarget('poverty-density')!.params).toContain('year');
	});
});
