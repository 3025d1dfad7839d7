// CSV reader: streaming (csv-parse), encoding from the BOM, the user's override, or detection over the
// whole file (UTF-8, else GBK / GB18030), delimiter detected among comma, tab and semicolon.
//
// Values come out as strings exactly as written (no type guessing: the mapping step converts), an
// empty cell as null. A cell our CSV writer guarded against formula injection ("'=1+1": a single
// quote before = + - @ tab or CR) is read back without the quote, so an export re-imports to the
// same values. Row numbers are spreadsheet rows: the header is row 1, blank lines count (as
// they do when Excel opens the file) but are not returned.
import { parse, type Parser } from 'csv-parse';
import { EncodingSniffer, makeDecoder, normaliseEncoding, utf8BomLength } from '../encoding.ts';
import { checkSize, chunks, readHead, type FileInput } from '../input.ts';
import {
	FormatError,
	type CellValue,
	type Limits,
	type ReadOptions,
	type RecordSource,
	type SourceRecord
} from '../types.ts';
import { csvRows } from './csv-rows.ts';
import { checkCell, checkColumns, checkRecordCount, setField, uniqueHeaders } from './common.ts';

const DELIMITERS = [',', '\t', ';'] as const;
/** What ../write/csv.ts writes for a text cell that would otherwise be a spreadsheet formula. */
const FORMULA_GUARDED = /^'[=+\-@\t\r]/;

export async function openCsv(input: FileInput, options: ReadOptions, limits: Limits): Promise<RecordSource> {
	const file = input.name;
	await checkSize(input, limits);
	const head = await readHead(input, 64 * 1024);
	const bom = utf8BomLength(head);

	let encoding: string;
	let encodingSource: RecordSource['encodingSource'];
	if (options.encoding) {
		const chosen = normaliseEncoding(options.encoding);
		if (!chosen) {
			throw new FormatError('encoding', `${file}: the text encoding "${options.encoding}" is not supported`, { file });
		}
		encoding = chosen;
		encodingSource = 'override';
	} else if (bom) {
		encoding = 'utf-8';
		encodingSource = 'bom';
	} else {
		encoding = await sniffWholeFile(input);
		encodingSource = 'detected';
	}
	let skip = encoding === 'utf-8' ? bom : 0;

	const headText = new TextDecoder(encoding).decode(head.subarray(skip), { stream: true });
	// Excel's "sep=;" first line names the delimiter and is not a row (Excel hides it too).
	const sepLine = /^sep=([,;\t|])\r?\n/i.exec(headText);
	if (sepLine) skip += sepLine[0].length;
	const delimiter = sepLine ? sepLine[1] : detectDelimiter(headText);

	const stream = startParser(input, skip, encoding, delimiter, limits);
	const iterator = stream.parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
	let headers: string[];
	try {
		let first: IteratorResult<string[]>;
		try {
			first = await iterator.next();
		} catch (error) {
			throw mapParseError(error, file, 1);
		}
		if (first.done) {
			throw new FormatError('corrupt', `${file} is empty: it has no header row`, { file });
		}
		checkColumns(first.value.length, limits, file);
		headers = uniqueHeaders(first.value);
		headers.forEach((h) => checkCell(h, limits, file, 1, h));
	} catch (error) {
		stream.stop(); // release the file before reporting
		throw error;
	}
	let iterated = false;

	return {
		format: 'csv',
		fileName: file,
		headers,
		encoding,
		encodingSource,
		crs: null,
		layer: null,
		layers: [],
		count: null,
		async *records(): AsyncGenerator<SourceRecord> {
			if (iterated) throw new Error('records() of a CSV source can be iterated once');
			iterated = true;
			let row = 1;
			let kept = 0;
			try {
				for (;;) {
					let next: IteratorResult<string[]>;
					try {
						next = await iterator.next();
					} catch (error) {
						throw mapParseError(error, file, row + 1);
					}
					if (next.done) return;
					row++;
					const cells = next.value;
					if (cells.every((c) => c === '')) continue;
					if (++kept > limits.maxRecords) checkRecordCount(kept, limits, file);
					const fields: Record<string, CellValue> = {};
					for (let i = 0; i < cells.length; i++) {
						const cell = cells[i];
						// The regex only for cells starting with a quote (charCodeAt 39): most cells never do.
						const value = cell === '' ? null : cell.charCodeAt(0) === 39 && FORMULA_GUARDED.test(cell) ? cell.slice(1) : cell;
						if (i >= headers.length) {
							if (value === null) continue;
							throw new FormatError(
								'corrupt',
								`${file}, row ${row}: the row has ${cells.length} cells but the header has ${headers.length} columns`,
								{ file, row }
							);
						}
						checkCell(value, limits, file, row, headers[i]);
						setField(fields, headers[i], value);
					}
					for (let i = cells.length; i < headers.length; i++) setField(fields, headers[i], null);
					yield { row, fields, geometry: null };
				}
			} finally {
				stream.stop();
			}
		},
		rows() {
			return csvRows(input, { skip, encoding, delimiter, columns: headers.length, limits });
		},
		async close() {
			stream.stop();
		}
	};
}

/** Read the whole file once through the encoding sniffer (constant memory). */
async function sniffWholeFile(input: FileInput): Promise<string> {
	const sniffer = new EncodingSniffer();
	let lines = 1;
	let offset = 0;
	let counted = false;
	for await (const chunk of chunks(input)) {
		sniffer.push(chunk);
		if (!counted) {
			const end = sniffer.invalidAt === null ? chunk.length : sniffer.invalidAt - offset;
			for (let i = 0; i < end; i++) if (chunk[i] === 0x0a) lines++;
			counted = sniffer.invalidAt !== null;
		}
		if (sniffer.hopeless) break;
		offset += chunk.length;
	}
	const found = sniffer.hopeless ? null : sniffer.finish();
	if (!found) {
		throw new FormatError(
			'encoding',
			`${input.name}, line ${lines}: the text is neither UTF-8 nor GBK/GB18030; choose the encoding by hand`,
			{ file: input.name, row: lines }
		);
	}
	return found;
}

/**
 * The delimiter that splits the first lines most consistently: the candidate with the most
 * occurrences (outside quotes) on the first line, provided the next lines agree; comma on a tie.
 */
export function detectDelimiter(text: string): string {
	const lines = splitLogicalLines(text, 6);
	let best: string = ',';
	let bestScore = 0;
	for (const d of DELIMITERS) {
		const counts = lines.map((line) => countOutsideQuotes(line, d));
		const first = counts[0] ?? 0;
		if (first === 0) continue;
		const agreeing = counts.filter((c) => c === first).length;
		const score = first * agreeing;
		if (score > bestScore) {
			best = d;
			bestScore = score;
		}
	}
	return best;
}

function splitLogicalLines(text: string, max: number): string[] {
	const out: string[] = [];
	let start = 0;
	let quoted = false;
	for (let i = 0; i < text.length && out.length < max; i++) {
		const c = text[i];
		if (c === '"') quoted = !quoted;
		else if (c === '\n' && !quoted) {
			out.push(text.slice(start, i));
			start = i + 1;
		}
	}
	// The last line is complete only when the whole file fitted in the sample; a partial one still
	// counts for the first line (a one-line file).
	if (out.length === 0) out.push(text);
	return out;
}

function countOutsideQuotes(line: string, d: string): number {
	let n = 0;
	let quoted = false;
	for (const c of line) {
		if (c === '"') quoted = !quoted;
		else if (c === d && !quoted) n++;
	}
	return n;
}

interface ParserStream {
	parser: Parser;
	stop(): void;
}

/** Bytes → decoded text → csv-parse, with backpressure so only a few chunks are ever in memory. */
function startParser(input: FileInput, skip: number, encoding: string, delimiter: string, limits: Limits): ParserStream {
	const parser = parse({
		delimiter,
		relax_column_count: true,
		relax_quotes: true,
		// Files edited on several machines mix CRLF and LF; csv-parse would otherwise fix on the first.
		record_delimiter: ['\r\n', '\n', '\r'],
		skip_empty_lines: false,
		bom: false,
		// A record may be a full row of maximal cells; past that it is a runaway quote or garbage.
		max_record_size: limits.maxCellChars * Math.min(limits.maxColumns, 64) + limits.maxColumns
	});
	let stopped = false;
	const decoder = makeDecoder(encoding, input.name);
	(async () => {
		let line = 1;
		try {
			for await (const chunk of chunks(input, skip)) {
				if (stopped) return;
				let text: string;
				try {
					text = decoder.decode(chunk, { stream: true });
				} catch {
					throw new FormatError(
						'encoding',
						`${input.name}, near line ${line}: the bytes are not valid ${encoding}; choose another encoding`,
						{ file: input.name, row: line }
					);
				}
				for (let i = 0; i < chunk.length; i++) if (chunk[i] === 0x0a) line++;
				if (!parser.write(text)) {
					await new Promise<void>((resolve) => {
						const done = () => {
							parser.off('drain', done);
							parser.off('close', done);
							resolve();
						};
						parser.on('drain', done);
						parser.on('close', done);
					});
				}
			}
			try {
				const tail = decoder.decode();
				if (tail) parser.write(tail);
			} catch {
				throw new FormatError('encoding', `${input.name}: the file ends inside a multi-byte character`, {
					file: input.name,
					row: line
				});
			}
			if (!stopped) parser.end();
		} catch (error) {
			if (!stopped) parser.destroy(error as Error);
		}
	})();
	return {
		parser,
		stop() {
			if (stopped) return;
			stopped = true;
			parser.destroy();
		}
	};
}

function mapParseError(error: unknown, file: string, row: number): FormatError {
	if (error instanceof FormatError) return error;
	const e = error as { code?: string; message?: string; lines?: number };
	const where = e.lines ? `line ${e.lines}` : `row ${row}`;
	if (e.code === 'CSV_MAX_RECORD_SIZE') {
		return new FormatError('cell-too-long', `${file}, ${where}: the record is too long (a runaway quote or an oversized cell)`, {
			file,
			row
		});
	}
	if (e.code === 'CSV_QUOTE_NOT_CLOSED') {
		return new FormatError('corrupt', `${file}, ${where}: a quoted cell is never closed`, { file, row });
	}
	return new FormatError('corrupt', `${file}, ${where}: ${e.message ?? String(error)}`, { file, row });
}
