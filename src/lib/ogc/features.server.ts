// Features of a collection from the database: a page (bbox, keyset order, limit/offset), the number
// matched, one feature by id, and the extent. Pages are ordered by the feature id, a unique key, so
// offset paging neither skips nor repeats a feature while the data does not change.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Geometry } from 'geojson';
import type { Database } from '$lib/server/db';
import type { OgcCollection, OgcFeature } from './collections.ts';
import type { Bbox, OgcFilters } from './params.ts';
import { publicProperties, sourceColumns, sourceOf } from './sources.server.ts';

type Db = Kysely<Database>;
type Props = Record<string, string | number | boolean | null>;

/** Coordinates keep 7 decimals (~1 cm): what the database holds, to the precision any source has. */
const DECIMALS = 7;

function bboxCondition(bbox: Bbox | null): RawBuilder<unknown> {
	if (!bbox) return sql`true`;
	const [w, s, e, n] = bbox;
	return sql`ST_Intersects(s.geom, ST_MakeEnvelope(${w}::float8, ${s}::float8, ${e}::float8, ${n}::float8, 4326))`;
}

/** The properties as one JSON object text, keys in declared order (json_build_object keeps it). */
function propertiesJson(collection: OgcCollection): RawBuilder<string> {
	const pairs = sourceColumns(collection).map((c) => sql`${sql.lit(c)}::text, s.${sql.ref(c)}`);
	return sql<string>`json_build_object(${sql.join(pairs)})::text`;
}

interface FeatureRow {
	fid: string;
	geometry: string | null;
	properties: string;
}

function toFeature(collection: OgcCollection, row: FeatureRow): OgcFeature {
	return {
		type: 'Feature',
		id: collection.idKind === 'integer' ? Number(row.fid) : row.fid,
		geometry: row.geometry === null ? null : (JSON.parse(row.geometry) as Geometry),
		properties: publicProperties(collection, JSON.parse(row.properties) as Props)
	};
}

function featureSelect(collection: OgcCollection, filters: OgcFilters, bbox: Bbox | null): RawBuilder<FeatureRow> {
	return sql<FeatureRow>`
		select s.fid::text as fid, ST_AsGeoJSON(s.geom, ${sql.lit(DECIMALS)}) as geometry, ${propertiesJson(collection)} as properties
		from (${sourceOf(collection, filters)}) s
		where ${bboxCondition(bbox)}`;
}

export async function countFeatures(db: Db, collection: OgcCollection, filters: OgcFilters, bbox: Bbox | null): Promise<number> {
	const { rows } = await sql<{ n: number }>`
		select count(*)::int as n from (${sourceOf(collection, filters)}) s where ${bboxCondition(bbox)}`.execute(db);
	return rows[0].n;
}

export async function featurePage(
	db: Db,
	collection: OgcCollection,
	q: { filters: OgcFilters; bbox: Bbox | null; limit: number; offset: number }
): Promise<OgcFeature[]> {
	const { rows } = await sql<FeatureRow>`
		${featureSelect(collection, q.filters, q.bbox)}
		order by s.fid
		limit ${q.limit}::int offset ${q.offset}::int`.execute(db);
	return rows.map((r) => toFeature(collection, r));
}

/** Every feature matching, in id order, fetched in pages of `batch` (for exports). */
export async function* allFeatures(
	db: Db,
	collection: OgcCollection,
	filters: OgcFilters,
	bbox: Bbox | null,
	batch = 5000
): AsyncGenerator<OgcFeature> {
	for (let offset = 0; ; offset += batch) {
		const page = await featurePage(db, collection, { filters, bbox, limit: batch, offset });
		yield* page;
		if (page.length < batch) return;
	}
}

/** One feature by its id, or null (an id of the wrong form is simply not found). */
export async function featureById(db: Db, collection: OgcCollection, featureId: string, filters: OgcFilters): Promise<OgcFeature | null> {
	let key: RawBuilder<unknown>;
	if (collection.idKind === 'integer') {
		if (!/^[0-9]{1,9}$/.test(featureId)) return null;
		key = sql`s.fid = ${Number(featureId)}::int`;
	} else {
		if (!/^[0-9]{1,12}$/.test(featureId)) return null;
		key = sql`s.fid = ${featureId}::text`;
	}
	const { rows } = await sql<FeatureRow>`${featureSelect(collection, filters, null)} and ${key}`.execute(db);
	return rows.length ? toFeature(collection, rows[0]) : null;
}

/** [west, south, east, north] of every feature of the collection, or null when it is empty. */
export async function collectionExtent(db: Db, collection: OgcCollection, filters: OgcFilters): Promise<Bbox | null> {
	const { rows } = await sql<{ w: number | null; s: number | null; e: number | null; n: number | null }>`
		select ST_XMin(x.b) as w, ST_YMin(x.b) as s, ST_XMax(x.b) as e, ST_YMax(x.b) as n
		from (select ST_Extent(s.geom)::box2d as b from (${sourceOf(collection, filters)}) s) x`.execute(db);
	const r = rows[0];
	if (r.w === null || r.s === null || r.e === null || r.n === null) return null;
	return [Number(r.w), Number(r.s), Number(r.e), Number(r.n)];
}
