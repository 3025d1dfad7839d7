// The WKB reader of the road SQL step, on hand-written bytes in both byte orders, and the graph built
// from its flat arrays against the graph built from polylines.
import { describe, expect, test } from 'vitest';
import { decodeLineStrings } from './wkb.ts';
import { buildRoadGraph, roadArrays, type RoadInput } from './graph.ts';

/** WKB of a 2D LineString, written by hand: byte order, type 2, point count, then lon/lat doubles. */
function lineWkb(points: [number, number][], littleEndian = true): Uint8Array {
	const out = new Uint8Array(9 + 16 * points.length);
	const view = new DataView(out.buffer);
	out[0] = littleEndian ? 1 : 0;
	view.setUint32(1, 2, littleEndian);
	view.setUint32(5, points.length, littleEndian);
	points.forEach(([x, y], i) => {
		view.setFloat64(9 + 16 * i, x, littleEndian);
		view.setFloat64(17 + 16 * i, y, littleEndian);
	});
	return out;
}

const concat = (parts: Uint8Array[]) => {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
};

describe('decodeLineStrings', () => {
	test('reads concatenated lines of either byte order, exactly', () => {
		const a: [number, number][] = [[106.1, 30.8], [106.123456789012, 30.81]];
		const b: [number, number][] = [[115, 26], [115.05, 26.01], [115.1, 26]];
		const { vertexStart, coords } = decodeLineStrings(concat([lineWkb(a, true), lineWkb(b, false)]), 2);
		expect(Array.from(vertexStart)).toEqual([0, 2, 5]);
		expect(Array.from(coords)).toEqual([...a.flat(), ...b.flat()]);
	});

	test('reads from a view into a larger buffer (as pg hands out pooled Buffers)', () => {
		const line = lineWkb([[1, 2], [3, 4]]);
		const big = new Uint8Array(line.length + 7);
		big.set(line, 3);
		const { coords } = decodeLineStrings(big.subarray(3, 3 + line.length), 1);
		expect(Array.from(coords)).toEqual([1, 2, 3, 4]);
	});

	test('an empty network is empty', () => {
		const { vertexStart, coords } = decodeLineStrings(new Uint8Array(0), 0);
		expect(Array.from(vertexStart)).toEqual([0]);
		expect(coords.length).toBe(0);
	});

	test('refuses another geometry type, a short buffer and trailing bytes, naming the line', () => {
		const point = lineWkb([[1, 2]]);
		new DataView(point.buffer).setUint32(1, 1, true);
		expect(() => decodeLineStrings(point, 1)).toThrow(/line 0 at byte 0 has geometry type 1/);
		const two = lineWkb([[1, 2], [3, 4]]);
		expect(() => decodeLineStrings(two, 2)).toThrow(/line 1 starts past the end/);
		expect(() => decodeLineStrings(concat([two, new Uint8Array(4)]), 1)).toThrow(/4 bytes left after 1 lines/);
	});
});

describe('buildRoadGraph from flat arrays', () => {
	const roads: RoadInput[] = [
		{ id: 1, class: 'county', coordinates: [[115, 26], [115.01, 26], [115.01, 26]] },
		{ id: 2, class: 'village', coordinates: [[115.01, 26], [115.01, 26.01]] },
		{ id: 3, class: 'village', coordinates: [[115.2, 26], [115.2, 26]] }
	];

	test('gives the same graph as the polylines', () => {
		const a = buildRoadGraph(roads);
		const b = buildRoadGraph(roadArrays(roads));
		expect(b).toEqual(a);
		expect(a.segmentCount).toBe(2);
		expect(a.skippedRoads).toBe(1);
		expect(a.roadIds).toEqual([1, 2]);
	});

	test('refuses arrays that disagree in length', () => {
		const flat = roadArrays(roads);
		expect(() => buildRoadGraph({ ...flat, classes: ['county'] })).toThrow(/road arrays disagree: 3 ids, 1 classes/);
	});
});
