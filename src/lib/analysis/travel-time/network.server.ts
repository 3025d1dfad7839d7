// The SQL step of travel time: a county's roads read once into the pure road graph, cached per
// (counties, road speeds, roads data version). Any committed change to `roads` moves its data version
// (migration 0002), so the next request rebuilds the graph; until then every analysis of the county
// shares one graph. Points (villages, sites, facilities) are loaded by the callers and snapped with
// `snapPoints` from the core.
import { sql, type Kysely } from 'kysely';
import type { Database } from '$lib/server/db/types.ts';
import { dataVersions } from '$lib/server/db/data-version.ts';
import { perDbCache } from '$lib/server/db/per-db-cache.ts';
import { buildRoadGraph, DEFAULT_WALKING_SPEED_KMH, type RoadArrays, type RoadGraph } from './graph.ts';
import { decodeLineStrings } from './wkb.ts';

export interface RoadSpeeds {
	/** km/h per road class (expressway … village). */
	classes: Readonly<Record<string, number>>;
	/** km/h for the off-road stretch between a point and the road. */
	walking: number;
}

export interface RoadNetwork {
	graph: RoadGraph;
	counties: readonly string[];
	speeds: RoadSpeeds;
	/** The roads data version the graph was built from. */
	roadsVersion: number;
	/** Cache key of this graph: counties, speeds and roads version. */
	key: string;
	roadCount: number;
	buildMs: number;
}

/**
 * Speeds from a scenario's `road_speed_kmh` JSON ({"county": 40, …, "walking": 4}); classes not given
 * keep the core's defaults. Throws on a non-positive or non-numeric speed, naming the class.
 */
export function roadSpeedsFromScenario(json: unknown): RoadSpeeds {
	const classes: Record<string, number> = {};
	let walking = DEFAULT_WALKING_SPEED_KMH;
	if (json && typeof json === 'object') {
		for (const [cls, value] of Object.entries(json as Record<string, unknown>)) {
			const v = Number(value);
			if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`road speed for "${cls}" must be a positive number, got ${String(value)}`);
			if (cls === 'walking') walking = v;
			else classes[cls] = v;
		}
	}
	return { classes, walking };
}

/** Up to 8 graphs per database. */
const cache = perDbCache<RoadNetwork>(8);

/** Drop every cached graph (tests; after a bulk import the version check already does it). */
export function clearRoadNetworkCache(): void {
	cache.clear();
}

/**
 * The road graph of the given counties (one or several, e.g. a county and its neighbours), built from
 * `roads` with the given speeds. Cached; concurrent callers for the same key share one build.
 */
export async function loadRoadNetwork(
	db: Kysely<Database>,
	counties: readonly string[],
	speeds: RoadSpeeds = { classes: {}, walking: DEFAULT_WALKING_SPEED_KMH }
): Promise<RoadNetwork> {
	const sorted = [...new Set(counties)].sort();
	const [roadsVersion] = await dataVersions(db, ['roads']);
	const speedKey = JSON.stringify(Object.entries(speeds.classes).sort()) + `|w${speeds.walking}`;
	const key = `roads:${sorted.join('+')}|${speedKey}|v${roadsVersion}`;
	return cache.get(db, key, () => build(db, sorted, speeds, roadsVersion, key));
}

async function build(
	db: Kysely<Database>,
	counties: readonly string[],
	speeds: RoadSpeeds,
	roadsVersion: number,
	key: string
): Promise<RoadNetwork> {
	const started = performance.now();
	// One row for the whole network: ids, classes and every line's WKB concatenated in id order.
	// Binary coordinates are exact (no decimal round trip) and decode straight into one
	// Float64Array; this replaced a JSON array per road built from ST_DumpPoints, which cost more
	// on the server than the graph build itself and several seconds in PGlite at province scale.
	const { rows } = await sql<{ ids: number[] | null; classes: string | null; wkb: Uint8Array | null }>`
		select array_agg(id order by id) as ids,
		       string_agg(class, ',' order by id) as classes,
		       string_agg(ST_AsBinary(geom, 'NDR'), ''::bytea order by id) as wkb
		from roads
		where county_code in (${sql.join(counties)})`.execute(db);
	const row = rows[0];
	const ids = (row?.ids ?? []).map(Number);
	const roads: RoadArrays = {
		ids,
		classes: ids.length ? row!.classes!.split(',') : [],
		...decodeLineStrings(row?.wkb ?? new Uint8Array(0), ids.length)
	};
	const graph = buildRoadGraph(roads, { speedsKmh: speeds.classes, walkingSpeedKmh: speeds.walking });
	return {
		graph,
		counties,
		speeds,
		roadsVersion,
		key,
		roadCount: ids.length,
		buildMs: performance.now() - started
	};
}

