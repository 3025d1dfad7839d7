// The `outlines` context layer: GeoJSON text built by PostGIS ($lib/server/context.ts).
import { contextGeoJson } from '$lib/server/context';
import type { LayerQuery } from '../server.ts';

export const query: LayerQuery = ({ db }, params) => contextGeoJson(db, 'outlines', params.county);
