// Shared bits of the siting endpoints: read a JSON body, turn request errors into 400s that name
// the field, and load a finished run of a given kind for a download.
import { error, json } from '@sveltejs/kit';
import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db/types.ts';
import { getRun, type AnalysisKind, type RunStatus } from '$lib/server/analysis/runs.server.ts';
import { parseLocale, type Locale } from '$lib/i18n';
import { RequestFieldError } from './request.ts';
import { SuitabilityInputError } from './score.ts';

export async function readJson(request: Request): Promise<unknown> {
	try {
		return await request.json();
	} catch {
		throw new RequestFieldError('body', 'must be JSON');
	}
}

/** Run `fn`; a request or input error becomes 400 {error, field}. */
export async function withFieldErrors(fn: () => Promise<Response>): Promise<Response> {
	try {
		return await fn();
	} catch (err) {
		if (err instanceof RequestFieldError || err instanceof SuitabilityInputError) return json({ error: err.message, field: err.field }, { status: 400 });
		if (err instanceof RangeError) return json({ error: err.message, field: null }, { status: 400 });
		throw err;
	}
}

export function parseRunId(raw: string): number {
	const id = Number(raw);
	if (!Number.isSafeInteger(id) || id <= 0) error(400, 'runId: must be a positive integer');
	return id;
}

export async function finishedRun<T>(db: Kysely<Database>, raw: string, kind: AnalysisKind): Promise<RunStatus<T> & { result: T }> {
	const run = await getRun<T>(db, parseRunId(raw));
	if (!run || run.kind !== kind) error(404, `runId: there is no ${kind} run ${raw}`);
	if (run.status !== 'done' || !run.result) error(409, `runId: run ${raw} is ${run.status}, not done`);
	return run as RunStatus<T> & { result: T };
}

export function csvResponse(body: string, filename: string): Response {
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${filename}"`,
			'cache-control': 'private, no-store'
		}
	});
}

export const localeOf = (url: URL): Locale => parseLocale(url.searchParams.get('lang')) ?? 'zh-CN';
