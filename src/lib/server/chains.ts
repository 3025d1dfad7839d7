// The industrial chains present in a county (for the coverage layer's chain selector): every chain
// with at least one industry site there, main chain first — the same order as the coverage layer's
// default chain (industrial-chain-coverage/query.server.ts `mainChain`): most operating production
// sites, then most production sites, then most sites, then by code.
import { sql, type Kysely } from 'kysely';
import type { Database } from './db/types.ts';

export interface ChainSummary {
	chain: string;
	operating: number;
	planned: number;
	/** Operating production sites (what makes a chain the county's main one). */
	production: number;
}

export async function countyChains(db: Kysely<Database>, county: string): Promise<ChainSummary[]> {
	const rows = await db
		.selectFrom('industry_sites')
		.where('county_code', '=', county)
		.select([
			'chain',
			sql<number>`count(*) filter (where status = 'operating')`.as('operating'),
			sql<number>`count(*) filter (where status = 'planned')`.as('planned'),
			sql<number>`count(*) filter (where status = 'operating' and stage = 'production')`.as('production')
		])
		.groupBy('chain')
		.orderBy(sql`count(*) filter (where status = 'operating' and stage = 'production')`, 'desc')
		.orderBy(sql`count(*) filter (where stage = 'production')`, 'desc')
		.orderBy(sql`count(*)`, 'desc')
		.orderBy('chain')
		.execute();
	return rows.map((r) => ({ chain: r.chain, operating: Number(r.operating), planned: Number(r.planned), production: Number(r.production) }));
}
