// GET /api/analysis/location-allocation/<runId>/assignments.csv?lang=zh-CN|en -> village → site table.
import { database } from '$lib/server/db';
import { assignmentsCsv } from '$lib/analysis/suitability/export';
import { csvResponse, finishedRun, localeOf } from '$lib/analysis/suitability/http.server';
import type { LocationAllocationOutput } from '$lib/analysis/location-allocation/location-allocation.server';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url }) => {
	const { db } = await database();
	const run = await finishedRun<LocationAllocationOutput>(db, params.runId, 'location-allocation');
	return csvResponse(assignmentsCsv(run.result, localeOf(url)), `siting-assignments-${run.county}-${run.id}.csv`);
};
