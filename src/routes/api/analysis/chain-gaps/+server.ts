// POST /api/analysis/chain-gaps {county, chain, year, scenario?} -> {runId, cached}: starts (or reuses)
// an industrial-chain gaps run; poll GET /api/analysis/runs/<runId> for progress and the result.
import { parseChainGapsRequest, startChainGaps } from '$lib/analysis/chain-coverage/chain-gaps.server';
import { chainRunEndpoint } from '$lib/analysis/chain-coverage/http.server';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = chainRunEndpoint(parseChainGapsRequest, startChainGaps);
