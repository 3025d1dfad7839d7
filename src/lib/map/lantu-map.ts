// The map controller: creates the MapLibre map with the offline basemap, keeps the imperative
// calls (style diff, fit, controls) out of components, and reports state into a MapState.
// Browser-only: maplibre-gl is imported lazily so that server rendering never loads it.
import type { AttributionControl, Map as MlMap, NavigationControl, ScaleControl } from 'maplibre-gl';
import type { Locale, Messages } from '$lib/i18n';
import { basemapStyle, LOCAL_IDEOGRAPH_FONT_FAMILY } from './basemap-style.ts';
import { CHINA_BBOX, extentOf, type CountyBox } from './extent.ts';
import type { MapState } from './map-state.svelte.ts';
// MapLibre finds its worker next to its own module; Vite's dependency pre-bundling (dev) and
// chunking (build) move the module, so point it at the worker file explicitly. The worker is
// self-contained (no imports), so serving that one file as an asset is enough.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';

export interface LantuMapOptions {
	container: HTMLElement;
	/** The page origin (location.origin): every URL the map requests is on it. */
	origin: string;
	locale: Locale;
	messages: Messages;
	counties: readonly CountyBox[];
	selectedCounty: string | null;
	state: MapState;
	/** Room kept free of the fitted extent, in CSS pixels (panels over the map). */
	padding?: { top: number; right: number; bottom: number; left: number };
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

	private constructor(lib: typeof import('maplibre-gl'), map: MlMap, options: LantuMapOptions) {
		this.#lib = lib;
		this.#map = map;
		this.#options = options;
	}

	static async create(options: LantuMapOptions): Promise<LantuMap> {
		const lib = await import('maplibre-gl');
		lib.setWorkerUrl(workerUrl);
		const { state } = options;
		const bounds = extentOf(options.counties, options.selectedCounty) ?? CHINA_BBOX;
		const map = new lib.Map({
			container: options.container,
			style: basemapStyle(options),
			bounds,
			fitBoundsOptions: { padding: options.padding ?? 40 },
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
		window.__lantuMap = map;
		window.__lantuMapIdle = false;
		const busy = () => {
			if (state.status !== 'error') state.status = state.status === 'loading' ? 'loading' : 'busy';
			window.__lantuMapIdle = false;
			options.container.dataset.mapIdle = 'false';
		};
		map.on('dataloading', busy);
		map.on('styledataloading', busy);
		map.on('idle', () => {
			if (state.status !== 'error') state.status = 'idle';
			window.__lantuMapIdle = true;
			options.container.dataset.mapIdle = 'true';
		});
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

	/** Put a county in focus (or all, with null) and fly to it. */
	setCounty(code: string | null): void {
		if (code === this.#options.selectedCounty) return;
		this.#options = { ...this.#options, selectedCounty: code };
		this.#restyle();
		this.fitSelection();
	}

	/** Fit the map to the selected county, or to all counties. */
	fitSelection(animate = true): void {
		const bounds = extentOf(this.#options.counties, this.#options.selectedCounty) ?? CHINA_BBOX;
		this.#map.fitBounds(bounds, { padding: this.#options.padding ?? 40, duration: animate ? 600 : 0 });
	}

	resize(): void {
		this.#map.resize();
	}

	destroy(): void {
		if (window.__lantuMap === this.#map) delete window.__lantuMap;
		this.#map.remove();
	}
}
