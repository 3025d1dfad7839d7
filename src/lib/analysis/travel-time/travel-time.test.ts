import { describe, expect, it } from 'vitest';
import { offsetLonLat } from '../testing/prng.ts';
import { buildRoadGraph, type RoadInput } from './graph.ts';
import { snapPoints, type PointInput } from './snap.ts';
import { nearestSource, nodeTravelTimes, travelTimeMatrix } from './travel-time.ts';

const LON0 = 115;
const LAT0 = 27;
const at = (eastM: number, northM: number) => offsetLonLat(LON0, LAT0, eastM, northM);
const pt = (id: string, eastM: number, northM: number): PointInput => {
	const [lon, lat] = at(eastM, northM);
	return { id, lon, lat };
};

// A county road of 4 km (at 40 km/h: 6 min) from W to M, then a village road of 2 km (at 20 km/h:
// 6 min) from M to E, and a separate township road far away (another component).
//
//   W ——— county 4 km ——— M —— village 2 km —— E          F —— township 3 km —— G
//   0                    4000                 6000      20000                 23000   (metres east)
const chain: RoadInput[] = [
	{ id: 'county', class: 'county', coordinates: [at(0, 0), at(4000, 0)] },
	{ id: 'village', class: 'village', coordinates: [at(4000, 0), at(6000, 0)] },
	{ id: 'far', class: 'township', coordinates: [at(20_000, 0), at(23_000, 0)] }
];
const g = buildRoadGraph(chain);

describe('nearestSource: hand-computed times', () => {
	it('adds segment times along the route', () => {
		const res = nearestSource(g, [pt('W', 0, 0)], [pt('W', 0, 0), pt('M', 4000, 0), pt('E', 6000, 0)]);
		expect(res.map((r) => r.minutes)).toEqual([0, expect.closeTo(6, 4), expect.closeTo(12, 4)]);
		expect(res.every((r) => r.sourceId === 'W' && r.sourceIndex === 0)).toBe(true);
	});

	it('includes the walk at both ends and splits segments at snapped points', () => {
		// Source 200 m north of the county road at 1 km: walk 200 m at 4 km/h = 3 min, then 3 km of
		// county road to M = 4.5 min. Target 100 m south of the village road at 5.5 km: 1.5 km of
		// village road = 4.5 min, walk 100 m = 1.5 min. Total 3 + 4.5 + 4.5 + 1.5 = 13.5 min.
		const [r] = nearestSource(g, [pt('s', 1000, 200)], [pt('t', 5500, -100)]);
		expect(r.minutes).toBeCloseTo(13.5, 3);
		expect(r.snap.distanceM).toBeCloseTo(100, 3);
		expect(r.snap.walkMinutes).toBeCloseTo(1.5, 4);
	});

	it('goes directly along a segment when both points lie on it', () => {
		// Both on the village road (2 km, 6 min), at 4.5 km and 5.5 km, each 40 m off the road:
		// walk 0.6 + 1 km along (3 min) + walk 0.6 = 4.2 min. Via M it would be 1.5 + 4.5 + 1.2.
		const [r] = nearestSource(g, [pt('s', 4500, 40)], [pt('t', 5500, -40)]);
		expect(r.minutes).toBeCloseTo(4.2, 3);
		// The same trip the other way round.
		const [back] = nearestSource(g, [pt('t', 5500, -40)], [pt('s', 4500, 40)]);
		expect(back.minutes).toBeCloseTo(4.2, 3);
		// A point on top of a source still walks to the road and back: 2 × 0.6 min.
		const [same] = nearestSource(g, [pt('s', 4500, 40)], [pt('s2', 4500, 40)]);
		expect(same.minutes).toBeCloseTo(1.2, 4);
	});

	it('picks the nearest of several sources and reports which', () => {
		// Sources at W (0) and E (6000). A target at 2 km: 3 min from W, 3 + 6 = 9 from E.
		// A target at 5 km: from W 6 + 3 = 9 min, from E 1 km of village road = 3 min.
		const res = nearestSource(g, [pt('W', 0, 0), pt('E', 6000, 0)], [pt('a', 2000, 0), pt('b', 5000, 0)]);
		expect(res[0]).toMatchObject({ id: 'a', sourceId: 'W', sourceIndex: 0 });
		expect(res[0].minutes).toBeCloseTo(3, 4);
		expect(res[1]).toMatchObject({ id: 'b', sourceId: 'E', sourceIndex: 1 });
		expect(res[1].minutes).toBeCloseTo(3, 4);
	});

	it('breaks exact ties towards the lower source index', () => {
		// Two sites at the same place are exactly as near to every target: the first listed wins.
		const a = pt('site-a', 1000, 50);
		const b = pt('site-b', 1000, 50);
		const targets = [pt('x', 300, 0), pt('y', 5000, 20)];
		expect(nearestSource(g, [a, b], targets).map((r) => r.sourceId)).toEqual(['site-a', 'site-a']);
		expect(nearestSource(g, [b, a], targets).map((r) => r.sourceId)).toEqual(['site-b', 'site-b']);
	});

	it('chooses a longer fast road over a short slow one', () => {
		// A to C: 3 km village road (9 min), or via D on the expressway, 2.5 km + 2.5 km at 90 km/h
		// = 5 km × 60 / 90 = 3.333 min.
		const net = buildRoadGraph([
			{ id: 'direct', class: 'village', coordinates: [at(0, 0), at(3000, 0)] },
			{ id: 'x', class: 'expressway', coordinates: [at(0, 0), at(1500, 2000), at(3000, 0)] }
		]);
		const [r] = nearestSource(net, [pt('A', 0, 0)], [pt('C', 3000, 0)]);
		expect(r.minutes).toBeCloseTo(10 / 3, 3);
	});

	it('returns Infinity and null for targets in another component or with no road', () => {
		const res = nearestSource(g, [pt('W', 0, 0)], [pt('G', 23_000, 0), pt('lost', 3000, 900)], {
			maxSnapDistanceM: 500
		});
		expect(res[0]).toMatchObject({ id: 'G', minutes: Infinity, sourceIndex: -1, sourceId: null });
		expect(res[1]).toMatchObject({ id: 'lost', minutes: Infinity, sourceId: null });
		expect(res[1].snap.segment).toBe(-1);
	});

	it('ignores sources that cannot be snapped', () => {
		const res = nearestSource(g, [pt('off', 3000, 900), pt('W', 0, 0)], [pt('M', 4000, 0)], {
			maxSnapDistanceM: 500
		});
		expect(res[0]).toMatchObject({ sourceId: 'W', sourceIndex: 1 });
		expect(nearestSource(g, [], [pt('M', 4000, 0)])[0].minutes).toBe(Infinity);
	});

	it('treats times over the cutoff as unreachable, times up to it as reachable', () => {
		// From W: 2 km → 3 min, M → 6 min, E → 12 min.
		const targets = [pt('a', 2000, 0), pt('M', 4000, 0), pt('E', 6000, 0)];
		const cut10 = nearestSource(g, [pt('W', 0, 0)], targets, { cutoffMinutes: 10 });
		expect(cut10.map((r) => r.minutes)).toEqual([expect.closeTo(3, 4), expect.closeTo(6, 4), Infinity]);
		expect(cut10[2].sourceId).toBeNull();
		const cut12 = nearestSource(g, [pt('W', 0, 0)], targets, { cutoffMinutes: 12.001 });
		expect(cut12[2].minutes).toBeCloseTo(12, 4);
		// The walk counts against the cutoff: a target 100 m off the road at E needs 12 + 1.5 min.
		const off = nearestSource(g, [pt('W', 0, 0)], [pt('Eoff', 6000, 100)], { cutoffMinutes: 13 });
		expect(off[0].minutes).toBe(Infinity);
		expect(() => nearestSource(g, [], [], { cutoffMinutes: -1 })).toThrow(RangeError);
		// A cutoff of 0 still reaches a target exactly at the source.
		expect(nearestSource(g, [pt('W', 0, 0)], [pt('W', 0, 0)], { cutoffMinutes: 0 })[0].minutes).toBe(0);
	});

	it('accepts points snapped beforehand', () => {
		const sources = snapPoints(g, [pt('s', 1000, 200)]);
		const [r] = nearestSource(g, sources, [pt('t', 5500, -100)]);
		expect(r.minutes).toBeCloseTo(13.5, 3);
	});
});

describe('travelTimeMatrix', () => {
	it('fills origins × destinations, Infinity across components', () => {
		// Origins W, a (2 km), G (other component); destinations M (4 km) and E (6 km).
		const origins = [pt('W', 0, 0), pt('a', 2000, 0), pt('G', 23_000, 0)];
		const destinations = [pt('M', 4000, 0), pt('E', 6000, 0)];
		const progress: number[] = [];
		const m = travelTimeMatrix(g, origins, destinations, { onProgress: (d) => progress.push(d) });
		expect(m.originIds).toEqual(['W', 'a', 'G']);
		expect(m.destinationIds).toEqual(['M', 'E']);
		const rounded = Array.from(m.minutes).map((x) => (Number.isFinite(x) ? +x.toFixed(4) : x));
		// W→M 6, W→E 12; a→M 3, a→E 9; G unreachable.
		expect(rounded).toEqual([6, 12, 3, 9, Infinity, Infinity]);
		expect(progress).toEqual([1, 2]);
	});

	it('applies the cutoff and the same-segment trip', () => {
		const m = travelTimeMatrix(g, [pt('s', 4500, 40), pt('W', 0, 0)], [pt('t', 5500, -40)], {
			cutoffMinutes: 10
		});
		// s→t along the village road: 4.2 min. W→t: 6 + 4.5 + 0.6 = 11.1 > 10.
		expect(m.minutes[0]).toBeCloseTo(4.2, 3);
		expect(m.minutes[1]).toBe(Infinity);
	});

	it('agrees with nearestSource column by column', () => {
		const origins = [0, 700, 2500, 4100, 5900, 21_000].map((e, i) => pt(`o${i}`, e, (i % 3) * 50 - 50));
		const destinations = [pt('d0', 300, 20), pt('d1', 4800, -30), pt('d2', 22_500, 10)];
		const m = travelTimeMatrix(g, origins, destinations);
		destinations.forEach((d, j) => {
			const col = nearestSource(g, [d], origins);
			col.forEach((r, i) => {
				const v = m.minutes[i * destinations.length + j];
				if (r.minutes === Infinity) expect(v).toBe(Infinity);
				else expect(v).toBeCloseTo(r.minutes, 9);
			});
		});
	});
});

describe('nodeTravelTimes', () => {
	it('gives the time from the nearest source to every node', () => {
		// Nodes in order: W, M, E, F, G. Source 200 m north of the county road at 1 km: walk 3 min,
		// then 1.5 min to W, 4.5 min to M, + 6 to E; F and G unreachable.
		const { minutes, sourceIndex } = nodeTravelTimes(g, [pt('s', 1000, 200)]);
		expect(Array.from(minutes).map((x) => (Number.isFinite(x) ? +x.toFixed(3) : x))).toEqual([
			4.5,
			7.5,
			13.5,
			Infinity,
			Infinity
		]);
		expect(Array.from(sourceIndex)).toEqual([0, 0, 0, -1, -1]);
		const cut = nodeTravelTimes(g, [pt('s', 1000, 200)], { cutoffMinutes: 8 });
		expect(Array.from(cut.minutes).filter(Number.isFinite).length).toBe(2);
	});
});
