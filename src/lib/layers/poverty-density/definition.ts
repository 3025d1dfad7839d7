// The poverty-density layer (贫困人口密度): registered poor households at the end of a year,
// aggregated on the server — to hexagons below `FEATURES_FROM`, to village points from it — with
// small counts suppressed there (suppress.ts). Client-safe and pure: the query (query.server.ts)
// imports the level and hexagon-size rules from here, so the server and the legend cannot disagree.
//
// Data: one ColumnTable (transport.ts), one row per hexagon or village:
//   lon, lat      Float64   hexagon centre / village point (WGS84)
//   registered    Int32     households registered by the end of the year   (-1 = suppressed, 1..k-1)
//   poor          Int32     of those, still poor at the end of the year    (-1 = suppressed, 1..k-1)
//   poorMembers   Int32     members of the still-poor households           (-1 when `poor` is suppressed)
//   population    Int32     population of the villages in the row (public statistics, never suppressed)
//   villages      Int32     number of villages in the row (1 at village level)
//   incidence     Float32   poorMembers / population × 100 (%)             (NaN when `poor` is suppressed)
//   suppressed    Uint8     bit flags: SUPPRESSED_REGISTERED | SUPPRESSED_POOR | SUPPRESSED_TO_PROTECT
// meta: PovertyDensityMeta (level, hexagon size, k, year, village codes and names at village level).
//
// Picking: `data` is given to deck.gl as the ColumnTable itself (an object with `length`, not an
// array), so deck calls accessors with (_, { index, data }) and a picked item has no `object`. The
// object the tooltip and details take is that same accessor context: `{ index: info.index, data:
// info.layer.props.data }`.
import type { ColumnLayerProps, ScatterplotLayerProps } from '@deck.gl/layers';
import type { Locale } from '$lib/i18n';
import type { DeckLayerSpec, Legend, LayerDefinition, Localized, Rgba, StyleContext } from '../types.ts';
import type { ColumnTable } from '../transport.ts';
import { DEFAULT_K, type LayerParams } from '../params.ts';
import { SUPPRESSED_COLOR, YL_OR_RD, thresholdScale, type ThresholdScale } from '../scale.ts';
import { suppressedLabel } from '../suppress.ts';

export const LAYER_ID = 'poverty-density';

/** From this zoom on the layer shows villages; below it, hexagons. */
export const FEATURES_FROM = 10;

/**
 * Hexagon size (ST_HexagonGrid `size` = circumradius = edge length) in EPSG:3857 metres: 4 km at
 * zoom 9, doubling for every zoom level out, so a hexagon is always ~13 px from centre to corner
 * (a 3857 metre is 2^z / 156,543 px at zoom z, at every latitude). On the ground a 3857 metre is
 * cos(latitude) metres: 4 km is ~3.6 km in southern Jiangxi.
 */
export const HEX_SIZE_AT_9 = 4000;
export function hexSizeFor(zoom: number): number {
	const z = Math.min(Math.max(Math.floor(zoom), 0), FEATURES_FROM - 1);
	return HEX_SIZE_AT_9 * 2 ** (FEATURES_FROM - 1 - z);
}

export type Level = 'hex' | 'village';
export function levelFor(zoom: number): Level {
	return Math.floor(zoom) >= FEATURES_FROM ? 'village' : 'hex';
}

/** Bits of the `suppressed` column. Poor suppressed also withholds poorMembers and incidence. */
export const SUPPRESSED_REGISTERED = 1;
export const SUPPRESSED_POOR = 2;
/**
 * Set with either bit above when a count was withheld although it may be k or more (or 0), because
 * other responses of the same year would give a count of 1..k−1 by subtraction (suppress.ts):
 *   - a filtered count against the cell's other filters and its unfiltered count (suppressFiltered):
 *     "all − cause X" or "X and Y − X" would tell a small group's cause, i.e. health or disability;
 *   - a hexagon's count against the villages in it (suppressAggregate): a hexagon of 15 next to its
 *     shown villages of 12 would give the others' 3.
 * Such a count reads "withheld", not "< k", which would be untrue. Adjacent years are not set
 * against each other: a village's registrations and exits, which the difference between two years
 * is, are posted in the village by the registration system itself (贫困户公示, 脱贫公示).
 * Known limits (suppress.ts): under a filter, the difference between years gives the cause of a
 * year's few registrations or exits; hexagons of different zoom grids are not set against each
 * other.
 */
export const SUPPRESSED_TO_PROTECT = 4;
/** The value of a suppressed Int32 count. */
export const SUPPRESSED_INT = -1;

export interface PovertyDensityMeta {
	level: Level;
	/** The floored zoom the rows were aggregated for. */
	zoom: number;
	/** ST_HexagonGrid size in EPSG:3857 metres (hexagon level), null at village level. */
	hexSize: number | null;
	/** The suppression threshold applied (counts 1..k-1 are withheld). */
	k: number;
	year: number;
	county: string | null;
	causes: string[];
	/** Village codes and names, one per row at village level; empty at hexagon level. */
	codes: string[];
	names: string[];
}

export type PovertyDensityColumns = {
	lon: Float64Array;
	lat: Float64Array;
	registered: Int32Array;
	poor: Int32Array;
	poorMembers: Int32Array;
	population: Int32Array;
	villages: Int32Array;
	incidence: Float32Array;
	suppressed: Uint8Array;
};

export interface PovertyDensityTable extends ColumnTable<PovertyDensityMeta> {
	columns: PovertyDensityColumns;
}

/** What a picked hexagon or village is: deck.gl's accessor context (see the header comment). */
export interface PovertyDensityObject {
	index: number;
	data: PovertyDensityTable;
}

export const COLUMN_NAMES = ['lon', 'lat', 'registered', 'poor', 'poorMembers', 'population', 'villages', 'incidence', 'suppressed'] as const;
export const META_NAMES = ['level', 'zoom', 'hexSize', 'k', 'year', 'county', 'causes', 'codes', 'names'] as const;

// --- Scales: the one source of breaks and colours for both the style and the legend -------------

/**
 * Still-poor households per hexagon at zoom 9, above the first break (k). A hexagon's area grows
 * fourfold per zoom level out, so the breaks do too; the counts stay integers. One scale for every
 * year, so years compare. Chosen from the demo data: at the end of 2014 a zoom-9 hexagon of Yudu
 * holds 16–531 still-poor households (median ~140); at the end of 2018, median ~16.
 */
export const HEX_BREAKS_AT_9 = [25, 50, 100, 200] as const;
/**
 * Incidence of poverty (still-poor members ÷ population, %), for villages: one scale for every
 * year, so years compare. In the demo data at the end of 2014 village incidence runs 0–21 % (median
 * ~11 %), so "≥ 15 %" marks the poorest quarter; by 2018 most villages are below 3 %.
 */
export const INCIDENCE_BREAKS = [1, 3, 6, 10, 15] as const;

const scaleCache = new Map<string, ThresholdScale>();

/**
 * The scale of the still-poor household count of a hexagon at `zoom`: class 0 is "0" (below k —
 * counts 1..k-1 never reach the browser), then k.., then the zoom-scaled breaks above k. With a
 * large k, breaks not above it are dropped, and so are the middle colours (the lightest stays "0").
 */
export function hexScale(zoom: number, k: number): ThresholdScale {
	const z = Math.min(Math.max(Math.floor(zoom), 0), FEATURES_FROM - 1);
	const key = `hex:${z}:${k}`;
	let scale = scaleCache.get(key);
	if (!scale) {
		const factor = 4 ** (FEATURES_FROM - 1 - z);
		const upper = HEX_BREAKS_AT_9.map((b) => b * factor).filter((b) => b > k);
		const breaks = [k, ...upper];
		const colors = [YL_OR_RD[0], ...YL_OR_RD.slice(YL_OR_RD.length - breaks.length)];
		scale = thresholdScale(breaks, colors);
		scaleCache.set(key, scale);
	}
	return scale;
}

export const INCIDENCE_SCALE: ThresholdScale = thresholdScale(INCIDENCE_BREAKS, YL_OR_RD);

/** The scale the style and the legend use for the given level, zoom and k. */
export function scaleFor(level: Level, zoom: number, k: number): ThresholdScale {
	return level === 'hex' ? hexScale(zoom, k) : INCIDENCE_SCALE;
}

// --- Labels -------------------------------------------------------------------------------------

export const CAUSE_LABELS: Record<string, Localized> = {
	illness: { 'zh-CN': '因病', en: 'illness' },
	disability: { 'zh-CN': '因残', en: 'disability' },
	schooling: { 'zh-CN': '因学', en: 'schooling costs' },
	disaster: { 'zh-CN': '因灾', en: 'disaster' },
	lack_of_land: { 'zh-CN': '缺土地', en: 'lack of land' },
	lack_of_water: { 'zh-CN': '缺水', en: 'lack of water' },
	lack_of_skills: { 'zh-CN': '缺技术', en: 'lack of skills' },
	lack_of_labour: { 'zh-CN': '缺劳力', en: 'lack of labour' },
	lack_of_capital: { 'zh-CN': '缺资金', en: 'lack of capital' },
	poor_transport: { 'zh-CN': '交通条件落后', en: 'poor transport' },
	lack_of_motivation: { 'zh-CN': '自身发展动力不足', en: 'lack of self-motivation' },
	marriage: { 'zh-CN': '因婚', en: 'marriage' },
	other: { 'zh-CN': '其他', en: 'other' }
};

const L = {
	hexTitle: { 'zh-CN': '仍贫困户数（每六边形）', en: 'Still-poor households per hexagon' },
	villageTitle: { 'zh-CN': '贫困发生率（村）', en: 'Incidence of poverty (village)' },
	suppressedHouseholds: (k: number): Localized => ({
		'zh-CN': `${suppressedLabel(k)} 户，或为保护小数不公开`,
		en: `${suppressedLabel(k)} households, or withheld to protect one`
	}),
	hexNote: (k: number, km: string | null): Localized => ({
		'zh-CN': `年末仍未脱贫的建档立卡户${km ? `；六边形边长约 ${km} 千米` : ''}；1–${k - 1} 户的格子只显示“${suppressedLabel(k)}”。`,
		en: `Registered households still poor at the end of the year${km ? `; hexagon edge ≈ ${km} km` : ''}; cells of 1–${k - 1} households show only "${suppressedLabel(k)}".`
	}),
	villageNote: (k: number): Localized => ({
		'zh-CN': `仍贫困人口 ÷ 村人口；圆圈越大，仍贫困户越多；1–${k - 1} 户的村不显示发生率。`,
		en: `Still-poor people ÷ village population; larger circle = more still-poor households; villages of 1–${k - 1} households show no incidence.`
	})
};

const ROW_LABELS = {
	place: { 'zh-CN': '地点', en: 'Place' },
	code: { 'zh-CN': '村代码', en: 'Village code' },
	year: { 'zh-CN': '年份', en: 'Year' },
	villages: { 'zh-CN': '村数', en: 'Villages' },
	population: { 'zh-CN': '户籍人口', en: 'Population' },
	registered: { 'zh-CN': '累计建档立卡户', en: 'Registered households' },
	poor: { 'zh-CN': '年末仍贫困户', en: 'Still-poor households' },
	poorMembers: { 'zh-CN': '年末仍贫困人口', en: 'Still-poor people' },
	incidence: { 'zh-CN': '贫困发生率', en: 'Incidence of poverty' },
	causes: { 'zh-CN': '致贫原因', en: 'Causes' },
	hexSize: { 'zh-CN': '六边形边长', en: 'Hexagon edge' }
} satisfies Record<string, Localized>;

function formatInt(n: number, locale: Locale): string {
	return n.toLocaleString(locale === 'zh-CN' ? 'zh-CN' : 'en-US');
}

function formatPercent(x: number, locale: Locale): string {
	return `${x.toLocaleString(locale === 'zh-CN' ? 'zh-CN' : 'en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;
}

/** A count column value as text: "< k" or "withheld" when suppressed, never the number. */
function countText(value: number, suppressed: boolean, k: number, locale: Locale, toProtect = false): string {
	if (!(suppressed || value < 0)) return formatInt(value, locale);
	return toProtect ? (locale === 'zh-CN' ? `不公开（${suppressedLabel(k)} 或为保护小数）` : `withheld (${suppressedLabel(k)} or protecting one)`) : suppressedLabel(k);
}

/** Hexagon edge on the ground (km, 1 decimal) at a latitude: 3857 metres × cos(latitude). */
function groundKm(hexSize: number, latitude: number): string {
	return ((hexSize * Math.cos((latitude * Math.PI) / 180)) / 1000).toFixed(1);
}

function meanLatitude(table: PovertyDensityTable): number | null {
	const { lat } = table.columns;
	if (!table.length) return null;
	let sum = 0;
	for (let i = 0; i < table.length; i++) sum += lat[i];
	return sum / table.length;
}

// --- Style --------------------------------------------------------------------------------------

/** EPSG:3857 metres to deck.gl common units (Web Mercator: the world is 512 units wide). */
export const COMMON_UNITS_PER_3857_METRE = 512 / (2 * Math.PI * 6378137);

/** Circle radius (px) of a village with `n` still-poor households: area grows with n. */
export function villageRadius(n: number): number {
	return 2 + 0.7 * Math.sqrt(n);
}

type Accessor<T> = (object: unknown, info: { index: number; data: unknown; target?: unknown }) => T;

function tableOf(data: unknown): PovertyDensityTable {
	const t = data as PovertyDensityTable;
	if (!t || typeof t.length !== 'number' || !t.columns || !t.meta) throw new Error(`${LAYER_ID}: not a column table`);
	for (const name of COLUMN_NAMES) if (!t.columns[name]) throw new Error(`${LAYER_ID}: missing column ${name}`);
	return t;
}

/** Colour of row `i`: suppressed rows are one grey; others from the level's scale. */
export function colorAt(table: PovertyDensityTable, i: number, scale = scaleFor(table.meta.level, table.meta.zoom, table.meta.k)): Rgba {
	const { poor, incidence, suppressed } = table.columns;
	if (suppressed[i] & SUPPRESSED_POOR) return SUPPRESSED_COLOR;
	if (table.meta.level === 'hex') return scale.colorOf(poor[i]);
	return Number.isNaN(incidence[i]) ? SUPPRESSED_COLOR : scale.colorOf(incidence[i]);
}

function toDeck(data: PovertyDensityTable, ctx: StyleContext): DeckLayerSpec[] {
	const table = tableOf(data);
	const { lon, lat, poor, suppressed } = table.columns;
	const getPosition: Accessor<[number, number]> = (_, { index }) => [lon[index], lat[index]];
	const scale = scaleFor(table.meta.level, table.meta.zoom, table.meta.k);
	const getFillColor: Accessor<Rgba> = (_, { index }) => colorAt(table, index, scale);
	const common = {
		data: table,
		pickable: true,
		autoHighlight: true,
		highlightColor: [0, 90, 160, 160] as Rgba,
		opacity: ctx.opacity,
		getPosition,
		getFillColor
	};
	if (table.meta.level === 'hex') {
		const hexSize = table.meta.hexSize ?? hexSizeFor(table.meta.zoom);
		const props = {
			id: `${LAYER_ID}-hex`,
			...common,
			// ST_HexagonGrid's hexagons have a corner on the +x axis, as deck.gl's 6-sided disk does at
			// angle 0; both are regular in Web Mercator, so with the radius in common units (Web
			// Mercator scaled) they tile exactly at every latitude.
			diskResolution: 6,
			angle: 0,
			radius: hexSize * COMMON_UNITS_PER_3857_METRE,
			radiusUnits: 'common',
			coverage: 1,
			extruded: false,
			// No outline: deck.gl 9.4 draws a flat, stroked ColumnLayer in 'common' units with outlines
			// that cover the whole view (see withKnownBugsAvoided in $lib/map/deck-overlay.ts).
			stroked: false
		} satisfies Partial<ColumnLayerProps<unknown>> & { id: string };
		return [{ type: 'ColumnLayer', props }];
	}
	const { k } = table.meta;
	const props = {
		id: `${LAYER_ID}-village`,
		...common,
		// A suppressed village is drawn at one fixed size: a size must not encode 1..k-1 either.
		getRadius: (_: unknown, { index }: { index: number }) => villageRadius(suppressed[index] & SUPPRESSED_POOR ? k : poor[index]),
		radiusUnits: 'pixels',
		stroked: true,
		getLineColor: [90, 40, 20, 200] as Rgba,
		getLineWidth: 1,
		lineWidthUnits: 'pixels'
	} satisfies Partial<ScatterplotLayerProps<unknown>> & { id: string };
	return [{ type: 'ScatterplotLayer', props }];
}

// --- Legend -------------------------------------------------------------------------------------

function legend(params: LayerParams, data?: PovertyDensityTable): Legend {
	const k = Math.max(params.k, DEFAULT_K);
	const level = levelFor(params.zoom);
	const scale = scaleFor(level, params.zoom, k);
	const suppressedItem = { color: SUPPRESSED_COLOR, label: L.suppressedHouseholds(k), shape: level === 'hex' ? ('fill' as const) : ('circle' as const) };
	if (level === 'hex') {
		const latitude = data && data.meta.level === 'hex' ? meanLatitude(data) : null;
		const km = latitude === null ? null : groundKm(hexSizeFor(params.zoom), latitude);
		const items = scale.items((lo, hi) => {
			if (lo === null) return { 'zh-CN': '0', en: '0' };
			if (hi === null) return { 'zh-CN': `≥ ${lo}`, en: `≥ ${lo}` };
			return { 'zh-CN': `${lo}–${hi - 1}`, en: `${lo}–${hi - 1}` };
		});
		return { title: L.hexTitle, kind: 'sequential', items: [...items, suppressedItem], note: L.hexNote(k, km) };
	}
	const items = scale
		.items((lo, hi) => {
			const text = lo === null ? `< ${hi}%` : hi === null ? `≥ ${lo}%` : `${lo}–${hi}%`;
			return { 'zh-CN': text, en: text };
		})
		.map((item) => ({ ...item, shape: 'circle' as const }));
	return { title: L.villageTitle, kind: 'sequential', items: [...items, suppressedItem], note: L.villageNote(k) };
}

// --- Tooltip and details ------------------------------------------------------------------------

interface RowText {
	place: string;
	code: string | null;
	year: string;
	villages: string;
	population: string;
	registered: string;
	poor: string;
	/** null when the still-poor count is suppressed (members would reveal it). */
	poorMembers: string | null;
	incidence: string;
	causes: string | null;
	hexSize: string | null;
}

function rowText(object: PovertyDensityObject, locale: Locale): RowText | null {
	if (!object || typeof object.index !== 'number' || object.index < 0) return null;
	const table = tableOf(object.data);
	const i = object.index;
	if (i >= table.length) return null;
	const c = table.columns;
	const { k, level } = table.meta;
	const regSuppressed = (c.suppressed[i] & SUPPRESSED_REGISTERED) !== 0;
	const poorSuppressed = (c.suppressed[i] & SUPPRESSED_POOR) !== 0;
	const toProtect = (c.suppressed[i] & SUPPRESSED_TO_PROTECT) !== 0;
	const withheld = toProtect
		? locale === 'zh-CN'
			? '不公开（保护小数）'
			: 'withheld (protects a small count)'
		: locale === 'zh-CN'
			? `不公开（${suppressedLabel(k)} 户）`
			: `withheld (${suppressedLabel(k)} households)`;
	const nVillages = c.villages[i];
	const place =
		level === 'village'
			? (table.meta.names[i] ?? table.meta.codes[i] ?? '')
			: locale === 'zh-CN'
				? `六边形（${formatInt(nVillages, locale)} 个村）`
				: `Hexagon (${formatInt(nVillages, locale)} ${nVillages === 1 ? 'village' : 'villages'})`;
	const causes = table.meta.causes.length ? table.meta.causes.map((cause) => CAUSE_LABELS[cause]?.[locale] ?? cause).join(locale === 'zh-CN' ? '、' : ', ') : null;
	const hexSize = level === 'hex' && table.meta.hexSize !== null ? `${groundKm(table.meta.hexSize, c.lat[i])} km` : null;
	return {
		place,
		code: level === 'village' ? (table.meta.codes[i] ?? null) : null,
		year: String(table.meta.year),
		villages: formatInt(nVillages, locale),
		population: formatInt(c.population[i], locale),
		registered: countText(c.registered[i], regSuppressed, k, locale, toProtect),
		poor: countText(c.poor[i], poorSuppressed, k, locale, toProtect),
		poorMembers: poorSuppressed || c.poorMembers[i] < 0 ? null : formatInt(c.poorMembers[i], locale),
		incidence: poorSuppressed || Number.isNaN(c.incidence[i]) ? withheld : formatPercent(c.incidence[i], locale),
		causes,
		hexSize
	};
}

function tooltip(object: PovertyDensityObject, locale: Locale): string | null {
	const r = rowText(object, locale);
	if (!r) return null;
	if (locale === 'zh-CN') {
		return [
			r.place,
			`${r.year} 年末${r.causes ? `（${r.causes}）` : ''}`,
			`建档立卡户：${r.registered}`,
			`仍贫困：${r.poor} 户${r.poorMembers !== null ? `，${r.poorMembers} 人` : ''}`,
			`贫困发生率：${r.incidence}`
		].join('\n');
	}
	return [
		r.place,
		`End of ${r.year}${r.causes ? ` (${r.causes})` : ''}`,
		`Registered households: ${r.registered}`,
		`Still poor: ${r.poor} households${r.poorMembers !== null ? `, ${r.poorMembers} people` : ''}`,
		`Incidence: ${r.incidence}`
	].join('\n');
}

function details(object: PovertyDensityObject, locale: Locale): { label: string; value: string }[] {
	const r = rowText(object, locale);
	if (!r) return [];
	const rows: { label: string; value: string }[] = [{ label: ROW_LABELS.place[locale], value: r.place }];
	if (r.code) rows.push({ label: ROW_LABELS.code[locale], value: r.code });
	rows.push({ label: ROW_LABELS.year[locale], value: r.year });
	if (r.causes) rows.push({ label: ROW_LABELS.causes[locale], value: r.causes });
	if (r.hexSize) rows.push({ label: ROW_LABELS.hexSize[locale], value: r.hexSize }, { label: ROW_LABELS.villages[locale], value: r.villages });
	rows.push(
		{ label: ROW_LABELS.population[locale], value: r.population },
		{ label: ROW_LABELS.registered[locale], value: r.registered },
		{ label: ROW_LABELS.poor[locale], value: r.poor }
	);
	if (r.poorMembers !== null) rows.push({ label: ROW_LABELS.poorMembers[locale], value: r.poorMembers });
	rows.push({ label: ROW_LABELS.incidence[locale], value: r.incidence });
	return rows;
}

export const definition: LayerDefinition<PovertyDensityTable, PovertyDensityObject> = {
	id: LAYER_ID,
	title: { 'zh-CN': '贫困人口密度', en: 'Poverty density' },
	description: {
		'zh-CN': '年末建档立卡户与仍贫困户：小比例尺按六边形汇总，放大后按村显示贫困发生率；少于 k 户的数不公开。',
		en: 'Registered and still-poor households at the end of a year: hexagons at small scales, village incidence when zoomed in; counts below k households are withheld.'
	},
	group: 'data',
	minRole: 'public',
	zoom: { min: 0, max: 22, featuresFrom: FEATURES_FROM },
	reads: ['villages', 'households'],
	params: ['county', 'year', 'causes', 'zoom', 'k'],
	// Paths from the ColumnTable's root, as the other layers' fields are from their JSON's root.
	fields: [...COLUMN_NAMES.map((name) => `columns.${name}`), ...META_NAMES.map((name) => `meta.${name}`)],
	format: 'columns',
	legend,
	toDeck,
	tooltip,
	details
};
