// GET /api/analysis/suitability/<runId>/ranking.csv?lang=zh-CN|en[&format=xlsx] -> the site ranking as CSV.
import { database } from '$lib/server/db';
import { rankingCsv, rankingTable } from '$lib/analysis/suitability/export';
import { sheetXlsx, xlsxResponse } from '$lib/formats/write/sheet';
import { csvResponse, finishedRun, localeOf } from '$lib/analysis/suitability/http.server';
import type { SuitabilityOutput } from '$lib/analysis/suitability/suitability.server';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url }) => {
	const { db } = await database();
	const run = await finishedRun<SuitabilityOutput>(db, params.runId, 'suitability');
	const name = `site-ranking-${run.county}-${run.id}`;
	if (url.searchParams.get('format') === 'xlsx') {
		const { header, rows } = rankingTable(run.result, localeOf(url));
		return xlsxResponse(await sheetXlsx(name, header, rows), `${name}.xlsx`);
	}
	return csvResponse(rankingCsv(run.result, localeOf(url)), `${name}.csv`);
};
