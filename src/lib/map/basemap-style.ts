// The offline basemap: a MapLibre style built only from our own context layers (the registry's
// group 'context', GeoJSON from /api/layers/<name>/features) and our own glyphs (static/glyphs).
// Pure: the same options give the same style, and nothing in it points at a host other than `origin` (unit-tested). Latin text uses the Noto
// Sans glyph PBFs; their CJK ranges are empty, so Chinese is drawn by the browser from the fonts in
// LOCAL_IDEOGRAPH_FONT_FAMILY (MapLibre's `localIdeographFontFamily` map option).
import type {
	DataDrivenPropertyValueSpecification,
	ExpressionSpecification,
	LayerSpecification,
	SourceSpecification,
	StyleSpecification
} from 'maplibre-gl';
import type { Locale, Messages } from '$lib/i18n';
import { BASEMAP, FACILITY_KINDS, ROAD_CLASSES, ZOOMS, type RoadClass } from './palette.ts';
import { CONTEXT_LAYERS, contextLayerPath, type ContextLayer } from './context-layers.ts';

/**
 * The first layer of the basemap's reference overlay: county boundaries, township seats and every
 * label are drawn from here on, above the data layers (deck-overlay.ts inserts them before it).
 */
export const REFERENCE_LAYER = 'county-band';

/** Fontstacks shipped in static/glyphs (folder names). */
export const FONT_REGULAR = 'Noto Sans Regular';
export const FONT_MEDIUM = 'Noto Sans Medium';

/** Fonts the browser uses for CJK label text (Windows, macOS, Linux and domestic Linux names). */
export const LOCAL_IDEOGRAPH_FONT_FAMILY =
	'"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif';

export interface BasemapOptions {
	/** The page's origin, e.g. location.origin. MapLibre needs absolute URLs (it fetches in a worker). */
	origin: string;
	locale: Locale;
	messages: Messages;
	/** The county in focus (6-digit code): drawn stronger than the others. */
	selectedCounty?: string | null;
	/** Draw the facilities (township seats, schools, clinics, markets). Default: hidden. */
	showFacilities?: boolean;
}

/** The label of a feature in the current locale: the English name where there is one. */
export function labelField(locale: Locale): ExpressionSpecification {
	return locale === 'en' ? ['coalesce', ['get', 'name_en'], ['get', 'name_zh'], ''] : ['coalesce', ['get', 'name_zh'], ''];
}

/** Village labels: the short form (label_zh, e.g. 袁家店村) of the committee's official name. */
export function villageLabelField(locale: Locale): ExpressionSpecification {
	const zh: ExpressionSpecification = ['coalesce', ['get', 'label_zh'], ['get', 'name_zh'], ''];
	return locale === 'en' ? ['coalesce', ['get', 'name_en'], zh] : zh;
}

/**
 * County labels: our dictionary's names (`county.<code>`) where it has one, so that English shows
 * "Yudu County" even where the database holds no English name; otherwise the feature's own name.
 */
export function countyLabelField(locale: Locale, m: Messages): ExpressionSpecification {
	const pairs = Object.entries(m).flatMap(([key, value]) => {
		const code = /^county\.(\d{6})$/.exec(key)?.[1];
		return code ? [code, value] : [];
	});
	const fallback = labelField(locale);
	return pairs.length ? (['match', ['get', 'code'], ...pairs, fallback] as unknown as ExpressionSpecification) : fallback;
}

/** A width that grows linearly with zoom between two stops. */
function widthByZoom([low, high]: readonly [number, number], z0 = 8, z1 = 14): ExpressionSpecification {
	return ['interpolate', ['linear'], ['zoom'], z0, low, z1, high];
}

function originOf(value: string): string {
	const url = new URL(value);
	if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`origin must be http(s): ${value}`);
	return url.origin;
}

const ATTRIBUTION_KEYS: Partial<Record<ContextLayer, keyof Messages>> = {
	outlines: 'attribution.boundaries',
	counties: 'attribution.boundaries',
	townships: 'attribution.townships',
	rivers: 'attribution.rivers',
	roads: 'attribution.roads',
	villages: 'attribution.villages'
};

export function basemapStyle(options: BasemapOptions): StyleSpecification {
	const origin = originOf(options.origin);
	const m = options.messages;
	const selected = options.selectedCounty ?? null;
	const label = labelField(options.locale);

	const sources: Record<string, SourceSpecification> = {};
	for (const name of CONTEXT_LAYERS) {
		const key = ATTRIBUTION_KEYS[name];
		sources[name] = {
			type: 'geojson',
			data: `${origin}${contextLayerPath(name)}`,
			// Small, static, drawn at every zoom: let MapLibre cut its own tiles with some tolerance.
			tolerance: 0.4,
			...(key ? { attribution: m[key] } : {})
		};
	}

	// With a county in focus, the others recede: thinner, fainter outline.
	const isSelected: ExpressionSpecification = ['==', ['get', 'code'], selected ?? ''];
	const focus = <T extends number>(inFocus: T, others: T, none: T): DataDrivenPropertyValueSpecification<number> =>
		selected ? ['case', isSelected, inFocus, others] : none;

	const roadLayer = (cls: RoadClass): LayerSpecification => ({
		id: `road-${cls}`,
		type: 'line',
		source: 'roads',
		...(cls === 'village' ? { minzoom: ZOOMS.villageRoads } : {}),
		filter: ['==', ['get', 'class'], cls],
		layout: { 'line-cap': 'round', 'line-join': 'round' },
		paint: { 'line-color': BASEMAP.roads[cls].color, 'line-width': widthByZoom(BASEMAP.roads[cls].width) }
	});

	const layers: LayerSpecification[] = [
		{ id: 'background', type: 'background', paint: { 'background-color': BASEMAP.background } },
		{
			id: 'city-line',
			type: 'line',
			source: 'outlines',
			filter: ['==', ['get', 'level'], 'city'],
			layout: { 'line-join': 'round' },
			paint: { 'line-color': BASEMAP.cityLine, 'line-width': widthByZoom([0.8, 1.4], 5, 12), 'line-dasharray': [4, 2] }
		},
		{
			id: 'province-line',
			type: 'line',
			source: 'outlines',
			filter: ['==', ['get', 'level'], 'province'],
			layout: { 'line-join': 'round' },
			paint: { 'line-color': BASEMAP.provinceLine, 'line-width': widthByZoom([1.2, 2.2], 5, 12), 'line-dasharray': [6, 2, 1, 2] }
		},
		{
			id: 'county-fill',
			type: 'fill',
			source: 'counties',
			paint: { 'fill-color': BASEMAP.countyFill, 'fill-opacity': focus(1, 0.55, 1) }
		},
		{
			// Township areas are synthetic (Voronoi cells of the seats): faint and dashed, never solid.
			id: 'township-line',
			type: 'line',
			source: 'townships',
			minzoom: 7,
			paint: {
				'line-color': BASEMAP.townshipLine,
				'line-width': ['interpolate', ['linear'], ['zoom'], 7, 0.4, 12, 1.1],
				'line-opacity': 0.8,
				// In line widths: at ~0.7 px this is a 4 px dash and a 3 px gap.
				'line-dasharray': [6, 4]
			}
		},
		{
			id: 'river',
			type: 'line',
			source: 'rivers',
			layout: { 'line-cap': 'round', 'line-join': 'round' },
			paint: { 'line-color': BASEMAP.river, 'line-width': widthByZoom([1, 3.2], 6, 13) }
		},
		// Lower classes first so that county roads are drawn on top at junctions.
		...[...ROAD_CLASSES].reverse().map(roadLayer),
		{
			// Village dots belong to the ground: data layers that draw villages cover them.
			id: 'village-point',
			type: 'circle',
			source: 'villages',
			minzoom: ZOOMS.villagePoints,
			paint: {
				'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 1.8, 14, 3.5],
				'circle-color': BASEMAP.halo,
				'circle-stroke-color': BASEMAP.village,
				'circle-stroke-width': 1.2
			}
		},
		{
			// Facilities: a dot per kind, under the boundaries and labels (and the data layers).
			id: 'facility-point',
			type: 'circle',
			source: 'facilities',
			minzoom: ZOOMS.facilities,
			layout: { visibility: options.showFacilities ? 'visible' : 'none' },
			paint: {
				'circle-radius': ['interpolate', ['linear'], ['zoom'], 9, 3, 14, 6],
				'circle-color': [
					'match',
					['get', 'kind'],
					...FACILITY_KINDS.flatMap((kind) => [kind, BASEMAP.facilities[kind]]),
					BASEMAP.village
				] as unknown as ExpressionSpecification,
				'circle-stroke-color': BASEMAP.halo,
				'circle-stroke-width': 1.4
			}
		},
		{
			// A soft band along the inside of the boundary, as on printed administrative maps.
			id: 'county-band',
			type: 'line',
			source: 'counties',
			paint: {
				'line-color': BASEMAP.countyLine,
				'line-opacity': focus(0.22, 0.08, 0.18),
				'line-width': widthByZoom([4, 10], 6, 12),
				// Outlines come with RFC 7946 winding (exterior rings counter-clockwise). MapLibre offsets
				// to the right of the line direction in screen space, where y points down: there such a
				// ring runs clockwise, so a positive offset is the inside (checked on screenshots).
				'line-offset': widthByZoom([2, 5], 6, 12)
			}
		},
		{
			id: 'county-line',
			type: 'line',
			source: 'counties',
			layout: { 'line-join': 'round' },
			paint: {
				'line-color': BASEMAP.countyLine,
				// Zoom must be the outermost expression: the focus case sits inside each stop.
				'line-width': [
					'interpolate',
					['linear'],
					['zoom'],
					6,
					focus(2.2, 1.2, 1.8),
					12,
					focus(3.2, 1.8, 2.8)
				] as ExpressionSpecification,
				'line-opacity': focus(1, 0.6, 1)
			}
		},
		{
			id: 'township-seat',
			type: 'circle',
			source: 'township-seats',
			minzoom: ZOOMS.townshipSeats,
			paint: {
				'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 2.5, 13, 4.5],
				'circle-color': BASEMAP.townshipSeat,
				'circle-stroke-color': BASEMAP.halo,
				'circle-stroke-width': 1.2
			}
		},
		{
			id: 'river-label',
			type: 'symbol',
			source: 'rivers',
			minzoom: 9,
			layout: {
				'symbol-placement': 'line',
				'text-field': label,
				'text-font': [FONT_REGULAR],
				'text-size': 12,
				'text-letter-spacing': 0.1,
				'symbol-spacing': 400
			},
			paint: { 'text-color': BASEMAP.riverLabel, 'text-halo-color': BASEMAP.halo, 'text-halo-width': 1.2 }
		},
		{
			id: 'village-label',
			type: 'symbol',
			source: 'villages',
			minzoom: ZOOMS.villageLabels,
			layout: {
				'text-field': villageLabelField(options.locale),
				'text-font': [FONT_REGULAR],
				'text-size': 11,
				'text-anchor': 'top',
				'text-offset': [0, 0.5],
				'text-padding': 3,
				'symbol-sort-key': ['-', 0, ['coalesce', ['get', 'population'], 0]]
			},
			paint: { 'text-color': BASEMAP.villageLabel, 'text-halo-color': BASEMAP.halo, 'text-halo-width': 1.2 }
		},
		{
			id: 'township-label',
			type: 'symbol',
			source: 'township-seats',
			minzoom: ZOOMS.townshipLabels,
			layout: {
				'text-field': label,
				'text-font': [FONT_MEDIUM],
				'text-size': ['interpolate', ['linear'], ['zoom'], 8, 11.5, 12, 14],
				'text-anchor': 'top',
				'text-offset': [0, 0.45],
				'text-padding': 4,
				'text-max-width': 8
			},
			paint: { 'text-color': BASEMAP.townshipLabel, 'text-halo-color': BASEMAP.halo, 'text-halo-width': 1.6 }
		},
		{
			id: 'county-label',
			type: 'symbol',
			source: 'county-seats',
			maxzoom: ZOOMS.countyLabelsMax,
			layout: {
				'text-field': countyLabelField(options.locale, m),
				'text-font': [FONT_MEDIUM],
				'text-size': ['interpolate', ['linear'], ['zoom'], 5, 13, 10, 18],
				'text-letter-spacing': 0.15,
				'text-allow-overlap': false
			},
			paint: {
				'text-color': BASEMAP.countyLabel,
				'text-halo-color': BASEMAP.halo,
				'text-halo-width': 2,
				'text-opacity': focus(1, 0.6, 1)
			}
		}
	];

	return {
		version: 8,
		name: 'Lantu offline basemap',
		metadata: { 'lantu:locale': options.locale },
		glyphs: `${origin}/glyphs/{fontstack}/{range}.pbf`,
		sources,
		layers
	};
}
