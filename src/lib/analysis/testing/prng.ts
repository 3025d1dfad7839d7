// A tiny seeded PRNG for tests and synthetic data (mulberry32). Never Math.random: every random
// test must replay exactly from its seed.

/** Returns a function yielding uniform floats in [0, 1), fully determined by `seed`. */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Uniform integer in [lo, hi] (inclusive). */
export function randInt(rand: () => number, lo: number, hi: number): number {
	return lo + Math.floor(rand() * (hi - lo + 1));
}

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
