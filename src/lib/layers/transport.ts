// Compact columnar transport for big layers (hexagons, points): one binary body holding a small
// JSON header and typed-array columns, which deck.gl takes directly as binary attributes — no
// GeoJSON parsing, ~4-8 bytes per value. Client-safe (encode runs on the server, decode in the browser).
//
// Layout: "LTC1" | u32 header byte length | header JSON (UTF-8) | zero padding to 8 | columns,
// each at an 8-byte-aligned offset given in the header.

export type ColumnArray = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Uint8Array;
const TYPES = { Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Uint8Array } as const;
type TypeName = keyof typeof TYPES;

export interface ColumnTable<M = unknown> {
	length: number;
	columns: Record<string, ColumnArray>;
	/** Strings (e.g. codes, names) and anything small, as JSON. */
	meta: M;
}

interface Header<M> {
	length: number;
	meta: M;
	columns: { name: string; type: TypeName; offset: number; count: number }[];
}

export const COLUMNS_CONTENT_TYPE = 'application/vnd.lantu.columns';
const MAGIC = [0x4c, 0x54, 0x43, 0x31]; // LTC1

const align8 = (n: number) => (n + 7) & ~7;

export function encodeColumns<M>(table: ColumnTable<M>): Uint8Array {
	const names = Object.keys(table.columns);
	const header: Header<M> = { length: table.length, meta: table.meta, columns: [] };
	// Offsets depend on the header size, which depends on the offsets: fix the header first with
	// placeholder offsets of the final width, then fill them in.
	let headerBytes = new TextEncoder().encode(JSON.stringify({ ...header, columns: names.map((name) => ({ name, type: typeName(table.columns[name]), offset: 0xffffffff, count: table.columns[name].length })) }));
	const start = align8(8 + headerBytes.length);
	let offset = start;
	for (const name of names) {
		const col = table.columns[name];
		header.columns.push({ name, type: typeName(col), offset, count: col.length });
		offset = align8(offset + col.byteLength);
	}
	const json = JSON.stringify(header);
	// Pad in bytes, not characters: meta may hold non-ASCII text (village names), whose UTF-8 form is
	// longer than its string length. The real offsets never print longer than the placeholders.
	const finalBytes = new TextEncoder().encode(json);
	if (finalBytes.length > headerBytes.length) throw new Error('column table header grew while filling in offsets');
	headerBytes = new Uint8Array(headerBytes.length).fill(0x20);
	headerBytes.set(finalBytes);
	const out = new Uint8Array(offset);
	out.set(MAGIC, 0);
	new DataView(out.buffer).setUint32(4, headerBytes.length, true);
	out.set(headerBytes, 8);
	for (const c of header.columns) {
		const col = table.columns[c.name];
		out.set(new Uint8Array(col.buffer, col.byteOffset, col.byteLength), c.offset);
	}
	return out;
}

export function decodeColumns<M = unknown>(buffer: ArrayBuffer): ColumnTable<M> {
	const bytes = new Uint8Array(buffer);
	if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) throw new Error('not a Lantu column table (bad magic)');
	const headerLength = new DataView(buffer).getUint32(4, true);
	const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Header<M>;
	const columns: Record<string, ColumnArray> = {};
	for (const c of header.columns) {
		const Type = TYPES[c.type];
		if (!Type) throw new Error(`column ${c.name}: unknown type ${c.type}`);
		if (c.offset % 8 !== 0 || c.offset + c.count * Type.BYTES_PER_ELEMENT > buffer.byteLength) throw new Error(`column ${c.name}: out of bounds`);
		columns[c.name] = new Type(buffer, c.offset, c.count);
	}
	return { length: header.length, columns, meta: header.meta };
}

function typeName(col: ColumnArray): TypeName {
	const name = col.constructor.name as TypeName;
	if (!(name in TYPES)) throw new Error(`unsupported column type ${name}`);
	return name;
}
