import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../params.ts';
import { BU_RD, SUPPRESSED_COLOR } from '../scale.ts';
import type { StyleContext } from '../types.ts';
import { definition, GAP_SCALE, gapRadius, MEANS_SHARE_OF_ANNUAL_INCOME, SITE_OUTLINE, type GapPlace, type HousingCostGapData } from './definition.ts';
import { formatHouseholds, formatShare, formatYuan, yuanRange } from './format.ts';

const place = (over: Partial<GapPlace>): GapPlace => ({
	type: 'village',
	id: '511304100001',
	county: '511304',
	name: '甲村',
	position: [106.1, 30.9],
	gap: { households: 12, total: 660_000, perHousehold: 55_000, overCapShare: 1 },
	scenario: '基准方案',
	...over
});

const data: HousingCostGapData = {
	k: 5,
	meansShare: MEANS_SHARE_OF_ANNUAL_INCOME,
	scenarios: [{ county: '511304', id: 1, name: '基准方案' }],
	villages: [
		place({}),
		place({ id: '511304100002', name: '乙村', gap: null }),
		place({ id: '511304100003', name: '丙村', gap: { households: 6, total: -30_000, perHousehold: -5_000, overCapShare: null } })
	],
	sites: [place({ type: 'site', id: '7', name: '城北安置点', position: [106, 30.8], gap: { households: 18, total: 630_000, perHousehold: 35_000, overCapShare: 0.5 } })]
};

const ctx: StyleContext = { params: DEFAULT_PARAMS, locale: 'en', opacity: 1 };
type Accessor<T> = (d: T) => unknown;

describe('yuan formatting', () => {
	it('prints 万元 in Chinese and whole yuan in English', () => {
		expect(formatYuan(25_000, 'zh-CN')).toBe('2.5 万元');
		expect(formatYuan(25_000, 'en')).toBe('25,000 yuan');
		expect(formatYuan(60_030, 'zh-CN')).toBe('6 万元');
		expect(formatYuan(57_030, 'zh-CN')).toBe('5.7 万元');
		expect(formatYuan(1_234_567, 'zh-CN')).toBe('123.46 万元');
		expect(formatYuan(1_234_567.4, 'en')).toBe('1,234,567 yuan');
		expect(formatYuan(-60_000, 'zh-CN')).toBe('−6 万元');
		expect(formatYuan(-60_000, 'en')).toBe('−60,000 yuan');
		expect(formatYuan(-0.2, 'en')).toBe('0 yuan');
		expect(formatYuan(0, 'zh-CN')).toBe('0 万元');
		expect(yuanRange(-60_000, -30_000)).toEqual({ 'zh-CN': '−6 至 −3 万元', en: '−60,000 to −30,000 yuan' });
		expect(yuanRange(null, -60_000)).toEqual({ 'zh-CN': '< −6 万元', en: '< −60,000 yuan' });
		expect(yuanRange(60_000, null)).toEqual({ 'zh-CN': '≥ 6 万元', en: '≥ 60,000 yuan' });
		expect(formatHouseholds(1_250, 'en')).toBe('1,250 households');
		expect(formatHouseholds(12, 'zh-CN')).toBe('12 户');
		expect(formatShare(0.873, 'en')).toBe('87%');
	});
});

describe('housing-cost-gap definition', () => {
	it('legend and style share one diverging scale centred on zero', () => {
		expect(GAP_SCALE.colors).toEqual(BU_RD);
		// Centred: the breaks are symmetric, and zero falls in the middle (neutral) class.
		expect(GAP_SCALE.breaks.map((b) => -b).reverse()).toEqual([...GAP_SCALE.breaks]);
		expect(GAP_SCALE.colorOf(0)).toEqual(BU_RD[3]);
		const legend = definition.legend(DEFAULT_PARAMS, data);
		expect(legend.kind).toBe('diverging');
		const classes = legend.items.slice(0, BU_RD.length);
		expect(classes.map((i) => i.color)).toEqual([...BU_RD]);
		expect(classes.map((i) => i.label['zh-CN'])).toEqual([
			'< −6 万元',
			'−6 至 −3 万元',
			'−3 至 −1 万元',
			'−1 至 1 万元',
			'1 至 3 万元',
			'3 至 6 万元',
			'≥ 6 万元'
		]);
		expect(classes.map((i) => i.label.en)).toEqual([
			'< −60,000 yuan',
			'−60,000 to −30,000 yuan',
			'−30,000 to −10,000 yuan',
			'−10,000 to 10,000 yuan',
			'10,000 to 30,000 yuan',
			'30,000 to 60,000 yuan',
			'≥ 60,000 yuan'
		]);
		// Each value is drawn in the colour of the legend class its label names.
		const [villages] = definition.toDeck(data, ctx);
		const fill = villages.props.getFillColor as Accessor<GapPlace>;
		const cases: [number, number][] = [[-70_000, 0], [-45_000, 1], [-10_001, 2], [-10_000, 3], [9_999, 3], [10_000, 4], [59_999, 5], [60_000, 6]];
		for (const [value, cls] of cases) {
			expect(fill(place({ gap: { households: 9, total: value * 9, perHousehold: value, overCapShare: 1 } }))).toEqual(classes[cls].color);
		}
		expect(fill(place({ gap: null }))).toEqual(SUPPRESSED_COLOR);
		expect(legend.items.find((i) => i.color === SUPPRESSED_COLOR)?.label.en).toBe('withheld (under 5 relocating households, or protecting such a count)');
		expect(legend.note?.en).toContain('50% of a year');
		expect(legend.note?.en).toContain('assumption');
	});

	it('toDeck draws villages and sites from the data', () => {
		const specs = definition.toDeck(data, { ...ctx, hoveredId: '7', opacity: 0.6 });
		expect(specs.map((s) => [s.type, s.props.id])).toEqual([
			['ScatterplotLayer', 'housing-cost-gap-villages'],
			['ScatterplotLayer', 'housing-cost-gap-sites']
		]);
		const [villages, sites] = specs;
		expect(villages.props.opacity).toBe(0.6);
		// Largest |total| first so small circles stay on top.
		expect((villages.props.data as GapPlace[]).map((p) => p.name)).toEqual(['甲村', '丙村', '乙村']);
		const radius = villages.props.getRadius as Accessor<GapPlace>;
		expect(radius(data.villages[1])).toBe(4); // withheld: one fixed size
		expect(radius(data.villages[0])).toBeCloseTo(gapRadius(660_000));
		expect(gapRadius(-660_000)).toBe(gapRadius(660_000));
		expect(gapRadius(20_000_000)).toBeGreaterThan(gapRadius(660_000));
		expect((villages.props.getPosition as Accessor<GapPlace>)(data.villages[0])).toEqual([106.1, 30.9]);
		expect(sites.props.getLineColor).toEqual(SITE_OUTLINE);
		expect((sites.props.getLineWidth as Accessor<GapPlace>)(data.sites[0])).toBe(4); // hovered
		expect((sites.props.getFillColor as Accessor<GapPlace>)(data.sites[0])).toEqual(BU_RD[5]);
	});

	it('tooltips and details: figures in each language, nothing for withheld places', () => {
		expect(definition.tooltip(data.villages[0], 'zh-CN', DEFAULT_PARAMS)).toBe(
			'甲村\n搬迁户数：12 户\n资金缺口合计：66 万元\n户均缺口：5.5 万元\n自筹超上限户占比：100 %'
		);
		expect(definition.tooltip(data.villages[0], 'en', DEFAULT_PARAMS)).toBe(
			'甲村\nrelocating households: 12 households\ntotal gap: 660,000 yuan\ngap per household: 55,000 yuan\nshare over the self-funding cap: 100%'
		);
		expect(definition.tooltip(data.villages[2], 'en', DEFAULT_PARAMS)).toBe(
			'丙村\nrelocating households: 6 households\ntotal surplus: 30,000 yuan\nsurplus per household: 5,000 yuan\nshare over the self-funding cap: withheld (under 5, or protecting such a count)'
		);
		for (const locale of ['zh-CN', 'en'] as const) {
			const text = definition.tooltip(data.villages[1], locale, { ...DEFAULT_PARAMS, k: 10 })!;
			expect(text.split('\n')).toHaveLength(2);
			expect(text).toMatch(/不公开|withheld/);
			expect(text).not.toMatch(/万元|yuan|%/);
			const rows = definition.details!(data.villages[1], locale, DEFAULT_PARAMS);
			expect(rows.map((r) => r.value).join(' ')).not.toMatch(/万元|yuan|%/);
		}
		const details = Object.fromEntries(definition.details!(data.sites[0], 'en', DEFAULT_PARAMS).map((r) => [r.label, r.value]));
		expect(details).toMatchObject({ 'relocation site': '城北安置点', scenario: '基准方案', 'share over the self-funding cap': '50%' });
		expect(details['means (assumption)']).toContain(String(MEANS_SHARE_OF_ANNUAL_INCOME));
	});
});
