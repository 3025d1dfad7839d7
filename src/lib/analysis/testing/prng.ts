// Test helpers for the analysis cores: the seeded PRNG and hand-measurable coordinates.
export { mulberry32, randInt } from '../prng.ts';

/** Metres per degree of latitude on the mean sphere used by the travel-time core. */
const M_PER_DEG = (6_371_008.8 * Math.PI) / 180;

/**
 * A [lon, lat] point `eastM` metres east and `northM` metres north of (`lon0`, `lat0`), in the
 * equirectangular plane at `lat0` (so equal `eastM` means equal longitude) — exact enough for
 * hand-computed lengths of a few kilometres.
 */
export function offsetLonLat(
	lon0: number,
	lat0: number,
	eastM: number,
	northM: number
): [number, number] {
	return [lon0 + eastM / (M_PER_DEG * Math.cos((lat0 * Math.PI) / 180)), lat0 + northM / M_PER_DEG];
}
