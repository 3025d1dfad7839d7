import { describe, expect, it } from 'vitest';
import { mulberry32, offsetLonLat, randInt } from '../testing/prng.ts';
import { DEG_TO_RAD, METRES_PER_DEGREE } from './geo.ts';
import { buildRoadGraph, type RoadGraph, type RoadInput } from './graph.ts';
import { isSnapped, snapPoints, type PointInput } from './snap.ts';

const LON0 = 115;
const LAT0 = 27;
const at = (eastM: number, northM: number) => offsetLonLat(LON0, LAT0, eastM, northM);
const pt = (id: string, eastM: number, northM: number): PointInput => {
	const [lon, lat] = at(eastM, northM);
	return { id, lon, lat };
};

describe('snapPoints', () => {
	// One 2 km village road running east from the origin.
	const g = buildRoadGraph([{ id: 'r', class: 'village', coordinates: [at(0, 0), at(2000, 0)] }]);

	it('snaps to the nearest point of the segment and reports the walk', () => {
		// 200 m north of the middle: snapped at t = 0.5, walk 200 m at 4 km/h = 0.2 / 4 h = 3 min.
		const [s] = snapPoints(g, [pt('v', 1000, 200)]);
		expect(s.segment).toBe(0);
		expect(s.t).toBeCloseTo(0.5, 6);
		expect(s.distanceM).toBeCloseTo(200, 3);
		expect(s.walkMinutes).toBeCloseTo(3, 4);
		const [lon, lat] = at(1000, 0);
		expect(s.snapLon).toBeCloseTo(lon, 9);
		expect(s.snapLat).toBeCloseTo(lat, 9);
		expect(isSnapped(s)).toBe(true);
		expect(isSnapped(pt('raw', 0, 0))).toBe(false);
	});

	it('uses the walking speed of the graph or of the call', () => {
		const fast = buildRoadGraph([{ id: 'r', class: 'village', coordinates: [at(0, 0), at(2000, 0)] }], {
			walkingSpeedKmh: 5
		});
		// 200 m at 5 km/h = 2.4 min; at 3 km/h = 4 min.
		expect(snapPoints(fast, [pt('v', 1000, 200)])[0].walkMinutes).toBeCloseTo(2.4, 4);
		expect(snapPoints(g, [pt('v', 1000, 200)], { walkingSpeedKmh: 3 })[0].walkMinutes).toBeCloseTo(4, 4);
		expect(() => snapPoints(g, [pt('v', 0, 0)], { walkingSpeedKmh: 0 })).toThrow(RangeError);
	});

	it('clamps to the end of the segment for points beyond it', () => {
		// 300 m west and 400 m south of the west end: snapped to the end, 500 m away (to a centimetre:
		// east–west metres are laid out at 27°N but measured at the point's latitude).
		const [s] = snapPoints(g, [pt('v', -300, -400)]);
		expect(s.t).toBe(0);
		expect(s.distanceM).toBeCloseTo(500, 1);
		const [e] = snapPoints(g, [pt('e', 2600, 800)]);
		expect(e.t).toBe(1);
		expect(e.distanceM).toBeCloseTo(1000, 1);
	});

	it('gives distance 0 to a point on the road', () => {
		const [s] = snapPoints(g, [pt('on', 500, 0)]);
		expect(s.distanceM).toBeCloseTo(0, 6);
		expect(s.t).toBeCloseTo(0.25, 6);
		expect(s.walkMinutes).toBeCloseTo(0, 6);
	});

	it('leaves points farther than maxSnapDistanceM unsnapped', () => {
		const [near, far] = snapPoints(g, [pt('near', 1000, 250), pt('far', 1000, 350)], {
			maxSnapDistanceM: 300
		});
		expect(near.segment).toBe(0);
		expect(far.segment).toBe(-1);
		expect(far.distanceM).toBe(Infinity);
		expect(far.walkMinutes).toBe(Infinity);
	});

	it('leaves every point unsnapped on an empty network', () => {
		const [s] = snapPoints(buildRoadGraph([]), [pt('v', 0, 0)]);
		expect(s.segment).toBe(-1);
	});

	it('snaps points far outside the network extent', () => {
		// 50 km north of a 2 km road: the grid search starts at the first ring touching the grid.
		const [s] = snapPoints(g, [pt('v', 1000, 50_000)]);
		expect(s.segment).toBe(0);
		expect(s.distanceM).toBeCloseTo(50_000, -1);
	});

	it('can skip segments of small components (isolated stubs)', () => {
		const roads: RoadInput[] = [
			{ id: 'main1', class: 'county', coordinates: [at(0, 0), at(2000, 0), at(4000, 0)] },
			{ id: 'main2', class: 'county', coordinates: [at(4000, 0), at(4000, 3000)] },
			{ id: 'stub', class: 'village', coordinates: [at(1000, 400), at(1200, 400)] }
		];
		const net = buildRoadGraph(roads);
		const v = pt('v', 1100, 350);
		expect(net.segRoad[snapPoints(net, [v])[0].segment]).toBe(2); // the stub, 50 m away
		const s = snapPoints(net, [v], { minComponentNodes: 3 })[0];
		expect(net.roadIds[net.segRoad[s.segment]]).toBe('main1'); // the main road, 350 m away
		expect(s.distanceM).toBeCloseTo(350, 2);
	});

	it('breaks ties by the lower segment index', () => {
		// Two parallel roads 100 m either side of the point.
		const net = buildRoadGraph([
			{ id: 'south', class: 'village', coordinates: [at(0, -100), at(1000, -100)] },
			{ id: 'north', class: 'village', coordinates: [at(0, 100), at(1000, 100)] }
		]);
		expect(snapPoints(net, [pt('v', 500, 0)])[0].segment).toBe(0);
	});

	it('rejects invalid coordinates', () => {
		expect(() => snapPoints(g, [{ id: 'x', lon: NaN, lat: 27 }])).toThrow(/point x/);
	});

	it('agrees with a linear scan over all segments on random networks', () => {
		for (const seed of [1, 2, 3, 4, 5, 6]) {
			const rand = mulberry32(seed);
			const roads: RoadInput[] = [];
			for (let r = 0; r < 60; r++) {
				const coords: [number, number][] = [];
				let e = rand() * 20_000;
				let n = rand() * 15_000;
				const k = randInt(rand, 2, 6);
				for (let i = 0; i < k; i++) {
					coords.push(at(e, n));
					// Mostly short hops, sometimes a long straight (long segments span many cells).
					const hop = rand() < 0.2 ? 8000 : 600;
					e += (rand() - 0.5) * hop;
					n += (rand() - 0.5) * hop;
				}
				roads.push({ id: r, class: 'township', coordinates: coords });
			}
			const points = Array.from({ length: 200 }, (_, i) =>
				pt(`p${i}`, -3000 + rand() * 26_000, -3000 + rand() * 21_000)
			);
			for (const gridCellM of [undefined, 50, 700, 30_000]) {
				const net = buildRoadGraph(roads, { gridCellM });
				const snapped = snapPoints(net, points);
				snapped.forEach((s, i) => {
					const brute = bruteNearest(net, points[i]);
					// Equal distances (a point nearest to a vertex shared by two segments) may pick either.
					expect(s.distanceM).toBeCloseTo(brute.distanceM, 6);
					if (s.segment !== brute.segment) {
						expect(bruteDistanceTo(net, points[i], s.segment)).toBeCloseTo(brute.distanceM, 6);
					}
				});
			}
		}
	});
});

/** Distance from a point to one segment, in the local plane at the point's latitude. */
function bruteDistanceTo(g: RoadGraph, p: PointInput, s: number): number {
	const kx = METRES_PER_DEGREE * Math.cos(p.lat * DEG_TO_RAD);
	const ky = METRES_PER_DEGREE;
	const a = g.segFrom[s];
	const b = g.segTo[s];
	const ax = (g.nodeLon[a] - p.lon) * kx;
	const ay = (g.nodeLat[a] - p.lat) * ky;
	const bx = (g.nodeLon[b] - p.lon) * kx;
	const by = (g.nodeLat[b] - p.lat) * ky;
	const dx = bx - ax;
	const dy = by - ay;
	const t = Math.max(0, Math.min(1, -(ax * dx + ay * dy) / (dx * dx + dy * dy)));
	return Math.hypot(ax + t * dx, ay + t * dy);
}

/** Nearest segment by scanning all of them (same local metric as the implementation). */
function bruteNearest(g: RoadGraph, p: PointInput) {
	let best = Infinity;
	let segment = -1;
	for (let s = 0; s < g.segmentCount; s++) {
		const d = bruteDistanceTo(g, p, s);
		if (d < best) {
			best = d;
			segment = s;
		}
	}
	return { segment, distanceM: best };
}
