// The pure parts of the industrial-chain-coverage layer: the coverage core (hand-made reach rows),
// the legend and the style reading one scale, toDeck on hand-made data, tooltip and details.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_PARAMS, STAGES, type LayerParams, type Stage } from '../params.ts';
import {
	buildCoverage,
	emptyCoverage,
	convexHull,
	thresholdsFrom,
	type CoverageData,
	type CoverageSite,
	type CoverageVillage,
	type ReachRow,
	type VillageInput
} from './coverage.ts';
import {
	definition,
	gapRows,
	GAP_RING_COLOR,
	SERVICE_AREA_FILL_ALPHA,
	STAGE_COLORS,
	STAGES_REACHED_SCALE,
	withAlpha
} from './definition.ts';

const params: LayerParams = { ...DEFAULT_PARAMS, county: '511304', year: 2016 };
const thresholds = thresholdsFrom(null);

/** Reach rows from minutes by road in chain order; null = no site reachable. */
function rows(code: string, minutes: (number | null)[]): ReachRow[] {
	return STAGES.map((stage, i) => ({
		village_code: code,
		stage,
		minutes: minutes[i],
		reached: minutes[i] !== null && minutes[i]! <= thresholds[i].minutes
	}));
}

const villagesIn: VillageInput[] = [
	{ code: '511304100001', name_zh: '甲村', township_zh: '测试镇', lon: 106, lat: 30.8, poor_households: 12 },
	{ code: '511304100002', name_zh: '乙村', township_zh: '测试镇', lon: 106, lat: 30.53, poor_households: 3 },
	{ code: '511304100003', name_zh: '丙村', township_zh: null, lon: 106, lat: 31.04, poor_households: 0 }
];
// Thresholds: production 20, processing 30, cold chain 45, logistics 60, marketing 60 minutes.
const reach = [
	...rows('511304100001', [4, 20, 40, 10, 120]), // ✓ ✓ ✓ ✓ ✗ -> 4
	...rows('511304100002', [4, 80, 100, 50, 180]), // ✓ ✗ ✗ ✓ ✗ -> 2
	...rows('511304100003', [50, 34, 14, 64.25, null]) // ✗ ✗ ✓ ✗ ✗ -> 1
];

function sample(): CoverageData {
	const { villages, summary } = buildCoverage({
		villages: villagesIn,
		reach,
		thresholds,
		siteCounts: { processing: { operating: 1, planned: 1 } },
		k: 5
	});
	const site = (id: number, status: CoverageSite['status'], lat: number): CoverageSite => ({
		kind: 'site',
		id,
		name_zh: `加工厂${id}`,
		stage: 'processing',
		status,
		county_code: '511304',
		position: [106, lat],
		threshold_min: 30,
		villages_within: 1,
		service_area: status === 'operating' ? [[106, lat], [106.1, lat], [106, lat + 0.1], [106, lat]] : null,
		jobs: status === 'operating' ? 120 : null
	});
	return {
		...emptyCoverage({ county: '511304', stage: 'processing', year: 2016, k: 5 }),
		chain: 'citrus',
		chain_is_main: true,
		scenario: { id: 1, name: '基准方案' },
		villages,
		sites: [site(3, 'operating', 30.89), site(4, 'planned', 30.53)],
		summary
	};
}

describe('coverage core', () => {
	test('thresholds: defaults, scenario values, bad values fall back', () => {
		expect(thresholds.map((t) => [t.stage, t.minutes])).toEqual([
			['production', 20],
			['processing', 30],
			['cold_chain', 45],
			['logistics', 60],
			['marketing', 60]
		]);
		const t = thresholdsFrom({ processing: 90, cold_chain: -1, logistics: 'x' });
		expect(t.find((x) => x.stage === 'processing')).toEqual({ stage: 'processing', minutes: 90 });
		expect(t.find((x) => x.stage === 'cold_chain')!.minutes).toBe(45);
		expect(t.find((x) => x.stage === 'logistics')!.minutes).toBe(60);
	});

	test('convex hull: a closed counter-clockwise ring without inner or collinear points; null without an area', () => {
		expect(convexHull([[0, 0], [2, 0], [1, 1], [2, 2], [0, 2], [1, 0]])).toEqual([[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]);
		expect(convexHull([[0, 0], [1, 1]])).toBeNull();
		expect(convexHull([[0, 0], [1, 1], [2, 2]])).toBeNull();
	});

	test('stages reached, missing, suppression and flags per village', () => {
		const [a, b, c] = sample().villages;
		expect([a.stages_reached, b.stages_reached, c.stages_reached]).toEqual([4, 2, 1]);
		expect(a.missing).toEqual(['marketing']);
		expect(b.missing).toEqual(['processing', 'cold_chain', 'marketing']);
		expect(c.reached).toEqual([false, false, true, false, false]);
		expect(c.nearest_min).toEqual([50, 34, 14, 64.3, null]);
		// 12 >= k is shown; 3 is suppressed (null, never the number); 0 stays 0.
		expect([a.poor_households, a.poor_households_suppressed, a.flagged]).toEqual([12, false, true]);
		expect([b.poor_households, b.poor_households_suppressed, b.flagged, b.poor]).toEqual([null, true, true, true]);
		expect([c.poor_households, c.poor, c.flagged]).toEqual([0, false, false]);
		expect(JSON.stringify(b)).not.toMatch(/:3[,}]/);
	});

	test('summary per stage: villages and shown poor households not reached; suppressed villages only counted', () => {
		const s = sample().summary;
		expect(s.by_stages_reached).toEqual([0, 1, 1, 0, 1, 0]);
		expect([s.villages, s.poor_villages, s.poor_households, s.poor_villages_suppressed, s.flagged_villages]).toEqual([3, 2, 12, 1, 2]);
		const gap = (stage: Stage) => {
			const g = s.stages.find((x) => x.stage === stage)!;
			return [g.villages_not_reached, g.poor_villages_not_reached, g.poor_households_not_reached, g.poor_villages_not_reached_suppressed];
		};
		expect(gap('production')).toEqual([1, 0, 0, 0]); // C
		expect(gap('processing')).toEqual([2, 1, 0, 1]); // B, C; B's 3 never enters a sum
		expect(gap('cold_chain')).toEqual([1, 1, 0, 1]); // B
		expect(gap('logistics')).toEqual([1, 0, 0, 0]); // C
		expect(gap('marketing')).toEqual([3, 2, 12, 1]); // A, B, C
		expect(s.weakest_stage).toBe('marketing');
		expect(s.stages.find((x) => x.stage === 'processing')).toMatchObject({ operating_sites: 1, planned_sites: 1, minutes: 30 });
	});

	test('property: raising thresholds never lowers coverage (seeded)', () => {
		const distance = fc.option(fc.double({ min: 0, max: 240, noNaN: true }), { nil: null });
		fc.assert(
			fc.property(
				fc.array(fc.array(distance, { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 12 }),
				fc.array(fc.integer({ min: 1, max: 180 }), { minLength: 5, maxLength: 5 }),
				fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 5, maxLength: 5 }),
				(dists, minutes, raise) => {
					const run = (m: number[]) => {
						const t = thresholdsFrom(Object.fromEntries(STAGES.map((s, i) => [s, m[i]])));
						const vs = dists.map((_, i) => ({ code: `v${i}`, name_zh: `v${i}`, township_zh: null, lon: 0, lat: 0, poor_households: i % 7 }));
						const rs = dists.flatMap((d, i) =>
							STAGES.map((stage, j) => ({ village_code: `v${i}`, stage, minutes: d[j], reached: d[j] !== null && d[j]! <= t[j].minutes }))
						);
						return buildCoverage({ villages: vs, reach: rs, thresholds: t, k: 5 });
					};
					const lo = run(minutes);
					const hi = run(minutes.map((m, i) => m + raise[i]));
					lo.villages.forEach((v, i) => {
						expect(hi.villages[i].stages_reached).toBeGreaterThanOrEqual(v.stages_reached);
						v.reached.forEach((r, j) => r && expect(hi.villages[i].reached[j]).toBe(true));
					});
					lo.summary.stages.forEach((g, j) => {
						expect(hi.summary.stages[j].villages_not_reached).toBeLessThanOrEqual(g.villages_not_reached);
						expect(hi.summary.stages[j].poor_villages_not_reached).toBeLessThanOrEqual(g.poor_villages_not_reached);
					});
				}
			),
			{ seed: 20_240_511, numRuns: 200 }
		);
	});
});

describe('definition', () => {
	const data = sample();
	const specs = definition.toDeck(data, { params, locale: 'zh-CN', opacity: 0.9 });
	const spec = (suffix: string) => specs.find((s) => s.props.id === `industrial-chain-coverage-${suffix}`)!.props;
	type Accessor<T, R> = (d: T) => R;

	test('layers in drawing order: service areas under villages, rings, then sites', () => {
		expect(specs.map((s) => [s.type, s.props.id])).toEqual([
			['PolygonLayer', 'industrial-chain-coverage-service-areas'],
			['ScatterplotLayer', 'industrial-chain-coverage-villages'],
			['ScatterplotLayer', 'industrial-chain-coverage-poor-gaps'],
			['ScatterplotLayer', 'industrial-chain-coverage-sites']
		]);
		for (const s of specs) expect(s.props.opacity).toBe(0.9);
	});

	test('service areas: operating sites only, the hull of the villages each reaches by road', () => {
		const p = spec('service-areas');
		expect((p.data as CoverageSite[]).map((s) => s.id)).toEqual([3]);
		expect((p.getPolygon as Accessor<CoverageSite, [number, number][]>)(data.sites[0])).toEqual(data.sites[0].service_area);
		expect(p.stroked).toBe(true);
		expect((p.getFillColor as number[])[3]).toBeLessThan(100); // semi-transparent
	});

	test('legend and style share the stages-reached breaks and colours', () => {
		const legend = definition.legend(params, data);
		const fill = spec('villages').getFillColor as Accessor<CoverageVillage, number[]>;
		expect(STAGES_REACHED_SCALE.breaks).toEqual([1, 2, 3, 4, 5]);
		for (let n = 0; n <= 5; n++) {
			const v = { ...data.villages[0], stages_reached: n };
			expect(fill(v)).toEqual(legend.items[n].color);
			expect(legend.items[n].color).toEqual(STAGES_REACHED_SCALE.colors[n]);
		}
		expect(legend.items[0].label.en).toBe('no stage reached');
		expect(legend.items[5].label['zh-CN']).toBe('5 个环节可达（全链）');
		// Ring, site symbol and service area: the colours the layers draw with.
		expect(legend.items[6]).toMatchObject({ color: GAP_RING_COLOR, shape: 'ring' });
		expect(spec('poor-gaps').getLineColor).toEqual(GAP_RING_COLOR);
		expect(legend.items[7].color).toEqual(STAGE_COLORS.processing);
		expect((spec('sites').getFillColor as Accessor<CoverageSite, number[]>)(data.sites[0])).toEqual(STAGE_COLORS.processing);
		expect(legend.items[8].color).toEqual(spec('service-areas').getFillColor);
		expect(legend.items[8].color).toEqual(withAlpha(STAGE_COLORS.processing, SERVICE_AREA_FILL_ALPHA));
		expect(legend.kind).toBe('sequential');
	});

	test('legend labels carry the thresholds in both languages', () => {
		const legend = definition.legend(params, data);
		expect(legend.items[8].label).toEqual({ 'zh-CN': '加工 ≤ 30 分钟车程', en: 'processing ≤ 30 min by road' });
		expect(legend.title).toEqual({ 'zh-CN': '产业链覆盖 · 柑橘', en: 'Industrial-chain coverage · citrus' });
		expect(legend.note!['zh-CN']).toContain('仓储冷链 ≤ 45 分钟车程');
		expect(legend.note!.en).toContain('marketing and e-commerce ≤ 60 min by road');
		expect(legend.note!.en).toContain('walking 4 km/h');
		// Without data (the registry listing): default thresholds and the requested stage.
		const bare = definition.legend({ ...DEFAULT_PARAMS, stage: 'cold_chain' });
		expect(bare.items[8].label.en).toBe('storage and cold chain ≤ 45 min by road');
		expect(bare.items[8].color).toEqual(withAlpha(STAGE_COLORS.cold_chain, SERVICE_AREA_FILL_ALPHA));
		expect(bare.title.en).toBe('Industrial-chain coverage');
	});

	test('rings pick out the poor villages the drawn stage misses; no size encodes a household count', () => {
		const p = spec('poor-gaps');
		// Processing (30 min): 甲 is reached (20), 乙 is not (80); 丙 is not poor.
		expect((p.data as CoverageVillage[]).map((v) => v.code)).toEqual(['511304100002']);
		expect(definition.legend(params, data).items[6].label).toEqual({ 'zh-CN': '贫困村：加工未覆盖', en: 'poor village processing does not reach' });
		// Marketing reaches neither poor village: both ringed; production reaches both: none.
		const ringsAt = (stage: CoverageData['stage']) =>
			(definition.toDeck({ ...data, stage }, { params, locale: 'en', opacity: 1 }).find((x) => x.props.id.endsWith('poor-gaps'))!.props.data as CoverageVillage[]).map((v) => v.code);
		expect(ringsAt('marketing')).toEqual(['511304100001', '511304100002']);
		expect(ringsAt('production')).toEqual([]);
		expect(p.getRadius).toBe(9);
		expect(p.filled).toBe(false);
		const radius = spec('villages').getRadius as Accessor<CoverageVillage, number>;
		const sizes = new Set(data.villages.map(radius));
		expect(sizes).toEqual(new Set([5]));
		// Hover enlarges only the hovered village.
		const hovered = definition.toDeck(data, { params, locale: 'en', opacity: 1, hoveredId: '511304100002' });
		const r2 = hovered[1].props.getRadius as Accessor<CoverageVillage, number>;
		expect(data.villages.map(r2)).toEqual([5, 8, 5]);
	});

	test('planned sites: hollow symbol, no service area', () => {
		const p = spec('sites');
		const fill = p.getFillColor as Accessor<CoverageSite, number[]>;
		expect(fill(data.sites[1])).toEqual([255, 255, 255, 255]);
		expect((p.getLineColor as Accessor<CoverageSite, number[]>)(data.sites[1])).toEqual(STAGE_COLORS.processing);
	});

	test('tooltip: village, stages reached and missing with distances, suppressed count', () => {
		const [a, b, c] = data.villages;
		expect(definition.tooltip(b, 'zh-CN', params)).toBe(
			[
				'乙村（测试镇）',
				'2/5 个环节可达，缺：加工、仓储冷链、营销电商',
				'生产基地 ✓ 4 分钟',
				'加工 ✗ 80 分钟',
				'仓储冷链 ✗ 100 分钟',
				'物流 ✓ 50 分钟',
				'营销电商 ✗ 180 分钟',
				'2016 年末未脱贫户：< 5 户'
			].join('\n')
		);
		const en = definition.tooltip(c, 'en', params)!;
		expect(en.split('\n')).toEqual([
			'丙村',
			'1 of 5 stages reached; missing: production base, processing, logistics, marketing and e-commerce',
			'production base ✗ 50 min',
			'processing ✗ 34 min',
			'storage and cold chain ✓ 14 min',
			'logistics ✗ 64.3 min',
			'marketing and e-commerce ✗ none reachable by road',
			'no household still poor at the end of 2016'
		]);
		expect(definition.tooltip(a, 'en', { ...params, k: 10 })).toContain('households still poor at the end of 2016: 12');
		expect(definition.tooltip(data.sites[1], 'zh-CN', params)).toBe('加工厂4\n加工 · 规划中（不计入覆盖）\n30 分钟车程内 1 个村');
	});

	test('details rows', () => {
		const rowsB = definition.details!(data.villages[1], 'en', { ...params, k: 10 });
		expect(rowsB).toEqual([
			{ label: 'village', value: '乙村' },
			{ label: 'code', value: '511304100002' },
			{ label: 'township', value: '测试镇' },
			{ label: 'stages reached', value: '2/5' },
			{ label: 'production base', value: '✓ 4 min' },
			{ label: 'processing', value: '✗ 80 min' },
			{ label: 'storage and cold chain', value: '✗ 100 min' },
			{ label: 'logistics', value: '✓ 50 min' },
			{ label: 'marketing and e-commerce', value: '✗ 180 min' },
			{ label: 'households still poor', value: '< 10' }
		]);
		const site = definition.details!(data.sites[0], 'zh-CN', params);
		expect(site).toContainEqual({ label: '状态', value: '运营中' });
		expect(site).toContainEqual({ label: '就业岗位', value: '120' });
	});

	test('side-panel rows: per-stage gaps, suppressed villages named, never counted in households', () => {
		const rowsZh = gapRows(data, 'zh-CN');
		const processing = rowsZh.find((r) => r.stage === 'processing')!;
		expect(processing).toMatchObject({
			threshold: '加工 ≤ 30 分钟车程',
			sites: '运营 1，规划 1',
			villagesNotReached: '2/3',
			poorVillagesNotReached: '1/2',
			poorHouseholdsNotReached: '0 户（另 1 个村各不足 5 户，不计入）'
		});
		const marketing = gapRows(data, 'en').find((r) => r.stage === 'marketing')!;
		expect(marketing).toMatchObject({ poorHouseholdsNotReached: '12 (+ 1 village with fewer than 5 each, not counted)', weakest: true });
	});

	test('registry entry', () => {
		expect(definition.id).toBe('industrial-chain-coverage');
		expect(definition.format).toBe('json');
		expect(definition.params).toEqual(expect.arrayContaining(['county', 'chain', 'stage', 'scenario', 'year', 'k']));
	});
});
