import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CHAINS, POVERTY_CAUSES, STAGES, YEARS, paramsToSearch } from '$lib/layers/params';
import {
	DEFAULT_LINKED,
	DEFAULT_OPACITY,
	MapUrlState,
	mapUrlSearch,
	parseMapUrl,
	resolveLayerEntries,
	serializeMapUrl,
	type MapUrl
} from './map-url-state.svelte.ts';

const REGISTRY = ['housing-cost-gap', 'industrial-chain-coverage', 'poverty-density', 'relocation-sites'];
const parse = (q: string, known: readonly string[] | null = REGISTRY) => parseMapUrl(new URLSearchParams(q), known);

describe('parseMapUrl', () => {
	it('reads a full link', () => {
		const url = parse(
			'lang=en&county=360731&center=115.41234,25.95123&zoom=9.25&layers=poverty-density:60,industrial-chain-coverage:100' +
				'&year=2016&causes=illness,disability&chain=navel_orange&stage=cold_chain&scenario=2&k=10&run=14'
		);
		expect(url).toEqual<MapUrl>({
			lang: 'en',
			county: '360731',
			view: { center: [115.41234, 25.95123], zoom: 9.25 },
			layers: [
				{ id: 'poverty-density', opacity: 0.6 },
				{ id: 'industrial-chain-coverage', opacity: 1 }
			],
			params: { year: 2016, causes: ['disability', 'illness'], chain: 'navel_orange', stage: 'cold_chain', scenario: 2, k: 10, run: 14 }
		});
	});

	it('gives defaults for an empty URL', () => {
		expect(parse('')).toEqual({ lang: null, county: null, view: null, layers: null, params: DEFAULT_LINKED });
	});

	it('tells "no layers param" (defaults) from "layers=" (none)', () => {
		expect(parse('').layers).toBeNull();
		expect(parse('layers=').layers).toEqual([]);
	});

	it('drops bad parts one by one and keeps the rest', () => {
		const url = parse('county=36073&center=200,25&zoom=9&year=2031&causes=illness,flu&chain=durian&stage=retail&k=1&scenario=-1');
		expect(url.county).toBeNull();
		expect(url.view).toBeNull();
		expect(url.params).toEqual(DEFAULT_LINKED);
		// A bad year does not cost the good chain.
		expect(parse('year=1999&chain=tea').params).toMatchObject({ year: DEFAULT_LINKED.year, chain: 'tea' });
	});

	it('needs both center and zoom, clamps zoom to the map range', () => {
		expect(parse('center=115,25').view).toBeNull();
		expect(parse('zoom=9').view).toBeNull();
		expect(parse('center=115,25&zoom=').view).toBeNull();
		expect(parse('center=115,&zoom=9').view).toBeNull();
		expect(parse('center=115,25&zoom=40').view).toEqual({ center: [115, 25], zoom: 16 });
		expect(parse('center=115,25&zoom=0').view).toEqual({ center: [115, 25], zoom: 3 });
	});

	it('drops unknown, malformed and repeated layer ids; clamps opacity', () => {
		expect(parse('layers=nope:50,poverty-density,poverty-density:20,relocation-sites:250,housing-cost-gap:x,Bad_Id').layers).toEqual([
			{ id: 'poverty-density', opacity: DEFAULT_OPACITY },
			{ id: 'relocation-sites', opacity: 1 }
		]);
		// Without a registry any well-formed id stays (the state resolves it against the registry later).
		expect(parse('layers=future-layer:40', null).layers).toEqual([{ id: 'future-layer', opacity: 0.4 }]);
	});
});

describe('serializeMapUrl', () => {
	it('writes a stable, readable order and leaves defaults out', () => {
		const s = serializeMapUrl({
			lang: 'zh-CN',
			county: '360731',
			view: { center: [115.412344444, 25.9512], zoom: 9.256 },
			layers: [{ id: 'poverty-density', opacity: 0.8 }],
			params: { ...DEFAULT_LINKED, causes: ['illness', 'disability'] }
		});
		expect(decodeURIComponent(s.toString())).toBe(
			'lang=zh-CN&county=360731&center=115.41234,25.9512&zoom=9.26&layers=poverty-density:80&causes=disability,illness'
		);
	});

	it('writes an empty layer list as layers= so that "none" survives a round trip', () => {
		const s = serializeMapUrl({ lang: null, county: null, view: null, layers: [], params: DEFAULT_LINKED });
		expect(s.toString()).toBe('layers=');
		expect(parseMapUrl(s).layers).toEqual([]);
	});

	it('uses the same text form as the layer data URLs for shared parameters', () => {
		const params = { ...DEFAULT_LINKED, year: 2017, causes: ['illness', 'schooling'], chain: 'tea', stage: 'logistics' as const };
		const page = serializeMapUrl({ lang: null, county: '360731', view: null, layers: null, params });
		const data = paramsToSearch({ ...params, county: '360731', zoom: 9, run: null }, ['county', 'year', 'causes', 'chain', 'stage']);
		for (const key of ['county', 'year', 'causes', 'chain', 'stage']) expect(page.get(key), key).toBe(data.get(key));
	});
});

describe('mapUrlSearch', () => {
	it('keeps commas and colons readable and still parses back', () => {
		const state: MapUrl = {
			lang: 'zh-CN',
			county: null,
			view: { center: [115.4, 25.9], zoom: 9 },
			layers: [
				{ id: 'poverty-density', opacity: 0.8 },
				{ id: 'relocation-sites', opacity: 1 }
			],
			params: { ...DEFAULT_LINKED, causes: ['disability', 'illness'] }
		};
		const search = mapUrlSearch(state);
		expect(search).toBe('lang=zh-CN&center=115.4,25.9&zoom=9&layers=poverty-density:80,relocation-sites:100&causes=disability,illness');
		expect(parseMapUrl(new URLSearchParams(search), REGISTRY)).toEqual(state);
		// Values that need escaping still get it.
		expect(mapUrlSearch({ ...state, layers: null, view: null, lang: null, params: DEFAULT_LINKED, county: null })).toBe('');
	});
});

describe('round trip', () => {
	const id = fc.constantFrom(...REGISTRY);
	const state: fc.Arbitrary<MapUrl> = fc.record({
		lang: fc.constantFrom('zh-CN' as const, 'en' as const, null),
		county: fc.constantFrom('360731', '511304', null),
		view: fc.option(
			fc.record({
				center: fc.tuple(
					fc.integer({ min: -18_000_000, max: 18_000_000 }).map((x) => x / 100_000),
					fc.integer({ min: -8_500_000, max: 8_500_000 }).map((x) => x / 100_000)
				),
				zoom: fc.integer({ min: 300, max: 1600 }).map((x) => x / 100)
			})
		),
		layers: fc.option(
			fc.uniqueArray(id, { maxLength: REGISTRY.length }).chain((ids) =>
				fc.tuple(...ids.map((i) => fc.integer({ min: 0, max: 100 }).map((p) => ({ id: i, opacity: p / 100 }))))
			)
		),
		params: fc.record({
			year: fc.constantFrom(...YEARS),
			causes: fc.uniqueArray(fc.constantFrom(...POVERTY_CAUSES)).map((c) => [...c].sort()),
			chain: fc.option(fc.constantFrom(...CHAINS)),
			stage: fc.option(fc.constantFrom(...STAGES)),
			scenario: fc.option(fc.integer({ min: 1, max: 10_000 })),
			k: fc.integer({ min: 5, max: 100 }),
			run: fc.option(fc.integer({ min: 1, max: 1_000_000 }))
		})
	});

	it('parse(serialize(state)) is the state (values at URL precision)', () => {
		fc.assert(
			fc.property(state, (s) => {
				// A null layer list serialises as nothing and comes back null; every other value is exact.
				expect(parseMapUrl(new URLSearchParams(serializeMapUrl(s).toString()), REGISTRY)).toEqual(s);
				expect(parseMapUrl(new URLSearchParams(mapUrlSearch(s)), REGISTRY)).toEqual(s);
			})
		);
	});

	it('serialize(parse(q)) is stable for any query string', () => {
		fc.assert(
			fc.property(fc.string(), fc.string(), (a, b) => {
				const q = new URLSearchParams({ layers: a, zoom: '9', center: b, year: a, causes: b });
				const once = serializeMapUrl(parseMapUrl(q, REGISTRY));
				expect(serializeMapUrl(parseMapUrl(once, REGISTRY)).toString()).toBe(once.toString());
			})
		);
	});
});

describe('resolveLayerEntries', () => {
	it('lists every registry layer once: linked ones first in their order, then the rest', () => {
		expect(
			resolveLayerEntries(
				[
					{ id: 'relocation-sites', opacity: 0.5 },
					{ id: 'poverty-density', opacity: 1 },
					{ id: 'gone', opacity: 1 }
				],
				REGISTRY
			)
		).toEqual([
			{ id: 'relocation-sites', visible: true, opacity: 0.5 },
			{ id: 'poverty-density', visible: true, opacity: 1 },
			{ id: 'housing-cost-gap', visible: false, opacity: DEFAULT_OPACITY },
			{ id: 'industrial-chain-coverage', visible: false, opacity: DEFAULT_OPACITY }
		]);
	});

	it('shows the defaults without a linked list, and nothing with an empty one', () => {
		expect(resolveLayerEntries(null, REGISTRY, ['poverty-density']).filter((l) => l.visible).map((l) => l.id)).toEqual(['poverty-density']);
		expect(resolveLayerEntries([], REGISTRY).some((l) => l.visible)).toBe(false);
		expect(resolveLayerEntries(null, [], ['poverty-density'])).toEqual([]);
	});
});

describe('MapUrlState', () => {
	const make = (q: string) => new MapUrlState(parse(q), REGISTRY);

	it('reproduces its link', () => {
		const q =
			'lang=en&county=360731&center=115.4,25.9&zoom=9.5&layers=industrial-chain-coverage:100,poverty-density:60&year=2018&chain=tea&stage=logistics';
		const s = make(q);
		expect(s.search).toBe(q);
		expect(s.params).toMatchObject({ county: '360731', year: 2018, chain: 'tea', stage: 'logistics', zoom: 9.5 });
	});

	it('toggles, fades and reorders layers, and the link follows', () => {
		const s = make('layers=poverty-density:80');
		s.setVisible('relocation-sites', true);
		s.setOpacity('relocation-sites', 0.456);
		s.move('relocation-sites', -1);
		expect(s.layers.map((l) => l.id)).toEqual(['poverty-density', 'housing-cost-gap', 'relocation-sites', 'industrial-chain-coverage']);
		s.move('relocation-sites', -1);
		s.move('relocation-sites', -1);
		s.move('relocation-sites', -1); // already on top: no change
		expect(s.visible.map((l) => l.id)).toEqual(['relocation-sites', 'poverty-density']);
		expect(new URLSearchParams(s.search).get('layers')).toBe('relocation-sites:46,poverty-density:80');
		s.setVisible('poverty-density', false);
		s.setVisible('relocation-sites', false);
		expect(new URLSearchParams(s.search).get('layers')).toBe('');
	});

	it('keeps the analysis run on screen in its link, and a copied link restores it', () => {
		// A result layer drawn from run 14 (set by the panel when the run finished).
		const s = make('county=360731&layers=max-cover-result:100&chain=navel_orange&stage=processing');
		expect(s.params.run).toBeNull();
		s.run = 14;
		expect(new URLSearchParams(s.search).get('run')).toBe('14');
		// The link opened again: the same run, not the latest, and the same link written back.
		const reopened = new MapUrlState(parseMapUrl(new URLSearchParams(s.search), [...REGISTRY, 'max-cover-result']), [...REGISTRY, 'max-cover-result']);
		expect(reopened.run).toBe(14);
		expect(reopened.params.run).toBe(14);
		expect(reopened.search).toBe(s.search);
		// Back to the latest: the parameter leaves the link.
		reopened.run = null;
		expect(new URLSearchParams(reopened.search).has('run')).toBe(false);
	});

	it('forgets the chain and the analysis run when the county changes', () => {
		const s = make('county=360731&chain=navel_orange&run=7');
		s.setCounty('360731');
		expect(s.chain).toBe('navel_orange');
		expect(s.params.run).toBe(7);
		s.setCounty('511304');
		expect(s.chain).toBeNull();
		expect(s.run).toBeNull();
		expect(s.params.county).toBe('511304');
	});

	it('shows a layer on top of the others (an analysis result just computed)', () => {
		const s = make('layers=poverty-density:80,relocation-sites:60');
		s.showOnTop('industrial-chain-coverage');
		expect(s.visible.map((l) => l.id)).toEqual(['industrial-chain-coverage', 'poverty-density', 'relocation-sites']);
		expect(s.layers).toHaveLength(REGISTRY.length);
		s.showOnTop('no-such-layer');
		expect(s.layers).toHaveLength(REGISTRY.length);
	});

	it('carries the compared scenario in the link and forgets both scenarios with the county', () => {
		const s = make('county=360731&layers=&scenario=2&compare=5');
		expect(s.compare).toBe(5);
		expect(s.search).toBe('county=360731&layers=&scenario=2&compare=5');
		s.compare = null;
		expect(new URLSearchParams(s.search).has('compare')).toBe(false);
		s.compare = 7;
		s.setCounty('511304');
		expect(s.scenario).toBeNull();
		expect(s.compare).toBeNull();
		expect(s.search).toBe('county=511304&layers=');
	});
});

describe('compare parameter', () => {
	it('reads a positive scenario id and drops anything else', () => {
		expect(parse('compare=12').compare).toBe(12);
		for (const bad of ['0', '-3', '1.5', 'abc', '', '1e3', '9999999999']) expect(parse(`compare=${bad}`)).not.toHaveProperty('compare');
		// A bad compare costs nothing else.
		expect(parse('compare=x&scenario=4').params.scenario).toBe(4);
	});

	it('writes it after the layer parameters and reads it back', () => {
		const state: MapUrl = { lang: null, county: '511304', view: null, layers: null, params: { ...DEFAULT_LINKED, scenario: 3 }, compare: 8 };
		const search = mapUrlSearch(state);
		expect(search).toBe('county=511304&scenario=3&compare=8');
		expect(parseMapUrl(new URLSearchParams(search))).toEqual(state);
		expect(mapUrlSearch({ ...state, compare: null })).toBe('county=511304&scenario=3');
	});
});
