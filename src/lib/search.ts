// Place search results as the browser gets them from GET /api/search (the query is in
// $lib/server/search.ts), and how they are shown. Client-safe.
import { countyName, type Locale } from '$lib/i18n';

export interface PlaceHit {
	code: string;
	level: 'township' | 'village';
	/** Official name (e.g. 袁家店村村民委员会). */
	name_zh: string;
	/** Short form for display (袁家店村). */
	label_zh: string;
	name_en: string | null;
	county_code: string;
	county_name_zh: string;
	county_name_en: string | null;
	/** The township a village belongs to; null for townships. */
	township_name_zh: string | null;
	/** Where to put the marker: the village point, or the township seat. */
	lon: number;
	lat: number;
	/** [west, south, east, north] of a township's (schematic) area; null for villages. */
	bbox: [number, number, number, number] | null;
}

/** The name to show: English where the data has one, else the Chinese short form. */
export function hitName(hit: PlaceHit, locale: Locale): string {
	return locale === 'en' && hit.name_en ? hit.name_en : hit.label_zh;
}

/** Where it is: "township · county" for a village, the county for a township. */
export function hitContext(hit: PlaceHit, locale: Locale): string {
	const county = countyName(locale, { code: hit.county_code, name_zh: hit.county_name_zh, name_en: hit.county_name_en });
	return hit.township_name_zh ? `${hit.township_name_zh} · ${county}` : county;
}
