// The /ogc service read by the real GDAL tools (Debian gdal-bin: the same OAPIF driver QGIS uses)
// from the built app on a fresh embedded database: ogrinfo lists the collections, counts villages as
// the database does, filters by a bbox as the API does, and ogr2ogr pages through every relocation
// site by following `next` links.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../../src/lib/ogc/collections.ts';
import { ROOT, startServer, type RunningServer } from './server.ts';

const run = promisify(execFile);

async function gdal(tool: 'ogrinfo' | 'ogr2ogr', args: string[]): Promise<string> {
	const { stdout, stderr } = await run(tool, args, { timeout: 300_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GDAL_HTTP_TIMEOUT: '120' } });
	return stdout + stderr;
}

describe('OGC API – Features read by GDAL', () => {
	let server: RunningServer;
	let counts: Record<string, number>;
	let tmp: string;
	beforeAll(async () => {
		server = await startServer();
		counts = ((await (await fetch(`${server.url}/api/health`)).json()) as { counts: Record<string, number> }).counts;
		tmp = mkdtempSync(join(ROOT, 'tests/e2e/.tmp/ogc-'));
	});
	afterAll(async () => {
		await server?.stop();
		if (tmp) rmSync(tmp, { recursive: true, force: true });
	});

	const source = () => `OAPIF:${server.url}/ogc`;

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
		const api = (await (await fetch(`${server.url}/ogc/collections/villages/items?bbox=${bbox.join(',')}&limit=1`)).json()) as { numberMatched: number };
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
});
