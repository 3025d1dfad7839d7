// Query parameters of the OGC API – Features endpoints, parsed and checked. Every problem is an
// OgcError naming the parameter, served as 400 with that message (OGC API – Features Part 1,
// /req/core/query-param-invalid and /req/core/query-param-unknown). Client-safe, pure.
import { CHAINS, STAGES, YEARS } from '$lib/layers/params';
import type { OgcCollection, OgcFilter } from './collections.ts';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

/** [west, south, east, north] in degrees (CRS84). */
export type Bbox = [number, number, number, number];

export interface OgcFilters {
	county: string | null;
	year: number | null;
	chain: string | null;
	stage: string | null;
}

export interface ItemsQuery {
	bbox: Bbox | null;
	limit: number;
	offset: number;
	filters: OgcFilters;
}

export const NO_FILTERS: OgcFilters = { county: null, year: null, chain: null, stage: null };

export class OgcError extends Error {
	constructor(
		readonly status: 400 | 404 | 406,
		readonly code: string,
		message: string
	) {
		super(message);
		this.name = 'OgcError';
	}
}

/** Parameters every endpoint takes: the output format and the language of titles. */
const COMMON = ['f', 'lang'];

/** `f` may only ask for JSON (there is no HTML rendering). */
export function checkFormat(search: URLSearchParams): void {
	const f = search.get('f');
	if (f !== null && f !== 'json' && f !== 'geojson') {
		throw new OgcError(400, 'InvalidParameterValue', `f: unsupported format "${f}" (this service serves f=json)`);
	}
}

export function checkKnown(search: URLSearchParams, allowed: readonly string[]): void {
	for (const key of new Set(search.keys())) {
		if (!COMMON.includes(key) && !allowed.includes(key)) {
			throw new OgcError(400, 'InvalidParameterValue', `unknown query parameter "${key}" (allowed: ${[...COMMON, ...allowed].join(', ')})`);
		}
	}
	for (const key of new Set(search.keys())) {
		if (search.getAll(key).length > 1) throw new OgcError(400, 'InvalidParameterValue', `${key}: given more than once`);
	}
	checkFormat(search);
}

/** bbox=west,south,east,north (or the 6-number form with heights, which are ignored), in degrees. */
export function parseBbox(text: string): Bbox {
	const parts = text.split(',');
	if (parts.length !== 4 && parts.length !== 6) {
		throw new OgcError(400, 'InvalidParameterValue', `bbox: expected 4 numbers west,south,east,north (got ${parts.length} values)`);
	}
	const n = parts.map((s) => (s.trim() === '' ? NaN : Number(s)));
	const bad = n.findIndex((v) => !Number.isFinite(v));
	if (bad >= 0) throw new OgcError(400, 'InvalidParameterValue', `bbox: value ${bad + 1} ("${parts[bad]}") is not a number`);
	const [w, s, e, nn] = parts.length === 4 ? n : [n[0], n[1], n[3], n[4]];
	if (w < -180 || e > 180 || w > 180 || e < -180) throw new OgcError(400, 'InvalidParameterValue', 'bbox: longitudes must be within -180..180');
	if (s < -90 || nn > 90 || s > 90 || nn < -90) throw new OgcError(400, 'InvalidParameterValue', 'bbox: latitudes must be within -90..90');
	if (s > nn) throw new OgcError(400, 'InvalidParameterValue', 'bbox: south is greater than north');
	if (w > e) throw new OgcError(400, 'InvalidParameterValue', 'bbox: west is greater than east (a box across the antimeridian is not supported)');
	return [w, s, e, nn];
}

function nonNegativeInteger(search: URLSearchParams, name: string): number | null {
	const text = search.get(name);
	if (text === null) return null;
	if (!/^[0-9]+$/.test(text)) throw new OgcError(400, 'InvalidParameterValue', `${name}: "${text}" is not a non-negative integer`);
	return Number(text);
}

/** The filters a collection declares, checked like the map's layer parameters. */
export function parseFilters(search: URLSearchParams, allowed: readonly OgcFilter[]): OgcFilters {
	const f: OgcFilters = { ...NO_FILTERS };
	const value = (name: OgcFilter) => (allowed.includes(name) ? search.get(name) : null) || null;
	const county = value('county');
	if (county !== null) {
		if (!/^[0-9]{6}$/.test(county)) throw new OgcError(400, 'InvalidParameterValue', `county: "${county}" is not a 6-digit county code`);
		f.county = county;
	}
	const year = value('year');
	if (year !== null) {
		if (!(YEARS as readonly number[]).includes(Number(year))) {
			throw new OgcError(400, 'InvalidParameterValue', `year: must be one of ${YEARS.join(', ')} (got "${year}")`);
		}
		f.year = Number(year);
	}
	const chain = value('chain');
	if (chain !== null) {
		if (!(CHAINS as readonly string[]).includes(chain)) throw new OgcError(400, 'InvalidParameterValue', `chain: unknown chain "${chain}" (one of ${CHAINS.join(', ')})`);
		f.chain = chain;
	}
	const stage = value('stage');
	if (stage !== null) {
		if (!(STAGES as readonly string[]).includes(stage)) throw new OgcError(400, 'InvalidParameterValue', `stage: unknown stage "${stage}" (one of ${STAGES.join(', ')})`);
		f.stage = stage;
	}
	return f;
}

/** The parameters of /collections/<id>/items. */
export function parseItemsQuery(search: URLSearchParams, collection: OgcCollection): ItemsQuery {
	checkKnown(search, ['bbox', 'limit', 'offset', ...collection.filters]);
	const bboxText = search.get('bbox');
	const limit = nonNegativeInteger(search, 'limit');
	if (limit === 0) throw new OgcError(400, 'InvalidParameterValue', `limit: must be from 1 to ${MAX_LIMIT}`);
	return {
		bbox: bboxText === null ? null : parseBbox(bboxText),
		// A limit above the maximum is served as the maximum, not refused (Part 1, /req/core/fc-limit-response-1).
		limit: Math.min(limit ?? DEFAULT_LIMIT, MAX_LIMIT),
		offset: nonNegativeInteger(search, 'offset') ?? 0,
		filters: parseFilters(search, collection.filters)
	};
}
