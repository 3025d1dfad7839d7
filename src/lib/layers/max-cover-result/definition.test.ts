// The best-new-sites layer's pure parts: shaping and suppressing a stored run, the deck.gl specs as
// data, legend colours shared with the style, and tooltips in both languages.
import { describe, expect, test } from 'vitest';
import { DEFAULT_PARAMS, type LayerParams } from '../params.ts';
import { definition, LINK_ALPHA, REACH_COLOR, SITE_FILL, SITE_RADIUS, SITE_RING } from './definition.ts';
import { maxCoverResultData, type NewSite, type NewlyCoveredVillage, type StoredMaxCover } from './result.ts';
import { withAlpha } from '../industrial-chain-coverage/definition.ts';

const params: LayerParams = { ...DEFAULT_PARAMS, county: '360731', stage: 'processing' };
const stored: StoredMaxCover = {
	county: '360731',
	chain: 'navel_orange',
	stage: 'processing',
	year: 2016,
	q: 2,
	k: 5,
	threshold: 30,
	scenario: null,
	candidates: { kind: 'villages', count: 401 },
	uncovered_poor_villages: 357,
	status: 'optimal',
	chosen: [
		{ kind: 'village', ref: 'v1', name_zh: '甲村委会', lon: 115.4, lat: 25.9, rank: 1, poor_households: 212, villages: [
			{ code: 'v1', name_zh: '甲村委会', lon: 115.4, lat: 25.9, minutes: 0 },
			{ code: 'v2', name_zh: '乙村委会', lon: 115.42, lat: 25.91, minutes: 12.5 }
		] },
		{ kind: 'point', ref: '0', name_zh: null, lon: 115.6, lat: 26.1, rank: 2, poor_households: 7, villages: [{ code: 'v3', name_zh: '丙村委会', lon: 115.61, lat: 26.1, minutes: 9 }] }
	]
};
const data = maxCoverResultData({ id: 42, finished_at: '2026-11-22T22:00:00.000Z' }, stored, 5);

describe('maxCoverResultData', () => {
	test('sites ranked, villages with their site, the total only of shown counts', () => {
		expect(data.sites.map((s) => [s.id, s.rank, s.candidate, s.poor_households, s.villages])).toEqual([
			['42-1', 1, 'village', 212, 2],
			['42-2', 2, 'point', 7, 1]
		]);
		expect(data.villages.map((v) => [v.code, v.rank, v.minutes, v.site_position])).toEqual([
			['v1', 1, 0, [115.4, 25.9]],
			['v2', 1, 12.5, [115.4, 25.9]],
			['v3', 2, 9, [115.6, 26.1]]
		]);
		expect([data.covered, data.covered_sites_suppressed]).toEqual([219, 0]);
	});

	test('a larger k withholds more, and the total leaves the withheld site out', () => {
		const meeting = maxCoverResultData({ id: 42, finished_at: null }, stored, 10);
		expect(meeting.sites.map((s) => s.poor_households)).toEqual([212, null]);
		expect([meeting.k, meeting.covered, meeting.covered_sites_suppressed]).toEqual([10, 212, 1]);
		// k never drops below the run's own.
		expect(maxCoverResultData({ id: 42, finished_at: null }, { ...stored, k: 8 }, 5).sites[1].poor_households).toBeNull();
	});
});

describe('definition', () => {
	const specs = definition.toDeck(data, { params, locale: 'zh-CN', opacity: 0.7 });
	const spec = (suffix: string) => specs.find((s) => s.props.id === `max-cover-result-${suffix}`)!.props;

	test('links under village rings under sites, the priority number on top', () => {
		expect(specs.map((s) => [s.type, s.props.id])).toEqual([
			['LineLayer', 'max-cover-result-links'],
			['ScatterplotLayer', 'max-cover-result-villages'],
			['ScatterplotLayer', 'max-cover-result-sites'],
			['TextLayer', 'max-cover-result-ranks']
		]);
		for (const s of specs) expect(s.props.opacity).toBe(0.7);
		expect((spec('ranks').getText as (d: NewSite) => string)(data.sites[1])).toBe('2');
		expect((spec('links').getSourcePosition as (d: NewlyCoveredVillage) => number[])(data.villages[2])).toEqual([115.6, 26.1]);
	});

	test('legend and style share colours; no size encodes a count', () => {
		const legend = definition.legend(params, data);
		expect(legend.items.map((i) => i.color)).toEqual([SITE_RING, REACH_COLOR, withAlpha(REACH_COLOR, LINK_ALPHA)]);
		expect(spec('sites').getFillColor).toEqual(SITE_FILL);
		expect(spec('sites').getLineColor).toEqual(SITE_RING);
		expect(spec('villages').getLineColor).toEqual(REACH_COLOR);
		expect(spec('links').getColor).toEqual(withAlpha(REACH_COLOR, LINK_ALPHA));
		const radius = spec('sites').getRadius as (d: NewSite) => number;
		expect(new Set(data.sites.map(radius))).toEqual(new Set([SITE_RADIUS]));
		expect(legend.title).toEqual({ 'zh-CN': '新站点选址 · 脐橙加工', en: 'Best new sites · navel orange processing' });
		expect(legend.note!.en).toContain('Run 42');
		expect(legend.note!.en).toContain('together they newly reach 219 poor households');
	});

	test('tooltips and details in both languages; a drawn point is named by its position', () => {
		expect(definition.tooltip(data.sites[1], 'zh-CN', params)).toBe('建议新建站点 2：自选点 115.6000, 26.1000\n新覆盖贫困村 1 个，贫困户 7 户');
		expect(definition.tooltip(data.villages[1], 'zh-CN', params)).toBe('乙村委会\n到新站点 1：12.5 分钟车程');
		expect(definition.details!(data.sites[0], 'en', params).map((r) => r.value)).toEqual(['1', '甲村委会', 'village seat', '2', '212']);
	});
});
