// The fast lane of the CSV reader: rows as arrays of cells (by column index), in batches, for files
// that are plainly well formed — the shape registry exports and our own writer produce. It reads the
// same bytes with the same decoder, delimiter and row numbering as the general reader (csv.ts) and
// gives the same values, without building an object per record or going through csv-parse's
// per-character state machine and stream events (~30k rows/s there, several hundred thousand here).
//
// Anything out of the ordinary — a quote inside an unquoted cell, a quoted cell spanning lines, a
// lone CR line break, a NUL, an over-long cell, a row longer than the header, bytes that do not
// decode, more records than the limit — throws IrregularCsv, and the caller starts again with the
// general reader, whose messages say what and where. The fast lane never reports a problem itself.
import { chunks, type FileInput } from '../input.ts';
import { makeDecoder } from '../encoding.ts';
import type { Limits } from '../types.ts';

/** The file is not plainly well formed here: read it with the general reader instead. */
export class IrregularCsv extends Error {
	constructor(readonly row: number, reason: string) {
		super(`row ${row}: ${reason}`);
		this.name = 'IrregularCsv';
	}
}

/** One data row: its spreadsheet row number (header = 1) and its cells by column (null = empty). */
export interface CsvRow {
	row: number;
	cells: (string | null)[];
}

export interface CsvRowsOptions {
	/** Bytes before the header (BOM, Excel's "sep=" line). */
	skip: number;
	encoding: string;
	delimiter: string;
	/** Columns in the header. */
	columns: number;
	limits: Limits;
}

/** What ../write/csv.ts writes for a text cell that would otherwise be a spreadsheet formula. */
const FORMULA_GUARDED = /^'[=+\-@\t\r]/;
/** Rows per yielded batch. */
const BATCH = 500;

/**
 * The data rows of a CSV file (header skipped), in batches of a decoded chunk's rows. Blank lines are
 * counted in the row numbers and not returned, as in the general reader.
 */
export async function* csvRows(input: FileInput, options: CsvRowsOptions): AsyncGenerator<CsvRow[]> {
	const { delimiter, columns, limits } = options;
	const decoder = makeDecoder(options.encoding, input.name);
	const maxCell = limits.maxCellChars;
	let carry = '';
	let row = 0;
	let kept = 0;

	const cell = (text: string, from: number, to: number): string | null => {
		if (to === from) return null;
		if (to - from > maxCell) throw new IrregularCsv(row, 'an over-long cell');
		const value = text.slice(from, to);
		return value.charCodeAt(0) === 39 && FORMULA_GUARDED.test(value) ? value.slice(1) : value;
	};

	/**
	 * One physical line [from, to) without its line break → cells, or null for a blank line. `quote`
	 * is the position of the next " in the text at or after `from` (-1: none), found once per chunk
	 * rather than once per line (a search per line would rescan the rest of the chunk each time).
	 */
	const parseLine = (text: string, from: number, to: number, quote: number): (string | null)[] | null => {
		const cells: (string | null)[] = [];
		if (quote < 0 || quote >= to) {
			let start = from;
			for (;;) {
				const d = text.indexOf(delimiter, start);
				const end = d < 0 || d >= to ? to : d;
				cells.push(cell(text, start, end));
				if (end === to) break;
				start = end + 1;
			}
		} else {
			// Quoted cells: a cell opens with " and closes with " before a delimiter or the line's end;
			// "" inside is one quote. Any other use of " is for the general reader.
			let start = from;
			for (;;) {
				if (text.charCodeAt(start) === 34) {
					let value = '';
					let i = start + 1;
					for (;;) {
						const q = text.indexOf('"', i);
						if (q < 0 || q >= to) throw new IrregularCsv(row, 'a quoted cell spans lines or is not closed');
						value += text.slice(i, q);
						if (text.charCodeAt(q + 1) === 34 && q + 1 < to) {
							value += '"';
							i = q + 2;
							continue;
						}
						i = q + 1;
						break;
					}
					if (i < to && text.slice(i, i + delimiter.length) !== delimiter) throw new IrregularCsv(row, 'text after a closing quote');
					if (value.length > maxCell) throw new IrregularCsv(row, 'an over-long cell');
					cells.push(value === '' ? null : value.charCodeAt(0) === 39 && FORMULA_GUARDED.test(value) ? value.slice(1) : value);
					if (i >= to) break;
					start = i + delimiter.length;
					if (start === to) {
						cells.push(null);
						break;
					}
				} else {
					const d = text.indexOf(delimiter, start);
					const end = d < 0 || d >= to ? to : d;
					const q = text.indexOf('"', start);
					if (q >= 0 && q < end) throw new IrregularCsv(row, 'a quote inside an unquoted cell');
					cells.push(cell(text, start, end));
					if (end === to) break;
					start = end + delimiter.length;
				}
			}
		}
		let blank = true;
		for (const c of cells)
			if (c !== null) {
				blank = false;
				break;
			}
		if (blank) return null;
		if (cells.length > columns) {
			for (let i = columns; i < cells.length; i++) if (cells[i] !== null) throw new IrregularCsv(row, 'more cells than the header has columns');
			cells.length = columns;
		}
		while (cells.length < columns) cells.push(null);
		return cells;
	};

	const take = (text: string, final: boolean): CsvRow[] => {
		const out: CsvRow[] = [];
		if (text.indexOf('\0') >= 0) throw new IrregularCsv(row + 1, 'a NUL character');
		let pos = 0;
		// Next " and next CR at or after pos (-1: none left), each searched again only once passed.
		let quote = text.indexOf('"');
		let cr = text.indexOf('\r');
		for (;;) {
			if (quote >= 0 && quote < pos) quote = text.indexOf('"', pos);
			if (cr >= 0 && cr < pos) cr = text.indexOf('\r', pos);
			let nl = text.indexOf('\n', pos);
			if (nl < 0) {
				if (!final || pos >= text.length) break;
				nl = text.length;
			}
			let end = nl;
			if (end > pos && text.charCodeAt(end - 1) === 13) end--;
			if (cr >= 0 && cr < end) throw new IrregularCsv(row + 1, 'a carriage return inside a line');
			row++;
			// Row 1 is the header: the general reader has already read and checked it (a quote in it could
			// open a cell spanning lines, which would shift every row number here).
			if (row === 1) {
				if (quote >= 0 && quote < end) throw new IrregularCsv(row, 'a quoted header');
			} else {
				const cells = parseLine(text, pos, end, quote);
				if (cells) {
					if (++kept > limits.maxRecords) throw new IrregularCsv(row, 'more records than the limit');
					out.push({ row, cells });
				}
			}
			pos = nl + 1;
		}
		carry = final ? '' : text.slice(pos);
		return out;
	};

	for await (const chunk of chunks(input, options.skip)) {
		let text: string;
		try {
			text = decoder.decode(chunk, { stream: true });
		} catch {
			throw new IrregularCsv(row + 1, 'bytes that do not decode');
		}
		if (carry.length > maxCell * Math.min(columns, 64) + columns) throw new IrregularCsv(row + 1, 'a runaway line');
		// Small batches: rows die young (before the next scavenge), so the old generation does not fill
		// with garbage while the database digests the previous batch.
		const rows = take(carry + text, false);
		for (let i = 0; i < rows.length; i += BATCH) yield rows.slice(i, i + BATCH);
	}
	let tail: string;
	try {
		tail = decoder.decode();
	} catch {
		throw new IrregularCsv(row + 1, 'the file ends inside a multi-byte character');
	}
	const rows = take(carry + tail, true);
	if (rows.length) yield rows;
}
