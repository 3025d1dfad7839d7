// The offline basemap is drawn only from our own data. Each context layer is a registry entry
// (src/lib/layers/<name>/, group 'context') served as GeoJSON by
// GET /api/layers/<name>/features[?county=<6-digit code>], fed by a query in $lib/server/context.ts.
// `outlines` are the province and prefecture (city) outlines around the counties, for orientation.
// Client-safe: the style builder and the route both read this list.

export const CONTEXT_LAYERS = [
	'outlines',
	'counties',
	'county-seats',
	'townships',
	'township-seats',
	'villages',
	'rivers',
	'roads',
	'facilities'
] as const;
export type ContextLayer = (typeof CONTEXT_LAYERS)[number];

export function isContextLayer(name: string): name is ContextLayer {
	return (CONTEXT_LAYERS as readonly string[]).includes(name);
}

/** A county code as accepted by `?county=`: exactly six digits. */
export function parseCountyCode(value: string | null | undefined): string | null {
	return value && /^[0-9]{6}$/.test(value) ? value : null;
}

/** The path (no origin) of a context layer's GeoJSON. */
export function contextLayerPath(name: ContextLayer, county?: string | null): string {
	return `/api/layers/${name}/features${county ? `?county=${county}` : ''}`;
}
