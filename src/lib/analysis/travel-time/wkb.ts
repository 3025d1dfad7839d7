// Well-known binary (WKB) LineStrings into the flat arrays of the road graph: the SQL step reads the
// whole network as one concatenated bytea (ST_AsBinary per road) and decodes it here, with no
// object per vertex. Pure: no DB, no Node APIs.
import type { RoadArrays } from './graph.ts';

/**
 * Decodes `count` concatenated WKB LineStrings (either byte order, 2D) into flat arrays. Throws,
 * naming the line and byte offset, on anything else: the roads table only holds 2D LineStrings, so
 * another shape means the schema changed under this reader.
 */
export function decodeLineStrings(wkb: Uint8Array, count: number): Pick<RoadArrays, 'vertexStart' | 'coords'> {
	const view = new DataView(wkb.buffer, wkb.byteOffset, wkb.byteLength);
	const vertexStart = new Int32Array(count + 1);
	// First pass: vertex counts (headers only), so the coordinates land in one exact-size array.
	let at = 0;
	for (let r = 0; r < count; r++) {
		if (at + 9 > wkb.byteLength) throw new RangeError(`road WKB: line ${r} starts past the end (byte ${at} of ${wkb.byteLength})`);
		const le = wkb[at] === 1;
		const type = view.getUint32(at + 1, le);
		if (type !== 2) throw new RangeError(`road WKB: line ${r} at byte ${at} has geometry type ${type}, expected 2 (LineString, 2D)`);
		const n = view.getUint32(at + 5, le);
		vertexStart[r + 1] = vertexStart[r] + n;
		at += 9 + 16 * n;
	}
	if (at !== wkb.byteLength) throw new RangeError(`road WKB: ${wkb.byteLength - at} bytes left after ${count} lines`);
	const coords = new Float64Array(2 * vertexStart[count]);
	at = 0;
	let k = 0;
	for (let r = 0; r < count; r++) {
		const le = wkb[at] === 1;
		const end = k + 2 * (vertexStart[r + 1] - vertexStart[r]);
		at += 9;
		for (; k < end; k++, at += 8) coords[k] = view.getFloat64(at, le);
	}
	return { vertexStart, coords };
}
