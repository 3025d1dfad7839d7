// Context layers (group 'context'): the reference geography under the data layers — outlines,
// townships, villages, roads, rivers, facilities. They are registry entries like the data layers
// (GET /api/layers lists them, /api/layers/<id>/features serves them through the same cached path),
// but MapLibre draws them as part of the basemap ($lib/map/basemap-style.ts): they are small GeoJSON
// that MapLibre tiles itself, and the labels need its collision handling. So `toDeck` draws nothing.
// Client-safe.
import type { DataTable } from '$lib/server/db/data-version';
import type { ContextLayer } from '$lib/map/context-layers';
import type { LayerDefinition, Legend, Localized } from './types.ts';

export interface ContextFeatureCollection {
	type: 'FeatureCollection';
	features: { type: 'Feature'; geometry: unknown; properties: Record<string, unknown> }[];
}

export interface ContextSpec {
	id: ContextLayer;
	title: Localized;
	description: Localized;
	reads: readonly DataTable[];
	zoom: { min: number; max: number };
	/** Feature properties the basemap style and legend read. */
	fields: readonly string[];
	legend: Legend;
}

export function contextDefinition(spec: ContextSpec): LayerDefinition<ContextFeatureCollection, unknown> {
	return {
		id: spec.id,
		title: spec.title,
		description: spec.description,
		group: 'context',
		minRole: 'public',
		zoom: spec.zoom,
		reads: spec.reads,
		params: ['county'],
		fields: spec.fields.map((f) => `features.properties.${f}`),
		format: 'geojson',
		legend: () => spec.legend,
		toDeck: () => [],
		tooltip: () => null
	};
}

/** The heading of the layer panel's context section. */
export const CONTEXT_SECTION_TITLE: Localized = { 'zh-CN': '背景图层', en: 'Context layers' };
