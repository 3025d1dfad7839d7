// A plain result table (header + rows of text and numbers, as the analysis downloads build them) as an
// XLSX workbook through the shared writer: a column whose values are all numbers is numeric, any
// other column is text. Pure; used by the analysis download routes.
import type { CellValue, OutputFile, OutputTable } from '../types.ts';
import { writeXlsx } from './xlsx.ts';

export type SheetCell = string | number | boolean | null | undefined;

export function sheetTable(name: string, header: readonly string[], rows: readonly (readonly SheetCell[])[]): OutputTable {
	const numeric = header.map((_, i) => rows.every((r) => r[i] === null || r[i] === undefined || r[i] === '' || typeof r[i] === 'number'));
	return {
		name,
		columns: header.map((h, i) => ({ name: h, type: numeric[i] ? 'real' : 'text' })),
		geometryType: null,
		rows: rows.map((r) => ({
			values: header.map((_, i): CellValue => {
				const v = r[i];
				if (v === undefined || v === '') return null;
				return numeric[i] || typeof v !== 'number' ? v : String(v);
			}),
			geometry: null
		}))
	};
}

export async function sheetXlsx(name: string, header: readonly string[], rows: readonly (readonly SheetCell[])[]): Promise<OutputFile> {
	return writeXlsx(sheetTable(name, header, rows));
}

/** An XLSX download response (private: analysis results of a county's planning). */
export function xlsxResponse(file: OutputFile, fileName: string): Response {
	return new Response(file.bytes as BodyInit, {
		headers: {
			'content-type': file.contentType,
			'content-disposition': `attachment; filename="${fileName}"`,
			'cache-control': 'private, no-store'
		}
	});
}
