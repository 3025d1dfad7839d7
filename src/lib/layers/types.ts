// A map layer is one registry entry (architecture.md): declared once, used by the API
// (GET /api/layers), the map (deck.gl props), the legend and the tooltip. Client-safe.
import type { Locale } from '$lib/i18n';
import type { LayerParams } from './params.ts';
import type { DataTable } from '$lib/server/db/data-version';

export type Localized = { readonly 'zh-CN': string; readonly en: string };
export type Rgba = [number, number, number, number];

export interface LegendItem {
	color: Rgba;
	label: Localized;
	/** The shape the map draws for this item. */
	shape?: 'fill' | 'circle' | 'line' | 'ring';
	/**
	 * For proportional symbols, the size the map draws this item at, in CSS pixels: the radius of a
	 * circle or ring, the width of a line. Without it the legend draws a standard swatch.
	 */
	size?: number;
}

export interface Legend {
	title: Localized;
	kind: 'categorical' | 'sequential' | 'diverging' | 'symbol';
	items: LegendItem[];
	note?: Localized;
}

/**
 * A deck.gl layer described as data: `type` names a deck.gl layer class, `props` are its props
 * (accessors included). Pure functions produce these so they can be unit-tested without WebGL;
 * the map turns them into layer instances in one place ($lib/map/deck-overlay.ts).
 */
export interface DeckLayerSpec {
	type:
		| 'ScatterplotLayer'
		| 'ColumnLayer'
		| 'PolygonLayer'
		| 'SolidPolygonLayer'
		| 'GeoJsonLayer'
		| 'ArcLayer'
		| 'LineLayer'
		| 'PathLayer'
		| 'TextLayer'
		| 'IconLayer';
	props: Record<string, unknown> & { id: string };
}

export interface StyleContext {
	params: LayerParams;
	locale: Locale;
	opacity: number;
	/** Id of the feature under the pointer, for highlighting. */
	hoveredId?: string | number | null;
}

export type Role = 'public' | 'bureau' | 'planner';

export interface LayerDefinition<TData = unknown, TObject = unknown> {
	id: string;
	title: Localized;
	description: Localized;
	group: 'context' | 'data';
	minRole: Role;
	/** Zoom range the layer draws at; below `featuresFrom` it shows aggregates. */
	zoom: { min: number; max: number; featuresFrom?: number };
	/**
	 * The data tables its query reads. A response is cached under the data versions of exactly
	 * these (server.ts), so a table left out here would serve stale data after it changes.
	 */
	reads: readonly DataTable[];
	/** Which LayerParams change its data (they go into the data URL). */
	params: readonly (keyof LayerParams)[];
	/** The fields of the query output that styles, legends and tooltips read (checked by tests). */
	fields: readonly string[];
	/**
	 * How the data travels: 'columns' is the compact binary form of transport.ts; 'geojson' is a
	 * FeatureCollection the query already returns as text (small context layers, drawn by MapLibre).
	 */
	format: 'json' | 'columns' | 'geojson';
	legend(params: LayerParams, data?: TData): Legend;
	toDeck(data: TData, ctx: StyleContext): DeckLayerSpec[];
	tooltip(object: TObject, locale: Locale, params: LayerParams): string | null;
	/** The rows of a details panel for a clicked object (label, value). */
	details?(object: TObject, locale: Locale, params: LayerParams): { label: string; value: string }[];
}

export function localize(text: Localized, locale: Locale): string {
	return text[locale];
}
