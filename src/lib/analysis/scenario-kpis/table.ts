// The KPI comparison table as a download: CSV (UTF-8 with a BOM, so Excel in a Chinese locale reads
// it as UTF-8) and a minimal XLSX (one sheet, inline strings, numbers as numbers). Pure: runs in the
// browser, which already holds the table it shows.
//
// Spreadsheet formula injection: a text cell starting with = + - @ (or tab / carriage return) is
// prefixed with an apostrophe in CSV, the OWASP advice; numbers are written as numbers, so a
// negative difference stays a number. In XLSX every text cell is an inline string, never a formula.
import { strToU8, zipSync } from 'fflate';
import { csvCell } from '$lib/formats/write/csv.ts';

export type Cell = string | number | null;

const DANGEROUS_START = /^[=+\-@\t\r]/;

/** A text cell made safe to open in a spreadsheet. */
export function neutralise(text: string): string {
	return DANGEROUS_START.test(text) ? `'${text}` : text;
}


/** RFC 4180 CSV with CRLF line ends, preceded by a UTF-8 BOM. */
export function toCsv(rows: readonly (readonly Cell[])[]): string {
	return '\uFEFF' + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

const xmlEscape = (s: string) =>
	s
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		// Control characters are not allowed in XML 1.0.
		// eslint-disable-next-line no-control-regex
		.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');

/** Column letters: 0 → A, 25 → Z, 26 → AA. */
export function columnName(i: number): string {
	let s = '';
	for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
	return s;
}

function sheetXml(rows: readonly (readonly Cell[])[]): string {
	const body = rows
		.map((row, r) => {
			const cells = row
				.map((cell, c) => {
					const ref = `${columnName(c)}${r + 1}`;
					if (cell === null) return '';
					if (typeof cell === 'number') return Number.isFinite(cell) ? `<c r="${ref}"><v>${cell}</v></c>` : '';
					// The header row is bold (style 1).
					return `<c r="${ref}" t="inlineStr"${r === 0 ? ' s="1"' : ''}><is><t xml:space="preserve">${xmlEscape(cell)}</t></is></c>`;
				})
				.join('');
			return `<row r="${r + 1}">${cells}</row>`;
		})
		.join('');
	const widths = rows[0]?.map((_, c) => `<col min="${c + 1}" max="${c + 1}" width="${c === 0 ? 34 : 18}" customWidth="1"/>`).join('') ?? '';
	return (
		'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
		'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
		(widths ? `<cols>${widths}</cols>` : '') +
		`<sheetData>${body}</sheetData></worksheet>`
	);
}

/** A one-sheet XLSX workbook (Office Open XML), as bytes. Sheet names are cut to Excel's 31 characters. */
export function toXlsx(rows: readonly (readonly Cell[])[], sheetName = 'Sheet1'): Uint8Array {
	const name = xmlEscape(sheetName.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'Sheet1');
	const files: Record<string, Uint8Array> = {
		'[Content_Types].xml': strToU8(
			'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
				'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
				'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
				'<Default Extension="xml" ContentType="application/xml"/>' +
				'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
				'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
				'<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
				'</Types>'
		),
		'_rels/.rels': strToU8(
			'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
				'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
				'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
				'</Relationships>'
		),
		'xl/workbook.xml': strToU8(
			'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
				'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
				`<sheets><sheet name="${name}" sheetId="1" r:id="rId1"/></sheets></workbook>`
		),
		'xl/_rels/workbook.xml.rels': strToU8(
			'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
				'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
				'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
				'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
				'</Relationships>'
		),
		'xl/styles.xml': strToU8(
			'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
				'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
				'<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
				'<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
				'<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
				'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
				'<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
				'</styleSheet>'
		),
		'xl/worksheets/sheet1.xml': strToU8(sheetXml(rows))
	};
	// A fixed timestamp keeps the bytes deterministic for equal tables.
	return zipSync(files, { level: 6, mtime: new Date('2020-01-01T00:00:00Z') });
}
