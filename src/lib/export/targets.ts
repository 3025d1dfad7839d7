// What can be exported (GET /api/export/<target>?format=…): every data layer of the registry, as
// the map shows it (same parameters, same suppression), and the base tables (the OGC collections
// of the planning data; never households). Client-safe: the export menu builds its links from here.
import type { Localized } from '$lib/layers/types';
import { LAYERS } from '$lib/layers/registry';
import { paramsToSearch, type LayerParams } from '$lib/layers/params';
import { collectionById } from '$lib/ogc/collections';
import { hasLayerTable } from './layer-tables.ts';

export const EXPORT_FORMATS = ['geojson', 'csv', 'xlsx', 'shp', 'gpkg'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const FORMAT_LABELS: Record<ExportFormat, string> = {
	geojson: 'GeoJSON',
	csv: 'CSV (UTF-8)',
	xlsx: 'Excel (XLSX)',
	shp: 'Shapefile (ZIP)',
	gpkg: 'GeoPackage'
};

/**
 * Base tables that can be downloaded whole (within the county, view and filters). Relocation sites
 * go out through their layer of the same id, which has the table's columns plus occupancy and gap.
 */
export const TABLE_TARGETS = ['villages', 'industry-sites', 'roads', 'facilities', 'constraint-zones'] as const;

export interface ExportTarget {
	id: string;
	kind: 'layer' | 'table';
	title: Localized;
	/** The LayerParams the export takes from the request (besides county and bbox). */
	params: readonly (keyof LayerParams)[];
}

/** Layers first (registry order; those that have an export table in layer-tables.ts), then tables; a layer and a table never share an id (checked below). */
export const EXPORT_TARGETS: readonly ExportTarget[] = [
	...LAYERS.filter((l) => l.group === 'data' && hasLayerTable(l.id)).map((l): ExportTarget => ({ id: l.id, kind: 'layer', title: l.title, params: l.params.filter((p) => p !== 'county') })),
	...TABLE_TARGETS.map((id): ExportTarget => {
		const c = collectionById(id)!;
		return { id, kind: 'table', title: c.title, params: c.filters.filter((f): f is 'chain' | 'stage' => f === 'chain' || f === 'stage') };
	})
];

if (new Set(EXPORT_TARGETS.map((t) => t.id)).size !== EXPORT_TARGETS.length) throw new Error('export targets: a layer and a table share an id');

export function exportTarget(id: string): ExportTarget | undefined {
	return EXPORT_TARGETS.find((t) => t.id === id);
}

/** [west, south, east, north] in degrees. */
export type ViewBbox = [number, number, number, number];

/** The download URL of a target in a format, for the map's parameters and (optionally) the current view. */
export function exportUrl(target: ExportTarget, format: ExportFormat, params: LayerParams, bbox: ViewBbox | null): string {
	const search = paramsToSearch(params, target.params);
	const out = new URLSearchParams({ format });
	if (params.county) out.set('county', params.county);
	if (bbox) out.set('bbox', bbox.map((x) => Math.round(x * 1e6) / 1e6).join(','));
	for (const [key, value] of search) out.set(key, value);
	return `/api/export/${target.id}?${out}`;
}
