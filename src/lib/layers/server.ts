// Server side of the layer registry: the query behind each layer id. Every data request goes
// through `layerResponse`, which parses parameters, enforces the suppression floor, runs the query
// and encodes the result (JSON, or the binary column form for big layers).
import type { Kysely } from 'kysely';
import type { Capabilities, Database } from '$lib/server/db';
import { DEFAULT_K, type LayerParams } from './params.ts';
import { encodeColumns, type ColumnTable } from './transport.ts';
import { LAYERS } from './registry.ts';
import { queries } from './queries.server.ts';

export interface QueryContext {
	db: Kysely<Database>;
	capabilities: Capabilities;
}

export type LayerQuery = (ctx: QueryContext, params: LayerParams) => Promise<unknown>;

export interface EncodedLayer {
	body: Uint8Array | string;
	contentType: string;
}

export async function layerData(ctx: QueryContext, id: string, params: LayerParams): Promise<EncodedLayer | null> {
	const def = LAYERS.find((l) => l.id === id);
	const query = queries[id];
	if (!def || !query) return null;
	// k can be raised by the caller (meeting output uses 10) but never lowered below the floor.
	const data = await query(ctx, { ...params, k: Math.max(params.k, DEFAULT_K) });
	if (def.format === 'columns') {
		return { body: encodeColumns(data as ColumnTable), contentType: 'application/vnd.lantu.columns' };
	}
	return { body: JSON.stringify(data), contentType: 'application/json; charset=utf-8' };
}
