// The one deck.gl overlay of the map: every data layer of the registry is drawn through it.
//
// - Layer definitions describe their deck.gl layers as data (DeckLayerSpec); this file is the one
//   place that turns a spec's `type` into a deck.gl class (LAYER_CLASSES).
// - Each visible layer's data comes from its data URL (registry.ts `dataUrl`), so it is fetched
//   again exactly when a parameter the layer declares changes (zoom is floored there). Responses
//   are cached by URL; a request nobody wants any more is aborted. While new data loads the layer
//   keeps drawing what it had, so the year animation and zooming do not flicker.
// - Panel order is top first; deck.gl draws its list bottom first.
//
// The overlay class is @deck.gl/maplibre's MapLibreOverlay: the same control as @deck.gl/mapbox's
// MapboxOverlay, built for MapLibre. MapboxOverlay 9.4 in interleaved mode reads the private
// `map.transform`, which MapLibre 6 removed (every frame throws "reading 'height'");
// MapLibreOverlay reads the public equivalents and supports MapLibre 4.5.1–6.
//
// Interleaved, not overlaid: deck.gl draws into MapLibre's own WebGL2 context, as a group of
// custom layers inserted before REFERENCE_LAYER. So the data sits *between* the basemap's ground
// (land, roads, rivers, village dots) and its reference overlay (county boundaries, township seats,
// all labels) — place names and boundaries stay readable on top of hexagons and circles, the way a
// printed thematic map or an ArcGIS basemap's reference layer does it. An overlaid deck canvas can
// only go on top of everything, labels included. Interleaving also shares one GL context and one
// frame with the map (no second canvas to keep in sync; one canvas for screenshots and readback).
//
// Browser-only (deck.gl needs WebGL): lantu-map.ts imports this module lazily.
import { MapLibreOverlay } from '@deck.gl/maplibre';
import {
	ArcLayer,
	ColumnLayer,
	GeoJsonLayer,
	IconLayer,
	LineLayer,
	PathLayer,
	PolygonLayer,
	ScatterplotLayer,
	SolidPolygonLayer,
	TextLayer
} from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { Map as MlMap, MapMouseEvent } from 'maplibre-gl';
import type { Locale } from '$lib/i18n';
import type { DeckLayerSpec, LayerDefinition } from '$lib/layers/types';
import type { LayerParams } from '$lib/layers/params';
import { dataUrl } from '$lib/layers/registry';
import { decodeColumns } from '$lib/layers/transport';
import { REFERENCE_LAYER } from './basemap-style.ts';

type AnyDefinition = LayerDefinition<never, never>;
type LayerClass = new (props: Record<string, unknown>) => Layer;

/** The one map from a spec's type to a deck.gl layer class. */
const LAYER_CLASSES: Record<DeckLayerSpec['type'], LayerClass> = {
	ScatterplotLayer: ScatterplotLayer as unknown as LayerClass,
	ColumnLayer: ColumnLayer as unknown as LayerClass,
	PolygonLayer: PolygonLayer as unknown as LayerClass,
	SolidPolygonLayer: SolidPolygonLayer as unknown as LayerClass,
	GeoJsonLayer: GeoJsonLayer as unknown as LayerClass,
	ArcLayer: ArcLayer as unknown as LayerClass,
	LineLayer: LineLayer as unknown as LayerClass,
	PathLayer: PathLayer as unknown as LayerClass,
	TextLayer: TextLayer as unknown as LayerClass,
	IconLayer: IconLayer as unknown as LayerClass
};

/** Pixels around the pointer within which a feature counts as under it. */
const PICKING_RADIUS = 4;

/** A deck layer id is `<registry layer id>::<spec id>`: picking finds the definition from it. */
const SEPARATOR = '::';
export function deckLayerId(layerId: string, specId: string): string {
	return `${layerId}${SEPARATOR}${specId}`;
}
export function registryIdOf(deckId: string): string {
	const i = deckId.indexOf(SEPARATOR);
	return i < 0 ? deckId : deckId.slice(0, i);
}

// --- Data: fetch by URL, cache, abort what is no longer wanted ----------------------------------

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface LayerLoad {
	status: LoadStatus;
	/** The data drawn: the newest that arrived for this layer (possibly for older parameters while loading). */
	data: unknown;
	/** The URL of `data`. */
	dataUrl: string | null;
	error: string | null;
}

interface Entry {
	url: string;
	controller: AbortController;
	status: 'loading' | 'ready' | 'error';
	data?: unknown;
	error?: string;
}

export interface DataRequest {
	url: string;
	format: 'json' | 'columns' | 'geojson';
}

/**
 * Layer data by URL. `sync` says which URL each layer wants now; responses land in a small LRU
 * cache, and `onChange` is called whenever a layer's data or status changes.
 */
export class LayerDataLoader {
	readonly #cache = new Map<string, Entry>();
	readonly #wanted = new Map<string, DataRequest>();
	/** The last data that arrived for each layer (kept while a newer URL loads). */
	readonly #shown = new Map<string, { url: string; data: unknown }>();
	readonly #fetch: typeof fetch;
	readonly #onChange: () => void;
	readonly #maxEntries: number;

	constructor(options: { fetch?: typeof fetch; onChange: () => void; maxEntries?: number }) {
		this.#fetch = options.fetch ?? fetch.bind(globalThis);
		this.#onChange = options.onChange;
		this.#maxEntries = options.maxEntries ?? 48;
	}

	/** Requests in flight (for the map's idle flag). */
	get pending(): number {
		let n = 0;
		for (const url of new Set([...this.#wanted.values()].map((r) => r.url))) if (this.#cache.get(url)?.status === 'loading') n++;
		return n;
	}

	/** Set what every layer wants; layers not named want nothing. */
	sync(requests: ReadonlyMap<string, DataRequest>): void {
		const before = new Set([...this.#wanted.values()].map((r) => r.url));
		this.#wanted.clear();
		for (const [id, request] of requests) {
			this.#wanted.set(id, request);
			this.#ensure(request);
			const hit = this.#cache.get(request.url);
			if (hit?.status === 'ready') this.#shown.set(id, { url: hit.url, data: hit.data });
		}
		const now = new Set([...this.#wanted.values()].map((r) => r.url));
		for (const url of before) {
			if (now.has(url)) continue;
			const entry = this.#cache.get(url);
			if (entry?.status === 'loading') {
				// Stale: nobody wants it now (e.g. the year slider moved on). Abort and forget it.
				entry.controller.abort();
				this.#cache.delete(url);
			}
		}
		for (const id of this.#shown.keys()) if (!requests.has(id)) this.#shown.delete(id);
	}

	/** Fetch into the cache without giving it to a layer (e.g. the next year while playing). */
	prefetch(request: DataRequest): void {
		this.#ensure(request);
	}

	state(id: string): LayerLoad {
		const request = this.#wanted.get(id);
		if (!request) return { status: 'idle', data: null, dataUrl: null, error: null };
		const entry = this.#cache.get(request.url);
		const shown = this.#shown.get(id);
		return {
			status: entry?.status ?? 'loading',
			data: shown?.data ?? null,
			dataUrl: shown?.url ?? null,
			error: entry?.status === 'error' ? (entry.error ?? 'error') : null
		};
	}

	abortAll(): void {
		for (const entry of this.#cache.values()) if (entry.status === 'loading') entry.controller.abort();
		this.#cache.clear();
		this.#wanted.clear();
		this.#shown.clear();
	}

	#ensure({ url, format }: DataRequest): void {
		const hit = this.#cache.get(url);
		if (hit && hit.status !== 'error') {
			// Most recently used goes last.
			this.#cache.delete(url);
			this.#cache.set(url, hit);
			return;
		}
		const entry: Entry = { url, controller: new AbortController(), status: 'loading' };
		this.#cache.set(url, entry);
		this.#evict();
		this.#load(entry, format);
	}

	async #load(entry: Entry, format: 'json' | 'columns' | 'geojson'): Promise<void> {
		try {
			const res = await this.#fetch(entry.url, { signal: entry.controller.signal });
			if (!res.ok) throw new Error(`${res.status} ${(await res.text().catch(() => '')).slice(0, 200) || res.statusText}`);
			entry.data = format === 'columns' ? decodeColumns(await res.arrayBuffer()) : await res.json();
			entry.status = 'ready';
		} catch (err) {
			if (entry.controller.signal.aborted) return;
			entry.status = 'error';
			entry.error = err instanceof Error ? err.message : String(err);
		}
		if (this.#cache.get(entry.url) !== entry) return;
		if (entry.status === 'ready') {
			for (const [id, request] of this.#wanted) if (request.url === entry.url) this.#shown.set(id, { url: entry.url, data: entry.data });
		}
		this.#onChange();
	}

	#evict(): void {
		const wanted = new Set([...this.#wanted.values()].map((r) => r.url));
		for (const [url, entry] of this.#cache) {
			if (this.#cache.size <= this.#maxEntries) break;
			if (wanted.has(url) || entry.status === 'loading') continue;
			this.#cache.delete(url);
		}
	}
}

// --- Which layers draw, and how -----------------------------------------------------------------

/**
 * deck.gl 9.4 bugs a spec can step on, avoided here so that no layer has to know them:
 * - ColumnLayer, flat (extruded: false) and stroked, with radiusUnits other than 'meters': the
 *   stroke's inset is computed as if the radius were in metres (column-layer-vertex.glsl:
 *   `project_size(edgeDistance * coverage * radius)`), so with 'common' or 'pixels' every
 *   outline is blown up to cover the whole viewport in the line colour. The outline is dropped
 *   (the fills still tile; the map stays readable) until deck.gl fixes the shader.
 */
export function withKnownBugsAvoided(spec: DeckLayerSpec): DeckLayerSpec {
	const p = spec.props;
	if (spec.type === 'ColumnLayer' && p.stroked === true && p.extruded !== true && (p.radiusUnits ?? 'meters') !== 'meters') {
		return { ...spec, props: { ...p, stroked: false } };
	}
	return spec;
}

export interface OverlayLayer {
	def: AnyDefinition;
	opacity: number;
}

export interface OverlayInput {
	/** Visible layers, top first (panel order). */
	layers: readonly OverlayLayer[];
	params: LayerParams;
	locale: Locale;
	/**
	 * Changes when the chosen scenario's parameters are saved: layers that read the scenario add it
	 * to their data URL, which is otherwise the same after an edit (and cached by URL).
	 */
	scenarioRevision?: string | null;
}

/** Whether a layer draws at this zoom (its declared range, min inclusive, max exclusive). */
export function inZoomRange(def: AnyDefinition, zoom: number): boolean {
	return zoom >= def.zoom.min && zoom < def.zoom.max;
}

/** The id a definition's hover highlight compares with (`StyleContext.hoveredId`). */
export function hoverIdOf(object: unknown): string | number | null {
	if (!object || typeof object !== 'object') return null;
	const o = object as Record<string, unknown>;
	for (const key of ['id', 'siteId', 'code'] as const) {
		const v = o[key];
		if (typeof v === 'string' || typeof v === 'number') return v;
	}
	return null;
}

export interface PickedFeature {
	layerId: string;
	/** What the definition's tooltip() and details() take. */
	object: unknown;
	/** Pointer position in CSS pixels, relative to the map container. */
	x: number;
	y: number;
}

/** The object a definition gets for a picked item: deck's object, or for column tables the accessor context. */
export function pickedObject(info: Pick<PickingInfo, 'object' | 'index'> & { layer?: { props: { data?: unknown } } | null }): unknown {
	if (info.object !== undefined && info.object !== null) return info.object;
	if (info.index < 0 || !info.layer) return null;
	return { index: info.index, data: info.layer.props.data };
}

export interface DataOverlayOptions {
	/** Called when any layer's load state changes (the panel shows status, legends read the data). */
	onLoad?: () => void;
	onHover?: (picked: PickedFeature | null) => void;
	onClick?: (picked: PickedFeature | null) => void;
	/** Called when the overlay goes busy (fetching, or layers not yet drawn) or settles. */
	onBusy?: (busy: boolean) => void;
	fetch?: typeof fetch;
}

interface Memo {
	key: string;
	data: unknown;
	layers: Layer[];
}

export class DataOverlay {
	readonly #map: MlMap;
	readonly #overlay: MapLibreOverlay;
	readonly #loader: LayerDataLoader;
	readonly #options: DataOverlayOptions;
	#input: OverlayInput | null = null;
	#hovered: { layerId: string; id: string | number | null } | null = null;
	readonly #memo = new Map<string, Memo>();
	/** Layer lists handed to deck.gl, and the last one deck.gl has drawn. */
	#generation = 0;
	#drawn = 0;
	#busy = false;
	#destroyed = false;

	constructor(map: MlMap, options: DataOverlayOptions = {}) {
		this.#map = map;
		this.#options = options;
		this.#loader = new LayerDataLoader({ fetch: options.fetch, onChange: () => this.#onData() });
		this.#overlay = new MapLibreOverlay({
			interleaved: true,
			layers: [],
			// A flat map (pitch is locked at 0): what is drawn later is on top, as the panel's order
			// says. With the depth test on, an ArcLayer's raised arcs would cover the sites drawn
			// after them, in the picture and in picking.
			parameters: { depthCompare: 'always', depthWriteEnabled: false },
			pickingRadius: PICKING_RADIUS,
			onHover: (info) => this.#hover(info),
			getCursor: ({ isDragging, isHovering }) => (isDragging ? 'grabbing' : isHovering ? 'pointer' : ''),
			onAfterRender: () => {
				if (this.#drawn !== this.#generation) {
					this.#drawn = this.#generation;
					this.#updateBusy();
				}
			},
			onLoad: () => this.#map.triggerRepaint()
		});
		map.addControl(this.#overlay);
		// While the map moves deck.gl does not pick, so a tooltip would stay behind at a stale spot.
		map.on('movestart', this.#clearHover);
		map.on('click', this.#mapClick);
	}

	readonly #clearHover = (): void => {
		if (!this.#hovered) return;
		this.#hovered = null;
		this.#options.onHover?.(null);
		this.#render();
	};

	/** True while data is loading or the newest layers have not been drawn yet. */
	get busy(): boolean {
		return this.#busy;
	}

	load(layerId: string): LayerLoad {
		return this.#loader.state(layerId);
	}

	update(input: OverlayInput): void {
		this.#input = input;
		const requests = new Map<string, DataRequest>();
		for (const { def } of input.layers) {
			if (!inZoomRange(def, input.params.zoom)) continue;
			let url = dataUrl(def, input.params);
			if (input.scenarioRevision && def.params.includes('scenario')) url += `${url.includes('?') ? '&' : '?'}rev=${encodeURIComponent(input.scenarioRevision)}`;
			requests.set(def.id, { url, format: def.format });
		}
		this.#loader.sync(requests);
		this.#render();
	}

	/** Load a layer's data for other parameters ahead of time (cached by URL). */
	prefetch(def: AnyDefinition, params: LayerParams): void {
		this.#loader.prefetch({ url: dataUrl(def, params), format: def.format });
	}

	destroy(): void {
		this.#destroyed = true;
		this.#map.off('movestart', this.#clearHover);
		this.#map.off('click', this.#mapClick);
		this.#loader.abortAll();
		this.#map.removeControl(this.#overlay);
	}

	#onData(): void {
		if (this.#destroyed) return;
		// New data under the pointer: what the tooltip says may no longer be there.
		if (this.#hovered) {
			this.#hovered = null;
			this.#options.onHover?.(null);
		}
		this.#render();
		this.#options.onLoad?.();
	}

	#render(): void {
		const input = this.#input;
		if (!input || this.#destroyed) return;
		const layers: Layer[] = [];
		// deck.gl draws its list in order, bottom first: the panel's last visible layer first.
		for (const { def, opacity } of [...input.layers].reverse()) {
			if (!inZoomRange(def, input.params.zoom)) continue;
			const { data } = this.#loader.state(def.id);
			if (data === null || data === undefined) continue;
			try {
				layers.push(...this.#deckLayers(def, data, opacity, input));
			} catch (err) {
				// One layer's bug must not take the others (or the map) down with it.
				console.error(`layer ${def.id}: cannot draw`, err);
			}
		}
		this.#generation++;
		// An empty list has nothing to draw (deck.gl will not report a frame for it).
		if (!layers.length) this.#drawn = this.#generation;
		this.#overlay.setProps({ layers });
		this.#updateBusy();
		// A frame either way, so that the map reports 'idle' again once this is on screen.
		this.#map.triggerRepaint();
	}

	#deckLayers(def: AnyDefinition, data: unknown, opacity: number, input: OverlayInput): Layer[] {
		const hovered = this.#hovered?.layerId === def.id ? this.#hovered.id : null;
		// Only what this layer's style can depend on: its declared parameters (zoom floored, as in its URL).
		const declared = def.params.map((k) => (k === 'zoom' ? Math.floor(input.params.zoom) : input.params[k]));
		const key = JSON.stringify([opacity, input.locale, hovered, declared]);
		const memo = this.#memo.get(def.id);
		if (memo && memo.data === data && memo.key === key) return memo.layers;
		const specs = def.toDeck(data as never, { params: input.params, locale: input.locale, opacity, hoveredId: hovered });
		const layers = specs.map((spec) => {
			const Class = LAYER_CLASSES[spec.type];
			if (!Class) throw new Error(`layer ${def.id}: no deck.gl class for ${spec.type}`);
			return new Class({
				opacity,
				...withKnownBugsAvoided(spec).props,
				id: deckLayerId(def.id, spec.props.id),
				beforeId: REFERENCE_LAYER
			});
		});
		this.#memo.set(def.id, { key, data, layers });
		return layers;
	}

	#picked(info: PickingInfo): PickedFeature | null {
		if (!info.layer || info.index < 0 || !info.picked) return null;
		const object = pickedObject(info);
		if (object === null) return null;
		return { layerId: registryIdOf(info.layer.id), object, x: info.x, y: info.y };
	}

	#hover(info: PickingInfo): void {
		const picked = this.#picked(info);
		const next = picked ? { layerId: picked.layerId, id: hoverIdOf(picked.object) } : null;
		if (next?.layerId !== this.#hovered?.layerId || next?.id !== this.#hovered?.id) {
			this.#hovered = next;
			this.#render();
		}
		this.#options.onHover?.(picked);
	}

	/**
	 * Clicks come from MapLibre (which owns the canvas's gestures and tells a click from the end of
	 * a drag) and are picked here; deck.gl's own tap recogniser in interleaved mode missed some
	 * clicks (seen in Chromium: no onClick at all for a plain click after hovering).
	 */
	readonly #mapClick = (event: MapMouseEvent): void => {
		if (this.#destroyed) return;
		const info = this.#overlay.pickObject({ x: event.point.x, y: event.point.y, radius: PICKING_RADIUS });
		this.#options.onClick?.(info ? this.#picked(info) : null);
	};

	#updateBusy(): void {
		const busy = this.#loader.pending > 0 || this.#drawn !== this.#generation;
		if (busy === this.#busy) return;
		this.#busy = busy;
		this.#options.onBusy?.(busy);
	}
}
