// The pure parts of the data overlay: fetching by URL with a cache and aborts, the deck.gl bug
// guard, and how picked items map back to layers. The fetch is a real function over real
// Response objects (a tiny in-process server stand-in); WebGL drawing is covered by tests/e2e.
import { describe, expect, it } from 'vitest';
import {
	LayerDataLoader,
	deckLayerId,
	hoverIdOf,
	inZoomRange,
	pickedObject,
	registryIdOf,
	withKnownBugsAvoided
} from './deck-overlay.ts';
import { encodeColumns } from '$lib/layers/transport';
import type { DeckLayerSpec } from '$lib/layers/types';

/** A fetch that answers from a table after `release(url)` is called, and records aborts. */
function server(bodies: Record<string, () => Response>) {
	const pending = new Map<string, () => void>();
	const calls: string[] = [];
	const aborted: string[] = [];
	const fetchFn = ((input: RequestInfo | URL, init?: RequestInit) => {
		const url = String(input);
		calls.push(url);
		return new Promise<Response>((resolve, reject) => {
			init?.signal?.addEventListener('abort', () => {
				aborted.push(url);
				reject(new DOMException('aborted', 'AbortError'));
			});
			pending.set(url, () => resolve(bodies[url]?.() ?? new Response('no such layer', { status: 404 })));
		});
	}) as typeof fetch;
	return {
		fetchFn,
		calls,
		aborted,
		async release(url: string) {
			pending.get(url)?.();
			pending.delete(url);
			// Let the loader's awaits run.
			for (let i = 0; i < 5; i++) await Promise.resolve();
			await new Promise((r) => setTimeout(r, 0));
		}
	};
}

const json = (value: unknown) => () => new Response(JSON.stringify(value), { headers: { 'content-type': 'application/json' } });

describe('LayerDataLoader', () => {
	it('fetches what a layer wants, once per URL, and decodes JSON and binary columns', async () => {
		const columns = encodeColumns({ length: 2, columns: { v: new Int32Array([7, 9]) }, meta: { year: 2016 } });
		const s = server({
			'/a?year=2016': json({ sites: [1, 2] }),
			'/b?year=2016': () => new Response(columns.slice().buffer)
		});
		let changes = 0;
		const loader = new LayerDataLoader({ fetch: s.fetchFn, onChange: () => changes++ });
		const want = (entries: [string, string, 'json' | 'columns'][]) =>
			loader.sync(new Map(entries.map(([id, url, format]) => [id, { url, format }])));
		want([
			['a', '/a?year=2016', 'json'],
			['b', '/b?year=2016', 'columns'],
			['a2', '/a?year=2016', 'json']
		]);
		expect(s.calls).toEqual(['/a?year=2016', '/b?year=2016']);
		expect(loader.pending).toBe(2);
		expect(loader.state('a')).toMatchObject({ status: 'loading', data: null });
		await s.release('/a?year=2016');
		await s.release('/b?year=2016');
		expect(changes).toBe(2);
		expect(loader.pending).toBe(0);
		expect(loader.state('a')).toEqual({ status: 'ready', data: { sites: [1, 2] }, dataUrl: '/a?year=2016', error: null });
		expect(loader.state('a2').data).toBe(loader.state('a').data);
		const table = loader.state('b').data as { length: number; columns: { v: Int32Array }; meta: { year: number } };
		expect([...table.columns.v]).toEqual([7, 9]);
		expect(table.meta.year).toBe(2016);
		// Asking again is served from the cache.
		want([['a', '/a?year=2016', 'json']]);
		expect(s.calls).toHaveLength(2);
		expect(loader.state('a').status).toBe('ready');
	});

	it('keeps drawing the old data while new parameters load, and aborts what nobody wants any more', async () => {
		const s = server({ '/p?year=2014': json(2014), '/p?year=2015': json(2015), '/p?year=2016': json(2016) });
		const loader = new LayerDataLoader({ fetch: s.fetchFn, onChange: () => {} });
		const want = (url: string) => loader.sync(new Map([['p', { url, format: 'json' as const }]]));
		want('/p?year=2014');
		await s.release('/p?year=2014');
		want('/p?year=2015');
		expect(loader.state('p')).toMatchObject({ status: 'loading', data: 2014, dataUrl: '/p?year=2014' });
		// The slider moves on before 2015 arrives: 2015 is stale and aborted.
		want('/p?year=2016');
		expect(s.aborted).toEqual(['/p?year=2015']);
		await s.release('/p?year=2016');
		expect(loader.state('p')).toMatchObject({ status: 'ready', data: 2016, dataUrl: '/p?year=2016' });
		// Back to 2015: fetched anew (the aborted request left nothing in the cache); 2014 is cached.
		want('/p?year=2014');
		expect(loader.state('p')).toMatchObject({ status: 'ready', data: 2014 });
		want('/p?year=2015');
		expect(s.calls.filter((u) => u === '/p?year=2015')).toHaveLength(2);
	});

	it('reports a failed request as an error with the server message, and retries it later', async () => {
		const s = server({});
		const loader = new LayerDataLoader({ fetch: s.fetchFn, onChange: () => {} });
		loader.sync(new Map([['x', { url: '/x', format: 'json' as const }]]));
		await s.release('/x');
		expect(loader.state('x')).toMatchObject({ status: 'error', error: '404 no such layer', data: null });
		loader.sync(new Map([['x', { url: '/x', format: 'json' as const }]]));
		expect(s.calls).toEqual(['/x', '/x']);
	});

	it('does not abort a prefetch when the layers change, and hands it over when wanted', async () => {
		const s = server({ '/p?year=2015': json(2015) });
		const loader = new LayerDataLoader({ fetch: s.fetchFn, onChange: () => {} });
		loader.prefetch({ url: '/p?year=2015', format: 'json' });
		loader.sync(new Map());
		expect(s.aborted).toEqual([]);
		loader.sync(new Map([['p', { url: '/p?year=2015', format: 'json' as const }]]));
		await s.release('/p?year=2015');
		expect(s.calls).toEqual(['/p?year=2015']);
		expect(loader.state('p').data).toBe(2015);
	});

	it('evicts the least recently used entries beyond its size, never one in use', async () => {
		const bodies = Object.fromEntries([1, 2, 3, 4].map((n) => [`/y${n}`, json(n)]));
		const s = server(bodies);
		const loader = new LayerDataLoader({ fetch: s.fetchFn, onChange: () => {}, maxEntries: 2 });
		for (const n of [1, 2, 3, 4]) {
			loader.sync(new Map([['y', { url: `/y${n}`, format: 'json' as const }]]));
			await s.release(`/y${n}`);
		}
		// /y4 is in use, /y3 was used just before; /y1 and /y2 are gone.
		loader.sync(new Map([['y', { url: '/y3', format: 'json' as const }]]));
		loader.sync(new Map([['y', { url: '/y1', format: 'json' as const }]]));
		expect(s.calls).toEqual(['/y1', '/y2', '/y3', '/y4', '/y1']);
	});
});

describe('withKnownBugsAvoided', () => {
	const column = (props: Record<string, unknown>): DeckLayerSpec => ({ type: 'ColumnLayer', props: { id: 'c', ...props } });

	it('drops the outline of a flat ColumnLayer whose radius is not in metres (deck.gl 9.4 shader bug)', () => {
		expect(withKnownBugsAvoided(column({ stroked: true, extruded: false, radiusUnits: 'common' })).props.stroked).toBe(false);
		expect(withKnownBugsAvoided(column({ stroked: true, radiusUnits: 'pixels' })).props.stroked).toBe(false);
	});

	it('leaves every other spec as it is', () => {
		for (const spec of [
			column({ stroked: true, radiusUnits: 'meters' }),
			column({ stroked: true }),
			column({ stroked: true, extruded: true, radiusUnits: 'common' }),
			column({ stroked: false, radiusUnits: 'common' }),
			{ type: 'ScatterplotLayer', props: { id: 's', stroked: true, radiusUnits: 'pixels' } } satisfies DeckLayerSpec
		])
			expect(withKnownBugsAvoided(spec)).toBe(spec);
	});
});

describe('picking', () => {
	it('round-trips the registry id through deck layer ids', () => {
		expect(registryIdOf(deckLayerId('relocation-sites', 'relocation-sites-arcs'))).toBe('relocation-sites');
		expect(registryIdOf('plain')).toBe('plain');
	});

	it('gives definitions the picked object, or for column tables the accessor context', () => {
		const site = { id: 3 };
		expect(pickedObject({ object: site, index: 0, layer: { props: { data: [site] } } })).toBe(site);
		const table = { length: 2, columns: {}, meta: {} };
		expect(pickedObject({ object: undefined, index: 1, layer: { props: { data: table } } })).toEqual({ index: 1, data: table });
		expect(pickedObject({ object: undefined, index: -1, layer: { props: { data: table } } })).toBeNull();
	});

	it('finds the id the definitions highlight by', () => {
		expect(hoverIdOf({ type: 'site', id: 4, siteId: 9 })).toBe(4);
		expect(hoverIdOf({ type: 'arc', siteId: 9, village: '1' })).toBe(9);
		expect(hoverIdOf({ kind: 'village', code: '360731100201' })).toBe('360731100201');
		expect(hoverIdOf({ index: 3, data: {} })).toBeNull();
		expect(hoverIdOf(null)).toBeNull();
	});

	it('draws a layer only inside its zoom range (min inclusive, max exclusive)', () => {
		const def = { zoom: { min: 7, max: 22 } } as Parameters<typeof inZoomRange>[0];
		expect([6.99, 7, 21.99, 22].map((z) => inZoomRange(def, z))).toEqual([false, true, true, false]);
	});
});
