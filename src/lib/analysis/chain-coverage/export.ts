// The gap list as a CSV file: UTF-8 with a byte-order mark (so Excel on a Chinese Windows opens it
// as UTF-8, not GBK), CRLF line ends (RFC 4180), and every text cell that a spreadsheet would read as
// a formula (starting with = + - @, or a tab / carriage return) prefixed with an apostrophe.
// Numbers are written as numbers; a negative number is data, not a formula, and stays as it is.

export type CsvCell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: neutralised against formula injection, then quoted when it needs it. */
export function csvCell(value: CsvCell): string {
	if (value === null) return '';
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) return '';
		return String(value);
	}
	let s = value;
	if (FORMULA_START.test(s)) s = `'${s}`;
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
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
