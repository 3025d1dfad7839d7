// Analysis result tables as XLSX: numeric columns stay numbers, mixed columns (a count or "<5") are
// text, and the workbook reads back through our own XLSX reader with the Chinese header intact.
import { describe, expect, it } from 'vitest';
import { sheetTable, sheetXlsx } from '../../src/lib/formats/write/sheet.ts';
import { openSource } from '../../src/lib/formats/index.ts';

describe('analysis tables as XLSX', () => {
	const header = ['村代码', '村', '到最近站点(分钟)', '未脱贫户'];
	const rows = [
		['360731100001', '甲村', 37.4, 12],
		['360731100002', '=乙村', null, '<5']
	];

	it('types a column numeric only when every value is a number', () => {
		expect(sheetTable('gaps', header, rows).columns.map((c) => c.type)).toEqual(['text', 'text', 'real', 'text']);
	});

	it('reads back to the same cells', async () => {
		const file = await sheetXlsx('gaps', header, rows);
		expect(file.fileName.endsWith('.xlsx')).toBe(true);
		const source = await openSource({ name: file.fileName, bytes: file.bytes });
		const got: Record<string, unknown>[] = [];
		try {
			expect(source.headers).toEqual(header);
			for await (const r of source.records()) got.push(r.fields);
		} finally {
			await source.close();
		}
		expect(got).toEqual([
			{ 村代码: '360731100001', 村: '甲村', '到最近站点(分钟)': 37.4, 未脱贫户: '12' },
			{ 村代码: '360731100002', 村: '=乙村', '到最近站点(分钟)': null, 未脱贫户: '<5' }
		]);
	});
});
