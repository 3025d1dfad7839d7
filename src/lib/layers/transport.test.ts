// The binary column transport: what encodeColumns writes, decodeColumns reads back unchanged —
// every column type, empty tables, special float values, and non-ASCII text in meta (village names:
// the header must be sized in UTF-8 bytes, not in characters).
import { describe, expect, test } from 'vitest';
import { COLUMNS_CONTENT_TYPE, decodeColumns, encodeColumns, type ColumnTable } from './transport.ts';

function roundTrip<M>(table: ColumnTable<M>): ColumnTable<M> {
	const bytes = encodeColumns(table);
	// As the browser gets it: a fresh ArrayBuffer holding just the body.
	return decodeColumns<M>(bytes.slice().buffer);
}

describe('transport', () => {
	test('every column type and the meta survive encode -> decode', () => {
		const table: ColumnTable<{ level: string; names: string[]; k: number; hexSize: number | null }> = {
			length: 3,
			columns: {
				lon: new Float64Array([115.41551234567, -0.1, 180]),
				lat: new Float32Array([25.95, Number.NaN, -90]),
				count: new Int32Array([12, -1, 0]),
				big: new Uint32Array([0, 1, 0xffffffff]),
				small: new Int16Array([-32768, 0, 32767]),
				ids: new Uint16Array([0, 1, 65535]),
				flags: new Uint8Array([0, 2, 3])
			},
			meta: { level: 'village', names: ['长龙居委会', '梓山畲族村委会', 'Ünïcödé ✓ 𝄞'], k: 5, hexSize: null }
		};
		const back = roundTrip(table);
		expect(back.length).toBe(3);
		expect(back.meta).toEqual(table.meta);
		expect(Object.keys(back.columns)).toEqual(Object.keys(table.columns));
		for (const [name, col] of Object.entries(table.columns)) {
			expect(back.columns[name].constructor).toBe(col.constructor);
			expect(Array.from(back.columns[name])).toEqual(Array.from(col));
			expect(back.columns[name].byteOffset % 8).toBe(0);
		}
	});

	test('an empty table round-trips', () => {
		const back = roundTrip({ length: 0, columns: { x: new Float64Array(0), f: new Uint8Array(0) }, meta: { codes: [] as string[] } });
		expect(back.length).toBe(0);
		expect(back.columns.x).toBeInstanceOf(Float64Array);
		expect(back.columns.x.length).toBe(0);
		expect(back.meta).toEqual({ codes: [] });
	});

	test('a column that is a view into a bigger buffer is written as just that view', () => {
		const backing = new Int32Array([9, 9, 1, 2, 3, 9]);
		const back = roundTrip({ length: 3, columns: { v: backing.subarray(2, 5) }, meta: null });
		expect(Array.from(back.columns.v)).toEqual([1, 2, 3]);
	});

	test('not a column table: a clear error', () => {
		expect(() => decodeColumns(new TextEncoder().encode('{"type":"FeatureCollection"}').buffer)).toThrow(/bad magic/);
		expect(COLUMNS_CONTENT_TYPE).toBe('application/vnd.lantu.columns');
	});
});
