// The SQL step of the max-cover-result layer: one finished maximal-covering run of the county —
// the one the request names (`run`), or the latest for the chain (the request's, else the county's
// main chain) and stage (the request's, else any). Runs are stored by startRun (analysis_runs).
import { sql, type Kysely } from 'kysely';
import type { Database } from '$lib/server/db';
import { ParamError, type Stage } from '../params.ts';
import type { StoredMaxCover } from './result.ts';

type Db = Kysely<Database>;

export interface FoundRun {
	id: number;
	finished_at: string | null;
	result: StoredMaxCover;
}

const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as StoredMaxCover;
const iso = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

/**
 * The run to draw, or null when the county has none yet. A named max-cover run that is not a
 * finished run of this county is a bad parameter (400), never silently another run. A run of another
 * kind is another result layer's (the map shares one `run` parameter): the latest max-cover run of the
 * chain and stage is drawn.
 */
export async function findMaxCoverRun(
	db: Db,
	county: string,
	opts: { run: number | null; chain: string | null; stage: Stage | null }
): Promise<FoundRun | null> {
	if (opts.run !== null) {
		const row = await db
			.selectFrom('analysis_runs')
			.select(['id', 'county_code', 'kind', 'status', 'finished_at', 'result'])
			.where('id', '=', opts.run)
			.executeTakeFirst();
		if (!row || (row.kind === 'max-cover' && (row.county_code !== county || row.status !== 'done'))) {
			throw new ParamError('run', `no finished max-cover run ${opts.run} in county ${county}`);
		}
		if (row.kind === 'max-cover') return { id: Number(row.id), finished_at: iso(row.finished_at), result: parse(row.result) };
	}
	const row = await db
		.selectFrom('analysis_runs')
		.select(['id', 'finished_at', 'result'])
		.where('county_code', '=', county)
		.where('kind', '=', 'max-cover')
		.where('status', '=', 'done')
		.$if(opts.chain !== null, (q) => q.where(sql<boolean>`params->>'chain' = ${opts.chain}`))
		.$if(opts.stage !== null, (q) => q.where(sql<boolean>`params->>'stage' = ${opts.stage}`))
		.orderBy('finished_at', 'desc')
		.orderBy('id', 'desc')
		.limit(1)
		.executeTakeFirst();
	return row ? { id: Number(row.id), finished_at: iso(row.finished_at), result: parse(row.result) } : null;
}
