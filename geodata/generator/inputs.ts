// Reads the real source files in geodata/ into the generator's typed inputs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toMultiPolygon, type Position } from './geometry.ts';
import type { AreaInput, DemoInputs, RiverInput, TownshipInput, VillageInput } from './demo.ts';

interface Feature {
	type: 'Feature';
	properties: Record<string, unknown>;
	geometry: { type: string; coordinates: unknown } | null;
}

function features(dir: string, file: string): Feature[] {
	const fc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { features: Feature[] };
	return fc.features;
}

/** A tiny CSV reader for our own UTF-8 code lists (no quoted fields in them). */
function csvRows(dir: string, file: string): Record<string, string>[] {
	const [header, ...lines] = readFileSync(join(dir, file), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
	const cols = header.split(',');
	return lines.map((line, i) => {
		const cells = line.split(',');
		if (cells.length !== cols.length) throw new Error(`${file} row ${i + 2}: expected ${cols.length} fields, found ${cells.length}`);
		return Object.fromEntries(cols.map((c, k) => [c, cells[k]]));
	});
}

function area(f: Feature, parent: string | null): AreaInput {
	return {
		code: String(f.properties.adcode),
		name_zh: String(f.properties.name),
		parent_code: parent,
		geometry: toMultiPolygon(f.geometry!)
	};
}

const RIVER_ZH: Record<string, string> = { Jialing: '嘉陵江', Gan: '赣江', Mei: '梅江', Dong: '东江' };

export function loadDemoInputs(dir: string): DemoInputs {
	const provinces = [
		area(features(dir, 'boundaries/province_sichuan_510000.geojson')[0], null),
		area(features(dir, 'boundaries/province_jiangxi_360000.geojson')[0], null)
	].map((a) => ({ ...a, code: a.code.slice(0, 2) }));
	const cities = [
		area(features(dir, 'boundaries/city_nanchong_511300.geojson')[0], '51'),
		area(features(dir, 'boundaries/city_ganzhou_360700.geojson')[0], '36')
	].map((a) => ({ ...a, code: a.code.slice(0, 4) }));
	const counties = [
		...features(dir, 'boundaries/county_jialing_511304.geojson'),
		...features(dir, 'boundaries/counties_ganzhou_pilot.geojson')
	].map((f) => area(f, String(f.properties.adcode).slice(0, 4)));

	const seats = new Map<string, { p: Position; source: string }>();
	for (const f of features(dir, 'places/township_points_2023.geojson')) {
		if (!f.geometry) continue;
		seats.set(String(f.properties.code), { p: f.geometry.coordinates as Position, source: String(f.properties.pos_source) });
	}
	const cells = new Map<string, ReturnType<typeof toMultiPolygon>>();
	for (const f of features(dir, 'synthetic/townships_voronoi_SYNTHETIC.geojson')) {
		if (f.geometry) cells.set(String(f.properties.code), toMultiPolygon(f.geometry));
	}
	const townships: TownshipInput[] = csvRows(dir, 'admin_codes/townships_2023.csv').map((r) => ({
		code: r.code,
		name_zh: r.name,
		county_code: r.county_code,
		seat: seats.get(r.code)?.p ?? null,
		seat_source: seats.get(r.code)?.source ?? null,
		cell: cells.get(r.code) ?? null
	}));
	const villages: VillageInput[] = csvRows(dir, 'admin_codes/villages_2023.csv').map((r) => ({
		code: r.code,
		name_zh: r.name,
		town_code: r.town_code,
		county_code: r.county_code,
		ur_code_2016: r.ur_code_2016 ? Number(r.ur_code_2016) : null
	}));

	const rivers: RiverInput[] = [];
	for (const f of features(dir, 'hydro/ne10m_rivers.geojson')) {
		const name = f.properties.name ? String(f.properties.name) : null;
		rivers.push({ name_en: name, name_zh: name ? (RIVER_ZH[name] ?? null) : null, lines: lines(f), source: 'Natural Earth 10m rivers (public domain)' });
	}
	for (const f of features(dir, 'hydro/gshhg_wdbii_rivers.geojson')) {
		if (!lines(f).length) continue;
		rivers.push({ name_en: null, name_zh: null, lines: lines(f), source: 'GSHHG WDBII rivers (LGPL)' });
	}
	return { provinces, cities, counties, townships, villages, rivers };
}

function lines(f: Feature): Position[][] {
	const g = f.geometry!;
	const all =
		g.type === 'LineString' ? [g.coordinates as Position[]] : g.type === 'MultiLineString' ? (g.coordinates as Position[][]) : null;
	if (!all) throw new Error(`river feature: expected a line, got ${g.type}`);
	// GSHHG tiles leave zero-length stubs at tile edges: not lines, so not kept.
	return all.filter((l) => new Set(l.map((p) => `${p[0]},${p[1]}`)).size >= 2);
}
