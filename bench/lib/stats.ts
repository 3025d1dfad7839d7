// Timing and order statistics shared by the benchmark scripts.

/** Milliseconds `fn` took (wall clock), with its value. */
export async function time<T>(fn: () => Promise<T>): Promise<[ms: number, value: T]> {
	const t0 = performance.now();
	const value = await fn();
	return [performance.now() - t0, value];
}

/**
 * The q-quantile of a sample by the nearest-rank rule on the sorted sample (no interpolation: every
 * figure reported is one that was measured). q = 0.5 of an even-sized sample is the upper middle.
 */
export function quantile(xs: readonly number[], q: number): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);
