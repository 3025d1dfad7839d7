// A small county for import tests: Yudu 360731 as a square (115.2–115.6 E, 25.8–26.2 N), one
// township 360731100, four village regions of which three have village rows (甲村, 乙村, 丙村;
// 丁村 360731100004 is in the code list only, so it can be imported as a village), one relocation
// site, and the neighbouring county 360732 (a square to the east) with one village.
import { sql, type Kysely } from 'kysely';
import type { Geometry } from 'geojson';
import type { Database } from '../../../src/lib/server/db/types.ts';
import type { CellValue, RecordSource, SourceRecord } from '../../../src/lib/formats/types.ts';

export const COUNTY = '360731';
export const TOWNSHIP = '360731100';
export const OTHER_COUNTY = '360732';
export const VILLAGES = {
	A: { code: '360731100001', name: '甲村', lon: 115.3, lat: 25.9 },
	B: { code: '360731100002', name: '乙村', lon: 115.4, lat: 26.0 },
	C: { code: '360731100003', name: '丙村', lon: 115.5, lat: 26.1 }
};
export const LISTED_ONLY_VILLAGE = '360731100004';
export const OTHER_VILLAGE = '360732100001';

const square = (w: number, s: number, e: number, n: number) =>
	`SRID=4326;MULTIPOLYGON(((${w} ${s},${e} ${s},${e} ${n},${w} ${n},${w} ${s})))`;

export async function loadFixture(db: Kysely<Database>): Promise<{ siteId: number }> {
	await sql`insert into regions (code, level, parent_code, county_code, name_zh, source) values
		('36', 'province', null, null, '江西省', 'test'), ('3607', 'city', '36', null, '赣州市', 'test')`.execute(db);
	await sql`insert into regions (code, level, parent_code, county_code, name_zh, geom, source) values
		(${COUNTY}, 'county', '3607', ${COUNTY}, '于都县', ${square(115.2, 25.8, 115.6, 26.2)}::geometry, 'test'),
		(${OTHER_COUNTY}, 'county', '3607', ${OTHER_COUNTY}, '兴国县', ${square(115.6, 25.8, 116.0, 26.2)}::geometry, 'test')`.execute(db);
	await sql`insert into regions (code, level, parent_code, county_code, name_zh, source) values
		(${TOWNSHIP}, 'township', ${COUNTY}, ${COUNTY}, '贡江镇', 'test'),
		('360732100', 'township', ${OTHER_COUNTY}, ${OTHER_COUNTY}, '潋江镇', 'test')`.execute(db);
	const villages = [...Object.values(VILLAGES), { code: LISTED_ONLY_VILLAGE, name: '丁村', lon: 0, lat: 0 }, { code: OTHER_VILLAGE, name: '戊村', lon: 115.8, lat: 26 }];
	for (const v of villages)
		await sql`insert into regions (code, level, parent_code, county_code, name_zh, source)
			values (${v.code}, 'village', ${v.code.slice(0, 9)}, ${v.code.slice(0, 6)}, ${v.name}, 'test')`.execute(db);
	for (const v of villages.filter((x) => x.code !== LISTED_ONLY_VILLAGE))
		await sql`insert into villages (code, county_code, township_code, name_zh, population, geom)
			values (${v.code}, ${v.code.slice(0, 6)}, ${v.code.slice(0, 9)}, ${v.name}, 1000, ST_SetSRID(ST_MakePoint(${v.lon}, ${v.lat}), 4326))`.execute(db);
	const site = await db
		.insertInto('relocation_sites')
		.values({ county_code: COUNTY, township_code: TOWNSHIP, name_zh: '城南安置点', kind: 'county_town', capacity_households: 100, status: 'built', geom: 'SRID=4326;POINT(115.41 26.01)' })
		.returning('id')
		.executeTakeFirstOrThrow();
	return { siteId: site.id };
}

/** A RecordSource over rows in memory (pipeline tests that are not about a file format). */
export function arraySource(headers: string[], rows: CellValue[][], options: { fileName?: string; geometries?: (Geometry | null)[]; format?: RecordSource['format'] } = {}): RecordSource {
	return {
		format: options.format ?? 'csv',
		fileName: options.fileName ?? 'test.csv',
		headers,
		encoding: 'utf-8',
		encodingSource: 'format',
		crs: null,
		layer: null,
		layers: [],
		count: rows.length,
		async *records(): AsyncIterable<SourceRecord> {
			for (let i = 0; i < rows.length; i++)
				yield { row: i + 2, fields: Object.fromEntries(headers.map((h, j) => [h, rows[i][j] ?? null])), geometry: options.geometries?.[i] ?? null };
		},
		async close() {}
	};
}
