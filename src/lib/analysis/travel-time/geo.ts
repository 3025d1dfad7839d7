// Distances on the sphere and the two speed conversions used by the travel-time core.

/** Mean Earth radius (IUGG), metres. */
export const EARTH_RADIUS_M = 6_371_008.8;
export const DEG_TO_RAD = Math.PI / 180;
/** Metres per degree of latitude (and of longitude at the equator) on the mean sphere. */
export const METRES_PER_DEGREE = EARTH_RADIUS_M * DEG_TO_RAD;

/** Great-circle distance in metres between two lon/lat points (degrees, WGS84 treated as a sphere). */
export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
	const p1 = lat1 * DEG_TO_RAD;
	const p2 = lat2 * DEG_TO_RAD;
	const dp = p2 - p1;
	const dl = (lon2 - lon1) * DEG_TO_RAD;
	const h = Math.sin(dp / 2) ** 2 + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) ** 2;
	return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Minutes needed to cover `lengthM` metres at `speedKmh` km/h (2,000 m at 20 km/h = 6 min). */
export function minutesAt(lengthM: number, speedKmh: number): number {
	return (lengthM * 0.06) / speedKmh;
}
