// Random networks from a seeded PRNG, checked against an independent brute force: the snapped
// points are inserted as real nodes (segments split explicitly, walking edges added) and all-pairs
// times come from Floyd–Warshall.
import { describe, expect, it } from 'vitest';
import { mulberry32, offsetLonLat, randInt } from '../testing/prng.ts';
import { buildRoadGraph, type RoadGraph, type RoadInput } from './graph.ts';
import { snapPoints, type PointInput, type SnappedPoint } from './snap.ts';
import { nearestSource, nodeTravelTimes, travelTimeMatrix } from './travel-time.ts';

const LON0 = 114.5;
const LAT0 = 26.5;
const CLASSES = ['expressway', 'national', 'provincial', 'county', 'township', 'village'];

interface Scenario {
	roads: RoadInput[];
	points: PointInput[];
	anchors: [number, number][];
}

/** A random network: roads through shared anchor vertices (so they connect), a few isolated roads
 * with their own vertices (other components), some vertices jittered by < 1 m (merged), and random
 * points around the network. */
function scenario(seed: number, roadCount = 25, pointCount = 24): Scenario {
	const rand = mulberry32(seed);
	const anchors: [number, number][] = Array.from({ length: 30 }, () =>
		offsetLonLat(LON0, LAT0, rand() * 12_000, rand() * 9_000)
	);
	const jitter = ([lon, lat]: [number, number]): [number, number] =>
		rand() < 0.3 ? [lon + (rand() - 0.5) * 6e-6, lat + (rand() - 0.5) * 6e-6] : [lon, lat];
	const roads: RoadInput[] = [];
	for (let r = 0; r < roadCount; r++) {
		const cls = CLASSES[randInt(rand, 0, CLASSES.length - 1)];
		if (rand() < 0.15) {
			// Isolated road with fresh vertices.
			const e = rand() * 12_000;
			const n = rand() * 9_000;
			roads.push({
				id: `iso${r}`,
				class: cls,
				coordinates: [
					offsetLonLat(LON0, LAT0, e, n),
					offsetLonLat(LON0, LAT0, e + 800 * rand(), n + 800 * rand())
				]
			});
			continue;
		}
		const k = randInt(rand, 2, 4);
		const coords: [number, number][] = [];
		for (let i = 0; i < k; i++) coords.push(jitter(anchors[randInt(rand, 0, anchors.length - 1)]));
		roads.push({ id: `r${r}`, class: cls, coordinates: coords });
	}
	const points = Array.from({ length: pointCount }, (_, i) => {
		const [lon, lat] = offsetLonLat(LON0, LAT0, -1000 + rand() * 14_000, -1000 + rand() * 11_000);
		return { id: `p${i}`, lon, lat };
	});
	return { roads, points, anchors };
}

/** All-pairs minutes over an explicit graph: graph nodes, then for each point a node on the road
 * and a node at the point itself. Returns the matrix and the index of each point's own node. */
function bruteForce(g: RoadGraph, snapped: SnappedPoint[]) {
	const n = g.nodeCount + 2 * snapped.length;
	const d = Array.from({ length: n }, (_, i) => {
		const row = new Float64Array(n).fill(Infinity);
		row[i] = 0;
		return row;
	});
	const edge = (a: number, b: number, w: number) => {
		if (w < d[a][b]) d[a][b] = d[b][a] = w;
	};
	const onSeg = new Map<number, { t: number; node: number }[]>();
	snapped.forEach((p, i) => {
		if (p.segment < 0) return;
		const road = g.nodeCount + 2 * i;
		edge(road, road + 1, p.walkMinutes);
		const list = onSeg.get(p.segment) ?? [];
		list.push({ t: p.t, node: road });
		onSeg.set(p.segment, list);
	});
	for (let s = 0; s < g.segmentCount; s++) {
		const stops = [
			{ t: 0, node: g.segFrom[s] },
			...(onSeg.get(s) ?? []).sort((x, y) => x.t - y.t),
			{ t: 1, node: g.segTo[s] }
		];
		for (let i = 1; i < stops.length; i++) {
			edge(stops[i - 1].node, stops[i].node, (stops[i].t - stops[i - 1].t) * g.segMinutes[s]);
		}
	}
	for (let k = 0; k < n; k++) {
		const dk = d[k];
		for (let i = 0; i < n; i++) {
			const dik = d[i][k];
			if (dik === Infinity) continue;
			const di = d[i];
			for (let j = 0; j < n; j++) {
				const v = dik + dk[j];
				if (v < di[j]) di[j] = v;
			}
		}
	}
	return { d, own: (i: number) => g.nodeCount + 2 * i + 1 };
}

const SEEDS = Array.from({ length: 12 }, (_, i) => 1000 + i);

describe('travel times against Floyd–Warshall on random networks', () => {
	it('nearestSource matches the brute force, including the chosen source', () => {
		for (const seed of SEEDS) {
			const { roads, points } = scenario(seed);
			const g = buildRoadGraph(roads);
			const snapped = snapPoints(g, points);
			const { d, own } = bruteForce(g, snapped);
			const srcIdx = [0, 1, 2, 3, 4];
			const sources = srcIdx.map((i) => snapped[i]);
			const targets = snapped.slice(5);
			const res = nearestSource(g, sources, targets);
			res.forEach((r, k) => {
				const t = 5 + k;
				const best = Math.min(...srcIdx.map((i) => d[own(i)][own(t)]));
				if (best === Infinity) {
					expect(r.minutes).toBe(Infinity);
					expect(r.sourceId).toBeNull();
				} else {
					expect(r.minutes).toBeCloseTo(best, 9);
					expect(d[own(r.sourceIndex)][own(t)]).toBeCloseTo(best, 9);
					expect(r.sourceId).toBe(points[r.sourceIndex].id);
				}
			});
		}
	});

	it('travelTimeMatrix matches the brute force', () => {
		for (const seed of SEEDS) {
			const { roads, points } = scenario(seed);
			const g = buildRoadGraph(roads);
			const snapped = snapPoints(g, points);
			const { d, own } = bruteForce(g, snapped);
			const origins = snapped.slice(0, 16);
			const destinations = snapped.slice(16);
			const m = travelTimeMatrix(g, origins, destinations);
			for (let o = 0; o < origins.length; o++) {
				for (let j = 0; j < destinations.length; j++) {
					const want = d[own(o)][own(16 + j)];
					const got = m.minutes[o * destinations.length + j];
					if (want === Infinity) expect(got).toBe(Infinity);
					else expect(got).toBeCloseTo(want, 9);
				}
			}
		}
	});

	it('applies cutoffs exactly: same times up to the cutoff, Infinity beyond', () => {
		const rand = mulberry32(77);
		for (const seed of SEEDS) {
			const { roads, points } = scenario(seed);
			const g = buildRoadGraph(roads);
			const snapped = snapPoints(g, points);
			const { d, own } = bruteForce(g, snapped);
			const cutoff = 5 + rand() * 30;
			const sources = snapped.slice(0, 3);
			const res = nearestSource(g, sources, snapped.slice(3), { cutoffMinutes: cutoff });
			res.forEach((r, k) => {
				const best = Math.min(...[0, 1, 2].map((i) => d[own(i)][own(3 + k)]));
				if (Math.abs(best - cutoff) < 1e-9) return; // too close to call in floating point
				if (best > cutoff) expect(r.minutes).toBe(Infinity);
				else expect(r.minutes).toBeCloseTo(best, 9);
			});
			const nodes = nodeTravelTimes(g, sources, { cutoffMinutes: cutoff });
			const all = nodeTravelTimes(g, sources);
			for (let v = 0; v < g.nodeCount; v++) {
				const want = Math.min(...[0, 1, 2].map((i) => d[own(i)][v]));
				expect(all.minutes[v] === Infinity ? Infinity : +all.minutes[v].toFixed(9)).toBe(
					want === Infinity ? Infinity : +want.toFixed(9)
				);
				if (Math.abs(want - cutoff) < 1e-9) continue;
				expect(nodes.minutes[v]).toBe(want <= cutoff ? all.minutes[v] : Infinity);
			}
		}
	});

	it('is deterministic: the same input gives identical output', () => {
		const { roads, points } = scenario(4242);
		const once = () =>
			nearestSource(buildRoadGraph(roads), points.slice(0, 6), points.slice(6)).map((r) => [
				r.minutes,
				r.sourceIndex
			]);
		expect(once()).toEqual(once());
	});
});

describe('property: adding a road never increases a travel time', () => {
	it('holds for every node and for points with fixed snaps', () => {
		for (const seed of SEEDS) {
			const rand = mulberry32(seed * 7 + 1);
			const { roads, points, anchors } = scenario(seed);
			const before = buildRoadGraph(roads);
			const snapped = snapPoints(before, points);
			const sources = snapped.slice(0, 3);
			const targets = snapped.slice(3);
			for (let trial = 0; trial < 5; trial++) {
				// A new road between existing anchors, of any class; appended last, so the nodes and
				// segments of the old roads keep their indices and the old snaps stay valid.
				const extra: RoadInput = {
					id: `new${trial}`,
					class: CLASSES[randInt(rand, 0, CLASSES.length - 1)],
					coordinates: [
						anchors[randInt(rand, 0, anchors.length - 1)],
						anchors[randInt(rand, 0, anchors.length - 1)]
					]
				};
				const after = buildRoadGraph([...roads, extra]);
				expect(after.nodeCount).toBeGreaterThanOrEqual(before.nodeCount);
				const nb = nodeTravelTimes(before, sources).minutes;
				const na = nodeTravelTimes(after, sources).minutes;
				for (let v = 0; v < before.nodeCount; v++) expect(na[v]).toBeLessThanOrEqual(nb[v] + 1e-9);
				const tb = nearestSource(before, sources, targets);
				const ta = nearestSource(after, sources, targets);
				ta.forEach((r, i) => expect(r.minutes).toBeLessThanOrEqual(tb[i].minutes + 1e-9));
			}
		}
	});
});
