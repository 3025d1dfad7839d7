// The JSON documents of OGC API – Features Part 1 (Core, GeoJSON, OpenAPI 3.0): landing page,
// conformance declaration, collections, a collection, a page of items, and the OpenAPI definition.
// Pure: the routes pass the base URL, locale and database figures in. Links are absolute, built from
// the request's origin (ORIGIN behind a proxy), so clients can follow them as given.
import type { Locale } from '$lib/i18n';
import { CHAINS, STAGES, YEARS } from '$lib/layers/params';
import { COLLECTIONS, PUBLIC_K, type OgcCollection, type OgcFeature } from './collections.ts';
import { DEFAULT_LIMIT, MAX_LIMIT, type Bbox } from './params.ts';

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
export const GEOJSON = 'application/geo+json';
export const JSON_TYPE = 'application/json';
export const OPENAPI_TYPE = 'application/vnd.oai.openapi+json;version=3.0';

export const CONFORMANCE = [
	'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
	'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
	'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30'
];

export interface Link {
	href: string;
	rel: string;
	type?: string;
	title?: string;
}

const text = (locale: Locale, zh: string, en: string) => (locale === 'zh-CN' ? zh : en);

export function landingPage(base: string, locale: Locale) {
	return {
		title: text(locale, '蓝图 Lantu：县域规划数据（OGC API – Features）', 'Lantu county planning data (OGC API – Features)'),
		description: text(
			locale,
			`村、产业站点、安置点、道路、公共设施、避让区、乡镇、县，以及按村汇总的贫困户数（1 至 ${PUBLIC_K - 1} 户不公开）。示范数据中标注为合成的部分不是真实数据。`,
			`Villages, industry sites, relocation sites, roads, facilities, constraint zones, townships, counties, and poor households aggregated per village (1 to ${PUBLIC_K - 1} withheld). Demo data flagged synthetic is not real.`
		),
		links: [
			{ href: `${base}/ogc`, rel: 'self', type: JSON_TYPE, title: text(locale, '本页', 'This document') },
			{ href: `${base}/ogc/api`, rel: 'service-desc', type: OPENAPI_TYPE, title: text(locale, 'API 定义（OpenAPI 3.0）', 'The API definition (OpenAPI 3.0)') },
			{ href: `${base}/ogc/conformance`, rel: 'conformance', type: JSON_TYPE, title: text(locale, '符合性声明', 'Conformance classes') },
			{ href: `${base}/ogc/collections`, rel: 'data', type: JSON_TYPE, title: text(locale, '要素集合', 'Feature collections') }
		] satisfies Link[]
	};
}

export function conformance() {
	return { conformsTo: CONFORMANCE };
}

export interface CollectionFigures {
	extent: Bbox | null;
}

export function collectionDocument(base: string, c: OgcCollection, locale: Locale, figures: CollectionFigures) {
	const href = `${base}/ogc/collections/${c.id}`;
	const extent: Record<string, unknown> = {};
	if (figures.extent) extent.spatial = { bbox: [figures.extent], crs: CRS84 };
	if (c.years) extent.temporal = { interval: [[`${c.years[0]}-01-01T00:00:00Z`, `${c.years[1]}-12-31T23:59:59Z`]], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' };
	return {
		id: c.id,
		title: c.title[locale],
		description: c.description[locale],
		itemType: 'feature',
		crs: [CRS84],
		storageCrs: CRS84,
		...(Object.keys(extent).length ? { extent } : {}),
		links: [
			{ href, rel: 'self', type: JSON_TYPE, title: c.title[locale] },
			{ href: `${href}/items`, rel: 'items', type: GEOJSON, title: text(locale, '要素（GeoJSON）', 'Features (GeoJSON)') }
		] satisfies Link[]
	};
}

export function collectionsDocument(base: string, locale: Locale, figures: Map<string, CollectionFigures>) {
	return {
		links: [{ href: `${base}/ogc/collections`, rel: 'self', type: JSON_TYPE, title: text(locale, '要素集合', 'Feature collections') }] satisfies Link[],
		collections: COLLECTIONS.map((c) => collectionDocument(base, c, locale, figures.get(c.id) ?? { extent: null }))
	};
}

/** The URL of the same items request at another offset (every other parameter kept). */
function pageHref(url: URL, offset: number, limit: number): string {
	const u = new URL(url);
	u.searchParams.set('offset', String(offset));
	u.searchParams.set('limit', String(limit));
	return u.toString();
}

export function itemsDocument(
	url: URL,
	c: OgcCollection,
	locale: Locale,
	page: { features: OgcFeature[]; numberMatched: number; limit: number; offset: number },
	now = new Date()
) {
	const { features, numberMatched, limit, offset } = page;
	const links: Link[] = [
		{ href: url.toString(), rel: 'self', type: GEOJSON, title: text(locale, '本页', 'This page') },
		{ href: `${url.origin}/ogc/collections/${c.id}`, rel: 'collection', type: JSON_TYPE, title: c.title[locale] }
	];
	if (offset + features.length < numberMatched) {
		links.push({ href: pageHref(url, offset + limit, limit), rel: 'next', type: GEOJSON, title: text(locale, '下一页', 'Next page') });
	}
	if (offset > 0) {
		links.push({ href: pageHref(url, Math.max(0, offset - limit), limit), rel: 'prev', type: GEOJSON, title: text(locale, '上一页', 'Previous page') });
	}
	return {
		type: 'FeatureCollection',
		features,
		links,
		timeStamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
		numberMatched,
		numberReturned: features.length
	};
}

export function featureDocument(base: string, c: OgcCollection, feature: OgcFeature, locale: Locale) {
	const collection = `${base}/ogc/collections/${c.id}`;
	return {
		...feature,
		links: [
			{ href: `${collection}/items/${encodeURIComponent(String(feature.id))}`, rel: 'self', type: GEOJSON },
			{ href: collection, rel: 'collection', type: JSON_TYPE, title: c.title[locale] }
		] satisfies Link[]
	};
}

export function exceptionDocument(code: string, description: string) {
	return { code, description };
}

// --- OpenAPI 3.0 ----------------------------------------------------------------------------------

const ref = (name: string) => ({ $ref: `#/components/parameters/${name}` });
const jsonContent = (type: string, schema: object = { type: 'object' }) => ({ [type]: { schema } });

/** A small OpenAPI 3.0 definition of this service (enough for clients to find limits and filters). */
export function openApiDocument(base: string) {
	const error = { description: 'Bad request or not found', content: jsonContent(JSON_TYPE, { $ref: '#/components/schemas/exception' }) };
	const filterParams = (c: OgcCollection) => c.filters.map((f) => ref(f));
	const paths: Record<string, unknown> = {
		'/': { get: { operationId: 'getLandingPage', summary: 'Landing page', parameters: [ref('f')], responses: { '200': { description: 'Landing page', content: jsonContent(JSON_TYPE) } } } },
		'/conformance': {
			get: { operationId: 'getConformance', summary: 'Conformance classes', parameters: [ref('f')], responses: { '200': { description: 'Conformance', content: jsonContent(JSON_TYPE) } } }
		},
		'/api': { get: { operationId: 'getApi', summary: 'This definition', responses: { '200': { description: 'OpenAPI 3.0', content: jsonContent(OPENAPI_TYPE) } } } },
		'/collections': {
			get: { operationId: 'getCollections', summary: 'Feature collections', parameters: [ref('f'), ref('lang')], responses: { '200': { description: 'Collections', content: jsonContent(JSON_TYPE) } } }
		}
	};
	for (const c of COLLECTIONS) {
		const params = [ref('bbox'), ref('limit'), ref('offset'), ...filterParams(c), ref('f'), ref('lang')];
		paths[`/collections/${c.id}`] = {
			get: { operationId: `describe-${c.id}`, summary: c.title.en, parameters: [ref('f'), ref('lang')], responses: { '200': { description: c.title.en, content: jsonContent(JSON_TYPE) }, '404': error } }
		};
		paths[`/collections/${c.id}/items`] = {
			get: {
				operationId: `get-${c.id}-features`,
				summary: `${c.title.en}: features`,
				description: c.description.en,
				parameters: params,
				responses: { '200': { description: 'Features', content: jsonContent(GEOJSON, { $ref: '#/components/schemas/featureCollection' }) }, '400': error }
			}
		};
		paths[`/collections/${c.id}/items/{featureId}`] = {
			get: {
				operationId: `get-${c.id}-feature`,
				summary: `${c.title.en}: one feature`,
				parameters: [ref('featureId'), ref('f'), ref('lang')],
				responses: { '200': { description: 'Feature', content: jsonContent(GEOJSON) }, '404': error }
			}
		};
	}
	return {
		openapi: '3.0.3',
		info: {
			title: 'Lantu OGC API – Features',
			version: '1.0.0',
			description: `Planning data of the Lantu demo counties. Poor households appear only as village aggregates; counts of 1 to ${PUBLIC_K - 1} are withheld.`
		},
		servers: [{ url: `${base}/ogc` }],
		paths,
		components: {
			parameters: {
				f: { name: 'f', in: 'query', required: false, schema: { type: 'string', enum: ['json'], default: 'json' }, style: 'form', explode: false },
				lang: { name: 'lang', in: 'query', required: false, description: 'Language of titles', schema: { type: 'string', enum: ['zh-CN', 'en'] } },
				bbox: {
					name: 'bbox',
					in: 'query',
					required: false,
					description: 'west,south,east,north in degrees (CRS84); features that intersect it',
					schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } },
					style: 'form',
					explode: false
				},
				limit: { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT }, style: 'form', explode: false },
				offset: { name: 'offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0, default: 0 }, style: 'form', explode: false },
				county: { name: 'county', in: 'query', required: false, description: '6-digit county code', schema: { type: 'string', pattern: '^[0-9]{6}$' } },
				year: { name: 'year', in: 'query', required: false, description: 'State at the end of this year', schema: { type: 'integer', enum: [...YEARS], default: YEARS[0] } },
				chain: { name: 'chain', in: 'query', required: false, schema: { type: 'string', enum: [...CHAINS] } },
				stage: { name: 'stage', in: 'query', required: false, schema: { type: 'string', enum: [...STAGES] } },
				featureId: { name: 'featureId', in: 'path', required: true, schema: { type: 'string' } }
			},
			schemas: {
				exception: { type: 'object', required: ['code'], properties: { code: { type: 'string' }, description: { type: 'string' } } },
				featureCollection: {
					type: 'object',
					required: ['type', 'features'],
					properties: {
						type: { type: 'string', enum: ['FeatureCollection'] },
						features: { type: 'array', items: { type: 'object' } },
						links: { type: 'array', items: { type: 'object' } },
						timeStamp: { type: 'string', format: 'date-time' },
						numberMatched: { type: 'integer', minimum: 0 },
						numberReturned: { type: 'integer', minimum: 0 }
					}
				}
			}
		}
	};
}
