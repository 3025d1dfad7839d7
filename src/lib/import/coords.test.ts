// Coordinate conversions against published values (wandergis/coordtransform's test output for
// 116.404, 39.915 — the Krasovsky-ellipsoid form of the algorithm used here), plus round trips.
import { describe, expect, test } from 'vitest';
import { bd09ToGcj02, bd09ToWgs84, checkAxes, converterFor, distanceM, gcj02ToBd09, gcj02ToWgs84, outOfChina, wgs84ToGcj02 } from './coords.ts';

describe('GCJ-02 and BD-09', () => {
	test('WGS84 → GCJ-02 matches the published value at Tiananmen', () => {
		const [lon, lat] = wgs84ToGcj02(116.404, 39.915);
		expect(lon).toBeCloseTo(116.41024449916938, 10);
		expect(lat).toBeCloseTo(39.91640428150164, 10);
		// The offset there is a few hundred metres, as documented.
		const d = distanceM([116.404, 39.915], [lon, lat]);
		expect(d).toBeGreaterThan(100);
		expect(d).toBeLessThan(700);
	});

	test('GCJ-02 ↔ BD-09 match the published values', () => {
		const [bLon, bLat] = gcj02ToBd09(116.404, 39.915);
		expect(bLon).toBeCloseTo(116.41036949371029, 10);
		expect(bLat).toBeCloseTo(39.92133699351021, 10);
		const [gLon, gLat] = bd09ToGcj02(116.404, 39.915);
		// The published inverse is the one-step approximation; ours is refined, within a metre of it.
		expect(distanceM([gLon, gLat], [116.39762729119315, 39.90865673957631])).toBeLessThan(1);
	});

	test('GCJ-02 → WGS84 inverts the forward transform to well under 0.5 m (Ganzhou, Yudu, Beijing, Jialing)', () => {
		for (const p of [[114.935, 25.831], [115.411, 25.952], [116.391, 39.907], [106.0, 30.9]] as Array<[number, number]>) {
			const g = wgs84ToGcj02(...p);
			expect(distanceM(p, g)).toBeGreaterThan(100);
			expect(distanceM(gcj02ToWgs84(...g), p)).toBeLessThan(0.5);
			const b = gcj02ToBd09(...g);
			expect(distanceM(bd09ToWgs84(...b), p)).toBeLessThan(0.5);
		}
		// The published one-step inverse for 116.404, 39.915 is within 10 m of the exact one.
		expect(distanceM(gcj02ToWgs84(116.404, 39.915), [116.39775550083061, 39.91359571849836])).toBeLessThan(10);
	});

	test('outside China nothing moves', () => {
		expect(outOfChina(2.35, 48.85)).toBe(true);
		expect(wgs84ToGcj02(2.35, 48.85)).toEqual([2.35, 48.85]);
		expect(gcj02ToWgs84(2.35, 48.85)).toEqual([2.35, 48.85]);
	});
});

describe('projected zones and axes', () => {
	test('CGCS2000 3-degree GK zone CM 114E (EPSG:4547) through proj4', () => {
		const def = '+proj=tmerc +lat_0=0 +lon_0=114 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs';
		const convert = converterFor('projected', { proj4: def });
		// On the central meridian the easting is the false easting; northing ≈ metres along the meridian.
		const [lon, lat] = convert(500000, 2859000);
		expect(lon).toBeCloseTo(114, 9);
		expect(lat).toBeGreaterThan(25.8);
		expect(lat).toBeLessThan(25.85);
		expect(() => converterFor('projected')).toThrow(/proj4/);
	});

	test('swapped axes are detected from the county box and China', () => {
		const box: [number, number, number, number] = [115.2, 25.8, 115.6, 26.2];
		expect(checkAxes([[115.3, 25.9], [115.4, 26]], box).verdict).toBe('ok');
		expect(checkAxes([[25.9, 115.3], [26, 115.4]], box).verdict).toBe('swapped');
		expect(checkAxes([[2.35, 48.85]], box).verdict).toBe('outside');
		expect(checkAxes([], box).verdict).toBe('empty');
		expect(converterFor('wgs84', { swap: true })(25.9, 115.3)).toEqual([115.3, 25.9]);
	});
});
