// GET /api/analysis/location-allocation/<runId>/assignments.csv?lang=zh-CN|en[&format=xlsx] -> village → site table.
import { database } from '$lib/server/db';
import { assignmentsCsv, assignmentsTable } from '$lib/analysis/suitability/export';
import { sheetXlsx, xlsxResponse } from '$lib/formats/write/sheet';
import { csvResponse, finishedRun, localeOf } from '$lib/analysis/suitability/http.server';
import type { LocationAllocationOutput } from '$lib/analysis/location-allocation/location-allocation.server';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url }) => {
	const { db } = await database();
	const run = await finishedRun<LocationAllocationOutput>(db, params.runId, 'location-allocation');
	const name = `siting-assignments-${run.county}-${run.id}`;
	if (url.searchParams.get('format') === 'xlsx') {
		const { header, rows } = assignmentsTable(run.result, localeOf(url));
		return xlsxResponse(await sheetXlsx(name, header, rows), `${name}.xlsx`);
	}
	return csvResponse(assignmentsCsv(run.result, localeOf(url)), `${name}.csv`);
};
