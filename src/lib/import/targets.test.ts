// Header synonyms, category labels and the privacy rules of the import targets.
import { describe, expect, test } from 'vitest';
import { autoMap, categoryCode, CAUSES, checkMapping, privateHeader, privateValue, TARGETS } from './targets.ts';

describe('autoMap', () => {
	test('English headers map too, each header to at most one field', () => {
		const m = autoMap(['household_code', 'village_code', 'longitude', 'latitude', 'members', 'working_age_members', 'income', 'main cause', 'route', 'registered_year', 'exit_year', 'housing_grade', 'notes'], 'households');
		expect(m.mapping).toMatchObject({ code: 'household_code', village_code: 'village_code', lon: 'longitude', lat: 'latitude', members: 'members', income_per_capita_yuan: 'income', main_cause: 'main cause' });
		expect(m.unmapped).toEqual(['notes']);
		expect(m.missing).toEqual([]);
		expect(new Set(Object.values(m.mapping).filter(Boolean)).size).toBe(Object.values(m.mapping).filter(Boolean).length);
	});

	test('partial matches have a lower confidence than exact ones', () => {
		const m = autoMap(['家庭总人口', '户编号'], 'households');
		expect(m.mapping.members).toBe('家庭总人口');
		expect(m.confidence.members).toBeLessThan(1);
		expect(m.confidence.code).toBe(1);
		expect(m.missing).toContain('village_code');
	});

	test('personal columns are dropped by header or by values', () => {
		const m = autoMap(['户编号', '联系电话', '银行卡号', '备注'], 'households', [
			{ 户编号: 'H1', 备注: '360731198001011234' },
			{ 户编号: 'H2', 备注: '360731199002022345' }
		]);
		expect(m.dropped).toEqual([{ header: '联系电话', kind: 'phone' }, { header: '银行卡号', kind: 'bank' }, { header: '备注', kind: 'id_card' }]);
		// For households a bare "name" is a person; for sites it is the site's name.
		expect(privateHeader('name', 'households')).toBe('name');
		expect(privateHeader('name', 'industry_sites')).toBeNull();
		expect(autoMap(['名称', '产业链', '环节', '状态'], 'industry_sites').mapping.name_zh).toBe('名称');
	});

	test('value patterns: ID card, mobile, bank card; village codes are not personal', () => {
		expect(privateValue('36073119800101123X')).toBe('id_card');
		expect(privateValue('13912345678')).toBe('phone');
		expect(privateValue('6222021234567890123')).toBe('bank');
		expect(privateValue('360731100001')).toBeNull();
		expect(privateValue('HH000123')).toBeNull();
	});
});

describe('categories and mapping checks', () => {
	test('Chinese and English labels and codes give the code', () => {
		expect(categoryCode(CAUSES, '因病致贫')).toBe('illness');
		expect(categoryCode(CAUSES, ' Lack of labor ')).toBe('lack_of_labour');
		expect(categoryCode(CAUSES, 'poor_transport')).toBe('poor_transport');
		expect(categoryCode(CAUSES, '因懒')).toBeNull();
		const stage = TARGETS.industry_sites.fields.find((f) => f.key === 'stage')!;
		expect(categoryCode(stage.categories!, '仓储冷链')).toBe('cold_chain');
	});

	test('checkMapping names each problem by field', () => {
		const problems = checkMapping({ code: '户编号', lon: '经度', members: '身份证' }, ['户编号', '经度', '身份证'], 'households', false);
		const text = problems.map((p) => `${p.field}: ${p.reason}`).join('\n');
		expect(text).toMatch(/members: column “身份证” looks like a personal identifier/);
		expect(text).toMatch(/village_code: required field village_code has no column/);
		expect(text).toMatch(/lat: longitude and latitude must both be mapped/);
	});
});
