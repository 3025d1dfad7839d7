// The pure parts of the poverty-density layer: style, legend, tooltip and details on small
// hand-made column tables (the shape query.server.ts returns), without WebGL.
import { describe, expect, test } from 'vitest';
import { DEFAULT_PARAMS, type LayerParams } from '../params.ts';
import { SUPPRESSED_COLOR, YL_OR_RD } from '../scale.ts';
import type { Rgba } from '../types.ts';
import {
	COLUMN_NAMES,
	COMMON_UNITS_PER_3857_METRE,
	FEATURES_FROM,
	INCIDENCE_SCALE,
	META_NAMES,
	SUPPRESSED_POOR,
	SUPPRESSED_REGISTERED,
	definition,
	hexScale,
	hexSizeFor,
	levelFor,
	villageRadius,
	type Level,
	type PovertyDensityTable
} from './definition.ts';

interface RowIn {
	registered: number | null;
	poor: number | null;
	poorMembers?: number;
	population?: number;
	villages?: number;
	code?: string;
	name?: string;
}

/** A table as the server sends it: null counts become -1 with a flag; incidence NaN when poor is null. */
function makeTable(level: Level, rows: RowIn[], { zoom = level === 'hex' ? 9 : 12, k = 5, year = 2014 } = {}): PovertyDensityTable {
	const n = rows.length;
	const t: PovertyDensityTable = {
		length: n,
		columns: {
			lon: new Float64Array(rows.map((_, i) => 115 + i * 0.01)),
			lat: new Float64Array(rows.map(() => 26)),
			registered: new Int32Array(rows.map((r) => r.registered ?? -1)),
			poor: new Int32Array(rows.map((r) => r.poor ?? -1)),
			poorMembers: new Int32Array(rows.map((r) => (r.poor === null ? -1 : (r.poorMembers ?? (r.poor ?? 0) * 3)))),
			population: new Int32Array(rows.map((r) => r.population ?? 1000)),
			villages: new Int32Array(rows.map((r) => r.villages ?? 1)),
			incidence: new Float32Array(
				rows.map((r) => (r.poor === null ? NaN : (100 * (r.poorMembers ?? (r.poor ?? 0) * 3)) / (r.population ?? 1000)))
			),
			suppressed: new Uint8Array(rows.map((r) => (r.registered === null ? SUPPRESSED_REGISTERED : 0) | (r.poor === null ? SUPPRESSED_POOR : 0)))
		},
		meta: {
			level,
			zoom,
			hexSize: level === 'hex' ? hexSizeFor(zoom) : null,
			k,
			year,
			county: '360731',
			causes: [],
			codes: level === 'village' ? rows.map((r, i) => r.code ?? `36073110020${i}`) : [],
			names: level === 'village' ? rows.map((r, i) => r.name ?? `村${i}`) : []
		}
	};
	return t;
}

const ctx = (params: Partial<LayerParams> = {}) => ({ params: { ...DEFAULT_PARAMS, ...params }, locale: 'zh-CN' as const, opacity: 0.8 });

type Acc<T> = (object: unknown, info: { index: number; data: unknown; target: number[] }) => T;
/** What deck.gl does with an accessor on non-iterable data: call it with (undefined, {index, data}). */
function evaluate<T>(props: Record<string, unknown>, name: string, i: number): T {
	const accessor = props[name];
	if (typeof accessor !== 'function') return accessor as T;
	return (accessor as Acc<T>)(undefined, { index: i, data: props.data, target: [] });
}
function colours(props: Record<string, unknown>, n: number): Rgba[] {
	return Array.from({ length: n }, (_, i) => evaluate<Rgba>(props, 'getFillColor', i));
}

describe('level and hexagon size', () => {
	test('hexagons below featuresFrom, villages from it; size halves per zoom level in', () => {
		expect(definition.zoom.featuresFrom).toBe(FEATURES_FROM);
		expect(levelFor(FEATURES_FROM - 0.01)).toBe('hex');
		expect(levelFor(FEATURES_FROM)).toBe('village');
		expect(hexSizeFor(9)).toBe(4000);
		expect(hexSizeFor(9.9)).toBe(4000);
		expect(hexSizeFor(8)).toBe(8000);
		expect(hexSizeFor(5)).toBe(64000);
		expect(hexSizeFor(0)).toBe(4000 * 2 ** 9);
	});

	test('the declared fields are the table columns and meta fields', () => {
		const t = makeTable('village', [{ registered: 12, poor: 12 }]);
		for (const name of COLUMN_NAMES) expect(definition.fields).toContain(`columns.${name}`);
		for (const name of META_NAMES) expect(definition.fields).toContain(`meta.${name}`);
		for (const field of definition.fields) expect(t).toHaveProperty(field);
		expect(definition.params).toEqual(['county', 'year', 'causes', 'zoom', 'k']);
		expect(definition.format).toBe('columns');
	});
});

describe('legend and style read one scale', () => {
	test.each([
		[9, 5],
		[9, 10],
		[7, 5],
		[5, 10],
		[9, 30]
	])('hexagons at zoom %i, k = %i: legend items = scale colours, and each class colour is what the map draws', (zoom, k) => {
		const scale = hexScale(zoom, k);
		expect(hexScale(zoom, k)).toBe(scale); // one object per (zoom, k)
		const legend = definition.legend({ ...DEFAULT_PARAMS, zoom, k });
		const items = legend.items.slice(0, -1);
		expect(items.map((i) => i.color)).toEqual(scale.colors);
		expect(scale.breaks[0]).toBe(k);
		// A table with one hexagon at the lower bound of every class (0 for the first): the map colours
		// each exactly as its legend item.
		const lows = [0, ...scale.breaks];
		const t = makeTable('hex', lows.map((v) => ({ registered: v, poor: v })), { zoom, k });
		const [spec] = definition.toDeck(t, ctx({ zoom, k }));
		expect(colours(spec.props, t.length)).toEqual(items.map((i) => i.color));
		// The last item is the suppressed one, in the one grey that encodes no number.
		expect(legend.items.at(-1)!.color).toEqual(SUPPRESSED_COLOR);
		expect(legend.items.at(-1)!.label.en).toContain(`< ${k}`);
		expect(legend.items.at(-1)!.label['zh-CN']).toContain(`< ${k}`);
	});

	test('hexagon legend labels follow the breaks, in both languages', () => {
		const legend = definition.legend({ ...DEFAULT_PARAMS, zoom: 9, k: 5 });
		expect(legend.items.map((i) => i.label.en)).toEqual(['0', '5–24', '25–49', '50–99', '100–199', '≥ 200', '< 5 households, or withheld to protect one']);
		expect(legend.items.map((i) => i.label['zh-CN'])).toEqual(['0', '5–24', '25–49', '50–99', '100–199', '≥ 200', '< 5 户，或为保护小数不公开']);
		expect(legend.title['zh-CN']).toBe('仍贫困户数（每六边形）');
		expect(legend.title.en).toBe('Still-poor households per hexagon');
		// The breaks grow with the hexagon area: x4 per zoom level out.
		expect(hexScale(8, 5).breaks).toEqual([5, 100, 200, 400, 800]);
	});

	test('a large k drops the breaks at or below it and keeps "0" the lightest colour', () => {
		const scale = hexScale(9, 60);
		expect(scale.breaks).toEqual([60, 100, 200]);
		expect(scale.colors).toEqual([YL_OR_RD[0], ...YL_OR_RD.slice(3)]);
	});

	test('villages: legend items = incidence scale colours, and each class is what the map draws', () => {
		const legend = definition.legend({ ...DEFAULT_PARAMS, zoom: 12, k: 5 });
		const items = legend.items.slice(0, -1);
		expect(items.map((i) => i.color)).toEqual(INCIDENCE_SCALE.colors);
		expect(items.map((i) => i.label.en)).toEqual(['< 1%', '1–3%', '3–6%', '6–10%', '10–15%', '≥ 15%']);
		// incidence = poorMembers / population x 100: 0 %, 1 %, 3 %, 6 %, 10 %, 15 % of 1,000 people
		const members = [0, 10, 30, 60, 100, 150];
		const t = makeTable('village', members.map((m) => ({ registered: 50, poor: 50, poorMembers: m, population: 1000 })));
		const [spec] = definition.toDeck(t, ctx({ zoom: 12 }));
		expect(colours(spec.props, t.length)).toEqual(items.map((i) => i.color));
		expect(legend.items.at(-1)!.color).toEqual(SUPPRESSED_COLOR);
	});
});

describe('toDeck', () => {
	test('hexagons: a ColumnLayer that tiles like ST_HexagonGrid, coloured by still-poor households', () => {
		// zoom 9, k 5: breaks 5 | 25 | 50 | 100 | 200
		const t = makeTable('hex', [
			{ registered: 0, poor: 0 }, //     0        -> class 0
			{ registered: null, poor: null }, // 1..4 -> grey
			{ registered: 30, poor: 7 }, //    7        -> class 1 (5-24)
			{ registered: 40, poor: 40 }, //  40        -> class 2 (25-49)
			{ registered: 120, poor: 99 }, // 99        -> class 3 (50-99)
			{ registered: 150, poor: 150 }, // 150      -> class 4 (100-199)
			{ registered: 600, poor: 531 }, // 531      -> class 5 (>= 200)
			{ registered: 9, poor: null } //   1..4 still poor -> grey, whatever the registered count
		]);
		const specs = definition.toDeck(t, ctx({ zoom: 9 }));
		expect(specs).toHaveLength(1);
		const [spec] = specs;
		expect(spec.type).toBe('ColumnLayer');
		expect(spec.props).toMatchObject({
			id: 'poverty-density-hex',
			diskResolution: 6,
			extruded: false,
			angle: 0,
			radiusUnits: 'common',
			pickable: true,
			opacity: 0.8
		});
		expect(spec.props.radius).toBeCloseTo(4000 * COMMON_UNITS_PER_3857_METRE, 12);
		expect(spec.props.data).toBe(t);
		expect(colours(spec.props, t.length)).toEqual([
			[255, 255, 178, 255],
			SUPPRESSED_COLOR,
			[254, 217, 118, 255],
			[254, 178, 76, 255],
			[253, 141, 60, 255],
			[240, 59, 32, 255],
			[189, 0, 38, 255],
			SUPPRESSED_COLOR
		]);
		expect(evaluate(spec.props, 'getPosition', 3)).toEqual([115.03, 26]);
	});

	test('villages: a ScatterplotLayer coloured by incidence, sized by still-poor households', () => {
		const t = makeTable('village', [
			{ registered: 12, poor: 12, poorMembers: 18, population: 1000 }, // 1.8 % -> class 1 (1-3 %)
			{ registered: null, poor: null, population: 500 }, //                  withheld -> grey
			{ registered: 0, poor: 0, population: 800 }, //                        0 % -> class 0
			{ registered: 60, poor: 40, poorMembers: 130, population: 600 }, //    21.7 % -> class 5
			{ registered: 8, poor: null, population: 900 } //                      withheld -> grey
		]);
		const [spec] = definition.toDeck(t, ctx({ zoom: 12 }));
		expect(spec.type).toBe('ScatterplotLayer');
		expect(spec.props).toMatchObject({ id: 'poverty-density-village', pickable: true, radiusUnits: 'pixels' });
		expect(colours(spec.props, t.length)).toEqual([YL_OR_RD[1], SUPPRESSED_COLOR, YL_OR_RD[0], YL_OR_RD[5], SUPPRESSED_COLOR]);
		const radii = Array.from({ length: t.length }, (_, i) => evaluate<number>(spec.props, 'getRadius', i));
		expect(radii[0]).toBeCloseTo(villageRadius(12));
		expect(radii[2]).toBeCloseTo(villageRadius(0));
		expect(radii[3]).toBeCloseTo(villageRadius(40));
		// Suppressed villages share one size: the size encodes no count below k.
		expect(radii[1]).toBe(radii[4]);
		expect(radii[1]).toBeCloseTo(villageRadius(5));
	});

	test('the suppressed grey is no colour of any scale', () => {
		for (const zoom of [3, 6, 9]) for (const k of [5, 10]) expect(hexScale(zoom, k).colors).not.toContainEqual(SUPPRESSED_COLOR);
		expect(INCIDENCE_SCALE.colors).not.toContainEqual(SUPPRESSED_COLOR);
	});
});

describe('tooltip and details', () => {
	// Digits a suppressed line may legitimately contain: only those of "< k".
	const numbersIn = (line: string) => line.match(/\d+/g) ?? [];

	test('a suppressed village shows "< k", never a number — even if a number were in the column', () => {
		const t = makeTable('village', [{ registered: null, poor: null, population: 500, name: '塅水村委会' }], { k: 5 });
		// Defence in depth: put real-looking small counts behind the flags; the tooltip must not print them.
		t.columns.registered[0] = 3;
		t.columns.poor[0] = 3;
		t.columns.poorMembers[0] = 7;
		t.columns.incidence[0] = 1.4;
		for (const locale of ['zh-CN', 'en'] as const) {
			const text = definition.tooltip({ index: 0, data: t }, locale, DEFAULT_PARAMS)!;
			const lines = text.split('\n');
			expect(lines[0]).toBe('塅水村委会');
			expect(lines[1]).toContain('2014');
			for (const line of lines.slice(2)) {
				expect(numbersIn(line)).toEqual(['5']);
				expect(line).toContain('< 5');
			}
			expect(text).not.toMatch(/\b3\b|\b7\b|1[.,]4/);
			const rows = definition.details!({ index: 0, data: t }, locale, DEFAULT_PARAMS);
			const byLabel = Object.fromEntries(rows.map((r) => [r.label, r.value]));
			for (const [label, value] of Object.entries(byLabel)) {
				if (/户|人口|发生率|household|people|Incidence/i.test(label) && !/户籍人口|Population/.test(label)) expect(numbersIn(value)).toEqual(['5']);
			}
			expect(rows.map((r) => r.value).join(' ')).not.toMatch(/\b3\b|\b7\b|1[.,]4/);
		}
	});

	test('registered shown, still poor suppressed (k = 10): only the suppressed parts are withheld', () => {
		const t = makeTable('hex', [{ registered: 12, poor: null, population: 1500, villages: 2 }], { k: 10 });
		const en = definition.tooltip({ index: 0, data: t }, 'en', DEFAULT_PARAMS)!;
		expect(en).toBe(
			['Hexagon (2 villages)', 'End of 2014', 'Registered households: 12', 'Still poor: < 10 households', 'Incidence: withheld (< 10 households)'].join('\n')
		);
		const zh = definition.tooltip({ index: 0, data: t }, 'zh-CN', DEFAULT_PARAMS)!;
		expect(zh).toBe(['六边形（2 个村）', '2014 年末', '建档立卡户：12', '仍贫困：< 10 户', '贫困发生率：不公开（< 10 户）'].join('\n'));
	});

	test('an unsuppressed village: place, year, counts, incidence, causes', () => {
		const t = makeTable('village', [{ registered: 1234, poor: 12, poorMembers: 18, population: 1000, name: '山森村委会', code: '360731102200' }], {
			year: 2016
		});
		t.meta.causes = ['illness', 'disability'];
		expect(definition.tooltip({ index: 0, data: t }, 'en', DEFAULT_PARAMS)).toBe(
			[
				'山森村委会',
				'End of 2016 (illness, disability)',
				'Registered households: 1,234',
				'Still poor: 12 households, 18 people',
				'Incidence: 1.8%'
			].join('\n')
		);
		expect(definition.tooltip({ index: 0, data: t }, 'zh-CN', DEFAULT_PARAMS)).toBe(
			['山森村委会', '2016 年末（因病、因残）', '建档立卡户：1,234', '仍贫困：12 户，18 人', '贫困发生率：1.8%'].join('\n')
		);
		expect(definition.details!({ index: 0, data: t }, 'en', DEFAULT_PARAMS)).toEqual([
			{ label: 'Place', value: '山森村委会' },
			{ label: 'Village code', value: '360731102200' },
			{ label: 'Year', value: '2016' },
			{ label: 'Causes', value: 'illness, disability' },
			{ label: 'Population', value: '1,000' },
			{ label: 'Registered households', value: '1,234' },
			{ label: 'Still-poor households', value: '12' },
			{ label: 'Still-poor people', value: '18' },
			{ label: 'Incidence of poverty', value: '1.8%' }
		]);
	});

	test('nothing picked: no tooltip', () => {
		const t = makeTable('hex', [{ registered: 0, poor: 0 }]);
		expect(definition.tooltip({ index: -1, data: t }, 'en', DEFAULT_PARAMS)).toBeNull();
		expect(definition.tooltip({ index: 5, data: t }, 'en', DEFAULT_PARAMS)).toBeNull();
	});
});
