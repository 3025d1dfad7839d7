// Analysis runs (migration 0003): every analysis goes through `startRun`, which
//  - reuses a finished run whose cache key matches (same kind, county, scenario parameters, inputs and
//    data versions of the tables it reads), so an unchanged question is answered at once;
//  - otherwise records a running row, runs the work in the background and writes its progress
//    (throttled) and then its result or error. `GET /api/analysis/runs/<id>` reports it.
// The work function gets a progress callback and an AbortSignal; it returns a JSON-able result.
import { sql, type Kysely } from 'kysely';
import type { AnalysisRunTable, Database } from '$lib/server/db/types.ts';
import { dataVersionKey, type DataTable } from '$lib/server/db/data-version.ts';

export type AnalysisKind = AnalysisRunTable['kind'];

export interface RunSpec {
	county: string;
	/** The scenario whose parameters the run reads (null: none). */
	scenarioId: number | null;
	kind: AnalysisKind;
	/** The run's own inputs (thresholds, weights, p, candidate points…); part of the cache key. */
	params: unknown;
	/** Data tables the run reads; their versions are part of the cache key. */
	tables: readonly DataTable[];
}

export interface RunContext {
	/** Fraction done in [0, 1] and an optional stage label (an i18n key, e.g. 'analysis.stage.matrix'). */
	progress(fraction: number, stage?: string): void;
	signal: AbortSignal;
}

export interface RunStatus<T = unknown> {
	id: number;
	kind: AnalysisKind;
	county: string;
	scenarioId: number | null;
	status: 'running' | 'done' | 'failed' | 'cancelled';
	progress: number;
	stage: string | null;
	error: string | null;
	result: T | null;
	startedAt: string;
	finishedAt: string | null;
}

/** JSON with object keys sorted, so equal inputs give equal keys whatever their key order. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_k, v) =>
		v && typeof v === 'object' && !Array.isArray(v)
			? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
			: v
	);
}

export async function runCacheKey(db: Kysely<Database>, spec: RunSpec): Promise<string> {
	const tables = [...new Set<DataTable>([...spec.tables, ...(spec.scenarioId === null ? [] : (['scenarios'] as const))])].sort();
	return [spec.kind, spec.county, `s${spec.scenarioId ?? '-'}`, canonicalJson(spec.params ?? {}), await dataVersionKey(db, tables)].join('|');
}

const controllers = new Map<number, AbortController>();
const PROGRESS_INTERVAL_MS = 250;

/**
 * Start (or reuse) a run. Resolves as soon as the run is recorded; the work continues in the
 * background. `cached` is true when a finished run with the same key was reused.
 */
export async function startRun<T>(
	db: Kysely<Database>,
	spec: RunSpec,
	work: (ctx: RunContext) => Promise<T>
): Promise<{ id: number; cached: boolean; done: Promise<RunStatus<T>> }> {
	const cacheKey = await runCacheKey(db, spec);
	const existing = await db
		.selectFrom('analysis_runs')
		.select('id')
		.where('cache_key', '=', cacheKey)
		.where('status', 'in', ['done', 'running'])
		.orderBy('id', 'desc')
		.executeTakeFirst();
	if (existing) return { id: existing.id, cached: true, done: waitForRun<T>(db, existing.id) };

	const { id } = await db
		.insertInto('analysis_runs')
		.values({
			county_code: spec.county,
			scenario_id: spec.scenarioId,
			kind: spec.kind,
			params: canonicalJson(spec.params ?? {}),
			cache_key: cacheKey
		})
		.returning('id')
		.executeTakeFirstOrThrow();

	const controller = new AbortController();
	controllers.set(id, controller);
	let lastWrite = 0;
	let pending: Promise<unknown> = Promise.resolve();
	const ctx: RunContext = {
		signal: controller.signal,
		progress(fraction, stage) {
			const now = Date.now();
			if (now - lastWrite < PROGRESS_INTERVAL_MS) return;
			lastWrite = now;
			const p = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
			pending = pending.then(() =>
				db
					.updateTable('analysis_runs')
					.set({ progress: p, stage: stage ?? null })
					.where('id', '=', id)
					.where('status', '=', 'running')
					.execute()
					.catch(() => {})
			);
		}
	};
	const done = (async (): Promise<RunStatus<T>> => {
		// Let the caller respond before the (synchronous parts of the) work start.
		await new Promise((r) => setTimeout(r, 0));
		try {
			const result = await work(ctx);
			await pending;
			await db
				.updateTable('analysis_runs')
				.set({ status: 'done', progress: 1, stage: null, result: JSON.stringify(result), finished_at: new Date() })
				.where('id', '=', id)
				.execute();
		} catch (err) {
			await pending;
			const cancelled = controller.signal.aborted;
			await db
				.updateTable('analysis_runs')
				.set({
					status: cancelled ? 'cancelled' : 'failed',
					error: err instanceof Error ? err.message : String(err),
					finished_at: new Date()
				})
				.where('id', '=', id)
				.execute();
		} finally {
			controllers.delete(id);
		}
		return (await getRun<T>(db, id))!;
	})();
	return { id, cached: false, done };
}

/** Start a run and wait for it to finish (tests, scripts, small runs). Throws if it failed. */
export async function runToEnd<T>(db: Kysely<Database>, spec: RunSpec, work: (ctx: RunContext) => Promise<T>): Promise<RunStatus<T>> {
	const { done } = await startRun(db, spec, work);
	const status = await done;
	if (status.status !== 'done') throw new Error(`${spec.kind} run ${status.id} ${status.status}: ${status.error ?? ''}`);
	return status;
}

async function waitForRun<T>(db: Kysely<Database>, id: number): Promise<RunStatus<T>> {
	for (;;) {
		const run = await getRun<T>(db, id);
		if (!run) throw new Error(`analysis run ${id} vanished`);
		if (run.status !== 'running') return run;
		await new Promise((r) => setTimeout(r, 100));
	}
}

/** Ask a running run to stop (its work sees `signal.aborted`). */
export function cancelRun(id: number): boolean {
	const c = controllers.get(id);
	c?.abort();
	return !!c;
}

export async function getRun<T = unknown>(db: Kysely<Database>, id: number, withResult = true): Promise<RunStatus<T> | null> {
	const row = await db
		.selectFrom('analysis_runs')
		.select(['id', 'kind', 'county_code', 'scenario_id', 'status', 'progress', 'stage', 'error', 'started_at', 'finished_at'])
		.$if(withResult, (q) => q.select('result'))
		.where('id', '=', id)
		.executeTakeFirst();
	if (!row) return null;
	const result = (row as { result?: unknown }).result;
	return {
		id: row.id,
		kind: row.kind,
		county: row.county_code,
		scenarioId: row.scenario_id,
		status: row.status,
		progress: Number(row.progress),
		stage: row.stage,
		error: row.error,
		result: (typeof result === 'string' ? JSON.parse(result) : (result ?? null)) as T | null,
		startedAt: new Date(row.started_at).toISOString(),
		finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null
	};
}

/** At start-up: runs left 'running' by a previous process can never finish. */
export async function failInterruptedRuns(db: Kysely<Database>): Promise<number> {
	const { rows } = await sql<{ id: number }>`
		update analysis_runs set status = 'failed', error = 'interrupted: the server restarted', finished_at = now()
		where status = 'running' and not (id = any(${[...controllers.keys()]}::int[])) returning id`.execute(db);
	return rows.length;
}
