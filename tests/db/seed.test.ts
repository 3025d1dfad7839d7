// The demo seed: deterministic, idempotent, with the documented counts (geodata/README.md), and
// shaped like a real county (villages inside their county near their own seat, poverty heavier in
// remote villages, causes skewed to illness/disability/lack of labour, the 2014->2020 decline).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { backends } from './backends.ts';
import type { DatabaseHandle } from '../../src/lib/server/db/open.ts';
import type { Database } from '../../src/lib/server/db/types.ts';
import { generateDemoData, seed } from '../../src/lib/server/db/seed.ts';
import { DATA_TABLES } from '../../src/lib/server/db/types.ts';

/** The documented counts (geodata/README.md). */
const EXPECTED = {
	regions: 1349, // 2 provinces + 2 cities + 4 counties + 92 townships + 1,249 villages
	villages: 1249,
	households: 52733
};

const demo = generateDemoData();

/** One md5 per table over every column of every row, in key order (geometry as EWKB). */
async function fingerprints(db: Kysely<Database>): Promise<Record<string, string>> {
	const out: Record<string, string> = {};
	for (const table of DATA_TABLES) {
		const key = table === 'regions' || table === 'villages' || table === 'households' ? 'code' : 'id';
		// loaded_at/created_at are the generator's fixed timestamps, so whole rows compare.
		const { rows } = await sql<{ h: string; n: number }>`
			select md5(coalesce(string_agg(t::text, '|' order by t.${sql.ref(key)}), '')) as h, count(*)::int as n
			from ${sql.table(table)} t`.execute(db);
		out[table] = `${rows[0].n}:${rows[0].h}`;
	}
	return out;
}

describe('demo generator (pure)', () => {
	it('is deterministic: two runs give identical rows', () => {
		expect(JSON.stringify(generateDemoData())).toBe(JSON.stringify(demo));
	});

	it('has every real village and a household count inside the documented range', () => {
		expect(demo.villages).toHaveLength(EXPECTED.villages);
		expect(demo.households).toHaveLength(EXPECTED.households);
		expect(demo.households.length).toBeGreaterThanOrEqual(30_000);
		expect(demo.households.length).toBeLessThanOrEqual(60_000);
		for (const table of ['villages', 'households', 'roads', 'industry_sites', 'relocation_sites', 'constraint_zones'] as const) {
			expect(demo[table].every((r) => r.synthetic === true), `${table} rows are flagged synthetic`).toBe(true);
		}
	});

	it('stores no personal identifiers', () => {
		const keys = new Set(demo.households.flatMap((h) => Object.keys(h)));
		for (const k of keys) expect(k).not.toMatch(/name|id_?card|phone|mobile|bank|account/i);
		// Codes are pseudonyms, not 18-digit ID-card numbers.
		expect(demo.households.every((h) => /^H\d{6}-\d{6}$/.test(String(h.code)))).toBe(true);
	});
});

describe.each(backends)('demo seed on $name', (backend) => {
	let handle: DatabaseHandle;
	let db: Kysely<Database>;
	let first: Record<string, string>;

	beforeAll(async () => {
		handle = await backend.open();
		db = handle.db;
		await seed(db, demo);
		first = await fingerprints(db);
	});
	afterAll(async () => handle?.close());

	it('loads the documented counts', async () => {
		const counts = async (table: 'regions' | 'villages' | 'households') =>
			(await db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
		expect(await counts('regions')).toBe(EXPECTED.regions);
		expect(await counts('villages')).toBe(EXPECTED.villages);
		expect(await counts('households')).toBe(EXPECTED.households);
	});

	it('is idempotent and deterministic: a second load gives identical rows', async () => {
		await seed(db, generateDemoData());
		expect(await fingerprints(db)).toEqual(first);
	});

	it('places every village inside its county, mostly nearest to its own township seat', async () => {
		const { rows } = await sql<{ outside: number; own_nearest3: number; total: number }>`
			with v as (
				select v.code, v.geom, v.township_code, c.geom as county_geom
				from villages v join regions c on c.code = v.county_code and c.level = 'county'
			), ranked as (
				select v.code, v.township_code,
					(select array_agg(t.code order by t.seat <-> v.geom) from (
						select t.code, t.seat from regions t
						where t.level = 'township' and t.county_code = left(v.code, 6)
						order by t.seat <-> v.geom limit 3) t) as nearest
				from v
			)
			select (select count(*)::int from v where not ST_Intersects(v.county_geom, v.geom)) as outside,
				count(*) filter (where township_code = any(nearest))::int as own_nearest3,
				count(*)::int as total
			from ranked`.execute(db);
		expect(rows[0].outside).toBe(0);
		expect(rows[0].own_nearest3 / rows[0].total).toBeGreaterThan(0.8);
	});

	it('makes remote, high villages poorer than accessible ones', async () => {
		const { rows } = await sql<{ quartile: number; incidence: number }>`
			with v as (
				select v.code, v.population, ntile(4) over (order by v.elevation_m) as quartile
				from villages v where v.urban_rural_code is null or v.urban_rural_code >= 200
			)
			select quartile, sum(h.members)::float / sum(distinct_pop.population) as incidence
			from v
			join lateral (select coalesce(sum(members), 0) as members from households where village_code = v.code) h on true
			join lateral (select v.population) distinct_pop on true
			group by quartile order by quartile`.execute(db);
		expect(rows).toHaveLength(4);
		expect(rows[3].incidence).toBeGreaterThan(rows[0].incidence * 1.3);
	});

	it('skews causes to illness, disability and lack of labour', async () => {
		const rows = await db
			.selectFrom('households')
			.select(['main_cause', sql<number>`count(*)::int`.as('n')])
			.groupBy('main_cause')
			.orderBy('n', 'desc')
			.execute();
		expect(rows[0].main_cause).toBe('illness');
		const total = rows.reduce((s, r) => s + r.n, 0);
		const weak = rows.filter((r) => ['illness', 'disability', 'lack_of_labour'].includes(r.main_cause)).reduce((s, r) => s + r.n, 0);
		expect(weak / total).toBeGreaterThan(0.4);
	});

	it('registers in 2014-2016 and exits over 2015-2020, incidence falling from ~9 % to under 2 %', async () => {
		const years = await db
			.selectFrom('households')
			.select([sql<number>`min(registered_year)::int`.as('r0'), sql<number>`max(registered_year)::int`.as('r1'), sql<number>`min(exit_year)::int`.as('e0'), sql<number>`max(exit_year)::int`.as('e1')])
			.executeTakeFirstOrThrow();
		expect(years).toEqual({ r0: 2014, r1: 2016, e0: 2015, e1: 2020 });
		const { rows } = await sql<{ county_code: string; year: number; incidence: number }>`
			with pop as (select county_code, sum(population) as p from villages group by county_code)
			select h.county_code, y.year::int as year,
				sum(h.members) filter (where h.registered_year <= y.year and (h.exit_year is null or h.exit_year > y.year))::float / pop.p as incidence
			from households h join pop using (county_code) cross join generate_series(2014, 2020) as y(year)
			group by h.county_code, y.year, pop.p order by 1, 2`.execute(db);
		for (const county of ['360731', '360732', '360781', '511304']) {
			const series = rows.filter((r) => r.county_code === county).map((r) => r.incidence);
			expect(series).toHaveLength(7);
			expect(series[0]).toBeGreaterThan(0.05);
			expect(series[0]).toBeLessThan(0.11);
			expect(series[6]).toBeLessThan(0.02);
			for (let i = 2; i < 7; i++) expect(series[i]).toBeLessThan(series[i - 1]);
		}
	});

	it('has industry sites of every local chain at all five stages, the later stages sparse', async () => {
		const rows = await db
			.selectFrom('industry_sites')
			.select(['county_code', 'chain', 'stage', sql<number>`count(*)::int`.as('n')])
			.groupBy(['county_code', 'chain', 'stage'])
			.execute();
		const chains = new Set(rows.map((r) => `${r.county_code}/${r.chain}`));
		expect(chains.size).toBeGreaterThanOrEqual(13);
		for (const c of chains) {
			const n = (stage: string) => rows.find((r) => `${r.county_code}/${r.chain}` === c && r.stage === stage)?.n ?? 0;
			for (const stage of ['production', 'processing', 'cold_chain', 'logistics', 'marketing']) expect(n(stage), `${c} ${stage}`).toBeGreaterThan(0);
			expect(n('processing') + n('cold_chain') + n('marketing')).toBeLessThan(n('production'));
		}
		expect(rows.some((r) => r.county_code === '360731' && r.chain === 'navel_orange')).toBe(true);
		expect(rows.some((r) => r.county_code === '511304' && r.chain === 'silk')).toBe(true);
	});

	it('assigns relocating households to a site of their own county within its capacity', async () => {
		const { rows } = await sql<{ wrong_county: number; over_capacity: number; relocating: number }>`
			select
				(select count(*)::int from households h join relocation_sites s on s.id = h.target_site_id where s.county_code <> h.county_code) as wrong_county,
				(select count(*)::int from relocation_sites s where s.capacity_households < (select count(*) from households h where h.target_site_id = s.id)) as over_capacity,
				(select count(*)::int from households where relocation_status <> 'none') as relocating`.execute(db);
		expect(rows[0]).toMatchObject({ wrong_county: 0, over_capacity: 0 });
		expect(rows[0].relocating).toBeGreaterThan(1000);
	});

	it('links every village and every industry site to the road network and keeps roads, sites and zones valid', async () => {
		const { rows } = await sql<{ unlinked: number; sites_off_road: number; roads: number; classes: string[] }>`
			select
				(select count(*)::int from villages v where not exists (
					select 1 from roads r where r.geom && ST_Expand(v.geom, 0.0001) and ST_DWithin(r.geom, v.geom, 0.0001))) as unlinked,
				(select count(*)::int from industry_sites s where not exists (
					select 1 from roads r where r.geom && ST_Expand(s.geom, 0.0001) and ST_DWithin(r.geom, s.geom, 0.0001))) as sites_off_road,
				(select count(*)::int from roads) as roads,
				(select array_agg(distinct class order by class) from roads) as classes`.execute(db);
		expect(rows[0].unlinked).toBe(0);
		// Access roads: no base or plant is reached by a walk across the fields.
		expect(rows[0].sites_off_road).toBe(0);
		expect(rows[0].classes).toEqual(['county', 'township', 'village']);
		const zones = await db.selectFrom('constraint_zones').select(['kind', sql<number>`count(*)::int`.as('n')]).groupBy('kind').execute();
		expect(zones.map((z) => z.kind).sort()).toEqual(['ecological', 'farmland', 'flood', 'geohazard']);
	});
});
