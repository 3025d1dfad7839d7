// Small PostGIS helpers for Kysely queries. Geometry arguments are expressions (sql.ref('geom'),
// eb.ref('regions.geom'), or another helper's result); numbers that become SQL literals are checked
// here, and every value that comes from a request goes in as a bound parameter, never as text.
import { sql, type Expression, type RawBuilder } from 'kysely';

type Geom = Expression<unknown> | RawBuilder<unknown>;

function checkedInteger(value: number, name: string, min: number, max: number): number {
	if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} must be an integer in ${min}..${max}`);
	return value;
}

function checkedNumber(value: number, name: string): number {
	if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite, non-negative number`);
	return value;
}

/**
 * ST_AsGeoJSON(geom, decimals): the geometry as GeoJSON text. 5 decimals of a degree are about
 * 1 m, finer than any source we draw; fewer decimals make the response smaller.
 */
export function asGeoJson(geom: Geom, decimals = 5): RawBuilder<string> {
	return sql<string>`ST_AsGeoJSON(${geom}, ${sql.lit(checkedInteger(decimals, 'decimals', 0, 15))})`;
}

/** ST_SimplifyPreserveTopology(geom, tolerance): fewer vertices, still valid (tolerance in degrees). */
export function simplify(geom: Geom, toleranceDegrees: number): RawBuilder<unknown> {
	return sql`ST_SimplifyPreserveTopology(${geom}, ${sql.lit(checkedNumber(toleranceDegrees, 'tolerance'))}::float8)`;
}

/**
 * ST_ForcePolygonCCW(geom): exterior rings counter-clockwise, holes clockwise — the winding
 * RFC 7946 asks for, so a line offset along an outline falls on a known side.
 */
export function forceRfc7946Winding(geom: Geom): RawBuilder<unknown> {
	return sql`ST_ForcePolygonCCW(${geom})`;
}

/** ST_PointOnSurface(geom): a point guaranteed inside the geometry (for labels). */
export function pointOnSurface(geom: Geom): RawBuilder<unknown> {
	return sql`ST_PointOnSurface(${geom})`;
}

/** The geometry's bounding box as [west, south, east, north] (null for a null geometry). */
export function bbox(geom: Geom): RawBuilder<[number, number, number, number] | null> {
	return sql<[number, number, number, number] | null>`(case when ${geom} is null then null
		else array[ST_XMin(${geom}), ST_YMin(${geom}), ST_XMax(${geom}), ST_YMax(${geom})]::float8[] end)`;
}

/**
 * Wrap a feature query into one GeoJSON FeatureCollection, built by the database as text. The
 * query must return the geometry as GeoJSON text in a column named `geometry` (see asGeoJson);
 * every other column becomes a property. Rows without geometry are left out.
 */
export function featureCollection(features: Expression<unknown>): RawBuilder<string> {
	return sql<string>`(
		select json_build_object(
			'type', 'FeatureCollection',
			'features', coalesce(json_agg(json_build_object(
				'type', 'Feature',
				'geometry', f.geometry::json,
				'properties', to_jsonb(f) - 'geometry'
			)), '[]'::json)
		)::text
		from (${features}) as f
		where f.geometry is not null
	)`;
}
