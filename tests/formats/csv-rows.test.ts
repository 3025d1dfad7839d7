// The CSV fast lane (read/csv-rows.ts) against the general reader (csv-parse, read/csv.ts): on every
// file it either gives exactly the general reader's rows — row numbers and values — or refuses with
// IrregularCsv, and it refuses every file the general reader rejects.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { openSource, type RecordSource } from '../../src/lib/formats/index.ts';
import { IrregularCsv } from '../../src/lib/formats/read/csv-rows.ts';
import { FIXTURES, HOSTILE } from './helpers.ts';

type Outcome = { rows: Array<{ row: number; cells: (string | null)[] }> } | { error: unknown };

async function general(open: () => Promise<RecordSource>): Promise<Outcome> {
	try {
		const source = await open();
		const rows: Array<{ row: number; cells: (string | null)[] }> = [];
		try {
			for await (const r of source.records()) rows.push({ row: r.row, cells: source.headers.map((h) => r.fields[h] as string | null) });
		} finally {
			await source.close();
		}
		return { rows };
	} catch (error) {
		return { error };
	}
}

async function fast(open: () => Promise<RecordSource>): Promise<Outcome> {
	let source: RecordSource;
	try {
		source = await open();
	} catch (error) {
		return { error };
	}
	try {
		const rows: Array<{ row: number; cells: (string | null)[] }> = [];
		for await (const batch of source.rows!()) rows.push(...batch);
		return { rows };
	} catch (error) {
		return { error };
	} finally {
		await source.close();
	}
}

/** Same rows, or the fast lane refused (IrregularCsv) — never different rows, never a crash. */
async function agree(open: () => Promise<RecordSource>): Promise<'same' | 'refused' | 'both-failed'> {
	const [g, f] = [await general(open), await fast(open)];
	if ('error' in f) {
		expect(f.error, String(f.error)).toBeInstanceOf(Error);
		if (!('error' in g)) {
			expect(f.error).toBeInstanceOf(IrregularCsv);
			return 'refused';
		}
		return 'both-failed';
	}
	expect('error' in g ? String(g.error) : null, 'the fast lane read a file the general reader rejects').toBeNull();
	expect(f.rows).toEqual((g as { rows: unknown[] }).rows);
	return 'same';
}

const fromText = (text: string, name = 't.csv') => () => openSource({ name, bytes: new TextEncoder().encode(text) });

describe('CSV fast lane', () => {
	test('every CSV fixture: the same rows as the general reader', async () => {
		const files = readdirSync(FIXTURES).filter((f) => /\.(csv|txt)$/.test(f));
		expect(files.length).toBeGreaterThanOrEqual(5);
		for (const name of files) expect(await agree(() => openSource({ name, path: join(FIXTURES, name) })), name).toBe('same');
		const gbk = join(import.meta.dirname, '../fixtures/import/households-gbk.csv');
		expect(await agree(() => openSource({ name: 'households-gbk.csv', path: gbk }))).toBe('same');
	});

	test('every hostile CSV: refused wherever the general reader fails, never different rows', async () => {
		const files = readdirSync(join(HOSTILE, 'files')).filter((f) => f.endsWith('.csv'));
		expect(files.length).toBeGreaterThanOrEqual(15);
		const outcomes: Record<string, string> = {};
		for (const name of files) outcomes[name] = await agree(() => openSource({ name, path: join(HOSTILE, 'files', name) }));
		// Files the fast lane must hand to the general reader (which then reads or rejects them).
		for (const name of ['csv-quoted-newlines.csv', 'csv-runaway-quote.csv', 'csv-extra-cells.csv', 'csv-nul-bytes.csv'])
			expect(outcomes[name], name).not.toBe('same');
	});

	test.each([
		['quoted cells with delimiters and doubled quotes', 'a,b,c\n"x, y","say ""hi""",3\n'],
		['CRLF line ends and a last line without one', 'a,b\r\n1,2\r\n3,4'],
		['blank lines and delimiter-only lines count as rows but are not returned', 'a,b\n1,2\n\n,\n3,4\n'],
		['short rows are padded with empty cells', 'a,b,c\n1\n1,2\n'],
		['empty trailing cells beyond the header are dropped', 'a,b\n1,2,,\n'],
		['formula-guarded cells lose their guard quote', "a,b\n'=1+1,'@x\n'plain,\"'-3\"\n"],
		['an empty quoted cell and a quoted last cell', 'a,b,c\n"",x,""\n'],
		['Chinese text', '村代码,名称\n360731100001,"贡江镇,城区"\n']
	])('%s', async (_what, text) => {
		expect(await agree(fromText(text))).toBe('same');
	});

	test.each([
		['a quoted cell spanning lines', 'a,b\n"x\ny",2\n'],
		['a quote inside an unquoted cell', 'a,b\nx"y,2\n'],
		['text after a closing quote', 'a,b\n"x"y,2\n'],
		['a lone CR line break', 'a,b\r1,2\r'],
		['more non-empty cells than the header', 'a,b\n1,2,3\n'],
		['a quoted header', '"a\nb",c\n1,2\n']
	])('refuses %s', async (_what, text) => {
		expect(await fast(fromText(text))).toMatchObject({ error: expect.any(IrregularCsv) });
		await agree(fromText(text));
	});

	test('random small CSVs: same rows or refused', async () => {
		const cell = fc.oneof(fc.constantFrom('', 'x', '1.5', '"q"', 'a,b', '""', "'=1", ' s ', '贡江', 'a""b'), fc.string({ maxLength: 4 }));
		const line = fc.array(cell, { minLength: 1, maxLength: 4 }).map((cells) => cells.join(','));
		const file = fc.tuple(fc.array(line, { minLength: 0, maxLength: 6 }), fc.constantFrom('\n', '\r\n')).map(([lines, eol]) => ['h1,h2,h3', ...lines].join(eol));
		await fc.assert(
			fc.asyncProperty(file, async (text) => {
				await agree(fromText(text));
			}),
			{ numRuns: 300 }
		);
	});
});
