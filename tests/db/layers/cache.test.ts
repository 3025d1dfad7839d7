// Layer response caching on both backends: a repeated request runs no layer query (only the data
// version lookup), an equivalent URL (unread parameter, fractional zoom, k below the floor) shares
// the entry, and a committed write to a table the layer reads gives a new key and a fresh, different
// body. SQL statements are counted with a kysely plugin on the real database.
import { sql, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../backends.ts';
import type { DatabaseHandle } from '../../../src/lib/server/db/open.ts';
import { generateDemoData, seed } from '../../../src/lib/server/db/seed.ts';
import type { DemoData } from '../../../geodata/generator/demo.ts';
import { layerCache, layerData, layerEtag, resolveLayer, type QueryContext } from '../../../src/lib/layers/server.ts';
import { DEFAULT_PARAMS, type LayerParams } from '../../../src/lib/layers/params.ts';
import { decodeColumns } from '../../../src/lib/layers/transport.ts';
import { LAYERS } from '../../../src/lib/layers/registry.ts';

const COUNTY = '511304';

function oneCounty(data: DemoData): DemoData {
	const keep = (r: Record<string, unknown>) => r.county_code === COUNTY || (r.county_code == null && ['51', '5113'].includes(String(r.code)));
	return Object.fromEntries(Object.entries(data).map(([table, rows]) => [table, rows.filter(keep)])) as unknown as DemoData;
}

/** Counts every statement kysely sends (builder or raw sql). */
class StatementCounter implements KyselyPlugin {
	count = 0;
	transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
		this.count++;
		return args.node;
	}
	async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
		return args.result;
	}
}

const toBuffer = (b: Uint8Array | string) => (b as Uint8Array).buffer.slice((b as Uint8Array).byteOffset, (b as Uint8Array).byteOffset + (b as Uint8Array).byteLength) as ArrayBuffer;

describe.each(backends)('layer response cache on $name', (backend) => {
	let handle: DatabaseHandle;
	let counter: StatementCounter;
	let ctx: QueryContext;
	beforeAll(async () => {
		handle = await backend.open();
		await seed(handle.db, oneCounty(generateDemoData()));
		counter = new StatementCounter();
		ctx = { db: handle.db.withPlugin(counter), capabilities: handle.capabilities };
		layerCache.clear();
	});
	afterAll(async () => handle?.close());

	const params: LayerParams = { ...DEFAULT_PARAMS, county: COUNTY, year: 2014, zoom: 11 };

	it('every layer declares the tables it reads, and they have data versions', async () => {
		for (const l of LAYERS) {
			expect(l.reads.length, l.id).toBeGreaterThan(0);
			const req = await resolveLayer(ctx, l.id, params);
			for (const t of l.reads) expect(req!.key, l.id).toContain(`${t}:`);
		}
	});

	it('a second identical request runs no layer query; equivalent URLs share the entry', async () => {
		const before = counter.count;
		const first = await layerData(ctx, 'poverty-density', params);
		const firstStatements = counter.count - before;
		expect(first!.cached).toBe(false);
		// Version lookup, then inside the transaction the versions again and the layer's query.
		expect(firstStatements).toBeGreaterThanOrEqual(3);

		const mid = counter.count;
		const second = await layerData(ctx, 'poverty-density', params);
		expect(second!.cached).toBe(true);
		expect(counter.count - mid).toBe(1); // only the data-version lookup
		expect(second!.key).toBe(first!.key);
		expect(Buffer.from(second!.body as Uint8Array).equals(Buffer.from(first!.body as Uint8Array))).toBe(true);

		// A parameter the layer does not read, a fractional zoom and k below the floor change nothing.
		const same = await layerData(ctx, 'poverty-density', { ...params, zoom: 11.7, chain: 'tea', k: 3 });
		expect(same!.cached).toBe(true);
		expect(same!.key).toBe(first!.key);
		// A parameter it reads does.
		const other = await layerData(ctx, 'poverty-density', { ...params, year: 2015 });
		expect(other!.cached).toBe(false);
		expect(other!.key).not.toBe(first!.key);
		expect(layerEtag(other!.key, 'b1')).not.toBe(layerEtag(first!.key, 'b1'));
		expect(layerEtag(first!.key, 'b1')).not.toBe(layerEtag(first!.key, 'b2'));
	});

	it('a committed insert into a table the layer reads makes the next response fresh and different', async () => {
		const first = await layerData(ctx, 'poverty-density', params);
		expect(first!.cached).toBe(true);
		// A village with at least k registered households in 2014: one more shows as one more.
		const { rows } = await sql<{ village_code: string; n: number }>`
			select village_code, count(*)::int as n from households
			where county_code = ${COUNTY} and registered_year <= 2014
			group by village_code having count(*) >= 5 order by village_code limit 1`.execute(handle.db);
		const village = rows[0].village_code;
		const decodeRegistered = (body: Uint8Array | string) => {
			const t = decodeColumns<{ codes: string[] }>(toBuffer(body));
			return t.columns.registered[t.meta.codes.indexOf(village)];
		};
		expect(decodeRegistered(first!.body)).toBe(rows[0].n);

		// A write to a table the layer does not read keeps the entry.
		await sql`update rivers set name_en = name_en`.execute(handle.db);
		expect((await layerData(ctx, 'poverty-density', params))!.cached).toBe(true);

		await handle.db
			.insertInto('households')
			.values({
				code: 'cache-test-0001',
				county_code: COUNTY,
				village_code: village,
				members: 3,
				working_age_members: 2,
				income_per_capita_yuan: 2500,
				main_cause: 'illness',
				route: 'production',
				registered_year: 2014,
				housing_grade: 'B'
			})
			.execute();
		const fresh = await layerData(ctx, 'poverty-density', params);
		expect(fresh!.cached).toBe(false);
		expect(fresh!.key).not.toBe(first!.key);
		expect(decodeRegistered(fresh!.body)).toBe(rows[0].n + 1);
		expect((await layerData(ctx, 'poverty-density', params))!.cached).toBe(true);
	});

	it('a rolled-back write keeps the cached response', async () => {
		const before = await layerData(ctx, 'relocation-sites', params);
		await expect(
			handle.db.transaction().execute(async (trx) => {
				await sql`update relocation_sites set capacity_households = capacity_households + 1`.execute(trx);
				throw new Error('abandon');
			})
		).rejects.toThrow('abandon');
		const after = await layerData(ctx, 'relocation-sites', params);
		expect(after!.cached).toBe(true);
		expect(after!.key).toBe(before!.key);
		await sql`update relocation_sites set capacity_households = capacity_households + 1`.execute(handle.db);
		const changed = await layerData(ctx, 'relocation-sites', params);
		expect(changed!.cached).toBe(false);
		expect(changed!.body).not.toBe(before!.body);
	});
});
