// POST /api/analysis/max-cover {county, chain, stage, year, q, candidates: 'villages' | 'townships' |
// [{lon, lat}…], scenario?} -> {runId, cached}: where q new sites of a stage would newly cover the most
// poor households; poll GET /api/analysis/runs/<runId>.
import { parseMaxCoverRequest, startMaxCover } from '$lib/analysis/chain-coverage/chain-gaps.server';
import { chainRunEndpoint } from '$lib/analysis/chain-coverage/http.server';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = chainRunEndpoint(parseMaxCoverRequest, startMaxCover);
