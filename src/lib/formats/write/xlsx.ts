// XLSX writer: the smallest workbook Excel, LibreOffice and GDAL open without complaint. One sheet,
// inline strings (no shared-string table to keep in step), a bold frozen header row, dates as date
// serials with a yyyy-mm-dd format, point geometry as lon/lat columns and other geometry as WKT.
// Text is written as text: an inline string is never evaluated, so no formula neutralising is needed.
import { zipSync, strToU8 } from 'fflate';
import { FormatError, type CellValue, type OutputFile, type OutputTable } from '../types.ts';
import { columnName } from '../read/xlsx.ts';
import { eachRow, geometryColumns, safeBaseName, TextSink } from './common.ts';

const MAX_ROWS = 1_048_576;
const MAX_CELL_CHARS = 32_767;

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`;

const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;

const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;

/** Styles: 0 normal, 1 bold (header), 2 date yyyy-mm-dd, 3 date-time. */
const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/><numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

/** XML text: escaped, and without the control characters XML 1.0 cannot carry (Excel rejects them). */
export function xmlText(s: string): string {
	return s
		.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;');
}

/** An ISO date or date-time as an Excel serial (1900 system), or null when it is not one. */
export function isoToSerial(iso: string): { serial: number; time: boolean } | null {
	const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(iso);
	if (!m) return null;
	const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
	if (Number.isNaN(ms)) return null;
	const serial = (ms - Date.UTC(1899, 11, 30)) / 86_400_000;
	if (serial < 61) return null; // before March 1900 Excel's calendar is off by one; keep as text
	return { serial, time: m[4] !== undefined };
}

export async function writeXlsx(table: OutputTable): Promise<OutputFile> {
	const geo = geometryColumns(table);
	const types = [...table.columns.map((c) => c.type), ...geo.names.map(() => (table.geometryType === 'Point' ? 'real' : 'text'))];
	const sheet = new TextSink();
	sheet.write(
		'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>'
	);
	const cell = (ref: string, value: CellValue, type: string, header: boolean, row: number, field: string): string => {
		if (value === null) return '';
		if (typeof value === 'number') return Number.isFinite(value) ? `<c r="${ref}"><v>${value}</v></c>` : '';
		if (typeof value === 'boolean') return `<c r="${ref}" t="b"><v>${value ? 1 : 0}</v></c>`;
		if (type === 'date' && !header) {
			const d = isoToSerial(value);
			if (d) return `<c r="${ref}" s="${d.time ? 3 : 2}"><v>${d.serial}</v></c>`;
		}
		if (value.length > MAX_CELL_CHARS) {
			throw new FormatError('cell-too-long', `row ${row}, field "${field}": ${value.length} characters do not fit an Excel cell (${MAX_CELL_CHARS})`, {
				file: table.name,
				row,
				field
			});
		}
		return `<c r="${ref}" t="inlineStr"${header ? ' s="1"' : ''}><is><t xml:space="preserve">${xmlText(value)}</t></is></c>`;
	};
	const names = [...table.columns.map((c) => c.name), ...geo.names];
	const cols = names.map((_, i) => columnName(i));
	sheet.write(`<row r="1">${names.map((n, i) => cell(`${cols[i]}1`, n, 'text', true, 1, n)).join('')}</row>`);
	let r = 1;
	for await (const row of eachRow(table)) {
		r++;
		if (r > MAX_ROWS) {
			throw new FormatError('too-many-records', `more than ${MAX_ROWS - 1} rows do not fit an Excel sheet`, { file: table.name, row: r });
		}
		const values = [...row.values, ...geo.values(row.geometry)];
		sheet.write(`<row r="${r}">${values.map((v, i) => cell(`${cols[i]}${r}`, v, types[i], false, r, names[i])).join('')}</row>`);
	}
	sheet.write('</sheetData></worksheet>');
	const sheetName = xmlText(table.name.replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || 'Sheet1');
	const workbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${sheetName}" sheetId="1" r:id="rId1"/></sheets></workbook>`;
	const bytes = zipSync(
		{
			'[Content_Types].xml': strToU8(CONTENT_TYPES),
			'_rels/.rels': strToU8(ROOT_RELS),
			'xl/workbook.xml': strToU8(workbook),
			'xl/_rels/workbook.xml.rels': strToU8(WORKBOOK_RELS),
			'xl/styles.xml': strToU8(STYLES),
			'xl/worksheets/sheet1.xml': sheet.bytes()
		},
		{ level: 6, mtime: new Date(Date.UTC(2020, 0, 1)) }
	);
	return {
		fileName: `${safeBaseName(table.name)}.xlsx`,
		contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
		bytes
	};
}
