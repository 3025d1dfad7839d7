// Coordinate conversion for imports. Everything is stored as EPSG:4326; the declared source system is
// recorded on the batch. Pure functions (no DB, no DOM): unit-tested with published offsets.
//
// - WGS84 (EPSG:4326) and CGCS2000 (EPSG:4490): identity. The two frames differ by centimetres at
//   map scale, so CGCS2000 coordinates are stored as they are.
// - GCJ-02 (Amap, Tencent): the published obfuscation ("transform" with the Krasovsky 1940 semi-major
//   axis a = 6378245 and e² = 0.00669342162296594323, applied inside China only). There is no closed
//   inverse; we invert by fixed-point iteration until the forward transform of our answer lands within
//   1e-9° (≈ 0.1 mm) of the input — far inside the 0.5 m the import promises.
// - BD-09 (Baidu): a further published rotation/scaling of GCJ-02 (x_pi = π·3000/180), inverted the
//   same way, then GCJ-02 → WGS84.
// - Projected CGCS2000 Gauss–Krüger zones (EPSG:4491–4554): proj4 with the reader's proj4 string.
// - Swapped longitude/latitude is detected from China's extent and the county's box and reported;
//   it is never swapped silently.
import proj4 from 'proj4';
import type { Geometry, Position } from 'geojson';

export type CrsId = 'wgs84' | 'cgcs2000' | 'gcj02' | 'bd09' | 'projected';
export const CRS_IDS: readonly CrsId[] = ['wgs84', 'cgcs2000', 'gcj02', 'bd09', 'projected'];

/** [west, south, east, north] in degrees. */
export type BBox = [number, number, number, number];

/** The extent inside which GCJ-02 applies (the constants of the published algorithm). */
export const CHINA_BBOX: BBox = [72.004, 0.8293, 137.8347, 55.8271];

const A = 6378245.0;
const EE = 0.00669342162296594323;
const X_PI = (Math.PI * 3000.0) / 180.0;

export function outOfChina(lon: number, lat: number): boolean {
	return lon < CHINA_BBOX[0] || lon > CHINA_BBOX[2] || lat < CHINA_BBOX[1] || lat > CHINA_BBOX[3];
}

function transformLat(x: number, y: number): number {
	let ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
	ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
	ret += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
	ret += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
	return ret;
}

function transformLon(x: number, y: number): number {
	let ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
	ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
	ret += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
	ret += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
	return ret;
}

/** WGS84 → GCJ-02 (the forward, published algorithm). Outside China: unchanged. */
export function wgs84ToGcj02(lon: number, lat: number): [number, number] {
	if (outOfChina(lon, lat)) return [lon, lat];
	let dLat = transformLat(lon - 105.0, lat - 35.0);
	let dLon = transformLon(lon - 105.0, lat - 35.0);
	const radLat = (lat / 180.0) * Math.PI;
	let magic = Math.sin(radLat);
	magic = 1 - EE * magic * magic;
	const sqrtMagic = Math.sqrt(magic);
	dLat = (dLat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
	dLon = (dLon * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
	return [lon + dLon, lat + dLat];
}

/** GCJ-02 → BD-09 (published). */
export function gcj02ToBd09(lon: number, lat: number): [number, number] {
	const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * X_PI);
	const theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * X_PI);
	return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
}

const TOLERANCE_DEG = 1e-9;
const MAX_ITERATIONS = 30;

/** Invert `forward` at `target` by fixed-point iteration: x ← x + (target − forward(x)). */
function invert(forward: (lon: number, lat: number) => [number, number], lon: number, lat: number, start: [number, number]): [number, number] {
	let [x, y] = start;
	for (let i = 0; i < MAX_ITERATIONS; i++) {
		const [fx, fy] = forward(x, y);
		const dx = lon - fx;
		const dy = lat - fy;
		x += dx;
		y += dy;
		if (Math.abs(dx) < TOLERANCE_DEG && Math.abs(dy) < TOLERANCE_DEG) break;
	}
	return [x, y];
}

/** GCJ-02 → WGS84, exact to well under a millimetre. Outside China: unchanged. */
export function gcj02ToWgs84(lon: number, lat: number): [number, number] {
	if (outOfChina(lon, lat)) return [lon, lat];
	return invert(wgs84ToGcj02, lon, lat, [lon, lat]);
}

/** BD-09 → GCJ-02: the published closed-form approximation, refined by iteration. */
export function bd09ToGcj02(lon: number, lat: number): [number, number] {
	const x = lon - 0.0065;
	const y = lat - 0.006;
	const z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * X_PI);
	const theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * X_PI);
	return invert(gcj02ToBd09, lon, lat, [z * Math.cos(theta), z * Math.sin(theta)]);
}

export function bd09ToWgs84(lon: number, lat: number): [number, number] {
	const [gLon, gLat] = bd09ToGcj02(lon, lat);
	return gcj02ToWgs84(gLon, gLat);
}

/** Great-circle distance in metres (haversine, mean Earth radius) — for tests and messages. */
export function distanceM(a: [number, number], b: [number, number]): number {
	const R = 6371008.8;
	const toRad = Math.PI / 180;
	const dLat = (b[1] - a[1]) * toRad;
	const dLon = (b[0] - a[0]) * toRad;
	const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * toRad) * Math.cos(b[1] * toRad) * Math.sin(dLon / 2) ** 2;
	return 2 * R * Math.asin(Math.sqrt(h));
}

export type PointConverter = (x: number, y: number) => [number, number];

/**
 * The function that turns the file's coordinates into WGS84 lon/lat for a declared system.
 * `projected` needs the reader's proj4 string; `swap` exchanges x and y first (the user accepted the
 * swap the report offered).
 */
export function converterFor(crs: CrsId, options: { proj4?: string | null; swap?: boolean } = {}): PointConverter {
	let base: PointConverter;
	switch (crs) {
		case 'wgs84':
		case 'cgcs2000':
			base = (x, y) => [x, y];
			break;
		case 'gcj02':
			base = gcj02ToWgs84;
			break;
		case 'bd09':
			base = bd09ToWgs84;
			break;
		case 'projected': {
			if (!options.proj4) throw new Error('a projected coordinate system needs its proj4 definition (from the file’s .prj or GeoPackage)');
			const p = proj4(options.proj4, 'EPSG:4326');
			base = (x, y) => {
				const [lon, lat] = p.forward([x, y]);
				return [lon, lat];
			};
			break;
		}
	}
	return options.swap ? (x, y) => base(y, x) : base;
}

/** Apply a point converter to every position of a geometry (a new geometry; the input is unchanged). */
export function convertGeometry(geometry: Geometry, convert: PointConverter): Geometry {
	const pos = (p: Position): Position => convert(p[0], p[1]);
	switch (geometry.type) {
		case 'Point':
			return { type: 'Point', coordinates: pos(geometry.coordinates) };
		case 'MultiPoint':
			return { type: 'MultiPoint', coordinates: geometry.coordinates.map(pos) };
		case 'LineString':
			return { type: 'LineString', coordinates: geometry.coordinates.map(pos) };
		case 'MultiLineString':
			return { type: 'MultiLineString', coordinates: geometry.coordinates.map((l) => l.map(pos)) };
		case 'Polygon':
			return { type: 'Polygon', coordinates: geometry.coordinates.map((r) => r.map(pos)) };
		case 'MultiPolygon':
			return { type: 'MultiPolygon', coordinates: geometry.coordinates.map((p) => p.map((r) => r.map(pos))) };
		case 'GeometryCollection':
			return { type: 'GeometryCollection', geometries: geometry.geometries.map((g) => convertGeometry(g, convert)) };
	}
}

function inBox(x: number, y: number, b: BBox): boolean {
	return x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];
}

export interface AxisCheck {
	/** Sample points looked at. */
	points: number;
	/** How many fall inside the county box as given / with x and y exchanged. */
	inCounty: number;
	inCountySwapped: number;
	inChina: number;
	inChinaSwapped: number;
	/** 'ok': as given; 'swapped': most points only make sense exchanged (offer the swap); 'outside': neither. */
	verdict: 'ok' | 'swapped' | 'outside' | 'empty';
}

/**
 * Are longitude and latitude exchanged? Looks at sample points (already in degrees) against the
 * county's box (grown by `marginDeg` for GCJ/BD offsets and edge villages) and China's extent. The
 * answer is a suggestion for the report — the pipeline swaps only when the user says so.
 */
export function checkAxes(points: Array<[number, number]>, countyBox: BBox, marginDeg = 0.1): AxisCheck {
	const box: BBox = [countyBox[0] - marginDeg, countyBox[1] - marginDeg, countyBox[2] + marginDeg, countyBox[3] + marginDeg];
	let inCounty = 0;
	let inCountySwapped = 0;
	let inChina = 0;
	let inChinaSwapped = 0;
	for (const [x, y] of points) {
		if (inBox(x, y, box)) inCounty++;
		if (inBox(y, x, box)) inCountySwapped++;
		if (inBox(x, y, CHINA_BBOX)) inChina++;
		if (inBox(y, x, CHINA_BBOX)) inChinaSwapped++;
	}
	const n = points.length;
	let verdict: AxisCheck['verdict'];
	if (n === 0) verdict = 'empty';
	else if (inCountySwapped > inCounty || (inCounty === 0 && inChinaSwapped > inChina)) verdict = 'swapped';
	else if (inCounty === 0 && inChina === 0) verdict = 'outside';
	else verdict = 'ok';
	return { points: n, inCounty, inCountySwapped, inChina, inChinaSwapped, verdict };
}

/** One representative position of a geometry (its first vertex), for axis checks and previews. */
export function firstPosition(geometry: Geometry): [number, number] | null {
	switch (geometry.type) {
		case 'Point':
			return [geometry.coordinates[0], geometry.coordinates[1]];
		case 'MultiPoint':
		case 'LineString':
			return geometry.coordinates[0] ? [geometry.coordinates[0][0], geometry.coordinates[0][1]] : null;
		case 'MultiLineString':
		case 'Polygon':
			return geometry.coordinates[0]?.[0] ? [geometry.coordinates[0][0][0], geometry.coordinates[0][0][1]] : null;
		case 'MultiPolygon':
			return geometry.coordinates[0]?.[0]?.[0] ? [geometry.coordinates[0][0][0][0], geometry.coordinates[0][0][0][1]] : null;
		case 'GeometryCollection':
			for (const g of geometry.geometries) {
				const p = firstPosition(g);
				if (p) return p;
			}
			return null;
	}
}
