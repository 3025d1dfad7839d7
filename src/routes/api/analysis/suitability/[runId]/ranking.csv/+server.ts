// GET /api/analysis/suitability/<runId>/ranking.csv?lang=zh-CN|en -> the site ranking as CSV.
import { database } from '$lib/server/db';
import { rankingCsv } from '$lib/analysis/suitability/export';
import { csvResponse, finishedRun, localeOf } from '$lib/analysis/suitability/http.server';
import type { SuitabilityOutput } from '$lib/analysis/suitability/suitability.server';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url }) => {
	const { db } = await database();
	const run = await finishedRun<SuitabilityOutput>(db, params.runId, 'suitability');
	return csvResponse(rankingCsv(run.result, localeOf(url)), `site-ranking-${run.county}-${run.id}.csv`);
};
