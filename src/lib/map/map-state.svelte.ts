// Per-map state shared by the map and the panels around it (status bar, legend), reached through
// typed context helpers. The MapLibre instance itself stays inside the controller (lantu-map.ts).
import { getContext, setContext } from 'svelte';

export type MapStatus = 'loading' | 'idle' | 'busy' | 'error';

/** What the panel needs to know of a data layer's data (deck-overlay.ts LayerLoad). */
export interface LayerLoadInfo {
	status: 'idle' | 'loading' | 'ready' | 'error';
	/** The data drawn (for the legend): possibly older parameters' while new data loads. */
	data: unknown;
	dataUrl: string | null;
	error: string | null;
}

export class MapState {
	status = $state<MapStatus>('loading');
	error = $state<string | null>(null);
	/** Pointer position, [lon, lat] in degrees, or null when the pointer is off the map. */
	pointer = $state<[number, number] | null>(null);
	zoom = $state(0);
	/** The visible area after the last move, [west, south, east, north] in degrees (exports of the current view). */
	bounds = $state<[number, number, number, number] | null>(null);
	/** Load state of each visible data layer, by layer id. Raw: the data are big typed arrays. */
	layerLoads = $state.raw<Record<string, LayerLoadInfo>>({});
	readonly ready = $derived(this.status === 'idle' || this.status === 'busy');
}

const KEY = Symbol('lantu.map');

export function setMapState(state: MapState): MapState {
	return setContext(KEY, state);
}

export function getMapState(): MapState {
	const state = getContext<MapState | undefined>(KEY);
	if (!state) throw new Error('getMapState() called outside a tree that called setMapState()');
	return state;
}
