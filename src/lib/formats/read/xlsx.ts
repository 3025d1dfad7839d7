// XLSX reader of our own on fflate (through SafeZip) and saxes: shared and inline strings, numbers,
// booleans, dates (by the cell's number format) and several sheets. A formula cell is refused: the
// value cached beside it was computed by whoever wrote the file, and importing it would be trusting
// a spreadsheet program we did not run.
//
// The first non-empty row of the sheet is the header; data rows keep the sheet's own row numbers.
import type { SaxesTagPlain } from 'saxes';
import {
	FormatError,
	type CellValue,
	type Limits,
	type ReadOptions,
	type RecordSource,
	type SourceRecord
} from '../types.ts';
import { attr, local, parseXml, XmlStream } from '../xml.ts';
import type { SafeZip, ZipEntry } from '../zip.ts';
import { checkCell, checkColumns, checkRecordCount, uniqueHeaders } from './common.ts';

interface Sheet {
	name: string;
	part: string;
}

interface Workbook {
	sheets: Sheet[];
	date1904: boolean;
	sharedStrings: string[];
	/** Per cellXfs index: true when that style shows a date, 'datetime' when it shows time too. */
	dateStyles: (false | 'date' | 'datetime')[];
}

interface Row {
	row: number;
	cells: CellValue[];
}

export async function openXlsx(zip: SafeZip, options: ReadOptions, limits: Limits): Promise<RecordSource> {
	const file = zip.file;
	const book = readWorkbook(zip, limits);
	if (book.sheets.length === 0) throw new FormatError('corrupt', `${file}: the workbook has no sheets`, { file });
	const sheet = options.layer ? book.sheets.find((s) => s.name === options.layer) : book.sheets[0];
	if (!sheet) {
		throw new FormatError('unsupported', `${file} has no sheet "${options.layer}" (sheets: ${book.sheets.map((s) => s.name).join(', ')})`, {
			file
		});
	}
	const entry = zip.find(sheet.part);
	if (!entry) throw new FormatError('missing-part', `${file}: the sheet "${sheet.name}" is missing (${sheet.part})`, { file, entry: sheet.part });

	// The header: the first non-empty row.
	let header: Row | null = null;
	for (const row of sheetRows(zip, entry, sheet, book, limits)) {
		header = row;
		break;
	}
	if (!header) throw new FormatError('corrupt', `${file}: the sheet "${sheet.name}" is empty`, { file });
	let width = header.cells.length;
	while (width > 0 && header.cells[width - 1] === null) width--;
	checkColumns(width, limits, file);
	const headers = uniqueHeaders(header.cells.slice(0, width).map((c) => (c === null ? null : String(c))));
	const headerRow = header.row;

	return {
		format: 'xlsx',
		fileName: file,
		headers,
		encoding: null,
		encodingSource: null,
		crs: null,
		layer: sheet.name,
		layers: book.sheets.map((s) => s.name),
		count: null,
		async *records(): AsyncGenerator<SourceRecord> {
			let count = 0;
			for (const { row, cells } of sheetRows(zip, entry, sheet, book, limits)) {
				if (row <= headerRow) continue;
				if (++count > limits.maxRecords) checkRecordCount(count, limits, file);
				const fields: Record<string, CellValue> = {};
				for (let i = 0; i < cells.length; i++) {
					if (i >= headers.length) {
						if (cells[i] === null) continue;
						throw new FormatError(
							'corrupt',
							`${file}, sheet "${sheet.name}", cell ${columnName(i)}${row}: a value in a column without a header`,
							{ file, row, field: columnName(i) }
						);
					}
					fields[headers[i]] = cells[i];
				}
				for (let i = cells.length; i < headers.length; i++) fields[headers[i]] = null;
				yield { row, fields, geometry: null };
			}
		},
		async close() {}
	};
}

/** The sheet's non-empty rows, parsed while the part is inflated. */
function* sheetRows(zip: SafeZip, entry: ZipEntry, sheet: Sheet, book: Workbook, limits: Limits): Generator<Row> {
	const file = zip.file;
	const ready: Row[] = [];
	let rowNumber = 0;
	let cells: CellValue[] = [];
	let inCell = false;
	let cellRef = '';
	let cellCol = -1;
	let cellType = '';
	let cellStyle = 0;
	let collecting = false;
	let phonetic = 0;
	let text = '';

	const fail = (code: 'formula' | 'corrupt' | 'too-many-columns', why: string, ref: string): never => {
		throw new FormatError(code, `${file}, sheet "${sheet.name}", cell ${ref} (row ${rowNumber}): ${why}`, {
			file,
			row: rowNumber,
			field: ref
		});
	};

	const xml = new XmlStream(file, entry.name, {
		open(tag: SaxesTagPlain) {
			const name = local(tag.name);
			if (name === 'row') {
				const r = Number(attr(tag, 'r'));
				rowNumber = Number.isInteger(r) && r > 0 ? r : rowNumber + 1;
				cells = [];
				cellCol = -1;
			} else if (name === 'c') {
				inCell = true;
				const ref = attr(tag, 'r');
				const col = ref ? columnIndex(ref) : cellCol + 1;
				if (col < 0) fail('corrupt', 'the cell reference is not valid', ref ?? '?');
				cellCol = col;
				cellRef = ref ?? `${columnName(col)}${rowNumber}`;
				if (col >= limits.maxColumns) fail('too-many-columns', `the sheet has more than ${limits.maxColumns} columns`, cellRef);
				cellType = attr(tag, 't') ?? 'n';
				cellStyle = Number(attr(tag, 's') ?? 0) || 0;
				text = '';
			} else if (name === 'f' && inCell) {
				fail('formula', 'the cell holds a formula; formulas are not imported. Copy the sheet and paste values only, then upload again', cellRef);
			} else if (name === 'rPh') {
				phonetic++;
			} else if (inCell && (name === 'v' || (name === 't' && phonetic === 0))) {
				collecting = true;
			}
		},
		text(t: string) {
			if (!collecting) return;
			text += t;
			if (text.length > limits.maxCellChars) checkCell(text, limits, file, rowNumber, cellRef);
		},
		close(tagName: string) {
			const name = local(tagName);
			if (name === 'v' || name === 't') collecting = false;
			else if (name === 'rPh') phonetic--;
			else if (name === 'c') {
				inCell = false;
				const value = cellValue(text, cellType, cellStyle, book, () => fail('corrupt', 'the shared string index is not valid', cellRef));
				while (cells.length < cellCol) cells.push(null);
				cells[cellCol] = value;
			} else if (name === 'row') {
				if (cells.some((c) => c !== null)) ready.push({ row: rowNumber, cells });
			}
		}
	});
	for (const chunk of zip.stream(entry)) {
		xml.write(chunk);
		while (ready.length) yield ready.shift()!;
	}
	xml.end();
	while (ready.length) yield ready.shift()!;
}

function cellValue(text: string, type: string, style: number, book: Workbook, badIndex: () => never): CellValue {
	switch (type) {
		case 's': {
			const i = Number(text);
			if (!Number.isInteger(i) || i < 0 || i >= book.sharedStrings.length) badIndex();
			return book.sharedStrings[i] === '' ? null : book.sharedStrings[i];
		}
		case 'inlineStr':
		case 'str':
			return text === '' ? null : text;
		case 'b':
			return text === '' ? null : text === '1' || text.toLowerCase() === 'true';
		case 'e':
			return null;
		case 'd':
			return text === '' ? null : text;
		default: {
			if (text.trim() === '') return null;
			const n = Number(text);
			if (!Number.isFinite(n)) return text;
			const kind = book.dateStyles[style];
			return kind ? serialToIso(n, book.date1904, kind) : n;
		}
	}
}

/** An Excel date serial as an ISO date (or date-time when the format shows time or there is a fraction). */
export function serialToIso(serial: number, date1904: boolean, kind: 'date' | 'datetime'): string {
	let days = serial;
	let epoch: number;
	if (date1904) epoch = Date.UTC(1904, 0, 1);
	else {
		epoch = Date.UTC(1899, 11, 30);
		// Excel's 1900 calendar has a 29 February 1900 that never was (serial 60).
		if (serial < 60) days += 1;
	}
	const ms = Math.round(days * 86_400_000);
	const iso = new Date(epoch + ms).toISOString();
	if (kind === 'date' && ms % 86_400_000 === 0) return iso.slice(0, 10);
	return iso.slice(0, 19);
}

/** "B7" → 1; -1 when not a reference. */
export function columnIndex(ref: string): number {
	const m = /^([A-Z]{1,3})\d*$/.exec(ref);
	if (!m) return -1;
	let n = 0;
	for (const ch of m[1]) n = n * 26 + (ch.charCodeAt(0) - 64);
	return n - 1;
}

/** 1 → "B". */
export function columnName(index: number): string {
	let s = '';
	for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
	return s;
}

// Built-in number formats that show dates: 14–22 (Western) and 27–36, 45–47, 50–58 (East Asian).
const BUILTIN_DATE = new Set([14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 57, 58]);
const BUILTIN_DATETIME = new Set([18, 19, 20, 21, 32, 33, 45, 46, 47, 55, 56]);

export function formatKind(code: string): false | 'date' | 'datetime' {
	const bare = code
		.replace(/"[^"]*"/g, '')
		.replace(/\[[^\]]*\]/g, '')
		.replace(/\\./g, '')
		.replace(/_.|\*./g, '');
	if (!/[ymd]/i.test(bare) && !/[hs]/i.test(bare)) return false;
	if (/general/i.test(bare) && !/[ymd]/i.test(bare.replace(/general/gi, ''))) return false;
	return /[hs]/i.test(bare) ? 'datetime' : 'date';
}

function readWorkbook(zip: SafeZip, limits: Limits): Workbook {
	const file = zip.file;
	const read = (part: string): Uint8Array[] | null => {
		const e = zip.find(part);
		return e ? [...zip.stream(e)] : null;
	};
	const wb = read('xl/workbook.xml')!;
	const sheetsDeclared: { name: string; rid: string }[] = [];
	let date1904 = false;
	parseXml(file, 'xl/workbook.xml', wb, {
		open(tag) {
			const name = local(tag.name);
			if (name === 'sheet') sheetsDeclared.push({ name: attr(tag, 'name') ?? '', rid: attr(tag, 'id') ?? '' });
			else if (name === 'workbookPr') {
				const v = attr(tag, 'date1904');
				date1904 = v === '1' || v === 'true';
			}
		}
	});
	const targets = new Map<string, string>();
	const rels = read('xl/_rels/workbook.xml.rels');
	if (rels) {
		parseXml(file, 'xl/_rels/workbook.xml.rels', rels, {
			open(tag) {
				if (local(tag.name) === 'Relationship') targets.set(attr(tag, 'Id') ?? '', attr(tag, 'Target') ?? '');
			}
		});
	}
	const sheets = sheetsDeclared.map((s, i) => {
		const target = targets.get(s.rid) ?? `worksheets/sheet${i + 1}.xml`;
		const part = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
		return { name: s.name || `Sheet${i + 1}`, part: normalisePath(part) };
	});

	const sharedStrings: string[] = [];
	const sst = read('xl/sharedStrings.xml');
	if (sst) {
		let inSi = false;
		let collecting = false;
		let phonetic = 0;
		let text = '';
		parseXml(file, 'xl/sharedStrings.xml', sst, {
			open(tag) {
				const name = local(tag.name);
				if (name === 'si') {
					inSi = true;
					text = '';
				} else if (name === 'rPh') phonetic++;
				else if (name === 't' && inSi && phonetic === 0) collecting = true;
			},
			text(t) {
				if (!collecting) return;
				text += t;
				if (text.length > limits.maxCellChars) {
					throw new FormatError(
						'cell-too-long',
						`${file}: shared string ${sharedStrings.length + 1} has more than ${limits.maxCellChars} characters`,
						{ file, entry: 'xl/sharedStrings.xml' }
					);
				}
			},
			close(tagName) {
				const name = local(tagName);
				if (name === 't') collecting = false;
				else if (name === 'rPh') phonetic--;
				else if (name === 'si') {
					inSi = false;
					sharedStrings.push(text);
				}
			}
		});
	}

	const dateStyles: Workbook['dateStyles'] = [];
	const styles = read('xl/styles.xml');
	if (styles) {
		const custom = new Map<number, string>();
		const xfFormats: number[] = [];
		let inCellXfs = false;
		parseXml(file, 'xl/styles.xml', styles, {
			open(tag) {
				const name = local(tag.name);
				if (name === 'numFmt') custom.set(Number(attr(tag, 'numFmtId')), attr(tag, 'formatCode') ?? '');
				else if (name === 'cellXfs') inCellXfs = true;
				else if (name === 'xf' && inCellXfs) xfFormats.push(Number(attr(tag, 'numFmtId') ?? 0));
			},
			close(tagName) {
				if (local(tagName) === 'cellXfs') inCellXfs = false;
			}
		});
		for (const id of xfFormats) {
			const code = custom.get(id);
			dateStyles.push(
				code !== undefined ? formatKind(code) : BUILTIN_DATE.has(id) ? 'date' : BUILTIN_DATETIME.has(id) ? 'datetime' : false
			);
		}
	}
	return { sheets, date1904, sharedStrings, dateStyles };
}

function normalisePath(path: string): string {
	const out: string[] = [];
	for (const part of path.split('/')) {
		if (part === '..') out.pop();
		else if (part !== '.' && part !== '') out.push(part);
	}
	return out.join('/');
}
