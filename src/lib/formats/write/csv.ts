// CSV writer: UTF-8 with a BOM, so Excel opens Chinese text correctly; CRLF line ends; point
// geometry as lon/lat columns, other geometry as WKT.
//
// Formula neutralisation: a text cell that starts with = + - @, a tab or a carriage return would be
// run as a formula by Excel or LibreOffice (CSV injection). Such cells get a single quote in front
// ("'=1+1"), which spreadsheets show as text; numbers are written as numbers and never prefixed, so
// -3.5 stays a number. Re-importing such a file yields the quote too: it is part of the text now.
import type { CellValue, OutputFile, OutputTable } from '../types.ts';
import { eachRow, geometryColumns, safeBaseName, TextSink } from './common.ts';

const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CellValue): string {
	if (value === null) return '';
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
	const text = FORMULA_START.test(value) ? `'${value}` : value;
	return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function writeCsv(table: OutputTable): Promise<OutputFile> {
	const geo = geometryColumns(table);
	const sink = new TextSink();
	sink.write([...table.columns.map((c) => c.name), ...geo.names].map(csvCell).join(',') + '\r\n');
	for await (const row of eachRow(table)) {
		sink.write([...row.values, ...geo.values(row.geometry)].map(csvCell).join(',') + '\r\n');
	}
	return { fileName: `${safeBaseName(table.name)}.csv`, contentType: 'text/csv; charset=utf-8', bytes: sink.bytes(BOM) };
}
