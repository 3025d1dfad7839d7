import { describe, expect, it } from 'vitest';
import { offsetLonLat } from '../testing/prng.ts';
import { haversineM, minutesAt } from './geo.ts';
import { DEFAULT_SPEEDS_KMH, buildRoadGraph, type RoadInput } from './graph.ts';

// All hand-made networks sit around (115°E, 27°N), in southern Jiangxi.
const LON0 = 115;
const LAT0 = 27;
const at = (eastM: number, northM: number) => offsetLonLat(LON0, LAT0, eastM, northM);

describe('geo', () => {
	it('converts length and speed to minutes', () => {
		// 2 km village road at 20 km/h: 2 / 20 h = 0.1 h = 6 min.
		expect(minutesAt(2000, 20)).toBeCloseTo(6, 12);
		// 4 km county road at 40 km/h = 6 min; 45 km expressway at 90 km/h = 30 min.
		expect(minutesAt(4000, 40)).toBeCloseTo(6, 12);
		expect(minutesAt(45_000, 90)).toBeCloseTo(30, 12);
	});

	it('measures one degree of latitude as ≈ 111.195 km', () => {
		expect(haversineM(115, 27, 115, 28)).toBeCloseTo(111_195.08, 1);
		expect(haversineM(115, 27, 115, 27)).toBe(0);
	});
});

describe('buildRoadGraph', () => {
	it('weights a 2 km village road as 6 minutes', () => {
		const g = buildRoadGraph([{ id: 'r1', class: 'village', coordinates: [at(0, 0), at(2000, 0)] }]);
		expect(g.nodeCount).toBe(2);
		expect(g.segmentCount).toBe(1);
		expect(g.segLengthM[0]).toBeCloseTo(2000, 3);
		expect(g.segMinutes[0]).toBeCloseTo(6, 5);
		expect(Array.from(g.adjOffset)).toEqual([0, 1, 2]);
		expect(Array.from(g.adjNode)).toEqual([1, 0]);
		expect(g.roadIds).toEqual(['r1']);
	});

	it('uses the default speeds per class and lets a scenario override them', () => {
		expect(DEFAULT_SPEEDS_KMH).toEqual({
			expressway: 90,
			national: 60,
			provincial: 50,
			county: 40,
			township: 30,
			village: 20
		});
		const roads: RoadInput[] = [
			{ id: 'c', class: 'county', coordinates: [at(0, 0), at(4000, 0)] },
			{ id: 'e', class: 'expressway', coordinates: [at(5000, 0), at(14_000, 0)] }
		];
		const g = buildRoadGraph(roads);
		expect(g.segMinutes[0]).toBeCloseTo(6, 4); // 4 km / 40 km/h
		expect(g.segMinutes[1]).toBeCloseTo(6, 4); // 9 km / 90 km/h
		const slow = buildRoadGraph(roads, { speedsKmh: { county: 20 } });
		expect(slow.segMinutes[0]).toBeCloseTo(12, 4); // 4 km / 20 km/h
		expect(slow.segMinutes[1]).toBeCloseTo(6, 4); // untouched class keeps its default
	});

	it('rejects an unknown road class unless a fallback speed is given', () => {
		const roads: RoadInput[] = [{ id: 'x', class: 'track', coordinates: [at(0, 0), at(1000, 0)] }];
		expect(() => buildRoadGraph(roads)).toThrow(/road class "track"/);
		const g = buildRoadGraph(roads, { fallbackSpeedKmh: 10 });
		expect(g.segMinutes[0]).toBeCloseTo(6, 4); // 1 km at 10 km/h
	});

	it('rejects bad speeds, tolerances and coordinates', () => {
		const ok: RoadInput[] = [{ id: 'r', class: 'village', coordinates: [at(0, 0), at(10, 0)] }];
		expect(() => buildRoadGraph(ok, { speedsKmh: { village: 0 } })).toThrow(RangeError);
		expect(() => buildRoadGraph(ok, { walkingSpeedKmh: -4 })).toThrow(RangeError);
		expect(() => buildRoadGraph(ok, { mergeToleranceM: -1 })).toThrow(RangeError);
		expect(() =>
			buildRoadGraph([{ id: 'bad', class: 'village', coordinates: [[115, 95], [115, 27]] }])
		).toThrow(/road bad/);
		expect(() =>
			buildRoadGraph([{ id: 'nan', class: 'village', coordinates: [[NaN, 27], [115, 27]] }])
		).toThrow(RangeError);
	});

	it('merges vertices closer than the tolerance, so roads sharing an endpoint connect', () => {
		// The second road starts 0.5 m from where the first ends: one shared node, 3 nodes in all.
		const roads: RoadInput[] = [
			{ id: 'a', class: 'county', coordinates: [at(0, 0), at(4000, 0)] },
			{ id: 'b', class: 'village', coordinates: [at(4000.5, 0), at(4000.5, 2000)] }
		];
		const g = buildRoadGraph(roads);
		expect(g.nodeCount).toBe(3);
		expect(g.segTo[0]).toBe(g.segFrom[1]);
		expect(g.componentSize.length).toBe(1);
		// A 5 m gap is not closed with the default 1 m tolerance, but is with 10 m.
		const gap: RoadInput[] = [roads[0], { ...roads[1], coordinates: [at(4005, 0), at(4005, 2000)] }];
		expect(buildRoadGraph(gap).nodeCount).toBe(4);
		expect(buildRoadGraph(gap).componentSize.length).toBe(2);
		expect(buildRoadGraph(gap, { mergeToleranceM: 10 }).nodeCount).toBe(3);
	});

	it('merges only identical coordinates with tolerance 0', () => {
		const roads: RoadInput[] = [
			{ id: 'a', class: 'village', coordinates: [at(0, 0), at(100, 0)] },
			{ id: 'b', class: 'village', coordinates: [at(100, 0), at(200, 0)] },
			{ id: 'c', class: 'village', coordinates: [at(200.01, 0), at(300, 0)] }
		];
		const g = buildRoadGraph(roads, { mergeToleranceM: 0 });
		expect(g.nodeCount).toBe(5);
	});

	it('connects roads at interior shared vertices, not at crossings without one', () => {
		// A north–south road through (1000, 0) sharing that vertex, and an east–west road crossing a
		// second north–south road at (3000, 0) without a vertex there (a bridge).
		const roads: RoadInput[] = [
			{ id: 'ew', class: 'county', coordinates: [at(0, 0), at(1000, 0), at(4000, 0)] },
			{ id: 'ns1', class: 'village', coordinates: [at(1000, -500), at(1000, 0), at(1000, 500)] },
			{ id: 'ns2', class: 'village', coordinates: [at(3000, -500), at(3000, 500)] }
		];
		const g = buildRoadGraph(roads);
		expect(g.nodeCount).toBe(3 + 2 + 2);
		expect(g.segmentCount).toBe(2 + 2 + 1);
		expect(g.componentSize.length).toBe(2);
		expect(Array.from(g.componentSize)).toEqual([5, 2]);
	});

	it('drops zero-length segments and skips degenerate roads', () => {
		const roads: RoadInput[] = [
			{ id: 'dup', class: 'village', coordinates: [at(0, 0), at(0, 0), at(0.2, 0), at(1000, 0)] },
			{ id: 'point', class: 'village', coordinates: [at(5000, 0)] },
			{ id: 'collapsed', class: 'village', coordinates: [at(6000, 0), at(6000.3, 0)] },
			{ id: 'empty', class: 'village', coordinates: [] }
		];
		const g = buildRoadGraph(roads);
		expect(g.segmentCount).toBe(1);
		expect(g.skippedRoads).toBe(3);
		expect(g.roadIds).toEqual(['dup']);
		expect(g.segMinutes[0]).toBeCloseTo(3, 4); // 1 km at 20 km/h
	});

	it('builds an empty graph from no roads', () => {
		const g = buildRoadGraph([]);
		expect(g.nodeCount).toBe(0);
		expect(g.segmentCount).toBe(0);
		expect(Array.from(g.adjOffset)).toEqual([0]);
	});

	it('keeps parallel roads between the same two nodes as separate edges', () => {
		const roads: RoadInput[] = [
			{ id: 'slow', class: 'village', coordinates: [at(0, 0), at(2000, 0)] },
			{ id: 'fast', class: 'national', coordinates: [at(0, 0), at(2000, 0)] }
		];
		const g = buildRoadGraph(roads);
		expect(g.nodeCount).toBe(2);
		expect(g.segmentCount).toBe(2);
		expect(Array.from(g.adjMinutes).map((m) => +m.toFixed(3))).toEqual([6, 2, 6, 2]);
	});
});
