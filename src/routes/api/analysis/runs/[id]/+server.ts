// GET /api/analysis/runs/<id> -> the run's status and progress, and its result when done.
// DELETE cancels a running run. ?result=0 leaves the result out (for progress polling).
import { error, json } from '@sveltejs/kit';
import { database } from '$lib/server/db';
import { cancelRun, getRun } from '$lib/server/analysis/runs.server';
import type { RequestHandler } from './$types';

function parseId(raw: string): number {
	const id = Number(raw);
	if (!Number.isSafeInteger(id) || id <= 0) error(400, 'run id must be a positive integer');
	return id;
}

export const GET: RequestHandler = async ({ params, url }) => {
	const { db } = await database();
	const run = await getRun(db, parseId(params.id), url.searchParams.get('result') !== '0');
	if (!run) error(404, `no analysis run ${params.id}`);
	return json(run, { headers: { 'cache-control': run.status === 'running' ? 'no-store' : 'private, max-age=60' } });
};

export const DELETE: RequestHandler = async ({ params }) => {
	const id = parseId(params.id);
	return json({ id, cancelled: cancelRun(id) });
};
