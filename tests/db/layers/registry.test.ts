// Registry invariants, checked against real query output on both backends: every layer has a
// query, zh-CN and en titles and legend labels, and every field its style, legend and tooltip read
// exists in what its query returns. The data is the demo generator's Jialing district (511304).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../backends.ts';
import type { DatabaseHandle } from '../../../src/lib/server/db/open.ts';
import { generateDemoData, seed } from '../../../src/lib/server/db/seed.ts';
import type { DemoData } from '../../../geodata/generator/demo.ts';
import { LAYERS, dataUrl, dataUrlTemplate } from '../../../src/lib/layers/registry.ts';
import { queries } from '../../../src/lib/layers/queries.server.ts';
import { layerData } from '../../../src/lib/layers/server.ts';
import { DEFAULT_PARAMS, parseParams, type LayerParams } from '../../../src/lib/layers/params.ts';
import { decodeColumns } from '../../../src/lib/layers/transport.ts';
import { CONTEXT_LAYERS, contextLayerPath } from '../../../src/lib/map/context-layers.ts';

const COUNTY = '511304';

/** The demo data of one county (plus its province and city), to keep the test quick. */
function oneCounty(data: DemoData): DemoData {
	const keep = (r: Record<string, unknown>) => r.county_code === COUNTY || (r.county_code == null && ['51', '5113'].includes(String(r.code)));
	return Object.fromEntries(Object.entries(data).map(([table, rows]) => [table, rows.filter(keep)])) as unknown as DemoData;
}

/** Does the dotted path exist in the value? Arrays are looked into: some element must have it. */
function hasPath(value: unknown, path: string[]): boolean {
	if (path.length === 0) return value !== undefined;
	if (Array.isArray(value)) return value.some((v) => hasPath(v, path));
	if (value === null || typeof value !== 'object') return false;
	const [head, ...rest] = path;
	return head in (value as Record<string, unknown>) && hasPath((value as Record<string, unknown>)[head], rest);
}

describe('layer registry (static)', () => {
	it('has the context layers, the basemap draws exactly them', () => {
		const ids = LAYERS.filter((l) => l.group === 'context').map((l) => l.id);
		expect(ids.sort()).toEqual([...CONTEXT_LAYERS].sort());
		for (const l of LAYERS.filter((x) => x.group === 'context')) {
			expect(l.format, l.id).toBe('geojson');
			expect(dataUrl(l, { ...DEFAULT_PARAMS, county: COUNTY })).toBe(contextLayerPath(l.id as never, COUNTY));
		}
		// Facilities: one legend item per kind the database allows, each a distinct colour.
		const items = LAYERS.find((l) => l.id === 'facilities')!.legend(DEFAULT_PARAMS).items;
		expect(items.map((i) => i.label.en)).toEqual(['Township seat', 'School', 'Clinic', 'Market', 'County seat']);
		expect(new Set(items.map((i) => i.color.join(','))).size).toBe(items.length);
	});

	it('has the four planning layers, each with a query', () => {
		const ids = LAYERS.filter((l) => l.group === 'data').map((l) => l.id);
		expect(ids).toEqual(expect.arrayContaining(['poverty-density', 'relocation-sites', 'housing-cost-gap', 'industrial-chain-coverage']));
		for (const l of LAYERS) expect(queries[l.id], `query for ${l.id}`).toBeTypeOf('function');
	});

	it('titles, descriptions and legend labels exist in zh-CN and en', () => {
		for (const l of LAYERS) {
			for (const text of [l.title, l.description, l.legend(DEFAULT_PARAMS).title, ...l.legend(DEFAULT_PARAMS).items.map((i) => i.label)]) {
				expect(text['zh-CN'].trim(), `${l.id} zh-CN`).not.toBe('');
				expect(text.en.trim(), `${l.id} en`).not.toBe('');
			}
			expect(/[\u4e00-\u9fff]/.test(l.title['zh-CN']), `${l.id} has a Chinese title`).toBe(true);
		}
	});

	it('data URLs round-trip through the parameter parser', () => {
		const params: LayerParams = { ...DEFAULT_PARAMS, county: COUNTY, year: 2017, causes: ['disability', 'illness'], chain: 'citrus', stage: 'processing', zoom: 9, k: 10 };
		for (const l of LAYERS) {
			expect(dataUrlTemplate(l)).toMatch(new RegExp(`^/api/layers/${l.id}/features`));
			const url = new URL(dataUrl(l, params), 'http://localhost');
			const back = parseParams(url.searchParams);
			for (const key of l.params) expect(back[key], `${l.id} ${key}`).toEqual(key === 'zoom' ? Math.floor(params.zoom) : params[key]);
		}
	});
});

describe.each(backends)('layer registry against real output on $name', (backend) => {
	let handle: DatabaseHandle;
	beforeAll(async () => {
		handle = await backend.open();
		await seed(handle.db, oneCounty(generateDemoData()));
	});
	afterAll(async () => handle?.close());

	for (const zoom of [8, 11]) {
		it(`every declared field is in the query output (zoom ${zoom})`, async () => {
			for (const l of LAYERS) {
				const params: LayerParams = { ...DEFAULT_PARAMS, county: COUNTY, year: 2015, zoom };
				const encoded = await layerData({ db: handle.db, capabilities: handle.capabilities }, l.id, params);
				expect(encoded, l.id).not.toBeNull();
				const data = l.format === 'columns' ? decodeColumns(toArrayBuffer(encoded!.body as Uint8Array)) : JSON.parse(encoded!.body as string);
				for (const field of l.fields) expect(hasPath(data, field.split('.')), `${l.id}: field ${field}`).toBe(true);
				if (l.group === 'context') {
					// Drawn by the basemap from the same URL: a FeatureCollection of this county only.
					expect(data.type, l.id).toBe('FeatureCollection');
					expect(data.features.length, `${l.id} has features`).toBeGreaterThan(0);
					expect(l.toDeck(data as never, { params, locale: 'zh-CN', opacity: 1 })).toEqual([]);
					continue;
				}
				// The pure style function accepts what the query gives.
				const specs = l.toDeck(data as never, { params, locale: 'zh-CN', opacity: 1 });
				expect(specs.length, `${l.id} draws something`).toBeGreaterThan(0);
				for (const s of specs) expect(s.props.id).toBeTypeOf('string');
			}
		});
	}
});

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
	return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
