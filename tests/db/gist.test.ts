// The spatial index is what a bbox query uses. 4,000 villages at deterministic pseudo-random
// positions (seeded PRNG) in one county; a small box selects about a dozen of them. The planner must
// pick villages_geom_gist, and the rows must be exactly the brute-force answer.
import { sql, type Kysely, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from './backends.ts';
import type { DatabaseHandle } from '../../src/lib/server/db/open.ts';
import type { Database } from '../../src/lib/server/db/types.ts';
import { mulberry32 } from '../../src/lib/analysis/prng.ts';

const COUNTY = '511304';
const TOWNSHIPS = 20;
const VILLAGES_PER_TOWNSHIP = 200; // 4,000 villages
// The county's extent (lon/lat, degrees) and the query box inside it: ~0.3 % of the area.
const EXTENT = { west: 105.8, south: 30.6, east: 106.4, north: 31.1 };
const BOX = { west: 106.0, south: 30.8, east: 106.03, north: 30.83 };

interface VillagePoint {
	code: string;
	township: string;
	lon: number;
	lat: number;
}

function villagePoints(): VillagePoint[] {
	const random = mulberry32(20_240_511);
	const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
	const points: VillagePoint[] = [];
	for (let t = 0; t < TOWNSHIPS; t++) {
		const township = `${COUNTY}${100 + t}`;
		for (let v = 1; v <= VILLAGES_PER_TOWNSHIP; v++) {
			points.push({
				code: `${township}${String(v).padStart(3, '0')}`,
				township,
				lon: round6(EXTENT.west + random() * (EXTENT.east - EXTENT.west)),
				lat: round6(EXTENT.south + random() * (EXTENT.north - EXTENT.south))
			});
		}
	}
	return points;
}

async function insertVillages(db: Kysely<Database>, points: VillagePoint[]): Promise<void> {
	await db
		.insertInto('regions')
		.values({ code: COUNTY, level: 'county', parent_code: null, county_code: COUNTY, name_zh: '测试县', source: 'test' })
		.execute();
	const townships = [...new Set(points.map((p) => p.township))];
	await db
		.insertInto('regions')
		.values(
			townships.map((code) => ({ code, level: 'township' as const, parent_code: COUNTY, county_code: COUNTY, name_zh: `镇${code}`, source: 'test' }))
		)
		.execute();
	for (let i = 0; i < points.length; i += 500) {
		const batch = points.slice(i, i + 500);
		await db
			.insertInto('regions')
			.values(
				batch.map((p) => ({
					code: p.code,
					level: 'village' as const,
					parent_code: p.township,
					county_code: COUNTY,
					name_zh: `村${p.code}`,
					source: 'test'
				}))
			)
			.execute();
		await db
			.insertInto('villages')
			.values(
				batch.map((p) => ({
					code: p.code,
					county_code: COUNTY,
					township_code: p.township,
					name_zh: `村${p.code}`,
					population: 500,
					geom: sql<string>`ST_SetSRID(ST_MakePoint(${p.lon}, ${p.lat}), 4326)`
				}))
			)
			.execute();
	}
}

/** The bbox query the map layers use: `geom && envelope`, so a GiST index can serve it. */
function bboxQuery(db: Kysely<Database> | Transaction<Database>) {
	const envelope = sql`ST_MakeEnvelope(${sql.lit(BOX.west)}, ${sql.lit(BOX.south)}, ${sql.lit(BOX.east)}, ${sql.lit(BOX.north)}, 4326)`;
	return db.selectFrom('villages').select('code').where(sql<boolean>`geom && ${envelope}`).orderBy('code');
}

/** Every index a JSON plan touches (Index Scan, Bitmap Index Scan, Index Only Scan). */
function indexesIn(plan: unknown): string[] {
	if (Array.isArray(plan)) return plan.flatMap(indexesIn);
	if (typeof plan !== 'object' || plan === null) return [];
	const node = plan as Record<string, unknown>;
	const own = typeof node['Index Name'] === 'string' ? [node['Index Name'] as string] : [];
	return [...own, ...Object.values(node).flatMap(indexesIn)];
}

async function explain(db: Kysely<Database> | Transaction<Database>): Promise<unknown> {
	const compiled = bboxQuery(db).compile();
	const { rows } = await sql<{ 'QUERY PLAN': unknown }>`explain (format json) ${sql.raw(compiled.sql)}`.execute(db);
	const plan = rows[0]['QUERY PLAN'];
	return typeof plan === 'string' ? JSON.parse(plan) : plan;
}

const points = villagePoints();
const expected = points
	.filter((p) => p.lon >= BOX.west && p.lon <= BOX.east && p.lat >= BOX.south && p.lat <= BOX.north)
	.map((p) => p.code)
	.sort();

test('the fixture is a few thousand villages and the box holds a handful', () => {
	expect(points.length).toBe(4000);
	expect(new Set(points.map((p) => p.code)).size).toBe(4000);
	expect(expected.length).toBeGreaterThan(3);
	expect(expected.length).toBeLessThan(40);
});

for (const backend of backends) {
	describe(`GiST index on villages.geom (${backend.name})`, () => {
		let handle: DatabaseHandle;
		let db: Kysely<Database>;

		beforeAll(async () => {
			handle = await backend.open();
			db = handle.db;
			await insertVillages(db, points);
			await sql`analyze regions`.execute(db);
			await sql`analyze villages`.execute(db);
		});
		afterAll(async () => {
			await handle?.close();
		});

		test('a bbox query returns exactly the villages inside the box', async () => {
			const rows = await bboxQuery(db).execute();
			expect(rows.map((r) => r.code)).toEqual(expected);
		});

		test('the planner serves the bbox query from villages_geom_gist', async () => {
			const plan = await explain(db);
			// Both backends pick the index at this size: after ANALYZE the planner estimates ~10 of
			// 4,000 rows, and a bitmap scan of the GiST index (cost ~30) beats reading every page
			// (seq scan, cost ~104). PGlite runs the stock PostgreSQL 18 planner with default costs,
			// so it decides the same way as the server.
			expect(indexesIn(plan), JSON.stringify(plan)).toContain('villages_geom_gist');
		});

		test('without the index the same query falls back to reading the whole table', async () => {
			// Shows the assertion above discriminates. The drop is rolled back.
			class Rollback extends Error {}
			let plan: unknown;
			await db
				.transaction()
				.execute(async (trx) => {
					await sql`drop index villages_geom_gist`.execute(trx);
					plan = await explain(trx);
					throw new Rollback();
				})
				.catch((err: unknown) => {
					if (!(err instanceof Rollback)) throw err;
				});
			expect(indexesIn(plan)).not.toContain('villages_geom_gist');
			expect(JSON.stringify(plan)).toContain('Seq Scan');
			// The index is back.
			expect(indexesIn(await explain(db))).toContain('villages_geom_gist');
		});
	});
}
