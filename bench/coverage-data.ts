// The synthetic province of bench:coverage (see coverage.ts): generated from a fixed seed and loaded
// into a migrated database. Labelled synthetic: it exists only for measurements.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/lib/server/db/types.ts';
import { mulberry32 } from '../src/lib/analysis/prng.ts';
import { STAGES } from '../src/lib/layers/params.ts';

export const SEED = 17_000;
export const COUNTY = '369900'; // synthetic: one code for the whole province-sized set
const TOWNSHIPS = 850;
const VILLAGES_PER_TOWNSHIP = 20;
const SITES = 2_000;
// The grid: 400 km × 420 km around Jiangxi's middle, a line every 2.5 km each way (161 × 169 lines),
// nodes jittered by up to ±0.6 km; each line cut into roads of 8 grid steps (20 km).
const LON0 = 113.6;
const LAT0 = 24.5;
const STEP_KM = 2.5;
const NX = 161;
const NY = 169;
const PIECE = 8;
const KM_LAT = 111.195;
const KM_LON = KM_LAT * Math.cos((26.4 * Math.PI) / 180);

export interface Data {
	villages: { code: string; township: string; lon: number; lat: number }[];
	roads: { cls: string; wkt: string }[];
	sites: { stage: string; lon: number; lat: number }[];
	poor: number[];
}

export function generate(): Data {
	const rand = mulberry32(SEED);
	const jitter = () => (rand() - 0.5) * 1.2;
	const nodes: [number, number][][] = [];
	for (let i = 0; i < NX; i++) {
		nodes.push([]);
		for (let j = 0; j < NY; j++) {
			nodes[i].push([+(LON0 + (i * STEP_KM + jitter()) / KM_LON).toFixed(6), +(LAT0 + (j * STEP_KM + jitter()) / KM_LAT).toFixed(6)]);
		}
	}
	const roads: Data['roads'] = [];
	const cls = (k: number) => (k % 20 === 0 ? 'national' : k % 10 === 0 ? 'provincial' : k % 4 === 0 ? 'county' : k % 2 === 0 ? 'township' : 'village');
	const line = (pts: [number, number][]) => `LINESTRING(${pts.map((p) => `${p[0]} ${p[1]}`).join(', ')})`;
	for (let i = 0; i < NX; i++)
		for (let j0 = 0; j0 < NY - 1; j0 += PIECE) roads.push({ cls: cls(i), wkt: line(nodes[i].slice(j0, Math.min(NY, j0 + PIECE + 1))) });
	for (let j = 0; j < NY; j++)
		for (let i0 = 0; i0 < NX - 1; i0 += PIECE) {
			const pts: [number, number][] = [];
			for (let i = i0; i <= Math.min(NX - 1, i0 + PIECE); i++) pts.push(nodes[i][j]);
			roads.push({ cls: cls(j), wkt: line(pts) });
		}
	const spanLon = ((NX - 1) * STEP_KM) / KM_LON;
	const spanLat = ((NY - 1) * STEP_KM) / KM_LAT;
	const villages: Data['villages'] = [];
	const poor: number[] = [];
	for (let t = 0; t < TOWNSHIPS; t++) {
		// Townships on a 34 × 25 lattice; their villages scattered within ~8 km of the seat.
		const tl = LON0 + (((t % 34) + 0.5) / 34) * spanLon;
		const tb = LAT0 + ((Math.floor(t / 34) + 0.5) / 25) * spanLat;
		const township = `${COUNTY}${String(t + 1).padStart(3, '0')}`;
		for (let v = 0; v < VILLAGES_PER_TOWNSHIP; v++) {
			villages.push({
				code: `${township}${String(v + 1).padStart(3, '0')}`,
				township,
				lon: +(tl + ((rand() - 0.5) * 16) / KM_LON).toFixed(6),
				lat: +(tb + ((rand() - 0.5) * 16) / KM_LAT).toFixed(6)
			});
			// Still-poor households: skewed, many villages with few (~12 on average).
			poor.push(Math.floor(-Math.log(1 - rand()) * 12));
		}
	}
	const sites: Data['sites'] = [];
	for (let s = 0; s < SITES; s++) {
		const stage = STAGES[s % STAGES.length];
		sites.push({ stage, lon: +(LON0 + rand() * spanLon).toFixed(6), lat: +(LAT0 + rand() * spanLat).toFixed(6) });
	}
	return { villages, roads, sites, poor };
}

export async function load(db: Kysely<Database>, data: Data): Promise<number> {
	const t0 = performance.now();
	const box = `SRID=4326;POLYGON((${LON0} ${LAT0}, ${LON0 + 4.5} ${LAT0}, ${LON0 + 4.5} ${LAT0 + 4}, ${LON0} ${LAT0 + 4}, ${LON0} ${LAT0}))`;
	await db.insertInto('regions').values({ code: COUNTY, level: 'county', parent_code: null, county_code: COUNTY, name_zh: '合成省域（基准测试）', source: 'synthetic bench', geom: box } as never).execute();
	const townships = [...new Set(data.villages.map((v) => v.township))];
	await sql`insert into regions (code, level, parent_code, county_code, name_zh, source)
		select c, 'township', ${COUNTY}, ${COUNTY}, '合成乡镇' || c, 'synthetic bench' from unnest(${townships}::text[]) c`.execute(db);
	const codes = data.villages.map((v) => v.code);
	const lons = data.villages.map((v) => v.lon);
	const lats = data.villages.map((v) => v.lat);
	const chunk = 4_000;
	for (let i = 0; i < codes.length; i += chunk) {
		const c = codes.slice(i, i + chunk);
		const x = lons.slice(i, i + chunk);
		const y = lats.slice(i, i + chunk);
		await sql`insert into regions (code, level, parent_code, county_code, name_zh, source, geom)
			select c, 'village', left(c, 9), ${COUNTY}, '合成村' || c, 'synthetic bench', ST_SetSRID(ST_MakePoint(x, y), 4326)
			from unnest(${c}::text[], ${x}::float8[], ${y}::float8[]) as t(c, x, y)`.execute(db);
		await sql`insert into villages (code, county_code, township_code, name_zh, population, geom)
			select c, ${COUNTY}, left(c, 9), '合成村' || c, 1000, ST_SetSRID(ST_MakePoint(x, y), 4326)
			from unnest(${c}::text[], ${x}::float8[], ${y}::float8[]) as t(c, x, y)`.execute(db);
	}
	for (let i = 0; i < data.roads.length; i += chunk) {
		const part = data.roads.slice(i, i + chunk);
		await sql`insert into roads (county_code, class, speed_kmh, geom)
			select ${COUNTY}, k, 30, ST_GeomFromText(w, 4326) from unnest(${part.map((r) => r.cls)}::text[], ${part.map((r) => r.wkt)}::text[]) as t(k, w)`.execute(db);
	}
	await sql`insert into industry_sites (county_code, name_zh, chain, stage, status, geom)
		select ${COUNTY}, '合成站点' || n, 'navel_orange', s, 'operating', ST_SetSRID(ST_MakePoint(x, y), 4326)
		from unnest(${data.sites.map((s) => s.stage)}::text[], ${data.sites.map((s) => s.lon)}::float8[], ${data.sites.map((s) => s.lat)}::float8[]) with ordinality as t(s, x, y, n)`.execute(db);
	for (let i = 0; i < codes.length; i += chunk) {
		await sql`insert into households (code, county_code, village_code, members, working_age_members, income_per_capita_yuan, main_cause, route, registered_year, housing_grade)
			select 'B' || c || '-' || g, ${COUNTY}, c, 3, 1, 2500, 'illness', 'production', 2014, 'B'
			from unnest(${codes.slice(i, i + chunk)}::text[], ${data.poor.slice(i, i + chunk)}::int[]) as t(c, n), generate_series(1, n) g`.execute(db);
	}
	await sql`analyze`.execute(db);
	return performance.now() - t0;
}
