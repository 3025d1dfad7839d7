// The map controller: creates the MapLibre map with the offline basemap, keeps the imperative
// calls (style diff, fit, controls) out of components, and reports state into a MapState.
// Browser-only: maplibre-gl is imported lazily so that server rendering never loads it.
import type { AttributionControl, Map as MlMap, Marker, NavigationControl, ScaleControl } from 'maplibre-gl';
import type { Locale, Messages } from '$lib/i18n';
import type { DataOverlay, DataOverlayOptions, OverlayInput } from './deck-overlay.ts';
import { basemapStyle, LOCAL_IDEOGRAPH_FONT_FAMILY } from './basemap-style.ts';
import { CHINA_BBOX, extentOf, type CountyBox } from './extent.ts';
import type { MapState } from './map-state.svelte.ts';
// MapLibre finds its worker next to its own module; Vite's dependency pre-bundling (dev) and
// chunking (build) move the module, so point it at the worker file explicitly. The worker is
// self-contained (no imports), so serving that one file as an asset is enough.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';

/**
 * MapLibre, loaded lazily with its worker URL set. Every map on a page must come through here: a
 * page opened directly (not reached from the main map, which used to set the URL) otherwise fails
 * with "Worker failed to load" and never draws.
 */
export async function loadMaplibre(): Promise<typeof import('maplibre-gl')> {
	const lib = await import('maplibre-gl');
	lib.setWorkerUrl(workerUrl);
	return lib;
}

export interface LantuMapOptions {
	container: HTMLElement;
	/** The page origin (location.origin): every URL the map requests is on it. */
	origin: string;
	locale: Locale;
	messages: Messages;
	counties: readonly CountyBox[];
	selectedCounty: string | null;
	/** Draw the facilities context layer (basemap-style.ts). */
	showFacilities?: boolean;
	state: MapState;
	/** Room kept free of the fitted extent, in CSS pixels (panels over the map). */
	padding?: { top: number; right: number; bottom: number; left: number };
	/** Start here instead of fitting the county (a shared link's view). */
	view?: MapViewSpec | null;
	/** Called after every move (pan, zoom, fit), with the view a link should carry. */
	onView?: (view: MapViewSpec) => void;
	/** Called on every frame of a move (a follower map keeps in step with it). */
	onMove?: (view: MapViewSpec) => void;
	/**
	 * A second map over the first (the scenario comparison): it does not publish itself as the
	 * page's map (`window.__lantuMap`, `__lantuMapIdle`); its container's data-map-idle says when it is idle.
	 */
	secondary?: boolean;
	/** Hover, click and load callbacks of the data overlay. */
	overlay?: Omit<DataOverlayOptions, 'onBusy'>;
}

export interface MapViewSpec {
	center: [number, number];
	zoom: number;
}

/** A place to fly to: a point (with the zoom to show it at) or a box. */
export interface FlyTarget {
	center: [number, number];
	zoom?: number;
	bbox?: [number, number, number, number] | null;
	label?: string;
}

declare global {
	interface Window {
		/** Set true whenever the map has drawn everything it has (MapLibre 'idle'); e2e tests wait on it. */
		__lantuMapIdle?: boolean;
		__lantuMap?: MlMap;
	}
}

/** MapLibre's own UI strings, from our dictionary. */
function uiStrings(m: Messages): Record<string, string> {
	return {
		'NavigationControl.ZoomIn': m['map.zoomIn'],
		'NavigationControl.ZoomOut': m['map.zoomOut'],
		'NavigationControl.ResetBearing': m['map.resetBearing'],
		'AttributionControl.ToggleAttribution': m['map.toggleAttribution'],
		'ScaleControl.Meters': m['map.unitMeters'],
		'ScaleControl.Kilometers': m['map.unitKilometers']
	};
}

export class LantuMap {
	readonly #map: MlMap;
	readonly #lib: typeof import('maplibre-gl');
	#options: LantuMapOptions;
	#controls: (NavigationControl | ScaleControl | AttributionControl)[] = [];
	#overlay: DataOverlay | null = null;
	#overlayInput: OverlayInput | null = null;
	#marker: Marker | null = null;
	/** MapLibre is idle (everything it has is drawn) / the data overlay has nothing left to load or draw. */
	#mapIdle = false;
	/** Busy until the overlay exists and has settled: the map can go idle before deck.gl has even loaded. */
	#overlayBusy = true;
	#destroyed = false;

	private constructor(lib: typeof import('maplibre-gl'), map: MlMap, options: LantuMapOptions) {
		this.#lib = lib;
		this.#map = map;
		this.#options = options;
	}

	static async create(options: LantuMapOptions): Promise<LantuMap> {
		const lib = await loadMaplibre();
		const { state } = options;
		const bounds = extentOf(options.counties, options.selectedCounty) ?? CHINA_BBOX;
		const start = options.view ? { center: options.view.center, zoom: options.view.zoom } : { bounds, fitBoundsOptions: { padding: options.padding ?? 40 } };
		const map = new lib.Map({
			container: options.container,
			style: basemapStyle(options),
			...start,
			localIdeographFontFamily: LOCAL_IDEOGRAPH_FONT_FAMILY,
			locale: uiStrings(options.messages),
			attributionControl: false,
			maxZoom: 16,
			minZoom: 3,
			maxPitch: 0,
			dragRotate: false,
			pitchWithRotate: false,
			touchPitch: false
		});
		map.touchZoomRotate.disableRotation();
		const self = new LantuMap(lib, map, options);
		self.#addControls();
		if (!options.secondary) {
			window.__lantuMap = map;
			window.__lantuMapIdle = false;
		}
		const busy = () => {
			if (state.status !== 'error') state.status = state.status === 'loading' ? 'loading' : 'busy';
			self.#mapIdle = false;
			self.#publishIdle();
		};
		map.on('dataloading', busy);
		map.on('styledataloading', busy);
		map.on('idle', () => {
			self.#mapIdle = true;
			self.#publishIdle();
		});
		map.once('load', () =>
			self.#addOverlay().catch((err: unknown) => {
				state.error = err instanceof Error ? err.message : String(err);
				console.error('lantu data overlay:', err);
			})
		);
		const reportView = () => {
			const c = map.getCenter();
			const b = map.getBounds();
			state.bounds = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
			options.onView?.({ center: [c.lng, c.lat], zoom: map.getZoom() });
		};
		map.on('moveend', reportView);
		if (options.onMove) {
			const onMove = options.onMove;
			map.on('move', () => {
				const c = map.getCenter();
				onMove({ center: [c.lng, c.lat], zoom: map.getZoom() });
			});
		}
		// The constructor's fit fires no moveend: report the first view now (the data layers wait for it).
		reportView();
		map.on('error', (event) => {
			state.error = event.error?.message ?? String(event.error);
			console.error('lantu map:', event.error);
		});
		map.on('mousemove', (event) => (state.pointer = [event.lngLat.lng, event.lngLat.lat]));
		map.getCanvasContainer().addEventListener('mouseleave', () => (state.pointer = null));
		const zoom = () => (state.zoom = map.getZoom());
		map.on('zoom', zoom);
		zoom();
		return self;
	}

	/** The map's idle flag for tests and the status bar: MapLibre idle and the data overlay settled. */
	#publishIdle(): void {
		const idle = this.#mapIdle && !this.#overlayBusy;
		const state = this.#options.state;
		if (state.status !== 'error') state.status = idle ? 'idle' : state.status === 'loading' ? 'loading' : 'busy';
		if (!this.#options.secondary) window.__lantuMapIdle = idle;
		this.#options.container.dataset.mapIdle = String(idle);
	}

	async #addOverlay(): Promise<void> {
		const { DataOverlay } = await import('./deck-overlay.ts');
		if (this.#destroyed) return;
		this.#overlay = new DataOverlay(this.#map, {
			...this.#options.overlay,
			onBusy: (busy) => {
				this.#overlayBusy = busy;
				if (busy) this.#mapIdle = false;
				this.#publishIdle();
			}
		});
		if (this.#overlayInput) this.#overlay.update(this.#overlayInput);
		this.#overlayBusy = this.#overlay.busy;
		this.#publishIdle();
	}

	/** The data layers to draw (visible, top first), their parameters and the locale. */
	setData(input: OverlayInput): void {
		this.#overlayInput = input;
		this.#overlay?.update(input);
	}

	/** Load a layer's data for other parameters ahead of time (the year animation's next year). */
	prefetch(...args: Parameters<DataOverlay['prefetch']>): void {
		this.#overlay?.prefetch(...args);
	}

	/** The data overlay, once the map has loaded (its layers' load states). */
	get overlay(): DataOverlay | null {
		return this.#overlay;
	}

	#addControls(): void {
		const lib = this.#lib;
		for (const control of this.#controls) this.#map.removeControl(control);
		this.#controls = [
			new lib.NavigationControl({ showCompass: false }),
			new lib.ScaleControl({ maxWidth: 120, unit: 'metric' }),
			new lib.AttributionControl({ compact: true })
		];
		this.#map.addControl(this.#controls[0], 'top-right');
		this.#map.addControl(this.#controls[1], 'bottom-left');
		this.#map.addControl(this.#controls[2], 'bottom-right');
	}

	#restyle(): void {
		// setStyle diffs against the current style: only changed layers and sources are touched.
		this.#map.setStyle(basemapStyle(this.#options), { diff: true });
	}

	/** Switch label language and the map's own UI strings. */
	setLocale(locale: Locale, messages: Messages): void {
		if (locale === this.#options.locale) return;
		this.#options = { ...this.#options, locale, messages };
		// MapLibre reads its UI strings when a control is added and has no public setter for them:
		// patch its table, then add the controls again.
		this.#map._locale = { ...this.#map._locale, ...uiStrings(messages) };
		this.#addControls();
		this.#restyle();
	}

	/** Show or hide the facilities (a basemap layer: its visibility changes, nothing is fetched again). */
	setShowFacilities(show: boolean): void {
		if (show === Boolean(this.#options.showFacilities)) return;
		this.#options = { ...this.#options, showFacilities: show };
		this.#restyle();
	}

	/** Put a county in focus (or all, with null) and, unless told not to, fly to it. */
	setCounty(code: string | null, { fit = true }: { fit?: boolean } = {}): void {
		if (code === this.#options.selectedCounty) return;
		this.#options = { ...this.#options, selectedCounty: code };
		this.#restyle();
		if (fit) this.fitSelection();
	}

	/** Fly to a search result and mark it. */
	flyTo(target: FlyTarget): void {
		const padding = this.#options.padding ?? 40;
		if (target.bbox) this.#map.fitBounds(target.bbox, { padding, maxZoom: 13, duration: 900 });
		else this.#map.flyTo({ center: target.center, zoom: target.zoom ?? 13, padding, duration: 900 });
		this.#marker?.remove();
		const el = document.createElement('div');
		el.className = 'lantu-search-marker';
		el.dataset.testid = 'search-marker';
		if (target.label) el.title = target.label;
		this.#marker = new this.#lib.Marker({ element: el }).setLngLat(target.center).addTo(this.#map);
	}

	clearMarker(): void {
		this.#marker?.remove();
		this.#marker = null;
	}

	/** Fit the map to the selected county, or to all counties. */
	fitSelection(animate = true): void {
		const bounds = extentOf(this.#options.counties, this.#options.selectedCounty) ?? CHINA_BBOX;
		this.#map.fitBounds(bounds, { padding: this.#options.padding ?? 40, duration: animate ? 600 : 0 });
	}

	/** Jump to a view at once (a follower map mirroring the main one). */
	jumpTo(view: MapViewSpec): void {
		this.#map.jumpTo({ center: view.center, zoom: view.zoom });
	}

	resize(): void {
		this.#map.resize();
	}

	setPadding(padding: { top: number; right: number; bottom: number; left: number }): void {
		this.#options = { ...this.#options, padding };
	}

	destroy(): void {
		this.#destroyed = true;
		if (window.__lantuMap === this.#map) delete window.__lantuMap;
		this.#overlay?.destroy();
		this.#marker?.remove();
		this.#map.remove();
	}
}
