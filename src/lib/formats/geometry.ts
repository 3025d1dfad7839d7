// Checks on geometry read from any file: known GeoJSON types, finite numeric coordinates of the
// right nesting, at most `maxVertices` positions. Returns the geometry typed, or a reason.
import type { Geometry, Position } from 'geojson';

export const GEOMETRY_TYPES = [
	'Point',
	'MultiPoint',
	'LineString',
	'MultiLineString',
	'Polygon',
	'MultiPolygon',
	'GeometryCollection'
] as const;

/** Nesting depth of `coordinates` per type: 0 = a position, 1 = positions, … */
const COORD_DEPTH: Record<string, number> = {
	Point: 0,
	MultiPoint: 1,
	LineString: 1,
	MultiLineString: 2,
	Polygon: 2,
	MultiPolygon: 3
};

export class GeometryProblem extends Error {}

/**
 * Validate `value` as a GeoJSON geometry. Throws GeometryProblem with a reason; `counter.vertices` is
 * increased by the positions found (the caller checks the limit).
 */
export function checkGeometry(value: unknown, maxVertices: number, nested = false): Geometry {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new GeometryProblem(`the geometry is ${describe(value)}, not a GeoJSON geometry object`);
	}
	const g = value as { type?: unknown; coordinates?: unknown; geometries?: unknown };
	if (typeof g.type !== 'string' || !(GEOMETRY_TYPES as readonly string[]).includes(g.type)) {
		throw new GeometryProblem(`"${String(g.type).slice(0, 40)}" is not a GeoJSON geometry type`);
	}
	if (g.type === 'GeometryCollection') {
		if (nested) throw new GeometryProblem('a GeometryCollection inside a GeometryCollection is not accepted');
		if (!Array.isArray(g.geometries)) throw new GeometryProblem('a GeometryCollection without a "geometries" array');
		let budget = maxVertices;
		const geometries = g.geometries.map((m) => {
			const checked = checkGeometry(m, budget, true);
			budget -= countVertices(checked);
			return checked;
		});
		return { type: 'GeometryCollection', geometries };
	}
	const counter = { n: 0, max: maxVertices };
	checkCoordinates(g.coordinates, COORD_DEPTH[g.type], counter, g.type);
	return { type: g.type, coordinates: g.coordinates } as Geometry;
}

function checkCoordinates(value: unknown, depth: number, counter: { n: number; max: number }, type: string): void {
	if (!Array.isArray(value)) throw new GeometryProblem(`the coordinates of a ${type} are ${describe(value)}, not an array`);
	if (depth === 0) {
		if (value.length < 2 || value.length > 4) throw new GeometryProblem(`a position has ${value.length} numbers`);
		for (const n of value) {
			if (typeof n !== 'number' || !Number.isFinite(n)) {
				throw new GeometryProblem(`a coordinate is ${describe(n)}, not a finite number`);
			}
		}
		if (++counter.n > counter.max) throw new GeometryProblem(`the geometry has more than ${counter.max} vertices`);
		return;
	}
	for (const item of value) checkCoordinates(item, depth - 1, counter, type);
}

export function countVertices(g: Geometry): number {
	if (g.type === 'GeometryCollection') return g.geometries.reduce((s, m) => s + countVertices(m), 0);
	const walk = (c: unknown): number => (typeof (c as unknown[])[0] === 'number' ? 1 : (c as unknown[]).reduce<number>((s, x) => s + walk(x), 0));
	return walk(g.coordinates as Position);
}

function describe(v: unknown): string {
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'an array';
	if (typeof v === 'string') return `the text "${v.slice(0, 30)}"`;
	return `${typeof v === 'object' ? 'an object' : String(v)}`;
}
