// CSV downloads of the siting results: the site ranking and the village → site assignment table.
// UTF-8 with a BOM (Excel on Chinese Windows then reads it as UTF-8, not GBK), CRLF rows, RFC 4180
// quoting. Text cells that start with = + - @ (or tab / CR) are prefixed with ' so a spreadsheet
// never runs them as formulas (OWASP "CSV injection"); numbers are written as numbers.
// Cells follow the shared CSV writer's rule ($lib/formats/write/csv.ts).
import type { Locale } from '$lib/i18n';
import { csvCell as sharedCsvCell } from '$lib/formats/write/csv.ts';
import type { SuitabilityOutput } from './suitability.server.ts';
import type { LocationAllocationOutput } from '../location-allocation/location-allocation.server.ts';

export const BOM = '\uFEFF';
type Cell = string | number | boolean | null | undefined;

export function csvCell(value: Cell): string {
	return sharedCsvCell(value ?? null);
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
	return BOM + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

const L = (locale: Locale, zh: string, en: string) => (locale === 'zh-CN' ? zh : en);

const CRITERION_LABEL: Record<string, [string, string]> = {
	township_seat: ['至乡镇驻地（分钟）', 'to township seat (min)'],
	school: ['至学校（分钟）', 'to school (min)'],
	clinic: ['至卫生院（分钟）', 'to clinic (min)'],
	market: ['至集市（分钟）', 'to market (min)'],
	industry: ['至产业链各环节平均（分钟）', 'to industry stages, mean (min)'],
	origin: ['迁出村加权平均（分钟）', 'from origin villages, household-weighted (min)'],
	capacity: ['容量（户）', 'capacity (households)']
};

const EXCLUSION_LABEL: Record<string, [string, string]> = {
	geohazard: ['地质灾害区', 'geohazard zone'],
	flood: ['洪涝区', 'flood zone'],
	ecological: ['生态保护红线', 'ecological red line'],
	farmland: ['永久基本农田', 'permanent basic farmland']
};

export function exclusionText(kinds: readonly string[], locale: Locale): string {
	return kinds.map((k) => (EXCLUSION_LABEL[k] ? EXCLUSION_LABEL[k][locale === 'zh-CN' ? 0 : 1] : k)).join(locale === 'zh-CN' ? '、' : '; ');
}

export function rankingTable(result: SuitabilityOutput, locale: Locale): { header: string[]; rows: Cell[][] } {
	const header = [
		L(locale, '排名', 'rank'),
		L(locale, '安置点编号', 'site id'),
		L(locale, '名称', 'name'),
		L(locale, '状态', 'status'),
		L(locale, '得分', 'score'),
		L(locale, '权重变化 ±20% 时最好排名', 'best rank at ±20 % weights'),
		L(locale, '最差排名', 'worst rank'),
		...result.criteria.map((c) => (CRITERION_LABEL[c.id] ? CRITERION_LABEL[c.id][locale === 'zh-CN' ? 0 : 1] : c.id)),
		L(locale, '排除原因', 'excluded because')
	];
	const rows = result.sites.map((s) => [
		s.rank,
		s.id,
		s.name,
		s.status,
		s.score,
		s.rankRange?.min,
		s.rankRange?.max,
		...result.criteria.map((c) => s.values[c.id]),
		exclusionText(s.exclusions, locale)
	]);
	return { header, rows };
}

export function rankingCsv(result: SuitabilityOutput, locale: Locale): string {
	const { header, rows } = rankingTable(result, locale);
	return toCsv(header, rows);
}

export function assignmentsTable(result: LocationAllocationOutput, locale: Locale): { header: string[]; rows: Cell[][] } {
	const withheld = L(locale, `不公开（少于 ${result.k} 户）`, `withheld (under ${result.k})`);
	const header = [
		L(locale, '迁出村代码', 'village code'),
		L(locale, '迁出村', 'village'),
		L(locale, '安置点编号', 'site id'),
		L(locale, '安置点', 'site'),
		L(locale, '户数', 'households'),
		L(locale, '行程（分钟）', 'travel (min)'),
		L(locale, '未安置原因', 'not placed because')
	];
	const rows: Cell[][] = result.assignments.map((a) => [a.village, a.villageName, a.site, a.siteName, a.households ?? withheld, a.minutes, '']);
	for (const u of result.unassigned) rows.push([u.village, u.villageName, '', '', u.households ?? withheld, '', u.reason]);
	return { header, rows };
}

export function assignmentsCsv(result: LocationAllocationOutput, locale: Locale): string {
	const { header, rows } = assignmentsTable(result, locale);
	return toCsv(header, rows);
}
