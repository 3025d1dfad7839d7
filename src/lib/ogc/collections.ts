// The feature collections served at /ogc (OGC API – Features) and exported at /api/export: one
// entry per collection, declared once. Client-safe metadata only; the SQL behind each collection is
// in sources.server.ts.
//
// Never a household point and never a household id: households reach these collections only as the
// village aggregates of `poverty-density`, with counts of 1..k−1 suppressed (k = PUBLIC_K).
import type { Localized } from '$lib/layers/types';
import type { Geometry } from 'geojson';
import type { OutputColumn, OutputTable } from '$lib/formats/types';

/** k of the public interface (domain.md: 10 for meeting and public output). */
export const PUBLIC_K = 10;

/** The filters a collection may take besides bbox (each a query parameter of the same name). */
export type OgcFilter = 'county' | 'year' | 'chain' | 'stage';

export interface OgcProperty extends OutputColumn {
	title: Localized;
}

export interface OgcCollection {
	id: string;
	title: Localized;
	description: Localized;
	/** `code`: the official statistics code (text) is the feature id; `integer`: the table's id. */
	idKind: 'code' | 'integer';
	geometryType: NonNullable<OutputTable['geometryType']>;
	/** Properties in output order (also the export columns). */
	properties: readonly OgcProperty[];
	filters: readonly OgcFilter[];
	/** Years the collection has data for (temporal extent), when it is a time series. */
	years?: readonly [number, number];
}

const p = (name: string, type: OutputColumn['type'], zh: string, en: string): OgcProperty => ({ name, type, title: { 'zh-CN': zh, en } });

const CODE = p('code', 'text', '统计用区划代码', 'Statistics code');
const ID = p('id', 'integer', '编号', 'Id');
const NAME_ZH = p('name_zh', 'text', '名称', 'Name (Chinese)');
const NAME_EN = p('name_en', 'text', '英文名称', 'Name (English)');
const COUNTY = p('county_code', 'text', '县级代码', 'County code');
const SYNTHETIC = p('synthetic', 'boolean', '合成数据', 'Synthetic (demo data)');
const KIND = p('kind', 'text', '类型', 'Kind');
const STATUS = p('status', 'text', '状态', 'Status');
const TOWNSHIP = p('township_code', 'text', '乡镇代码', 'Township code');
const VILLAGE = p('village_code', 'text', '所在村代码', 'Village code');

/** One row of the table below: what sets a collection apart from the others. */
interface CollectionRow {
	id: string;
	title: [zh: string, en: string];
	description: [zh: string, en: string];
	idKind: OgcCollection['idKind'];
	geometryType: OgcCollection['geometryType'];
	/** Has an English name column (after the Chinese one). */
	nameEn?: boolean;
	/** The collection's own properties, after the feature id, the name(s) and the county code. */
	columns: OgcProperty[];
	/** Ends with the `synthetic` flag (default true: most of the demo data is generated). */
	synthetic?: boolean;
	/** Default: the county only. */
	filters?: OgcFilter[];
	years?: readonly [number, number];
}

/**
 * Every collection's properties begin alike — its feature id (`code` or `id`, by idKind), the
 * Chinese name, the English one where there is one, the county code — and most end with the
 * `synthetic` flag; the row gives what lies between.
 */
function collection(row: CollectionRow): OgcCollection {
	const { nameEn = false, synthetic = true, filters = ['county'] } = row;
	return {
		id: row.id,
		title: { 'zh-CN': row.title[0], en: row.title[1] },
		description: { 'zh-CN': row.description[0], en: row.description[1] },
		idKind: row.idKind,
		geometryType: row.geometryType,
		properties: [row.idKind === 'code' ? CODE : ID, NAME_ZH, ...(nameEn ? [NAME_EN] : []), COUNTY, ...row.columns, ...(synthetic ? [SYNTHETIC] : [])],
		filters,
		...(row.years ? { years: row.years } : {})
	};
}

const ROWS: CollectionRow[] = [
	{
		id: 'villages',
		title: ['行政村', 'Villages'],
		description: [
			'行政村和社区居委会：12 位统计用区划代码、名称、人口（点位为合成数据）。',
			'Villages and residents’ committees: 12-digit statistics code, name, population (positions are synthetic).'
		],
		idKind: 'code',
		geometryType: 'Point',
		nameEn: true,
		columns: [
			TOWNSHIP,
			p('population', 'integer', '人口', 'Population'),
			p('elevation_m', 'integer', '海拔（米）', 'Elevation (m)'),
			p('urban_rural_code', 'integer', '城乡分类代码', 'Urban-rural code')
		]
	},
	{
		id: 'industry-sites',
		title: ['产业站点', 'Industry sites'],
		description: ['产业链各环节的站点：产业链、环节、产能、就业岗位、状态（合成数据）。', 'Sites of each industrial-chain stage: chain, stage, capacity, jobs, status (synthetic).'],
		idKind: 'integer',
		geometryType: 'Point',
		columns: [
			VILLAGE,
			p('chain', 'text', '产业链', 'Chain'),
			p('stage', 'text', '环节', 'Stage'),
			p('capacity', 'integer', '产能', 'Capacity'),
			p('jobs', 'integer', '就业岗位', 'Jobs'),
			STATUS
		],
		filters: ['county', 'chain', 'stage']
	},
	{
		id: 'relocation-sites',
		title: ['安置点', 'Relocation sites'],
		description: ['易地扶贫搬迁安置点：类型、容量（户）、状态、土地和建设成本（合成数据）。', 'Relocation settlements: kind, capacity in households, status, land and building cost (synthetic).'],
		idKind: 'integer',
		geometryType: 'Point',
		columns: [
			TOWNSHIP,
			KIND,
			p('capacity_households', 'integer', '容量（户）', 'Capacity (households)'),
			STATUS,
			p('land_cost_yuan', 'integer', '土地成本（元）', 'Land cost (yuan)'),
			p('building_cost_yuan', 'integer', '建设成本（元）', 'Building cost (yuan)')
		]
	},
	{
		id: 'roads',
		title: ['道路', 'Roads'],
		description: ['道路：等级、名称、设计车速（合成数据）。', 'Roads: class, name, speed (synthetic).'],
		idKind: 'integer',
		geometryType: 'LineString',
		columns: [p('class', 'text', '等级', 'Class'), p('speed_kmh', 'real', '车速（km/h）', 'Speed (km/h)')]
	},
	{
		id: 'facilities',
		title: ['公共设施', 'Facilities'],
		description: [
			'县城、乡镇驻地、学校、卫生院、集市（学校、卫生院、集市为合成数据）。',
			'County and township seats, schools, clinics, markets (schools, clinics and markets are synthetic).'
		],
		idKind: 'integer',
		geometryType: 'Point',
		columns: [VILLAGE, KIND]
	},
	{
		id: 'constraint-zones',
		title: ['避让区', 'Constraint zones'],
		description: [
			'安置选址“四避开”：地质灾害、洪涝、生态保护红线、永久基本农田（合成数据）。',
			'Areas a settlement must avoid: geological hazard, flood, ecological protection, permanent farmland (synthetic).'
		],
		idKind: 'integer',
		geometryType: 'MultiPolygon',
		columns: [KIND]
	},
	{
		id: 'townships',
		title: ['乡镇（街道）', 'Townships'],
		description: [
			'乡镇和街道：9 位代码、名称；范围为驻地的泰森多边形（示意，不是法定界线）。',
			'Townships and subdistricts: 9-digit code, name; areas are Voronoi cells around the seats (schematic, not legal boundaries).'
		],
		idKind: 'code',
		geometryType: 'MultiPolygon',
		nameEn: true,
		columns: [p('schematic', 'boolean', '示意范围', 'Schematic area')],
		synthetic: false
	},
	{
		id: 'counties',
		title: ['县（市、区）', 'Counties'],
		description: ['示范县的行政区域（高德地图，经 Vonng/adcode）。', 'The demo counties’ outlines (Amap, via Vonng/adcode).'],
		idKind: 'code',
		geometryType: 'MultiPolygon',
		nameEn: true,
		columns: [],
		synthetic: false
	},
	{
		id: 'poverty-density',
		title: ['贫困人口（按村汇总）', 'Poverty by village'],
		description: [
			`年末建档立卡户和未脱贫户按村汇总；1 至 ${PUBLIC_K - 1} 户的计数不公开（为空，并标注“<${PUBLIC_K}”）。从不提供户的位置或编号。`,
			`Registered and still-poor households per village at the end of the year; counts of 1 to ${PUBLIC_K - 1} are withheld (null, flagged "<${PUBLIC_K}"). Never household points or ids.`
		],
		idKind: 'code',
		geometryType: 'Point',
		columns: [
			p('year', 'integer', '年份', 'Year'),
			p('population', 'integer', '人口', 'Population'),
			p('registered', 'integer', '建档立卡户', 'Registered households'),
			p('registered_flag', 'text', '建档立卡户（不公开）', 'Registered withheld'),
			p('poor', 'integer', '未脱贫户', 'Still-poor households'),
			p('poor_flag', 'text', '未脱贫户（不公开）', 'Still-poor withheld'),
			p('poor_members', 'integer', '未脱贫人口', 'Still-poor people'),
			p('incidence_pct', 'real', '贫困发生率（%）', 'Incidence (%)')
		],
		filters: ['county', 'year'],
		years: [2014, 2020]
	}
];

export const COLLECTIONS: readonly OgcCollection[] = ROWS.map(collection);

export interface OgcFeature {
	type: 'Feature';
	id: string | number;
	geometry: Geometry | null;
	properties: Record<string, string | number | boolean | null>;
}

export function collectionById(id: string): OgcCollection | undefined {
	return COLLECTIONS.find((c) => c.id === id);
}
