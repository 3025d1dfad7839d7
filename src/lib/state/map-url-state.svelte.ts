// The whole map state that a copied link must reproduce — view, visible layers with their opacity
// and order, the layer parameters (year, causes, chain, stage, scenario, k), county and language —
// as one rune class, with pure functions that read it from and write it to the page URL.
//
// URL form (every part optional; unknown or invalid parts are dropped, never fatal, since links
// travel by chat and e-mail and get cut):
//   ?lang=zh-CN&county=360731&center=115.41234,25.95123&zoom=9.25
//    &layers=poverty-density:80,industrial-chain-coverage:100   visible layers, top first, opacity %
//    &year=2016&causes=illness,disability&chain=navel_orange&stage=cold_chain&scenario=2&k=10&run=14
//    &compare=3     a second scenario drawn right of the swipe divider (the `scenario` one is left)
// The layer parameters use the text form of $lib/layers/params.ts (the data URLs use it too).
// `layers` absent means the default layers; `layers=` (empty) means none.
import { getContext, setContext } from 'svelte';
import { LOCALE_PARAM, parseLocale, type Locale } from '$lib/i18n';
import { DEFAULT_PARAMS, parseParams, type LayerParams, type Stage } from '$lib/layers/params';

export interface MapView {
	/** [lon, lat] in degrees (WGS 84). */
	center: [number, number];
	zoom: number;
}

export interface LayerEntry {
	id: string;
	visible: boolean;
	/** 0..1 */
	opacity: number;
}

/** The layer parameters a link carries (zoom comes from the view, county is its own field). */
export type LinkedParams = Pick<LayerParams, 'year' | 'causes' | 'chain' | 'stage' | 'scenario' | 'k' | 'run'>;
const LINKED_KEYS = ['year', 'causes', 'chain', 'stage', 'scenario', 'k', 'run'] as const satisfies readonly (keyof LinkedParams)[];

export interface MapUrl {
	lang: Locale | null;
	county: string | null;
	view: MapView | null;
	/** Visible layers, top first; null when the URL does not say (the page shows the defaults). */
	layers: { id: string; opacity: number }[] | null;
	params: LinkedParams;
	/**
	 * The scenario compared with `params.scenario` (split map, KPI table); absent or null: no
	 * comparison. Optional so that states without it read and compare as before.
	 */
	compare?: number | null;
}

export const DEFAULT_OPACITY = 0.8;
/** The layers a link without `layers=` shows. */
export const DEFAULT_VISIBLE: readonly string[] = ['poverty-density'];
export const MIN_ZOOM = 3;
export const MAX_ZOOM = 16;

const LAYER_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const DEFAULT_LINKED: LinkedParams = {
	year: DEFAULT_PARAMS.year,
	causes: [],
	chain: null,
	stage: null,
	scenario: null,
	k: DEFAULT_PARAMS.k,
	run: null
};

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
/** Round to `d` decimals and drop trailing zeros (115.41230 -> "115.4123"). */
const fixed = (x: number, d: number) => String(Number(x.toFixed(d)));

function parseView(center: string | null, zoom: string | null): MapView | null {
	if (center === null || zoom === null) return null;
	const parts = center.split(',');
	if (parts.length !== 2 || parts.some((p) => p.trim() === '')) return null;
	const [lon, lat] = parts.map(Number);
	const z = zoom.trim() === '' ? NaN : Number(zoom);
	if (![lon, lat, z].every(Number.isFinite)) return null;
	if (lon < -180 || lon > 180 || lat < -85 || lat > 85) return null;
	return { center: [lon, lat], zoom: clamp(z, MIN_ZOOM, MAX_ZOOM) };
}

function parseLayers(value: string | null, known: readonly string[] | null): MapUrl['layers'] {
	if (value === null) return null;
	const seen = new Set<string>();
	const out: { id: string; opacity: number }[] = [];
	for (const part of value.split(',')) {
		const [id, pct, ...rest] = part.trim().split(':');
		if (!id || rest.length || !LAYER_ID.test(id) || seen.has(id)) continue;
		if (known && !known.includes(id)) continue;
		let opacity = DEFAULT_OPACITY;
		if (pct !== undefined) {
			const n = pct === '' ? NaN : Number(pct);
			if (!Number.isFinite(n)) continue;
			opacity = clamp(Math.round(n), 0, 100) / 100;
		}
		seen.add(id);
		out.push({ id, opacity });
	}
	return out;
}

/** The linked parameters, each taken on its own so that one bad value does not cost the others. */
function parseLinked(search: URLSearchParams): LinkedParams {
	let p: LayerParams = { ...DEFAULT_PARAMS, causes: [] };
	for (const key of LINKED_KEYS) {
		const value = search.get(key);
		if (value === null) continue;
		try {
			p = parseParams(new URLSearchParams({ [key]: value }), p);
		} catch {
			// An invalid value keeps the default.
		}
	}
	return { year: p.year, causes: p.causes, chain: p.chain, stage: p.stage, scenario: p.scenario, k: p.k, run: p.run };
}

/** A positive whole scenario id, or null. */
function parseScenarioRef(value: string | null): number | null {
	if (value === null || !/^[0-9]{1,9}$/.test(value)) return null;
	const n = Number(value);
	return n > 0 ? n : null;
}

/**
 * Read the map state from a page URL's search parameters. `knownLayers`: the registry's layer ids
 * (others are dropped); null keeps every well-formed id.
 */
export function parseMapUrl(search: URLSearchParams, knownLayers: readonly string[] | null = null): MapUrl {
	const county = search.get('county');
	const compare = parseScenarioRef(search.get('compare'));
	return {
		lang: parseLocale(search.get(LOCALE_PARAM)),
		county: county && /^[0-9]{6}$/.test(county) ? county : null,
		view: parseView(search.get('center'), search.get('zoom')),
		layers: parseLayers(search.get('layers'), knownLayers),
		params: parseLinked(search),
		...(compare !== null ? { compare } : {})
	};
}

/** Write the map state as search parameters: a stable order, defaults of the layer parameters left out. */
export function serializeMapUrl(state: MapUrl): URLSearchParams {
	const s = new URLSearchParams();
	if (state.lang) s.set(LOCALE_PARAM, state.lang);
	if (state.county) s.set('county', state.county);
	if (state.view) {
		// 5 decimals of a degree is ~1 m; 2 decimals of zoom is ~1.4 % of scale.
		s.set('center', `${fixed(state.view.center[0], 5)},${fixed(state.view.center[1], 5)}`);
		s.set('zoom', fixed(state.view.zoom, 2));
	}
	if (state.layers) s.set('layers', state.layers.map((l) => `${l.id}:${Math.round(clamp(l.opacity, 0, 1) * 100)}`).join(','));
	const p = state.params;
	if (p.year !== DEFAULT_LINKED.year) s.set('year', String(p.year));
	if (p.causes.length) s.set('causes', [...new Set(p.causes)].sort().join(','));
	if (p.chain) s.set('chain', p.chain);
	if (p.stage) s.set('stage', p.stage);
	if (p.scenario !== null) s.set('scenario', String(p.scenario));
	if (p.k !== DEFAULT_LINKED.k) s.set('k', String(p.k));
	if (state.compare != null) s.set('compare', String(state.compare));
	if (p.run !== null) s.set('run', String(p.run));
	return s;
}

/**
 * The search string of a state (no leading "?"), with `,` and `:` left as they are — both are
 * allowed in a query (RFC 3986 §3.4), so a link stays readable: layers=poverty-density:80,….
 */
export function mapUrlSearch(state: MapUrl): string {
	return [...serializeMapUrl(state)]
		.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v).replace(/%2C/gi, ',').replace(/%3A/gi, ':')}`)
		.join('&');
}

/**
 * Every registry layer once, in panel order (top first): the linked visible layers first, in
 * their order, then the others in registry order. Without a linked list, the defaults are visible.
 */
export function resolveLayerEntries(
	linked: MapUrl['layers'],
	registry: readonly string[],
	defaults: readonly string[] = DEFAULT_VISIBLE
): LayerEntry[] {
	const visible = linked ?? defaults.filter((id) => registry.includes(id)).map((id) => ({ id, opacity: DEFAULT_OPACITY }));
	const shown = visible.filter((l) => registry.includes(l.id)).map((l) => ({ id: l.id, visible: true, opacity: l.opacity }));
	const rest = registry.filter((id) => !shown.some((l) => l.id === id)).map((id) => ({ id, visible: false, opacity: DEFAULT_OPACITY }));
	return [...shown, ...rest];
}

/** The rune class the page, the panel and the map share. */
export class MapUrlState {
	lang = $state<Locale | null>(null);
	county = $state<string | null>(null);
	/** The map's view once it has one (set on every moveend); null before the first fit. */
	view = $state<MapView | null>(null);
	/** All registry layers, top first. */
	layers = $state<LayerEntry[]>([]);
	year = $state(DEFAULT_LINKED.year);
	causes = $state<string[]>([]);
	chain = $state<string | null>(null);
	stage = $state<Stage | null>(null);
	scenario = $state<number | null>(null);
	k = $state(DEFAULT_LINKED.k);
	/** The scenario compared with `scenario` (drawn right of the swipe divider), or null. */
	compare = $state<number | null>(null);
	/**
	 * Not in the URL: per scenario id, a token that changes when its parameters are saved. Layers that
	 * read the scenario refetch with it (their data URL is otherwise the same after an edit).
	 */
	scenarioRevisions = $state<Record<number, string>>({});
	/** Not in the URL: names of the county's scenarios by id (labels of the split map). */
	scenarioNames = $state<Record<number, string>>({});
	/**
	 * The analysis run a result layer draws (max-cover-result, siting-result; set by their panels when a
	 * run finishes); null = the latest.
	 */
	run = $state<number | null>(null);

	/** What the data of the layers depends on. Zoom is the view's: it changes on moveend only. */
	readonly params: LayerParams = $derived({
		county: this.county,
		year: this.year,
		causes: this.causes,
		chain: this.chain,
		stage: this.stage,
		scenario: this.scenario,
		run: this.run,
		zoom: this.view?.zoom ?? DEFAULT_PARAMS.zoom,
		k: this.k
	});

	readonly snapshot: MapUrl = $derived({
		lang: this.lang,
		county: this.county,
		view: this.view,
		layers: this.layers.filter((l) => l.visible).map((l) => ({ id: l.id, opacity: l.opacity })),
		params: { year: this.year, causes: this.causes, chain: this.chain, stage: this.stage, scenario: this.scenario, k: this.k, run: this.run },
		compare: this.compare
	});

	/** The search string for the current state (no leading "?"). */
	readonly search = $derived(mapUrlSearch(this.snapshot));

	constructor(initial: MapUrl, registry: readonly string[]) {
		this.lang = initial.lang;
		this.county = initial.county;
		this.view = initial.view;
		this.layers = resolveLayerEntries(initial.layers, registry);
		this.year = initial.params.year;
		this.causes = [...initial.params.causes];
		this.chain = initial.params.chain;
		this.stage = initial.params.stage;
		this.scenario = initial.params.scenario;
		this.k = initial.params.k;
		this.compare = initial.compare ?? null;
		this.run = initial.params.run;
	}

	/** Visible layers, top first. */
	get visible(): LayerEntry[] {
		return this.layers.filter((l) => l.visible);
	}

	setVisible(id: string, visible: boolean): void {
		this.layers = this.layers.map((l) => (l.id === id ? { ...l, visible } : l));
	}

	setOpacity(id: string, opacity: number): void {
		this.layers = this.layers.map((l) => (l.id === id ? { ...l, opacity: clamp(opacity, 0, 1) } : l));
	}

	/** Show a layer and draw it above all others (e.g. an analysis result just computed). */
	showOnTop(id: string): void {
		const entry = this.layers.find((l) => l.id === id);
		if (!entry) return;
		this.layers = [{ ...entry, visible: true }, ...this.layers.filter((l) => l.id !== id)];
	}

	/** Move a layer up (-1: drawn above the one before it) or down (+1) in the panel order. */
	move(id: string, delta: -1 | 1): void {
		const i = this.layers.findIndex((l) => l.id === id);
		const j = i + delta;
		if (i < 0 || j < 0 || j >= this.layers.length) return;
		const next = [...this.layers];
		[next[i], next[j]] = [next[j], next[i]];
		this.layers = next;
	}

	/** A different county: the chain, the scenarios and the analysis run of the previous one mean nothing there. */
	setCounty(code: string | null): void {
		if (code === this.county) return;
		this.county = code;
		this.chain = null;
		this.scenario = null;
		this.compare = null;
		this.run = null;
	}
}

const KEY = Symbol('lantu.map-url');

export function setMapUrlState(state: MapUrlState): MapUrlState {
	return setContext(KEY, state);
}

export function getMapUrlState(): MapUrlState {
	const state = getContext<MapUrlState | undefined>(KEY);
	if (!state) throw new Error('getMapUrlState() called outside a tree that called setMapUrlState()');
	return state;
}
