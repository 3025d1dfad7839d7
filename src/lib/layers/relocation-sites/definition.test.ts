import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../params.ts';
import { SUPPRESSED_COLOR, YL_OR_RD } from '../scale.ts';
import type { StyleContext } from '../types.ts';
import {
	ARC_COLOR,
	arcClasses,
	arcWidth,
	definition,
	FILL_SCALE,
	siteRadius,
	STATUS_STYLE,
	WITHHELD_ARC_WIDTH,
	type ArcFeature,
	type RelocationSitesData,
	type SiteFeature
} from './definition.ts';
import { suppressTable } from './cells.ts';

const site = (over: Partial<SiteFeature>): SiteFeature => ({
	type: 'site',
	id: 1,
	county: '511304',
	name: '城北安置点',
	kind: 'county_town',
	status: 'built',
	position: [106.0, 30.8],
	capacity: 200,
	assigned: 150,
	fill: 0.75,
	landCost: 2_000_000,
	buildingCost: 17_000_000,
	totalCost: 19_000_000,
	origins: [
		{ code: '511304100001', name: '甲村', households: 120 },
		{ code: '511304100002', name: '乙村', households: null },
		{ code: '511304100003', name: '丙村', households: null }
	],
	gap: { households: 150, total: 8_250_000, perHousehold: 55_000, overCapShare: 1 },
	...over
});

const arc = (over: Partial<ArcFeature>): ArcFeature => ({
	type: 'arc',
	siteId: 1,
	siteName: '城北安置点',
	village: '511304100001',
	villageName: '甲村',
	from: [106.1, 30.9],
	to: [106.0, 30.8],
	households: 120,
	...over
});

const data: RelocationSitesData = {
	k: 5,
	scenarios: [{ county: '511304', id: 1, name: '基准方案' }],
	sites: [
		site({}),
		site({ id: 2, name: '小安置点', status: 'candidate', capacity: 40, assigned: null, fill: null, gap: null, origins: [] }),
		site({ id: 3, name: '乡镇安置点', status: 'approved', capacity: 100, assigned: 0, fill: 0, gap: null, origins: [] })
	],
	arcs: [arc({}), arc({ village: '511304100002', villageName: '乙村', households: null }), arc({ village: '511304100003', villageName: '丙村', households: null, siteId: 2 })]
};

const ctx: StyleContext = { params: DEFAULT_PARAMS, locale: 'zh-CN', opacity: 0.8 };
type Accessor<T> = (d: T) => unknown;

describe('relocation-sites definition', () => {
	it('legend and style share the fill scale', () => {
		const legend = definition.legend(DEFAULT_PARAMS, data);
		const fillItems = legend.items.slice(0, FILL_SCALE.colors.length);
		expect(fillItems.map((i) => i.color)).toEqual([...YL_OR_RD]);
		expect(fillItems.map((i) => i.label.en)).toEqual(['< 25%', '25%–50%', '50%–75%', '75%–90%', '90%–100%', '≥ 100% (over capacity)']);
		// The map colours a site with the very colour of its legend class (alpha from its status).
		const [, scatter] = definition.toDeck(data, ctx);
		const fill = scatter.props.getFillColor as Accessor<SiteFeature>;
		for (const [value, cls] of [[0, 0], [0.3, 1], [0.75, 3], [0.95, 4], [1.2, 5]] as const) {
			const c = fill(site({ fill: value, status: 'built' })) as number[];
			expect(c.slice(0, 3)).toEqual(fillItems[cls].color.slice(0, 3));
		}
		expect(legend.items.some((i) => i.color === SUPPRESSED_COLOR)).toBe(true);
		// Status outlines: the legend's ring colours are the style's line colours.
		for (const status of ['candidate', 'approved', 'built'] as const) {
			const item = legend.items.find((i) => i.shape === 'ring' && i.label.en === status);
			expect(item?.color).toEqual(STATUS_STYLE[status].line);
		}
	});

	it('legend arc classes are the widths the style draws', () => {
		const legend = definition.legend(DEFAULT_PARAMS, data);
		const lines = legend.items.filter((i) => i.shape === 'line');
		expect(lines.map((l) => l.label.en)).toEqual([
			'5–19 households moving (width 3)',
			'20–49 households moving (width 5)',
			'50–99 households moving (width 8)',
			'≥ 100 households moving (width 12)',
			`households withheld (under 5, or protecting such a count; width ${WITHHELD_ARC_WIDTH})`
		]);
		expect(arcWidth(5, 5)).toBe(3);
		expect(arcWidth(19, 5)).toBe(3);
		expect(arcWidth(20, 5)).toBe(5);
		expect(arcWidth(99, 5)).toBe(8);
		expect(arcWidth(500, 5)).toBe(12);
		expect(arcWidth(null, 5)).toBe(WITHHELD_ARC_WIDTH);
		// k = 10 (meeting output): the first class starts at 10; k above a break drops that break.
		expect(arcClasses(10)[0]).toEqual({ lo: 10, hi: 20, width: 3 });
		expect(arcClasses(30)).toEqual([
			{ lo: 30, hi: 50, width: 5 },
			{ lo: 50, hi: 100, width: 8 },
			{ lo: 100, hi: null, width: 12 }
		]);
	});

	it('toDeck draws arcs and sites from the data', () => {
		const specs = definition.toDeck(data, { ...ctx, hoveredId: 2 });
		expect(specs.map((s) => s.type)).toEqual(['ArcLayer', 'ScatterplotLayer']);
		const [arcs, sites] = specs;
		expect(arcs.props.data).toBe(data.arcs);
		expect(arcs.props.opacity).toBe(0.8);
		const width = arcs.props.getWidth as Accessor<ArcFeature>;
		expect(data.arcs.map((a) => width(a))).toEqual([12, WITHHELD_ARC_WIDTH, WITHHELD_ARC_WIDTH]);
		const target = arcs.props.getTargetColor as Accessor<ArcFeature>;
		// Site 2 is hovered: its arc keeps full alpha, the others fade.
		expect(target(data.arcs[2])).toEqual(SUPPRESSED_COLOR);
		expect((target(data.arcs[0]) as number[]).slice(0, 3)).toEqual(ARC_COLOR.slice(0, 3));
		expect((target(data.arcs[0]) as number[])[3]).toBeLessThan(ARC_COLOR[3]);
		expect((arcs.props.getSourcePosition as Accessor<ArcFeature>)(data.arcs[0])).toEqual([106.1, 30.9]);
		// Sites: biggest first; size from capacity; outline from status.
		expect((sites.props.data as SiteFeature[]).map((s) => s.id)).toEqual([1, 3, 2]);
		const radius = sites.props.getRadius as Accessor<SiteFeature>;
		expect(radius(data.sites[0])).toBeCloseTo(siteRadius(200));
		expect(siteRadius(1000)).toBeGreaterThan(siteRadius(200));
		const line = sites.props.getLineWidth as Accessor<SiteFeature>;
		expect(line(data.sites[0])).toBe(3);
		expect(line(data.sites[1])).toBe(1 + 2); // candidate, hovered
		const fill = sites.props.getFillColor as Accessor<SiteFeature>;
		expect(fill(data.sites[1])).toEqual([...SUPPRESSED_COLOR.slice(0, 3), 90]); // withheld, candidate alpha
		expect(fill(data.sites[2])).toEqual([...YL_OR_RD[0].slice(0, 3), 230]); // 0 assigned: not withheld
	});

	it('tooltips and details never print a withheld count', () => {
		const params = { ...DEFAULT_PARAMS, k: 5 };
		const small = data.sites[1];
		const texts: string[] = [];
		for (const locale of ['zh-CN', 'en'] as const) {
			texts.push(definition.tooltip(small, locale, params)!);
			texts.push(definition.tooltip(data.arcs[1], locale, params)!);
			texts.push(...definition.details!(small, locale, params).map((r) => r.value));
			texts.push(...definition.details!(data.arcs[1], locale, params).map((r) => r.value));
			texts.push(...definition.details!(data.sites[0], locale, params).map((r) => r.value));
		}
		// The objects hold no count for withheld items, so no digit 1..4 can be a household count;
		// every withheld line says so instead.
		expect(texts.filter((t) => /不公开|withheld/.test(t)).length).toBeGreaterThan(6);
		expect(definition.tooltip(data.arcs[1], 'en', params)).toBe('乙村 → 城北安置点\nmoving: withheld (under 5, or protecting such a count)');
		expect(definition.tooltip(data.arcs[0], 'zh-CN', params)).toBe('甲村 → 城北安置点\n搬迁：120 户');
		expect(definition.tooltip(small, 'en', params)).toBe('小安置点 (candidate)\ncapacity: 40 households\nassigned: withheld (under 5, or protecting such a count)');
		// A request for k = 3 is raised to the floor of 5 by the server; the text says 5 too.
		expect(definition.tooltip(data.arcs[1], 'en', { ...params, k: 3 })).toContain('under 5');
	});

	it('the site card lists kind, status, capacity, origins, cost and gap', () => {
		const en = Object.fromEntries(definition.details!(data.sites[0], 'en', DEFAULT_PARAMS).map((r) => [r.label, r.value]));
		expect(en).toMatchObject({
			name: '城北安置点',
			kind: 'county-town settlement',
			status: 'built',
			capacity: '200 households',
			'assigned households': '150 households',
			'origin villages': '3',
			villages: '甲村 (120 households); 乙村 (withheld); 丙村 (withheld)',
			'total cost (land + building)': '19,000,000 yuan',
			'housing-cost gap, total': '8,250,000 yuan',
			'gap per household': '55,000 yuan',
			'share over the self-funding cap': '100%'
		});
		const zh = Object.fromEntries(definition.details!(data.sites[0], 'zh-CN', DEFAULT_PARAMS).map((r) => [r.label, r.value]));
		expect(zh['总投资（土地 + 建设）']).toBe('1,900 万元');
		expect(zh['住房资金缺口合计']).toBe('825 万元');
		expect(zh['户均缺口']).toBe('5.5 万元');
	});
});

describe('suppressTable', () => {
	it('withholds 1..k−1 and, where a total is published, enough cells to protect them', () => {
		// Site S: A 9, B 3, C 2 → B and C withheld (primary), together 5 ≥ k and two cells: safe.
		// Site T: D 20, E 30 → nothing small, nothing withheld.
		const cells = [
			{ row: 'A', col: 'S', count: 9 },
			{ row: 'B', col: 'S', count: 3 },
			{ row: 'C', col: 'S', count: 2 },
			{ row: 'D', col: 'T', count: 20 },
			{ row: 'E', col: 'T', count: 30 }
		];
		const r = suppressTable(cells, 5);
		expect(r.cells).toEqual([false, true, true, false, false]);
		expect([...r.rows].sort()).toEqual(['B', 'C']); // village totals 3 and 2
		expect([...r.cols]).toEqual([]);
	});

	it('never leaves one withheld cell alone in a published line', () => {
		// Site S: A 9, B 3 → B alone could be recovered as 12 − 9, so A is withheld too.
		const r = suppressTable([{ row: 'A', col: 'S', count: 9 }, { row: 'B', col: 'S', count: 3 }, { row: 'A', col: 'T', count: 7 }], 5);
		// Then row A (16) has A→S withheld alone: A→T is withheld; column T has only A→T, so T's
		// total is withheld (nothing else to hide there).
		expect(r.cells).toEqual([true, true, true]);
		expect([...r.cols]).toEqual(['T']);
		expect([...r.rows]).toEqual(['B']);
	});

	it('protects through rows (village totals published by the gap layer) and hidden parts', () => {
		// Village A: 40 to S, 2 with no site yet (never shown) → row residual 2 < 5 → A→S withheld;
		// column S then has A→S (40) withheld alone, next to B→S (7): B→S withheld too; row B then
		// has B→S alone next to B→T (8): B→T withheld; column T has nothing else → T's total withheld.
		const cells = [
			{ row: 'A', col: 'S', count: 40 },
			{ row: 'A', col: null, count: 2 },
			{ row: 'B', col: 'S', count: 7 },
			{ row: 'B', col: 'T', count: 8 }
		];
		const r = suppressTable(cells, 5);
		expect(r.cells).toEqual([true, true, true, true]);
		expect([...r.cols]).toEqual(['T']);
		// Order of the input does not change the answer.
		expect(suppressTable([...cells].reverse(), 5).cells.reverse()).toEqual(r.cells);
		// A never-shown part of ≥ k alone is fine: it lies in no other line.
		expect(suppressTable([{ row: 'A', col: 'S', count: 40 }, { row: 'A', col: null, count: 6 }], 5).cells).toEqual([false, true]);
	});

	it('leaves tables without small cells alone, and a small line whole', () => {
		expect(suppressTable([{ row: 'A', col: 'S', count: 5 }], 5).cells).toEqual([false]);
		const small = suppressTable([{ row: 'A', col: 'S', count: 2 }, { row: 'B', col: 'S', count: 1 }], 5);
		expect(small.cells).toEqual([true, true]);
		expect([...small.cols]).toEqual(['S']);
	});
});
