// GeoJSON reader (FeatureCollection, a single Feature, or a bare geometry). The text is scanned once
// by a small iterative tokenizer that finds each feature's span and checks nesting depth, so a file
// of 100,000 nested brackets is refused without recursion; each feature is then parsed on its own
// (JSON.parse on its span, depth already known to be bounded) and validated.
import type { Geometry } from 'geojson';
import { crsFromGeoJsonMember } from '../crs.ts';
import { makeDecoder, utf8BomLength } from '../encoding.ts';
import { checkGeometry, GeometryProblem } from '../geometry.ts';
import { readAll, type FileInput } from '../input.ts';
import {
	FormatError,
	type CellValue,
	type DeclaredCrs,
	type Limits,
	type ReadOptions,
	type RecordSource,
	type SourceRecord
} from '../types.ts';
import { checkCell, checkColumns, checkRecordCount } from './common.ts';

interface Span {
	start: number;
	end: number;
}

export async function openGeoJson(input: FileInput, _options: ReadOptions, limits: Limits): Promise<RecordSource> {
	const file = input.name;
	const bytes = await readAll(input, limits);
	let text: string;
	try {
		text = makeDecoder('utf-8', file).decode(bytes.subarray(utf8BomLength(bytes)));
	} catch (error) {
		if (error instanceof FormatError) throw error;
		throw new FormatError('encoding', `${file}: GeoJSON must be UTF-8 text`, { file });
	}
	const scanner = new JsonScanner(text, file, limits.maxJsonDepth);
	const top = scanner.topLevel();
	const type = top.members.get('type');
	const typeName = type ? scanner.parseSpan(type) : undefined;

	let crs: DeclaredCrs = { epsg: 4326, definition: null, proj4: null };
	const crsSpan = top.members.get('crs');
	if (crsSpan) {
		const member = scanner.parseSpan(crsSpan);
		if (member !== null) crs = crsFromGeoJsonMember(member, file);
	}

	// Every feature's span; a single Feature or geometry is one span.
	let spans: Span[];
	if (typeName === 'FeatureCollection') {
		const features = top.members.get('features');
		if (!features) throw new FormatError('corrupt', `${file}: a FeatureCollection without "features"`, { file });
		spans = scanner.arrayElements(features, limits.maxRecords);
	} else if (typeName === 'Feature' || (typeof typeName === 'string' && typeName !== '')) {
		spans = [top.span];
	} else {
		throw new FormatError('corrupt', `${file}: the top level has no GeoJSON "type"`, { file });
	}
	checkRecordCount(spans.length, limits, file);

	// One pass to validate every feature and collect the property names, before anything is imported.
	const headerSet = new Set<string>();
	const headers: string[] = [];
	spans.forEach((span, i) => {
		const record = toRecord(scanner, span, i + 1, typeName === 'FeatureCollection' || typeName === 'Feature', limits, file);
		for (const key of Object.keys(record.fields)) {
			if (!headerSet.has(key)) {
				headerSet.add(key);
				headers.push(key);
				checkColumns(headers.length, limits, file);
			}
		}
	});

	return {
		format: 'geojson',
		fileName: file,
		headers,
		encoding: 'utf-8',
		encodingSource: 'format',
		crs,
		layer: null,
		layers: [],
		count: spans.length,
		async *records(): AsyncGenerator<SourceRecord> {
			for (let i = 0; i < spans.length; i++) {
				yield toRecord(scanner, spans[i], i + 1, typeName === 'FeatureCollection' || typeName === 'Feature', limits, file);
			}
		},
		async close() {}
	};
}

function toRecord(scanner: JsonScanner, span: Span, row: number, isFeature: boolean, limits: Limits, file: string): SourceRecord {
	const value = scanner.parseSpan(span, row);
	const fail = (why: string): never => {
		throw new FormatError('corrupt', `${file}, feature ${row}: ${why}`, { file, row });
	};
	let geometryValue: unknown;
	let properties: unknown = null;
	if (isFeature) {
		if (typeof value !== 'object' || value === null || Array.isArray(value) || (value as { type?: unknown }).type !== 'Feature') {
			fail('not a GeoJSON Feature object');
		}
		const feature = value as { geometry?: unknown; properties?: unknown };
		if (!('geometry' in feature)) fail('the feature has no "geometry" member');
		geometryValue = feature.geometry;
		properties = feature.properties ?? null;
	} else {
		geometryValue = value;
	}
	let geometry: Geometry | null = null;
	if (geometryValue !== null) {
		try {
			geometry = checkGeometry(geometryValue, limits.maxVertices);
		} catch (error) {
			if (!(error instanceof GeometryProblem)) throw error;
			const code = /more than \d+ vertices/.test(error.message) ? 'too-many-vertices' : 'corrupt';
			throw new FormatError(code, `${file}, feature ${row}: ${error.message}`, { file, row, field: 'geometry' });
		}
	}
	const fields: Record<string, CellValue> = {};
	if (properties !== null) {
		if (typeof properties !== 'object' || Array.isArray(properties)) fail('"properties" is not an object');
		for (const [key, v] of Object.entries(properties as Record<string, unknown>)) {
			const cell: CellValue =
				v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v);
			checkCell(cell, limits, file, row, key);
			fields[key] = cell;
		}
	}
	return { row, fields, geometry };
}

/**
 * An iterative scanner over JSON text: finds value spans and checks bracket nesting and depth without
 * building anything; JSON.parse then does the strict parsing of each (bounded-depth) span.
 */
export class JsonScanner {
	constructor(
		readonly text: string,
		readonly file: string,
		readonly maxDepth: number
	) {}

	/** The top-level value's span and, if it is an object, its members' value spans. */
	topLevel(): { span: Span; members: Map<string, Span> } {
		const t = this.text;
		let i = this.#ws(0);
		if (i >= t.length) this.#syntax(i, 'the file is empty');
		const start = i;
		const members = new Map<string, Span>();
		if (t[i] !== '{') {
			const end = this.skipValue(i);
			if (this.#ws(end) !== t.length) this.#syntax(end, 'unexpected text after the JSON value');
			return { span: { start, end }, members };
		}
		i = this.#ws(i + 1);
		if (t[i] === '}') i++;
		else {
			for (;;) {
				if (t[i] !== '"') this.#syntax(i, 'expected a member name');
				const keyEnd = this.#skipString(i);
				const key = JSON.parse(t.slice(i, keyEnd)) as string;
				i = this.#ws(keyEnd);
				if (t[i] !== ':') this.#syntax(i, 'expected ":"');
				i = this.#ws(i + 1);
				const vStart = i;
				const vEnd = this.skipValue(i, 1);
				members.set(key, { start: vStart, end: vEnd });
				i = this.#ws(vEnd);
				if (t[i] === ',') {
					i = this.#ws(i + 1);
					continue;
				}
				if (t[i] === '}') {
					i++;
					break;
				}
				this.#syntax(i, 'expected "," or "}"');
			}
		}
		if (this.#ws(i) !== t.length) this.#syntax(i, 'unexpected text after the JSON value');
		return { span: { start, end: i }, members };
	}

	/** Spans of an array's elements (the array itself at depth 1). */
	arrayElements(span: Span, maxElements: number): Span[] {
		const t = this.text;
		let i = span.start;
		if (t[i] !== '[') this.#syntax(i, 'expected an array');
		const out: Span[] = [];
		i = this.#ws(i + 1);
		if (t[i] === ']') return out;
		for (;;) {
			const start = i;
			const end = this.skipValue(i, 2);
			out.push({ start, end });
			if (out.length > maxElements) {
				throw new FormatError('too-many-records', `${this.file} has more than ${maxElements} features`, {
					file: this.file,
					row: out.length
				});
			}
			i = this.#ws(end);
			if (t[i] === ',') {
				i = this.#ws(i + 1);
				continue;
			}
			if (t[i] === ']') return out;
			this.#syntax(i, 'expected "," or "]"');
		}
	}

	parseSpan(span: Span, row?: number): unknown {
		try {
			return JSON.parse(this.text.slice(span.start, span.end));
		} catch (error) {
			const where = this.#position(span.start);
			throw new FormatError(
				'json-syntax',
				`${this.file}${row ? `, feature ${row}` : ''} (line ${where.line}): ${(error as Error).message}`,
				{ file: this.file, ...(row ? { row } : {}) }
			);
		}
	}

	/** End of the value starting at `i`; `depth` = nesting depth of the container it is in. */
	skipValue(i: number, depth = 0): number {
		const t = this.text;
		const c = t[i];
		if (c === '"') return this.#skipString(i);
		if (c !== '{' && c !== '[') {
			const m = /^(?:-?\d[\d.eE+-]*|true|false|null)/.exec(t.slice(i, i + 400));
			if (!m) this.#syntax(i, `unexpected ${c === undefined ? 'end of file' : `"${c}"`}`);
			return i + m![0].length;
		}
		const stack: string[] = [];
		for (; i < t.length; i++) {
			const ch = t.charCodeAt(i);
			if (ch === 0x22) {
				i = this.#skipString(i) - 1;
			} else if (ch === 0x7b || ch === 0x5b) {
				stack.push(ch === 0x7b ? '}' : ']');
				if (depth + stack.length > this.maxDepth) {
					const where = this.#position(i);
					throw new FormatError(
						'json-depth',
						`${this.file} (line ${where.line}): the JSON is nested more than ${this.maxDepth} levels deep`,
						{ file: this.file }
					);
				}
			} else if (ch === 0x7d || ch === 0x5d) {
				if (stack.pop() !== t[i]) this.#syntax(i, `unexpected "${t[i]}"`);
				if (stack.length === 0) return i + 1;
			}
		}
		this.#syntax(t.length, 'the file ends inside an object or array');
	}

	#skipString(i: number): number {
		const t = this.text;
		for (let j = i + 1; j < t.length; j++) {
			const ch = t.charCodeAt(j);
			if (ch === 0x5c) j++;
			else if (ch === 0x22) return j + 1;
		}
		this.#syntax(i, 'a string is never closed');
	}

	#ws(i: number): number {
		const t = this.text;
		while (i < t.length) {
			const ch = t.charCodeAt(i);
			if (ch !== 0x20 && ch !== 0x0a && ch !== 0x0d && ch !== 0x09) break;
			i++;
		}
		return i;
	}

	#position(offset: number): { line: number } {
		let line = 1;
		for (let i = 0; i < offset && i < this.text.length; i++) if (this.text.charCodeAt(i) === 0x0a) line++;
		return { line };
	}

	#syntax(offset: number, why: string): never {
		const { line } = this.#position(offset);
		throw new FormatError('json-syntax', `${this.file} (line ${line}): ${why}`, { file: this.file });
	}
}
