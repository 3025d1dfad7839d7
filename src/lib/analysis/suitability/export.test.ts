import { describe, expect, it } from 'vitest';
import { BOM, csvCell, toCsv } from './export.ts';

describe('siting CSV', () => {
	it('neutralises formula-like text, quotes, and keeps numbers as numbers', () => {
		expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
		expect(csvCell('+86')).toBe("'+86");
		expect(csvCell('-1')).toBe("'-1");
		expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
		expect(csvCell(-12.5)).toBe('-12.5');
		expect(csvCell(Infinity)).toBe('');
		expect(csvCell(null)).toBe('');
		expect(csvCell('甲村, 乙村')).toBe('"甲村, 乙村"');
	});

	it('starts with a UTF-8 BOM and ends rows with CRLF', () => {
		const text = toCsv(['排名', 'name'], [[1, '甲'], [2, 'line\nbreak']]);
		expect(text.startsWith(BOM)).toBe(true);
		expect(new TextEncoder().encode(text).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
		expect(text).toBe(`${BOM}排名,name\r\n1,甲\r\n2,"line\nbreak"\r\n`);
	});
});
