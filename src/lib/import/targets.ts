// What each import target table accepts: its fields (required or not, type, categories, ranges), the
// header names counties actually use for them in Chinese and English, and the automatic column
// mapping built from those synonyms. Client-safe (the wizard shows the same field list).
//
// Ranges here are the same as the CHECK constraints of migrations/0001_schema.sql; the SQL validation
// (validate.server.ts) reads them from here so the report names the rule before the database would.

export type TargetId = 'villages' | 'households' | 'industry_sites' | 'relocation_sites' | 'roads' | 'facilities' | 'constraint_zones';
export const TARGET_IDS: readonly TargetId[] = [
	'households',
	'villages',
	'industry_sites',
	'relocation_sites',
	'facilities',
	'roads',
	'constraint_zones'
];

export type FieldType = 'text' | 'integer' | 'real' | 'category' | 'village_code' | 'township_code';

export interface FieldSpec {
	/** Target column, or `lon` / `lat` for coordinate columns of a table without geometry. */
	key: string;
	type: FieldType;
	required: boolean;
	/** Header names (any case; spaces, underscores, brackets and units are ignored when matching). */
	synonyms: readonly string[];
	/** Category code → the labels that mean it (Chinese, English, the code itself always accepted). */
	categories?: Readonly<Record<string, readonly string[]>>;
	/** Inclusive range for numbers ('members' for "not more than this row's members"). */
	min?: number;
	max?: number | 'members';
	/** The smallest value relative to another field of the row (exit year ≥ registration year). */
	minField?: string;
}

export interface TargetSpec {
	id: TargetId;
	geometry: 'Point' | 'LineString' | 'MultiPolygon';
	/** Geometry required in the table (households may lack a point: then the village's is taken). */
	geometryRequired: boolean;
	/** A row without coordinates takes its village's point (joined by the 12-digit village code). */
	pointFromVillage: boolean;
	/** The natural key checked for duplicates (within the file and against the table), if any. */
	key: string | null;
	fields: readonly FieldSpec[];
}

const LON: FieldSpec = { key: 'lon', type: 'real', required: false, synonyms: ['经度', 'lon', 'lng', 'long', 'longitude', 'x', 'x坐标', '东经', 'gps经度'] };
const LAT: FieldSpec = { key: 'lat', type: 'real', required: false, synonyms: ['纬度', 'lat', 'latitude', 'y', 'y坐标', '北纬', 'gps纬度'] };

const VILLAGE_CODE_SYNONYMS = ['村代码', '行政区划代码', '村行政区划代码', '村编码', '村级代码', '统计用区划代码', '区划代码', 'village_code', 'villagecode', 'village code', 'village'];
const NAME_SYNONYMS = ['名称', '名字', 'name', 'name_zh', '中文名称', '中文名'];

export const CAUSES: Readonly<Record<string, readonly string[]>> = {
	illness: ['因病', '因病致贫', '疾病', 'illness', 'sickness', 'disease'],
	disability: ['因残', '因残致贫', '残疾', 'disability', 'disabled'],
	schooling: ['因学', '因学致贫', 'schooling', 'schooling costs', 'education costs'],
	disaster: ['因灾', '因灾致贫', 'disaster'],
	lack_of_land: ['缺土地', '缺地', 'lack of land', 'lack_of_land'],
	lack_of_water: ['缺水', 'lack of water', 'lack_of_water'],
	lack_of_skills: ['缺技术', 'lack of skills', 'lack_of_skills'],
	lack_of_labour: ['缺劳力', '缺劳动力', 'lack of labour', 'lack of labor', 'lack_of_labour'],
	lack_of_capital: ['缺资金', 'lack of capital', 'lack_of_capital'],
	poor_transport: ['交通条件落后', '交通落后', 'poor transport', 'poor_transport'],
	lack_of_motivation: ['自身发展动力不足', '发展动力不足', 'lack of self-motivation', 'lack of motivation', 'lack_of_motivation'],
	marriage: ['因婚', 'marriage'],
	other: ['其他', 'other']
};

const ROUTES = {
	production: ['发展生产', '发展生产脱贫一批', '产业', 'production', 'production and employment'],
	relocation: ['易地搬迁', '易地扶贫搬迁', '易地搬迁脱贫一批', 'relocation'],
	ecological: ['生态补偿', '生态补偿脱贫一批', 'ecological', 'ecological compensation'],
	education: ['发展教育', '发展教育脱贫一批', 'education'],
	social_security: ['社会保障兜底', '社会保障兜底一批', '兜底', 'social security', 'social_security']
};

const MONITORING = {
	unstable: ['脱贫不稳定户', '脱贫不稳定', 'unstable'],
	edge: ['边缘易致贫户', '边缘易致贫', 'edge', 'at the edge'],
	sudden_hardship: ['突发严重困难户', '突发严重困难', 'sudden hardship', 'sudden_hardship']
};

const HOUSING = { A: ['A', 'A级'], B: ['B', 'B级'], C: ['C', 'C级'], D: ['D', 'D级', '危房'] };

const RELOCATION_STATUS = {
	none: ['无', '否', '未搬迁', 'none', 'no'],
	planned: ['计划搬迁', '待搬迁', '拟搬迁', 'planned'],
	relocated: ['已搬迁', '已安置', 'relocated']
};

const CHAINS = {
	navel_orange: ['脐橙', 'navel orange', 'navel_orange'],
	citrus: ['柑橘', 'citrus'],
	tea: ['茶叶', '茶', 'tea'],
	pig: ['生猪', '养猪', 'pig', 'pigs'],
	mushroom: ['食用菌', '蘑菇', 'mushroom', 'mushrooms'],
	silk: ['蚕桑', '桑蚕', 'silk'],
	camellia_oil: ['油茶', 'camellia oil', 'camellia_oil'],
	vegetable: ['蔬菜', 'vegetable', 'vegetables'],
	goose: ['鹅', '养鹅', 'goose', 'geese'],
	other: ['其他', 'other']
};

const STAGES = {
	production: ['生产基地', '种植基地', '养殖基地', '基地', '种植', '养殖', 'production', 'production base'],
	processing: ['加工', 'processing'],
	cold_chain: ['仓储冷链', '冷链', '仓储', 'cold chain', 'cold_chain', 'storage'],
	logistics: ['物流', 'logistics'],
	marketing: ['营销电商', '电商服务站', '营销', '电商', 'marketing', 'e-commerce']
};

const SITE_STATUS = { operating: ['运营', '运营中', '在营', '已建成', 'operating'], planned: ['规划', '计划', '拟建', 'planned'] };

const SETTLEMENT_KIND = {
	county_town: ['县城', '县城安置', 'county town', 'county_town'],
	township: ['乡镇', '集镇', '集镇安置', '乡镇安置', 'township'],
	central_village: ['中心村', '中心村安置', 'central village', 'central_village'],
	dispersed: ['分散安置', '分散', 'dispersed']
};

const SETTLEMENT_STATUS = {
	candidate: ['候选', '备选', 'candidate'],
	approved: ['已批准', '批准', '已审批', 'approved'],
	built: ['已建成', '建成', 'built']
};

const ROAD_CLASS = {
	expressway: ['高速', '高速公路', 'expressway', 'motorway'],
	national: ['国道', 'national', 'trunk'],
	provincial: ['省道', 'provincial', 'primary'],
	county: ['县道', 'county', 'secondary'],
	township: ['乡道', 'township', 'tertiary'],
	village: ['村道', '村组道路', 'village', 'unclassified']
};

const FACILITY_KIND = {
	county_seat: ['县城', '县政府', 'county seat', 'county_seat'],
	township_seat: ['乡镇政府', '乡镇驻地', '镇政府', '乡政府', 'township seat', 'township_seat'],
	school: ['学校', '小学', '中学', 'school'],
	clinic: ['卫生院', '卫生室', '诊所', '医院', 'clinic', 'hospital'],
	market: ['市场', '集市', '农贸市场', 'market']
};

const ZONE_KIND = {
	geohazard: ['地质灾害', '地灾', '地质灾害隐患区', 'geohazard', 'geological hazard'],
	flood: ['洪涝', '洪水', '防洪', '蓄滞洪区', 'flood'],
	ecological: ['生态保护红线', '生态红线', '生态', 'ecological', 'ecological protection'],
	farmland: ['永久基本农田', '基本农田', 'farmland', 'permanent basic farmland']
};

export const TARGETS: Readonly<Record<TargetId, TargetSpec>> = {
	households: {
		id: 'households',
		geometry: 'Point',
		geometryRequired: false,
		pointFromVillage: true,
		key: 'code',
		fields: [
			{ key: 'code', type: 'text', required: true, synonyms: ['户编号', '户代码', '户码', '家庭编号', 'household code', 'household_code', 'household id', 'code', '编号'] },
			{ key: 'village_code', type: 'village_code', required: true, synonyms: VILLAGE_CODE_SYNONYMS },
			LON,
			LAT,
			{ key: 'members', type: 'integer', required: true, min: 1, max: 30, synonyms: ['人口', '家庭人口', '家庭人口数', '人口数', '户人口', '人数', 'members', 'household size', 'size', 'persons'] },
			{ key: 'working_age_members', type: 'integer', required: true, min: 0, max: 'members', synonyms: ['劳动力', '劳动力人数', '劳动力数', '劳动年龄人口', 'working-age members', 'working age members', 'working_age_members', 'labour', 'labor'] },
			{ key: 'income_per_capita_yuan', type: 'integer', required: true, min: 0, synonyms: ['人均纯收入', '人均收入', '人均纯收入元', '家庭人均纯收入', 'income per capita', 'income_per_capita_yuan', 'income', 'per capita income'] },
			{ key: 'main_cause', type: 'category', required: true, categories: CAUSES, synonyms: ['致贫原因', '主要致贫原因', 'main cause', 'main_cause', 'cause', 'poverty cause'] },
			{ key: 'route', type: 'category', required: true, categories: ROUTES, synonyms: ['帮扶措施', '五个一批', '脱贫途径', '脱贫路径', 'route', 'five batches'] },
			{ key: 'registered_year', type: 'integer', required: true, min: 2013, max: 2030, synonyms: ['识别年度', '建档立卡年度', '识别年份', '纳入年度', 'registered year', 'registered_year', 'registration year'] },
			{ key: 'exit_year', type: 'integer', required: false, min: 2013, max: 2030, minField: 'registered_year', synonyms: ['脱贫年度', '脱贫年份', '退出年度', 'exit year', 'exit_year'] },
			{ key: 'monitoring', type: 'category', required: false, categories: MONITORING, synonyms: ['监测类型', '监测对象类型', '防返贫监测', 'monitoring', 'monitoring category'] },
			{ key: 'housing_grade', type: 'category', required: true, categories: HOUSING, synonyms: ['住房安全等级', '住房等级', '房屋等级', '危房等级', 'housing grade', 'housing_grade', 'housing safety'] },
			{ key: 'relocation_status', type: 'category', required: false, categories: RELOCATION_STATUS, synonyms: ['搬迁状态', '是否搬迁', '易地搬迁状态', 'relocation status', 'relocation_status'] },
			{ key: 'target_site_id', type: 'integer', required: false, min: 1, synonyms: ['安置点编号', '安置点id', 'target site id', 'target_site_id', 'settlement id'] }
		]
	},
	villages: {
		id: 'villages',
		geometry: 'Point',
		geometryRequired: true,
		pointFromVillage: false,
		key: 'code',
		fields: [
			{ key: 'code', type: 'village_code', required: true, synonyms: [...VILLAGE_CODE_SYNONYMS, 'code', '代码', '编码'] },
			{ key: 'name_zh', type: 'text', required: true, synonyms: ['村名', '村名称', '村庄名称', ...NAME_SYNONYMS, 'village name'] },
			{ key: 'population', type: 'integer', required: true, min: 1, synonyms: ['人口', '户籍人口', '总人口', '常住人口', 'population', 'pop'] },
			{ key: 'urban_rural_code', type: 'integer', required: false, min: 100, max: 299, synonyms: ['城乡分类代码', '城乡分类', 'urban rural code', 'urban_rural_code'] },
			{ key: 'elevation_m', type: 'integer', required: false, min: -200, max: 9000, synonyms: ['海拔', '高程', 'elevation', 'elevation_m', 'altitude'] },
			LON,
			LAT
		]
	},
	industry_sites: {
		id: 'industry_sites',
		geometry: 'Point',
		geometryRequired: true,
		pointFromVillage: true,
		key: null,
		fields: [
			{ key: 'name_zh', type: 'text', required: true, synonyms: ['产业点名称', '企业名称', '基地名称', ...NAME_SYNONYMS, 'site name'] },
			{ key: 'chain', type: 'category', required: true, categories: CHAINS, synonyms: ['产业链', '产业', '产业类型', 'chain', 'industrial chain', 'industry'] },
			{ key: 'stage', type: 'category', required: true, categories: STAGES, synonyms: ['环节', '产业环节', '链条环节', 'stage'] },
			{ key: 'capacity', type: 'integer', required: false, min: 0, synonyms: ['规模', '产能', '能力', 'capacity'] },
			{ key: 'jobs', type: 'integer', required: false, min: 0, synonyms: ['就业岗位', '带动就业', '岗位数', 'jobs', 'employment'] },
			{ key: 'status', type: 'category', required: true, categories: SITE_STATUS, synonyms: ['状态', '运营状态', 'status'] },
			{ key: 'village_code', type: 'village_code', required: false, synonyms: VILLAGE_CODE_SYNONYMS },
			LON,
			LAT
		]
	},
	relocation_sites: {
		id: 'relocation_sites',
		geometry: 'Point',
		geometryRequired: true,
		pointFromVillage: false,
		key: null,
		fields: [
			{ key: 'name_zh', type: 'text', required: true, synonyms: ['安置点名称', '安置点', ...NAME_SYNONYMS, 'site name', 'settlement'] },
			{ key: 'kind', type: 'category', required: true, categories: SETTLEMENT_KIND, synonyms: ['安置方式', '安置类型', '类型', 'kind', 'type'] },
			{ key: 'capacity_households', type: 'integer', required: true, min: 1, synonyms: ['安置户数', '容量', '规划户数', '可安置户数', 'capacity households', 'capacity_households', 'capacity'] },
			{ key: 'status', type: 'category', required: true, categories: SETTLEMENT_STATUS, synonyms: ['状态', '建设状态', 'status'] },
			{ key: 'land_cost_yuan', type: 'integer', required: false, min: 0, synonyms: ['土地成本', '土地费用', '用地成本', 'land cost', 'land_cost_yuan'] },
			{ key: 'building_cost_yuan', type: 'integer', required: false, min: 0, synonyms: ['建设成本', '建安成本', '建设费用', 'building cost', 'building_cost_yuan'] },
			{ key: 'township_code', type: 'township_code', required: false, synonyms: ['乡镇代码', '乡镇区划代码', 'township code', 'township_code'] },
			LON,
			LAT
		]
	},
	facilities: {
		id: 'facilities',
		geometry: 'Point',
		geometryRequired: true,
		pointFromVillage: true,
		key: null,
		fields: [
			{ key: 'kind', type: 'category', required: true, categories: FACILITY_KIND, synonyms: ['设施类型', '类型', '类别', 'kind', 'type'] },
			{ key: 'name_zh', type: 'text', required: true, synonyms: ['设施名称', ...NAME_SYNONYMS] },
			{ key: 'village_code', type: 'village_code', required: false, synonyms: VILLAGE_CODE_SYNONYMS },
			LON,
			LAT
		]
	},
	roads: {
		id: 'roads',
		geometry: 'LineString',
		geometryRequired: true,
		pointFromVillage: false,
		key: null,
		fields: [
			{ key: 'class', type: 'category', required: true, categories: ROAD_CLASS, synonyms: ['道路等级', '等级', '技术等级', '行政等级', 'class', 'road class', 'highway', 'fclass'] },
			{ key: 'name_zh', type: 'text', required: false, synonyms: ['道路名称', '路名', ...NAME_SYNONYMS] },
			{ key: 'speed_kmh', type: 'real', required: false, min: 1, max: 130, synonyms: ['设计速度', '速度', '时速', 'speed', 'speed_kmh', 'maxspeed'] }
		]
	},
	constraint_zones: {
		id: 'constraint_zones',
		geometry: 'MultiPolygon',
		geometryRequired: true,
		pointFromVillage: false,
		key: null,
		fields: [
			{ key: 'kind', type: 'category', required: true, categories: ZONE_KIND, synonyms: ['约束类型', '区域类型', '类型', 'kind', 'type', 'zone type'] },
			{ key: 'name_zh', type: 'text', required: false, synonyms: ['区域名称', ...NAME_SYNONYMS] }
		]
	}
};

/** Default speeds by road class (scenario defaults, migrations/0001) when a file gives none. */
export const ROAD_CLASS_SPEED: Readonly<Record<string, number>> = {
	expressway: 90,
	national: 60,
	provincial: 50,
	county: 40,
	township: 30,
	village: 20
};

/** Header or label in a comparable form: lower case, without spaces, underscores, hyphens, brackets and units. */
export function normalizeLabel(value: string): string {
	return value
		.normalize('NFKC')
		.toLowerCase()
		.replace(/[(（［[【].*?[)）］\]】]/g, '')
		.replace(/[\s_\-./:：·]+/g, '');
}

const categoryIndex = new Map<Readonly<Record<string, readonly string[]>>, Map<string, string>>();

/** A category value as written in the file → its code, or null when unknown. */
export function categoryCode(categories: Readonly<Record<string, readonly string[]>>, value: string): string | null {
	let index = categoryIndex.get(categories);
	if (!index) {
		index = new Map();
		for (const [code, labels] of Object.entries(categories)) {
			index.set(normalizeLabel(code), code);
			for (const label of labels) if (!index.has(normalizeLabel(label))) index.set(normalizeLabel(label), code);
		}
		categoryIndex.set(categories, index);
	}
	// Files repeat a handful of labels: remember each raw string once it has been normalised.
	const hit = index.get(value);
	if (hit !== undefined) return hit;
	const code = index.get(normalizeLabel(value)) ?? null;
	if (code !== null && index.size < 10_000) index.set(value, code);
	return code;
}

// ---- privacy ----------------------------------------------------------------------------------

/**
 * Header words that mean a personal identifier. Columns matching are never mapped and never stored;
 * the report lists them as dropped. For households, a bare "name" is a person's name too.
 */
const PRIVATE_HEADER_WORDS = [
	'姓名', '户主', '联系人', '身份证', '证件', '电话', '手机', '联系方式', '银行', '卡号', '账号', '帐号', '开户', '存折',
	'idcard', 'idnumber', 'idno', 'identity', 'citizenid', 'phone', 'mobile', 'tel', 'telephone', 'bank', 'account', 'passport',
	'email', 'personname', 'headname', 'householder', 'fullname'
];
const HOUSEHOLD_PRIVATE_HEADERS = ['name', '名字', '名称', '户名', 'namezh'];

export type PrivacyKind = 'id_card' | 'phone' | 'bank' | 'name';

/** Why a header looks personal, or null. */
export function privateHeader(header: string, target: TargetId): PrivacyKind | null {
	const h = normalizeLabel(header);
	if (!h) return null;
	if (/身份证|证件|idcard|idnumber|idno|identity|citizenid|passport/.test(h)) return 'id_card';
	if (/电话|手机|联系方式|phone|mobile|^tel|telephone|email/.test(h)) return 'phone';
	if (/银行|卡号|账号|帐号|开户|存折|bank|account/.test(h)) return 'bank';
	if (PRIVATE_HEADER_WORDS.some((w) => h.includes(w))) return 'name';
	if (target === 'households' && HOUSEHOLD_PRIVATE_HEADERS.includes(h)) return 'name';
	return null;
}

const ID_CARD = /^[1-9]\d{5}(18|19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dXx]$|^[1-9]\d{14}$/;
const MOBILE = /^(\+?86[- ]?)?1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-\d{7,8}$/;
const BANK_CARD = /^(62|4|5)\d{15,18}$/;

/** Why a value looks like a personal identifier (18/15-digit ID, mobile/landline, bank card), or null. */
export function privateValue(value: string): PrivacyKind | null {
	// Trimming and removing spaces only shorten: most cells are too short to be an identifier.
	if (value.length < 11) return null;
	const v = value.trim().replace(/\s+/g, '');
	if (v.length < 11 || v.length > 22) return null;
	if (ID_CARD.test(v)) return 'id_card';
	if (MOBILE.test(v) || LANDLINE.test(v)) return 'phone';
	if (BANK_CARD.test(v)) return 'bank';
	return null;
}

// ---- automatic mapping -------------------------------------------------------------------------

/** Target field key → the file header mapped to it (null: not mapped). */
export type Mapping = Record<string, string | null>;

export interface AutoMapResult {
	mapping: Mapping;
	/** Per mapped field: 1 exact synonym, 0.8 synonym inside the header (or the reverse), 0 unmapped. */
	confidence: Record<string, number>;
	/** Columns refused because the header (or sample values) look like personal identifiers. */
	dropped: Array<{ header: string; kind: PrivacyKind }>;
	/** Headers not mapped to any field (ignored on import). */
	unmapped: string[];
	/** Required fields with no column (the user must map them). */
	missing: string[];
}

/**
 * Match file headers to a target's fields by synonyms. Each field takes at most one header and each
 * header at most one field, best matches first. Private columns (by header or by sample values) are
 * dropped first and never offered.
 */
export function autoMap(headers: readonly string[], target: TargetId, samples: ReadonlyArray<Record<string, unknown>> = []): AutoMapResult {
	const spec = TARGETS[target];
	const dropped = privateColumns(headers, target, samples);
	const droppedSet = new Set(dropped.map((d) => d.header));
	const candidates: Array<{ field: string; header: string; score: number; order: number }> = [];
	headers.forEach((header, order) => {
		if (droppedSet.has(header)) return;
		const h = normalizeLabel(header);
		if (!h) return;
		for (const field of spec.fields) {
			let score = 0;
			for (const synonym of [field.key, ...field.synonyms]) {
				const s = normalizeLabel(synonym);
				if (!s) continue;
				if (s === h) score = Math.max(score, 1);
				else if (s.length >= 2 && h.length >= 2 && (h.includes(s) || s.includes(h)) && Math.min(s.length, h.length) >= 2) {
					// Short Latin words match only whole ("x" must not match "index").
					if (/^[a-z]+$/.test(s) && s.length < 4) continue;
					score = Math.max(score, 0.8 * (Math.min(s.length, h.length) / Math.max(s.length, h.length)) + 0.1);
				}
			}
			if (score > 0) candidates.push({ field: field.key, header, score, order });
		}
	});
	candidates.sort((a, b) => b.score - a.score || a.order - b.order);
	const mapping: Mapping = Object.fromEntries(spec.fields.map((f) => [f.key, null]));
	const confidence: Record<string, number> = Object.fromEntries(spec.fields.map((f) => [f.key, 0]));
	const used = new Set<string>();
	for (const c of candidates) {
		if (mapping[c.field] !== null || used.has(c.header)) continue;
		mapping[c.field] = c.header;
		confidence[c.field] = Math.round(c.score * 100) / 100;
		used.add(c.header);
	}
	return {
		mapping,
		confidence,
		dropped,
		unmapped: headers.filter((h) => !used.has(h) && !droppedSet.has(h)),
		missing: spec.fields.filter((f) => f.required && mapping[f.key] === null).map((f) => f.key)
	};
}

/** Columns whose header, or most of whose sample values, look like personal identifiers. */
export function privateColumns(
	headers: readonly string[],
	target: TargetId,
	samples: ReadonlyArray<Record<string, unknown>> = []
): Array<{ header: string; kind: PrivacyKind }> {
	const out: Array<{ header: string; kind: PrivacyKind }> = [];
	for (const header of headers) {
		const byHeader = privateHeader(header, target);
		if (byHeader) {
			out.push({ header, kind: byHeader });
			continue;
		}
		const values = samples.map((s) => s[header]).filter((v) => v !== null && v !== undefined && String(v).trim() !== '');
		if (values.length === 0) continue;
		const kinds = values.map((v) => privateValue(String(v)));
		const hit = kinds.find((k) => k !== null);
		// Half the sampled values: a column of identifiers, not a stray number.
		if (hit && kinds.filter((k) => k !== null).length * 2 >= values.length) out.push({ header, kind: hit });
	}
	return out;
}

/** Problems with a user's mapping before anything is read: unknown fields/headers, private columns, required fields. */
export function checkMapping(mapping: Mapping, headers: readonly string[], target: TargetId, hasGeometry: boolean): Array<{ field: string; reason: string }> {
	const spec = TARGETS[target];
	const problems: Array<{ field: string; reason: string }> = [];
	const known = new Set(spec.fields.map((f) => f.key));
	const seen = new Map<string, string>();
	for (const [field, header] of Object.entries(mapping)) {
		if (!known.has(field)) problems.push({ field, reason: `unknown field ${field} for ${target}` });
		if (header === null || header === undefined || header === '') continue;
		if (!headers.includes(header)) problems.push({ field, reason: `column “${header}” is not in the file` });
		const kind = privateHeader(header, target);
		if (kind) problems.push({ field, reason: `column “${header}” looks like a personal identifier (${kind}) and is never stored` });
		const other = seen.get(header);
		if (other) problems.push({ field, reason: `column “${header}” is already mapped to ${other}` });
		seen.set(header, field);
	}
	for (const f of spec.fields) if (f.required && !mapping[f.key]) problems.push({ field: f.key, reason: `required field ${f.key} has no column` });
	const hasLon = !!mapping.lon;
	const hasLat = !!mapping.lat;
	if (hasLon !== hasLat) problems.push({ field: hasLon ? 'lat' : 'lon', reason: 'longitude and latitude must both be mapped, or neither' });
	if (spec.geometryRequired && !hasGeometry && !hasLon && !spec.pointFromVillage)
		problems.push({ field: 'lon', reason: `${target} need coordinates: map the longitude and latitude columns` });
	return problems;
}
