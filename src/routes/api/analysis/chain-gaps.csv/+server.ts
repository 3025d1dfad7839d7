// GET /api/analysis/chain-gaps.csv?run=<id>[&lang=en][&format=xlsx] -> the gap list of a finished chain-gaps run, or
// ?county=&chain=&year=[&scenario=] -> the same for those inputs (computed now, or the cached run).
// UTF-8 with BOM; household counts of 1..k−1 written as "<k".
import { error } from '@sveltejs/kit';
import { database } from '$lib/server/db';
import { chainGapsCsv, chainGapsTable, checkRequest, parseChainGapsRequest, startChainGaps, type ChainGapsResult } from '$lib/analysis/chain-coverage/chain-gaps.server';
import { InputError } from '$lib/analysis/chain-coverage/network-minutes.server';
import { getRun } from '$lib/server/analysis/runs.server';
import { sheetXlsx, xlsxResponse } from '$lib/formats/write/sheet';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url }) => {
	const { db } = await database();
	const locale = url.searchParams.get('lang') === 'en' ? 'en' : 'zh-CN';
	let result: ChainGapsResult;
	const runParam = url.searchParams.get('run');
	if (runParam !== null) {
		const id = Number(runParam);
		if (!Number.isSafeInteger(id) || id <= 0) error(400, 'run: must be a positive integer');
		const run = await getRun<ChainGapsResult>(db, id);
		if (!run || run.kind !== 'chain-gaps') error(404, `run: no chain-gaps run ${id}`);
		if (run.status !== 'done' || !run.result) error(409, `run: run ${id} is ${run.status}`);
		result = run.result;
	} else {
		const s = url.searchParams;
		const num = (v: string | null) => (v === null || v === '' ? undefined : Number(v));
		try {
			const req = parseChainGapsRequest({ county: s.get('county'), chain: s.get('chain'), year: num(s.get('year')), scenario: num(s.get('scenario')) });
			await checkRequest(db, req);
			const status = await (await startChainGaps(db, req)).done;
			if (status.status !== 'done' || !status.result) error(500, `chain-gaps run ${status.id} ${status.status}: ${status.error ?? ''}`);
			result = status.result;
		} catch (err) {
			if (err instanceof InputError) error(400, err.message);
			throw err;
		}
	}
	const base = `chain-gaps-${result.county}-${result.chain}-${result.year}`;
	if (url.searchParams.get('format') === 'xlsx') {
		const { header, rows } = chainGapsTable(result, locale);
		return xlsxResponse(await sheetXlsx(base, header, rows), `${base}.xlsx`);
	}
	const name = `${base}.csv`;
	return new Response(chainGapsCsv(result, locale) as BodyInit, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'private, max-age=60'
		}
	});
};
