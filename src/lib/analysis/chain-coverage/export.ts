// The gap list as a CSV file: UTF-8 with a byte-order mark (so Excel on a Chinese Windows opens it
// as UTF-8, not GBK), CRLF line ends (RFC 4180), and every text cell that a spreadsheet would read as
// a formula (starting with = + - @, or a tab / carriage return) prefixed with an apostrophe.
// Numbers are written as numbers; a negative number is data, not a formula, and stays as it is.

import { csvCell as sharedCsvCell } from '$lib/formats/write/csv.ts';

export type CsvCell = string | number | null;

/** One cell, neutralised against formula injection and quoted when it needs it (the shared writer's rule). */
export function csvCell(value: CsvCell): string {
	return sharedCsvCell(value);
}

/** The whole file as bytes: BOM, header, rows. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvCell[]>): Uint8Array {
	const lines = [header.map(csvCell).join(',')];
	for (const r of rows) {
		if (r.length !== header.length) throw new RangeError(`csv row has ${r.length} cells, header has ${header.length}`);
		lines.push(r.map(csvCell).join(','));
	}
	return new TextEncoder().encode('\uFEFF' + lines.join('\r\n') + '\r\n');
}
