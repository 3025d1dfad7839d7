// The poverty-density query on both backends: a hand-computed fixture (three villages of one
// township in Jialing, one village in Yudu), a check that deck.gl's hexagon falls exactly on
// ST_HexagonGrid's, a property test that no count of 1..k-1 households ever leaves the server, and
// a check that both backends answer byte for byte the same.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from '../backends.ts';
import type { DatabaseHandle } from '../../../src/lib/server/db/open.ts';
import type { Database, NewHousehold } from '../../../src/lib/server/db/types.ts';
import { DEFAULT_PARAMS, type LayerParams } from '../../../src/lib/layers/params.ts';
import { encodeColumns } from '../../../src/lib/layers/transport.ts';
import { query } from '../../../src/lib/layers/poverty-density/query.server.ts';
import {
	COMMON_UNITS_PER_3857_METRE,
	SUPPRESSED_POOR,
	SUPPRESSED_REGISTERED,
	SUPPRESSED_TO_PROTECT,
	definition,
	type PovertyDensityTable
} from '../../../src/lib/layers/poverty-density/definition.ts';

// --- Web Mercator (EPSG:3857, spherical) by hand ------------------------------------------------
const R = 6378137;
const DEG = 180 / Math.PI;
const toLonLat = (x: number, y: number): [number, number] => [(x / R) * DEG, (2 * Math.atan(Math.exp(y / R)) - Math.PI / 2) * DEG];
const toMercator = (lon: number, lat: number): [number, number] => [(lon / DEG) * R, R * Math.log(Math.tan(Math.PI / 4 + lat / DEG / 2))];

// ST_HexagonGrid(size): hexagon (i, j) has its centre at x = 1.5·size·i, y = √3·size·j, odd columns
// shifted up by half a row (√3/2·size); corners at (±size, 0) from the centre.
const hexCentre = (size: number, i: number, j: number): [number, number] => [1.5 * size * i, Math.sqrt(3) * size * (j + (i % 2 ? 0.5 : 0))];

// Zoom 9: size 4,000 m. Hexagon (1968, 520) is centred at x = 1.5·4000·1968 = 11,808,000,
// y = √3·4000·520 = 3,602,665.56 (106.0745° E, 30.7703° N, in Jialing). Hexagon (1970, 520) is the
// next one of the same row, 12 km east.
const Z9 = 4000;
const HEX_AB = hexCentre(Z9, 1968, 520);
const HEX_C = hexCentre(Z9, 1970, 520);
// Zoom 5: size 64,000 m. Hexagon (123, 32) (odd column) is centred at x = 1.5·64000·123 = 11,808,000,
// y = √3·64000·32.5 = 3,602,665.56 — the same point as HEX_AB; its inradius is √3/2·64000 ≈ 55 km,
// so A, B and C (≤ 12.3 km from that centre) are all in it.
const Z5 = 64000;
const HEX_ABC = hexCentre(Z5, 123, 32);

// Villages: A and B inside hexagon AB (offsets in metres, well inside the 3,464 m inradius), C in
// hexagon C; D in Yudu, far away.
const COUNTY = '511304';
const TOWNSHIP = '511304100';
const A = { code: '511304100201', name: '甲村', population: 1000, xy: [HEX_AB[0] + 500, HEX_AB[1]] as const };
const B = { code: '511304100202', name: '乙村', population: 500, xy: [HEX_AB[0] - 800, HEX_AB[1] + 600] as const };
const C = { code: '511304100203', name: '丙村', population: 800, xy: [HEX_C[0] + 300, HEX_C[1] - 200] as const };
const OTHER_COUNTY = '360731';
const D = { code: '360731100201', name: '丁村', population: 700, lonLat: [115.4, 25.95] as const };

type H = Pick<NewHousehold, 'main_cause' | 'registered_year' | 'exit_year' | 'members'>;
const hh = (n: number, h: H): H[] => Array.from({ length: n }, () => ({ ...h }));
// Village A: 12 households; B: 3; C: none; D: 6.
const HOUSEHOLDS: Record<string, H[]> = {
	[A.code]: [
		...hh(4, { main_cause: 'illness', registered_year: 2014, exit_year: null, members: 3 }), //        a1-a4
		...hh(3, { main_cause: 'disability', registered_year: 2014, exit_year: 2016, members: 2 }), //     a5-a7
		...hh(3, { main_cause: 'lack_of_capital', registered_year: 2015, exit_year: 2017, members: 4 }), // a8-a10
		...hh(2, { main_cause: 'illness', registered_year: 2016, exit_year: null, members: 1 }) //           a11-a12
	],
	[B.code]: hh(3, { main_cause: 'illness', registered_year: 2014, exit_year: null, members: 2 }),
	[D.code]: hh(6, { main_cause: 'other', registered_year: 2014, exit_year: 2015, members: 2 })
};

async function insertRegion(db: Kysely<Database>, county: string, township: string, box: [number, number, number, number], seat: readonly [number, number]) {
	const [w, s, e, n] = box;
	await db
		.insertInto('regions')
		.values({
			code: county,
			level: 'county',
			parent_code: null,
			county_code: county,
			name_zh: `县${county}`,
			source: 'test',
			geom: sql<string>`ST_MakeEnvelope(${w}::float8, ${s}::float8, ${e}::float8, ${n}::float8, 4326)`
		})
		.execute();
	await db
		.insertInto('regions')
		.values({
			code: township,
			level: 'township',
			parent_code: county,
			county_code: county,
			name_zh: `镇${township}`,
			source: 'test',
			seat: sql<string>`ST_SetSRID(ST_MakePoint(${seat[0]}::float8, ${seat[1]}::float8), 4326)`
		})
		.execute();
}

interface VillageIn {
	code: string;
	name: string;
	population: number;
	lon: number;
	lat: number;
}

async function insertVillages(db: Kysely<Database>, villages: VillageIn[]) {
	if (!villages.length) return;
	await db
		.insertInto('regions')
		.values(
			villages.map((v) => ({
				code: v.code,
				level: 'village' as const,
				parent_code: v.code.slice(0, 9),
				county_code: v.code.slice(0, 6),
				name_zh: v.name,
				source: 'test'
			}))
		)
		.execute();
	await db
		.insertInto('villages')
		.values(
			villages.map((v) => ({
				code: v.code,
				county_code: v.code.slice(0, 6),
				township_code: v.code.slice(0, 9),
				name_zh: v.name,
				population: v.population,
				geom: sql<string>`ST_SetSRID(ST_MakePoint(${v.lon}::float8, ${v.lat}::float8), 4326)`
			}))
		)
		.execute();
}

async function insertHouseholds(db: Kysely<Database>, prefix: string, byVillage: Record<string, H[]>) {
	const rows: NewHousehold[] = Object.entries(byVillage).flatMap(([village, list]) =>
		list.map((h, n) => ({
			code: `${prefix}-${village}-${n}`,
			county_code: village.slice(0, 6),
			village_code: village,
			members: h.members,
			working_age_members: 0,
			income_per_capita_yuan: 3000,
			main_cause: h.main_cause,
			route: 'production',
			registered_year: h.registered_year,
			exit_year: h.exit_year,
			housing_grade: 'B'
		}))
	);
	if (rows.length) await db.insertInto('households').values(rows).execute();
}

async function insertFixture(db: Kysely<Database>) {
	const [lonA, latA] = toLonLat(...A.xy);
	const [lonB, latB] = toLonLat(...B.xy);
	const [lonC, latC] = toLonLat(...C.xy);
	await insertRegion(db, COUNTY, TOWNSHIP, [105.9, 30.6, 106.3, 30.9], [106.07, 30.77]);
	await insertRegion(db, OTHER_COUNTY, '360731100', [115.2, 25.8, 115.6, 26.1], [115.41, 25.95]);
	await insertVillages(db, [
		{ ...A, lon: lonA, lat: latA },
		{ ...B, lon: lonB, lat: latB },
		{ ...C, lon: lonC, lat: latC },
		{ ...D, lon: D.lonLat[0], lat: D.lonLat[1] }
	]);
	await insertHouseholds(db, 'fx', HOUSEHOLDS);
}

// --- Reading a response -------------------------------------------------------------------------

interface Out {
	registered: number | null;
	poor: number | null;
	poorMembers: number | null;
	population: number;
	villages: number;
	incidence: number | null;
	flags: number;
}

function rowsOf(t: PovertyDensityTable): Out[] {
	const c = t.columns;
	return Array.from({ length: t.length }, (_, i) => ({
		registered: c.registered[i] < 0 ? null : c.registered[i],
		poor: c.poor[i] < 0 ? null : c.poor[i],
		poorMembers: c.poorMembers[i] < 0 ? null : c.poorMembers[i],
		population: c.population[i],
		villages: c.villages[i],
		incidence: Number.isNaN(c.incidence[i]) ? null : Math.round(c.incidence[i] * 1e4) / 1e4,
		flags: c.suppressed[i]
	}));
}

const pct = (members: number, population: number) => Math.round(Math.fround((100 * members) / population) * 1e4) / 1e4;
const shown = (registered: number, poor: number, poorMembers: number, population: number, villages = 1): Out => ({
	registered,
	poor,
	poorMembers,
	population,
	villages,
	incidence: pct(poorMembers, population),
	flags: 0
});
const params = (p: Partial<LayerParams>): LayerParams => ({ ...DEFAULT_PARAMS, county: COUNTY, ...p });

/** Every response of a backend, encoded, in order: compared across backends at the end. */
const transcripts = new Map<string, string[]>();

function record(backend: string, t: PovertyDensityTable) {
	const list = transcripts.get(backend) ?? [];
	list.push(createHash('sha256').update(encodeColumns(t)).digest('hex'));
	transcripts.set(backend, list);
}

for (const backend of backends) {
	describe(`poverty-density query (${backend.name})`, () => {
		let handle: DatabaseHandle;
		let db: Kysely<Database>;
		const run = async (p: Partial<LayerParams>) => {
			const t = (await query({ db, capabilities: handle.capabilities }, params(p))) as PovertyDensityTable;
			record(backend.name, t);
			return t;
		};

		beforeAll(async () => {
			handle = await backend.open();
			db = handle.db;
			await insertFixture(db);
		});
		afterAll(async () => {
			await handle?.close();
		});

		test('villages, end of 2014, all causes', async () => {
			const t = await run({ year: 2014, zoom: 12 });
			expect(t.meta).toMatchObject({ level: 'village', zoom: 12, hexSize: null, k: 5, year: 2014, county: COUNTY, causes: [] });
			expect(t.meta.codes).toEqual([A.code, B.code, C.code]);
			expect(t.meta.names).toEqual([A.name, B.name, C.name]);
			expect(rowsOf(t)).toEqual([
				// A: registered by 2014 = a1-a7 = 7, all still poor (a5-a7 leave in 2016);
				//    members 4·3 + 3·2 = 18 / 1,000 = 1.8 %
				shown(7, 7, 18, 1000),
				// B: 3 households: 1..4 -> suppressed, members and incidence withheld
				{ registered: null, poor: null, poorMembers: null, population: 500, villages: 1, incidence: null, flags: SUPPRESSED_REGISTERED | SUPPRESSED_POOR },
				// C: no households: zero stays zero
				shown(0, 0, 0, 800)
			]);
			// The points are the villages' own.
			const [lonA, latA] = toLonLat(...A.xy);
			expect(t.columns.lon[0]).toBeCloseTo(lonA, 9);
			expect(t.columns.lat[0]).toBeCloseTo(latA, 9);
			// 2015: A registered a1-a10 = 10, all still poor; members 18 + 3·4 = 30 -> 3 %. 2015 − 2014 = 3
			// households (a8-a10, registered in 2015) is a difference of 1..k−1, and both years are shown:
			// adjacent years are not set against each other (a village's registrations are posted publicly).
			expect(rowsOf(await run({ year: 2015, zoom: 12 }))[0]).toEqual(shown(10, 10, 30, 1000));
			// 2018: A registered 12, still poor a1-a4 + a11-a12 = 6, members 4·3 + 2·1 = 14 -> 1.4 %
			expect(rowsOf(await run({ year: 2018, zoom: 12 }))).toEqual([
				shown(12, 6, 14, 1000),
				{ registered: null, poor: null, poorMembers: null, population: 500, villages: 1, incidence: null, flags: 3 },
				shown(0, 0, 0, 800)
			]);
		});

		test('villages, end of 2016: exits and later registrations', async () => {
			const t = await run({ year: 2016, zoom: 12 });
			expect(rowsOf(t)).toEqual([
				// A: registered a1-a12 = 12; still poor: a1-a4 (no exit) + a8-a10 (exit 2017 > 2016) + a11-a12 = 9;
				//    a5-a7 left in 2016 (exit_year 2016 is not > 2016); members 4·3 + 3·4 + 2·1 = 26 -> 2.6 %.
				//    (2015 had 10 and 10: differences 2 and 1, public registrations and exits: shown.)
				shown(12, 9, 26, 1000),
				{ registered: null, poor: null, poorMembers: null, population: 500, villages: 1, incidence: null, flags: 3 },
				shown(0, 0, 0, 800)
			]);
		});

		test('villages, cause filter', async () => {
			// 2016, illness: A a1-a4 + a11-a12 = 6 registered (all causes 12: 12 − 6 = 6 ≥ 5) -> shown;
			// 6 still poor, but all causes 9: 9 − 6 = 3 without illness -> withheld to protect; B 3 -> suppressed
			expect(rowsOf(await run({ year: 2016, zoom: 12, causes: ['illness'] }))).toEqual([
				{ registered: 6, poor: null, poorMembers: null, population: 1000, villages: 1, incidence: null, flags: SUPPRESSED_POOR | SUPPRESSED_TO_PROTECT },
				{ registered: null, poor: null, poorMembers: null, population: 500, villages: 1, incidence: null, flags: 3 },
				shown(0, 0, 0, 800)
			]);
			// 2014, illness: A a1-a4 = 4 -> suppressed, although A has 12 households in all
			expect(rowsOf(await run({ year: 2014, zoom: 12, causes: ['illness'] }))[0]).toEqual({
				registered: null,
				poor: null,
				poorMembers: null,
				population: 1000,
				villages: 1,
				incidence: null,
				flags: 3
			});
			// 2016, disability + lack of capital: A registered a5-a10 = 6 — A's small causes are exactly
			// these two (3 + 3; illness 6), and a filter holding all of them is shown (all − illness gives
			// it anyway); still poor a8-a10 = 3 (suppressed: members 12 and incidence 1.2 % withheld with
			// it). B has none of these, but B's causes (3 illness) total 3 in small causes: every filter of
			// B is withheld, its 0 too (to protect). C has no households: 0.
			const t = await run({ year: 2016, zoom: 12, causes: ['disability', 'lack_of_capital'] });
			expect(t.meta.causes).toEqual(['disability', 'lack_of_capital']);
			expect(rowsOf(t)).toEqual([
				{ registered: 6, poor: null, poorMembers: null, population: 1000, villages: 1, incidence: null, flags: SUPPRESSED_POOR },
				{ registered: null, poor: null, poorMembers: null, population: 500, villages: 1, incidence: null, flags: 3 | SUPPRESSED_TO_PROTECT },
				shown(0, 0, 0, 800)
			]);
			// 2016, illness + disability: A's small causes are disability and lack of capital; the filter
			// holds one of them -> withheld to protect (12 − 9 = 3 would be lack of capital's)
			expect(rowsOf(await run({ year: 2016, zoom: 12, causes: ['illness', 'disability'] }))[0]).toMatchObject({ registered: null, flags: 3 | SUPPRESSED_TO_PROTECT });
		});

		test('villages, k = 10', async () => {
			// 2014: A 7 households -> suppressed at k = 10; 2018: A 12 registered shown, 6 poor suppressed
			expect(rowsOf(await run({ year: 2014, zoom: 12, k: 10 }))[0].flags).toBe(3);
			const t = await run({ year: 2018, zoom: 12, k: 10 });
			expect(t.meta.k).toBe(10);
			expect(rowsOf(t)[0]).toEqual({ registered: 12, poor: null, poorMembers: null, population: 1000, villages: 1, incidence: null, flags: SUPPRESSED_POOR });
		});

		test('k below the floor is raised to 5', async () => {
			const t = await run({ year: 2014, zoom: 12, k: 2 });
			expect(t.meta.k).toBe(5);
			expect(rowsOf(t)[1].flags).toBe(3);
		});

		test('hexagons at zoom 9: A and B share a hexagon, C has its own', async () => {
			const t = await run({ year: 2014, zoom: 9 });
			expect(t.meta).toMatchObject({ level: 'hex', zoom: 9, hexSize: 4000, codes: [], names: [] });
			// A + B: registered 7 + 3 = 10, all still poor. The village map shows A's 7 and withholds B's 3:
			// the hexagon's 10 would give B's 3 -> withheld to protect, members and incidence with it.
			const ab = { registered: null, poor: null, poorMembers: null, population: 1500, villages: 2, incidence: null, flags: 3 | SUPPRESSED_TO_PROTECT };
			expect(rowsOf(t)).toEqual([
				ab,
				// C: zero households, population 800
				shown(0, 0, 0, 800, 1)
			]);
			// Centres: hexagon (1968, 520) and (1970, 520) of the 4 km grid, back in WGS84.
			for (const [i, centre] of [HEX_AB, HEX_C].entries()) {
				const [lon, lat] = toLonLat(...centre);
				expect(t.columns.lon[i]).toBeCloseTo(lon, 6);
				expect(t.columns.lat[i]).toBeCloseTo(lat, 6);
			}
			// 2018: A + B = 15 registered, 9 poor; A shows 12 and 6, B is withheld: residual 3 -> withheld.
			expect(rowsOf(await run({ year: 2018, zoom: 9 }))).toEqual([ab, shown(0, 0, 0, 800, 1)]);
			// 2018, illness: 6 + 3 = 9 registered and poor; A shows 6 (its small causes, disability and
			// lack of capital, total 6), B's 3 is withheld: residual 3 -> withheld; at k = 10, 9 is < 10.
			expect(rowsOf(await run({ year: 2018, zoom: 9, causes: ['illness'] }))[0]).toEqual(ab);
			expect(rowsOf(await run({ year: 2018, zoom: 9, causes: ['illness'], k: 10 }))[0].flags).toBe(3);
		});

		test('hexagons at zoom 5: one 64 km hexagon holds A, B and C', async () => {
			const t = await run({ year: 2018, zoom: 5.7 });
			expect(t.meta).toMatchObject({ level: 'hex', zoom: 5, hexSize: 64000 });
			// 15 registered, 9 poor; population 1,000 + 500 + 800 = 2,300. A (12, 6) and C (0) are shown on
			// the village map, B's 3 is not: residual 3 -> withheld.
			expect(rowsOf(t)).toEqual([{ registered: null, poor: null, poorMembers: null, population: 2300, villages: 3, incidence: null, flags: 3 | SUPPRESSED_TO_PROTECT }]);
			const [lon, lat] = toLonLat(...HEX_ABC);
			expect(t.columns.lon[0]).toBeCloseTo(lon, 6);
			expect(t.columns.lat[0]).toBeCloseTo(lat, 6);
		});

		test('all counties: the Yudu village too', async () => {
			// D: 6 households registered 2014, all left in 2015
			const villages = await run({ county: null, year: 2014, zoom: 12 });
			expect(villages.meta.codes).toEqual([D.code, A.code, B.code, C.code]);
			expect(rowsOf(villages)[0]).toEqual(shown(6, 6, 12, 700)); // 12 / 700 = 1.7143 %
			expect(rowsOf(await run({ county: null, year: 2016, zoom: 12 }))[0]).toEqual(shown(6, 0, 0, 700));
			const hexes = await run({ county: null, year: 2014, zoom: 5 });
			// A + B + C: 10 registered and still poor, B's 3 the residual -> withheld; D: 6 and 6, members 12
			expect(rowsOf(hexes)).toEqual([
				{ registered: null, poor: null, poorMembers: null, population: 2300, villages: 3, incidence: null, flags: 3 | SUPPRESSED_TO_PROTECT },
				shown(6, 6, 12, 700, 1)
			]);
			// Another county only: Jialing's villages are not in it.
			expect((await run({ county: OTHER_COUNTY, year: 2014, zoom: 12 })).meta.codes).toEqual([D.code]);
		});

		test('filters against filters and hexagons against villages: a hand-made county', async () => {
			// Ruijin, end of 2014, k = 5; every household registered in 2014, still poor, 2 members.
			// Hexagon P (zoom 9): E = 10 illness + 1 disability (small causes total 1: every filter of E
			// withheld), F = 10 illness + 3 disability + 2 marriage (a safe split: small causes total 5),
			// G = 3 other (< 5). Hexagon Q: H = 12 illness, I = 3 other, J = 4 illness (I and J < 5).
			const county = '360781';
			const township = '360781100';
			const P = hexCentre(Z9, 2152, 431);
			const Q = hexCentre(Z9, 2154, 431);
			const at = (hex: [number, number], dx: number, dy: number) => toLonLat(hex[0] + dx, hex[1] + dy);
			const list = [
				['E', P, 500, 0],
				['F', P, -800, 600],
				['G', P, 0, -1200],
				['H', Q, 400, 300],
				['I', Q, -900, -300],
				['J', Q, 200, 1500]
			] as const;
			const code = (n: number) => `${township}${200 + n}`;
			const [[w, s], [e, n]] = [at(P, -5000, -5000), at(Q, 5000, 5000)];
			await insertRegion(db, county, township, [w, s, e, n], at(P, 0, 0));
			await insertVillages(
				db,
				list.map(([name, hex, dx, dy], i) => {
					const [lon, lat] = at(hex, dx, dy);
					return { code: code(i), name, population: 500, lon, lat };
				})
			);
			const of = (cause: string, count: number) => hh(count, { main_cause: cause, registered_year: 2014, exit_year: null, members: 2 });
			await insertHouseholds(db, 'rj', {
				[code(0)]: [...of('illness', 10), ...of('disability', 1)],
				[code(1)]: [...of('illness', 10), ...of('disability', 3), ...of('marriage', 2)],
				[code(2)]: of('other', 3),
				[code(3)]: of('illness', 12),
				[code(4)]: of('other', 3),
				[code(5)]: of('illness', 4)
			});
			const counts = async (p: Partial<LayerParams>) => {
				const t = await run({ county, year: 2014, ...p });
				// registered and still poor are alike here: one column, and the flags
				expect([...t.columns.registered]).toEqual([...t.columns.poor]);
				return [...t.columns.poor].map((x, i) => (x < 0 ? (t.columns.suppressed[i] & SUPPRESSED_TO_PROTECT ? 'protect' : '<5') : x));
			};
			// Villages E F G H I J, all causes: the primary rule only.
			expect(await counts({ zoom: 12 })).toEqual([11, 15, '<5', 12, '<5', '<5']);
			// Illness: E withheld (11 − 10 = 1 disability household); F shows 10 (its small causes,
			// disability 3 + marriage 2, total 5); G and I withheld although 0 (their 3 is all small causes);
			// J's 4 is < 5 itself.
			expect(await counts({ zoom: 12, causes: ['illness'] })).toEqual(['protect', 10, 'protect', 12, 'protect', '<5']);
			// Illness + disability: F's filter holds one of its two small causes (15 − 13 = 2 marriage) -> withheld.
			expect((await counts({ zoom: 12, causes: ['illness', 'disability'] }))[1]).toBe('protect');
			// Disability + marriage: all of F's small causes, 5 = 15 − 10 anyway -> shown.
			expect((await counts({ zoom: 12, causes: ['disability', 'marriage'] }))[1]).toBe(5);
			// Hexagons, all causes: P = 29 with E and F shown, so its residual is G's 3 -> withheld. Q = 19:
			// its residual 7 is I + J, both "< 5", which could be 3 + 4 or 4 + 3 -> shown.
			expect(await counts({ zoom: 9 })).toEqual(['protect', 19]);
			// Hexagons, illness: P = 20 next to F's 10 would be E's 10 (G, "< 5" in all and withheld to
			// protect, has none), and E's 11 − 10 = 1 -> withheld; Q's residual is J's 4 -> withheld.
			expect(await counts({ zoom: 9, causes: ['illness'] })).toEqual(['protect', 'protect']);
		});

		test('every declared field is in the output', async () => {
			for (const zoom of [9, 12]) {
				const t = await run({ year: 2014, zoom });
				for (const field of definition.fields) {
					// paths from the table's root: columns.<name> (one value per row) or meta.<name>
					expect(t).toHaveProperty(field);
					if (field.startsWith('columns.')) expect(t.columns[field.slice(8) as keyof typeof t.columns].length).toBe(t.length);
				}
			}
		});

		test("deck.gl's hexagon (diskResolution 6, the layer's angle and radius) has ST_HexagonGrid's corners", async () => {
			const t = await run({ year: 2014, zoom: 9 });
			const [spec] = definition.toDeck(t, { params: params({ zoom: 9 }), locale: 'en', opacity: 1 });
			const { radius, angle, diskResolution } = spec.props as unknown as { radius: number; angle: number; diskResolution: number };
			// deck.gl puts corner m of a disk at (cos, sin)(2πm/n + angle) · radius, in common units
			// (Web Mercator scaled to 512 units per world): back to 3857 metres.
			const [cx, cy] = toMercator(t.columns.lon[0], t.columns.lat[0]);
			const r = radius / COMMON_UNITS_PER_3857_METRE;
			const deck = Array.from({ length: diskResolution }, (_, m) => {
				const a = (2 * Math.PI * m) / diskResolution + (angle * Math.PI) / 180;
				return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
			});
			const { rows } = await sql<{ x: number; y: number }>`
				select ST_X(p.geom) as x, ST_Y(p.geom) as y
				from ST_HexagonGrid(4000::float8, ST_Transform(ST_SetSRID(ST_MakePoint(${t.columns.lon[0]}::float8, ${t.columns.lat[0]}::float8), 4326), 3857)) h,
					ST_DumpPoints(h.geom) p
				where p.path[2] < 7`.execute(db);
			expect(rows).toHaveLength(6);
			for (const corner of rows) {
				const nearest = Math.min(...deck.map(([x, y]) => Math.hypot(x - corner.x, y - corner.y)));
				expect(nearest).toBeLessThan(0.05); // metres; the centre is rounded to 1e-7°
			}
		});

		test('property: no response contains a count of 1..k-1, shown counts are the true ones, and no two responses differ by 1..k-1', async () => {
			const PROP_COUNTY = '360732';
			const PROP_TOWNSHIP = '360732100';
			await insertRegion(db, PROP_COUNTY, PROP_TOWNSHIP, [115.2, 26.2, 115.6, 26.6], [115.35, 26.4]);
			const CAUSES = ['illness', 'disability', 'lack_of_capital', 'other'] as const;

			const household = fc.record({
				cause: fc.constantFrom(...CAUSES),
				registered: fc.integer({ min: 2014, max: 2016 }),
				// years after registration until exit; 0..6, or never (null)
				stay: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
				members: fc.integer({ min: 1, max: 6 })
			});
			const village = fc.record({
				// a 0.3° x 0.3° patch: a few zoom-9 hexagons, several villages per hexagon
				lon: fc.double({ min: 115.25, max: 115.55, noNaN: true }),
				lat: fc.double({ min: 26.25, max: 26.55, noNaN: true }),
				population: fc.integer({ min: 100, max: 3000 }),
				// mostly small villages: suppression has work to do
				households: fc.array(household, { maxLength: 14 })
			});
			const request = fc.record({
				year: fc.constantFrom(2014, 2015, 2016, 2017, 2018, 2020),
				causes: fc.subarray([...CAUSES]).map((c) => [...c].sort()),
				zoom: fc.constantFrom(5, 7, 8, 9, 10, 13),
				k: fc.constantFrom(5, 10)
			});

			let runNo = 0;
			await fc.assert(
				fc.asyncProperty(fc.array(village, { minLength: 1, maxLength: 12 }), fc.array(request, { minLength: 12, maxLength: 12 }), async (vs, requests) => {
					runNo++;
					// One insert per table for the whole data set, replacing the previous run's.
					await sql`delete from households where county_code = ${PROP_COUNTY}`.execute(db);
					await sql`delete from villages where county_code = ${PROP_COUNTY}`.execute(db);
					await sql`delete from regions where county_code = ${PROP_COUNTY} and level = 'village'`.execute(db);
					const villages: VillageIn[] = vs.map((v, n) => ({
						code: `${PROP_TOWNSHIP}${String(200 + n)}`,
						name: `村${n}`,
						population: v.population,
						lon: v.lon,
						lat: v.lat
					}));
					await insertVillages(db, villages);
					const byVillage: Record<string, H[]> = {};
					vs.forEach((v, n) => {
						byVillage[villages[n].code] = v.households.map((h) => ({
							main_cause: h.cause,
							registered_year: h.registered,
							exit_year: h.stay === null ? null : h.registered + h.stay,
							members: h.members
						}));
					});
					await insertHouseholds(db, `p${runNo}`, byVillage);

					// The true counts per village, by brute force.
					const truth = (code: string, p: LayerParams) => {
						const list = byVillage[code].filter((h) => !p.causes.length || p.causes.includes(h.main_cause));
						const reg = list.filter((h) => h.registered_year <= p.year);
						const poor = reg.filter((h) => h.exit_year === null || h.exit_year! > p.year);
						return { registered: reg.length, poor: poor.length, members: poor.reduce((s, h) => s + h.members, 0) };
					};

					for (const r of requests) {
						const p = params({ county: PROP_COUNTY, ...r });
						const t = (await query({ db, capabilities: handle.capabilities }, p)) as PovertyDensityTable;
						record(backend.name, t);
						const c = t.columns;
						const totals = villages.map((v) => truth(v.code, p));
						for (let i = 0; i < t.length; i++) {
							for (const count of [c.registered[i], c.poor[i]]) {
								expect(count === -1 || count === 0 || count >= r.k, `count ${count} with k ${r.k}`).toBe(true);
							}
							const poorSuppressed = (c.suppressed[i] & SUPPRESSED_POOR) !== 0;
							expect(c.poor[i] === -1).toBe(poorSuppressed);
							expect(c.registered[i] === -1).toBe((c.suppressed[i] & SUPPRESSED_REGISTERED) !== 0);
							// members and incidence go with the still-poor count
							expect(c.poorMembers[i] === -1).toBe(poorSuppressed);
							expect(Number.isNaN(c.incidence[i])).toBe(poorSuppressed);
						}
						// Population is never suppressed: every village is counted exactly once.
						expect(c.population.reduce((s, x) => s + x, 0)).toBe(villages.reduce((s, v) => s + v.population, 0));
						expect(c.villages.reduce((s, x) => s + x, 0)).toBe(villages.length);
						if (t.meta.level === 'village') {
							expect(t.meta.codes).toEqual(villages.map((v) => v.code));
							// Brute force of the rule: a shown count is the true one; a withheld one is 1..k-1, or,
							// under a cause filter, the village's small causes (1..k-1 each) total 1..k-1, or the
							// filter holds some but not all of them. Adjacent years are not set against each other.
							const small = (n: number) => n >= 1 && n < r.k;
							totals.forEach((truthRow, i) => {
								const byCause = CAUSES.map((cause) => truth(villages[i].code, { ...p, causes: [cause] }));
								const hide = (key: 'registered' | 'poor') => {
									if (small(truthRow[key])) return -1;
									if (!p.causes.length) return truthRow[key];
									const smallCauses = CAUSES.filter((_, n) => small(byCause[n][key]));
									const smallSum = CAUSES.reduce((s, _, n) => s + (small(byCause[n][key]) ? byCause[n][key] : 0), 0);
									const inside = smallCauses.filter((cause) => p.causes.includes(cause)).length;
									if (small(smallSum) || (inside > 0 && inside < smallCauses.length)) return -1;
									return truthRow[key];
								};
								expect(c.registered[i]).toBe(hide('registered'));
								expect(c.poor[i]).toBe(hide('poor'));
								expect(c.poorMembers[i]).toBe(hide('poor') === -1 ? -1 : truthRow.members);
							});
						} else {
							// Each village in the hexagon whose centre is nearest (a hexagon grid's Voronoi cells are
							// its hexagons); the village map of the same year, filter and k.
							const centres = Array.from({ length: t.length }, (_, i) => toMercator(c.lon[i], c.lat[i]));
							const hexOf = villages.map((v) => {
								const [x, y] = toMercator(v.lon, v.lat);
								let best = 0;
								centres.forEach(([cx, cy], i) => {
									if (Math.hypot(cx - x, cy - y) < Math.hypot(centres[best][0] - x, centres[best][1] - y)) best = i;
								});
								return best;
							});
							const villageMap = (await query({ db, capabilities: handle.capabilities }, { ...p, zoom: 12 })) as PovertyDensityTable;
							for (const key of ['registered', 'poor'] as const)
								for (let i = 0; i < t.length; i++) {
									if (c[key][i] < 0) continue;
									// a shown hexagon count is the true sum, and minus its shown villages never 1..k-1
									const inside = villages.flatMap((_, n) => (hexOf[n] === i ? [n] : []));
									expect(c[key][i]).toBe(inside.reduce((s, n) => s + totals[n][key], 0));
									const residual = inside.reduce((s, n) => s + (villageMap.columns[key][n] < 0 ? totals[n][key] : 0), 0);
									expect(residual === 0 || residual >= r.k, `hexagon ${key} ${c[key][i]}, residual ${residual}, k ${r.k}`).toBe(true);
								}
							// Hexagon sums: what is shown plus what is hidden (at least 1 each unless withheld to
							// protect; 1..k-1 each if none is) is the true total.
							for (const key of ['registered', 'poor'] as const) {
								const total = totals.reduce((s, x) => s + x[key], 0);
								const visible = c[key].reduce((s, x) => s + Math.max(x, 0), 0);
								const hidden = c[key].filter((x) => x === -1).length;
								const hiddenSmall = c[key].filter((x, i) => x === -1 && (c.suppressed[i] & SUPPRESSED_TO_PROTECT) === 0).length;
								expect(total - visible).toBeGreaterThanOrEqual(hiddenSmall);
								// Counts withheld only to protect another response's can be any size.
								const protecting = c[key].some((x, i) => x === -1 && (c.suppressed[i] & SUPPRESSED_TO_PROTECT) !== 0);
								if (!protecting) expect(total - visible).toBeLessThanOrEqual(hidden * (r.k - 1));
							}
						}
					}

					// Differencing: every year, filtered and unfiltered, at the first request's zoom and k.
					// Of two responses that are set against each other — filters of the same year, one
					// inside the other, or a filter against all causes — no cell shows two counts that
					// differ by 1..k-1. (Adjacent years are
					// not: their differences are public registrations and exits; suppress.ts.)
					// Two filters as well, one inside the other (T ⊂ S): S − T, all − S and all − T alike.
					const { zoom, k } = requests[0];
					const causes = requests.find((r) => r.causes.length && r.causes.length < CAUSES.length)?.causes ?? ['illness'];
					const wider = causes.length > 1 ? causes : [...causes, CAUSES.find((c) => !causes.includes(c))!].sort();
					const narrower = wider.slice(0, 1);
					const responses = new Map<string, PovertyDensityTable>();
					for (const year of [2014, 2015, 2016, 2017, 2018, 2019, 2020])
						for (const cs of [[], wider, narrower])
							responses.set(`${year}|${cs.join(',')}`, (await query({ db, capabilities: handle.capabilities }, params({ county: PROP_COUNTY, year, causes: cs, zoom, k }))) as PovertyDensityTable);
					const pairs: [PovertyDensityTable, PovertyDensityTable][] = [];
					for (let year = 2014; year <= 2020; year++) {
						const [all, s, t] = [[], wider, narrower].map((cs) => responses.get(`${year}|${cs.join(',')}`)!);
						pairs.push([all, s], [all, t], [s, t]);
					}
					for (const [a, b] of pairs) {
						expect(a.length).toBe(b.length);
						for (let i = 0; i < a.length; i++)
							for (const key of ['registered', 'poor'] as const) {
								const x = a.columns[key][i];
								const y = b.columns[key][i];
								if (x < 0 || y < 0) continue;
								const d = Math.abs(x - y);
								expect(d === 0 || d >= k, `${key} ${x} (${a.meta.year} ${a.meta.causes}) vs ${y} (${b.meta.year} ${b.meta.causes}), k ${k}`).toBe(true);
							}
					}
				}),
				{ seed: 20_260_511, numRuns: 12, endOnFailure: true }
			);
		});
	});
}

describe('both backends', () => {
	test('give the same bytes for every response', () => {
		const lists = [...transcripts.values()];
		expect(lists.length).toBe(backends.length);
		for (const list of lists.slice(1)) expect(list).toEqual(lists[0]);
		expect(lists[0].length).toBeGreaterThan(100);
	});
});
