// Place search for the map's search box: townships and villages by Chinese name (any part of it,
// case-insensitive) or by statistical code (prefix). One indexed-enough query: the demo has ~10³
// regions per county; at province scale (~10⁵ regions) a pg_trgm index on name_zh would be the
// next step (PGlite has no pg_trgm, so the query keeps to plain ILIKE, which both backends run).
import { sql, type Kysely } from 'kysely';
import type { Database } from './db/types.ts';
import { bbox, pointOnSurface } from './db/postgis.ts';
import { villageLabel } from './context.ts';
import type { PlaceHit } from '../search.ts';

export const SEARCH_LIMIT = 10;
export const MAX_QUERY_LENGTH = 50;

/** One hit: see $lib/search.ts (the browser reads the same shape). */
export type SearchResult = PlaceHit;

/** The query as it is matched: trimmed, inner whitespace collapsed, length-capped; null when empty. */
export function normalizeQuery(q: string | null | undefined): string | null {
	const text = (q ?? '').normalize('NFKC').trim().replace(/\s+/g, ' ').slice(0, MAX_QUERY_LENGTH);
	return text ? text : null;
}

/** A LIKE pattern's literal text: %, _ and the escape character itself lose their meaning. */
export function escapeLike(text: string): string {
	return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function searchPlaces(
	db: Kysely<Database>,
	query: string,
	{ limit = SEARCH_LIMIT, county = null }: { limit?: number; county?: string | null } = {}
): Promise<SearchResult[]> {
	const q = normalizeQuery(query);
	if (!q) return [];
	const literal = escapeLike(q);
	const contains = `%${literal}%`;
	const prefix = `${literal}%`;
	const isCode = /^[0-9]+$/.test(q);
	const rows = await db
		.selectFrom('regions as r')
		.innerJoin('regions as c', 'c.code', 'r.county_code')
		.leftJoin('villages as v', 'v.code', 'r.code')
		.leftJoin('regions as t', (j) => j.onRef('t.code', '=', 'v.township_code'))
		.where('r.level', 'in', ['township', 'village'])
		.$if(county !== null, (qb) => qb.where('r.county_code', '=', county))
		.where((eb) =>
			isCode
				? eb('r.code', 'like', prefix)
				: eb.or([eb('r.name_zh', 'ilike', contains), eb('r.name_en', 'ilike', contains)])
		)
		.select((eb) => [
			'r.code',
			'r.level',
			'r.name_zh',
			'r.name_en',
			'r.county_code',
			'c.name_zh as county_name_zh',
			'c.name_en as county_name_en',
			't.name_zh as township_name_zh',
			sql<string>`case when r.level = 'village' then ${villageLabel(eb.ref('r.name_zh'))} else r.name_zh end`.as('label_zh'),
			sql<number>`ST_X(coalesce(v.geom, r.seat, ${pointOnSurface(eb.ref('r.geom'))}))`.as('lon'),
			sql<number>`ST_Y(coalesce(v.geom, r.seat, ${pointOnSurface(eb.ref('r.geom'))}))`.as('lat'),
			sql<[number, number, number, number] | null>`case when r.level = 'township' then ${bbox(eb.ref('r.geom'))} else null end`.as('bbox')
		])
		// Best first: the exact name, then names that start with the query, then townships before
		// villages (a township is the wider answer), then the shorter name, then the code.
		.orderBy(sql`case when r.name_zh = ${q} or r.code = ${q} then 0 when r.name_zh ilike ${prefix} then 1 else 2 end`)
		.orderBy(sql`case when r.level = 'township' then 0 else 1 end`)
		.orderBy(sql`length(r.name_zh)`)
		.orderBy('r.code')
		.limit(Math.max(1, Math.min(limit, SEARCH_LIMIT)))
		.execute();
	return rows
		.filter((r) => r.county_code !== null && Number.isFinite(Number(r.lon)) && Number.isFinite(Number(r.lat)))
		.map((r) => ({
			code: r.code,
			level: r.level as 'township' | 'village',
			name_zh: r.name_zh,
			label_zh: r.label_zh,
			name_en: r.name_en,
			county_code: r.county_code as string,
			county_name_zh: r.county_name_zh,
			county_name_en: r.county_name_en,
			township_name_zh: r.township_name_zh,
			lon: Number(r.lon),
			lat: Number(r.lat),
			bbox: r.bbox ? (r.bbox.map(Number) as [number, number, number, number]) : null
		}));
}
