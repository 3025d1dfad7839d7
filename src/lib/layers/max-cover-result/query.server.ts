// The query behind the max-cover-result layer: the run (data.server.ts), then the pure shaping and
// suppression (result.ts). Without a county there is nothing to draw.
import type { LayerQuery } from '../server.ts';
import { DEFAULT_K } from '../params.ts';
import { mainChain } from '$lib/analysis/chain-coverage/network-minutes.server.ts';
import { findMaxCoverRun } from './data.server.ts';
import { emptyMaxCoverResult, maxCoverResultData, type MaxCoverResultData } from './result.ts';

export const query: LayerQuery = async ({ db }, params): Promise<MaxCoverResultData> => {
	const k = Math.max(params.k, DEFAULT_K);
	if (params.county === null) return emptyMaxCoverResult(null, k);
	const chain = params.chain ?? (await mainChain(db, params.county));
	const found = await findMaxCoverRun(db, params.county, { run: params.run, chain, stage: params.stage });
	return found ? maxCoverResultData(found, found.result, k) : emptyMaxCoverResult(params.county, k);
};
