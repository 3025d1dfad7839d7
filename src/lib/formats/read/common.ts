// Helpers every reader shares: header names, cell and record limits.
import { FormatError, type CellValue, type Limits } from '../types.ts';

/**
 * Column names as the user will see them in the mapping step: trimmed, blanks named `column_N`
 * (N = 1-based position), duplicates suffixed `_2`, `_3`… so every field keeps its own value.
 */
export function uniqueHeaders(raw: readonly (string | null | undefined)[]): string[] {
	const seen = new Set<string>();
	return raw.map((value, i) => {
		const base = (value ?? '').trim() || `column_${i + 1}`;
		let name = base;
		for (let n = 2; seen.has(name); n++) name = `${base}_${n}`;
		seen.add(name);
		return name;
	});
}

export function checkColumns(count: number, limits: Limits, file: string): void {
	if (count > limits.maxColumns) {
		throw new FormatError(
			'too-many-columns',
			`${file} has ${count} columns; at most ${limits.maxColumns} are accepted`,
			{ file }
		);
	}
}

export function checkCell(value: CellValue, limits: Limits, file: string, row: number, field: string): void {
	if (typeof value === 'string' && value.length > limits.maxCellChars) {
		throw new FormatError(
			'cell-too-long',
			`${file}, row ${row}, field "${field}": the value has ${value.length} characters; at most ${limits.maxCellChars} are accepted`,
			{ file, row, field }
		);
	}
}

export function checkRecordCount(count: number, limits: Limits, file: string): void {
	if (count > limits.maxRecords) {
		throw new FormatError(
			'too-many-records',
			`${file} has more than ${limits.maxRecords} records`,
			{ file, row: count }
		);
	}
}

/** Wrap anything a parser throws that is not already a FormatError. */
export function asFormatError(error: unknown, file: string, what: string, row?: number): FormatError {
	if (error instanceof FormatError) return error;
	const message = error instanceof Error ? error.message : String(error);
	return new FormatError('corrupt', `${file}: ${what}${row ? ` (near record ${row})` : ''}: ${message}`, {
		file,
		...(row ? { row } : {})
	});
}
