// Server side of the layer registry: the query behind each layer id. Every data request goes
// through here: the parameters are cut down to the ones the layer declares (canonical form), the
// suppression floor is enforced, the query runs and its result is encoded (JSON, or the binary
// column form for big layers).
//
// Encoded responses are cached in memory under (layer id, canonical parameters, data versions of
// the tables the layer reads). The data versions (migration 0002) move with every committed write,
// so a cached response is never stale and nothing has to be invalidated by hand; the same key is
// the HTTP ETag, so a browser revalidating an unchanged layer gets a 304 without a query running.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Capabilities, Database } from '$lib/server/db';
import { versionKey } from './versions.server.ts';
import { DEFAULT_K, parseParams, paramsToSearch, type LayerParams } from './params.ts';
import { encodeColumns, COLUMNS_CONTENT_TYPE, type ColumnTable } from './transport.ts';
import { LAYERS } from './registry.ts';
import { queries } from './queries.server.ts';
import { ByteLru } from './cache.ts';
import type { LayerDefinition } from './types.ts';

export interface QueryContext {
	db: Kysely<Database>;
	capabilities: Capabilities;
}

export type LayerQuery = (ctx: QueryContext, params: LayerParams) => Promise<unknown>;

export interface EncodedLayer {
	body: Uint8Array | string;
	contentType: string;
	/** (layer, canonical parameters, data versions): equal keys mean equal bodies. */
	key: string;
	/** Served from the in-memory cache, without running the query. */
	cached: boolean;
}

/** A layer request reduced to what decides its answer. */
export interface LayerRequest {
	def: LayerDefinition<never, never>;
	/** Only the parameters the layer declares, zoom floored, k at least the floor. */
	params: LayerParams;
	/** The canonical parameters as text (stable order, defaults left out). */
	search: string;
	/** The cache key and ETag source: id, search and the data versions the layer reads. */
	key: string;
}

const MB = 1024 * 1024;
const cacheBytes = () => {
	const mb = Number(process.env.LANTU_LAYER_CACHE_MB ?? 64);
	return Number.isFinite(mb) && mb >= 0 ? mb * MB : 64 * MB;
};

/** The process's response cache (bounded by LANTU_LAYER_CACHE_MB, default 64). */
export const layerCache = new ByteLru(cacheBytes());

/**
 * The canonical form of a request: two URLs that must give the same answer (parameter order, a
 * parameter the layer does not read, zoom 9.3 vs 9, k below the floor) give the same parameters.
 * The query sees these, never the raw ones, so the cache key cannot miss a difference it makes.
 */
export function canonicalParams(def: LayerDefinition<never, never>, params: LayerParams): { params: LayerParams; search: string } {
	// k can be raised by the caller (meeting output uses 10) but never lowered below the floor.
	const search = paramsToSearch({ ...params, k: Math.max(params.k, DEFAULT_K) }, def.params).toString();
	return { params: parseParams(new URLSearchParams(search)), search };
}

const keyOf = (def: LayerDefinition<never, never>, search: string, versions: string) => `${def.id}?${search}#${versions}`;

/** Resolve a request to its layer and cache key (one small query: the data versions). */
export async function resolveLayer(ctx: QueryContext, id: string, params: LayerParams): Promise<LayerRequest | null> {
	const def = LAYERS.find((l) => l.id === id);
	if (!def || !queries[id]) return null;
	const canonical = canonicalParams(def, params);
	const key = keyOf(def, canonical.search, await versionKey(ctx.db, def.reads));
	return { def, ...canonical, key };
}

/**
 * The encoded response of a resolved request: from the cache, or by running the query. A miss runs
 * the query and re-reads the data versions in one repeatable-read transaction, so the key stored
 * names exactly the snapshot the body was computed from (a write committed in between gives a
 * newer key, never a newer body under an older key).
 */
export async function layerBody(ctx: QueryContext, req: LayerRequest): Promise<EncodedLayer> {
	const hit = layerCache.get(req.key);
	if (hit) return { body: hit.body, contentType: hit.contentType, key: req.key, cached: true };
	const query = queries[req.def.id];
	const computed = await ctx.db
		.transaction()
		.setIsolationLevel('repeatable read')
		.execute(async (trx) => {
			const versions = await versionKey(trx, req.def.reads);
			const data = await query({ db: trx, capabilities: ctx.capabilities }, req.params);
			return { key: keyOf(req.def, req.search, versions), ...encode(req.def, data) };
		});
	layerCache.set(computed.key, { body: computed.body, contentType: computed.contentType, bytes: byteLength(computed.body) });
	return { ...computed, cached: false };
}

/** Resolve and answer a layer request; null for an unknown layer. */
export async function layerData(ctx: QueryContext, id: string, params: LayerParams): Promise<EncodedLayer | null> {
	const req = await resolveLayer(ctx, id, params);
	return req && layerBody(ctx, req);
}

function encode(def: LayerDefinition<never, never>, data: unknown): { body: Uint8Array | string; contentType: string } {
	if (def.format === 'columns') return { body: encodeColumns(data as ColumnTable), contentType: COLUMNS_CONTENT_TYPE };
	if (def.format === 'geojson') return { body: data as string, contentType: 'application/geo+json; charset=utf-8' };
	return { body: JSON.stringify(data), contentType: 'application/json; charset=utf-8' };
}

function byteLength(body: Uint8Array | string): number {
	return typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
}

/**
 * A strong ETag from a cache key and the app build: equal keys give byte-equal bodies within one
 * build (the queries and encoders are deterministic), and a new build may encode differently.
 */
export function layerEtag(key: string, build: string): string {
	return `"${createHash('sha256').update(`${build}\n${key}`).digest('base64url').slice(0, 32)}"`;
}

/**
 * Cache-Control for a layer: every layer response is an aggregate (suppressed), revalidated on
 * every use so a data change shows at once (the 304 is cheap). Layers meant only for a bureau are
 * `private`: a shared proxy must not hand them to other users once roles exist.
 */
export function layerCacheControl(def: LayerDefinition<never, never>): string {
	return def.minRole === 'public' ? 'public, max-age=0, must-revalidate' : 'private, max-age=0, must-revalidate';
}
