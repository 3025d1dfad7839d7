// Default limits on hostile input. Every reader takes `Partial<Limits>` and fills the rest from here.
// The numbers are generous for a county's real files (the biggest seen are household registers of a
// few hundred thousand rows) and small enough that one upload cannot exhaust the server.
import type { Limits } from './types.ts';

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
	maxFileBytes: 200 * 1024 * 1024,
	maxUncompressedBytes: 1024 * 1024 * 1024,
	maxZipEntries: 10_000,
	maxCompressionRatio: 100,
	maxJsonDepth: 64,
	maxRecords: 2_000_000,
	maxColumns: 500,
	maxCellChars: 32_768,
	maxVertices: 1_000_000
});

/**
 * Archive entries smaller than this are not held to the compression-ratio limit: a small XML part of
 * repeated empty cells can legitimately compress 200:1, and a few MiB cannot hurt. The total
 * uncompressed size still counts them, and the inflated size is checked against the declared one.
 */
export const RATIO_EXEMPT_BYTES = 1024 * 1024;

export function resolveLimits(limits?: Partial<Limits>): Limits {
	const out: Limits = { ...DEFAULT_LIMITS };
	for (const [key, value] of Object.entries(limits ?? {}) as [keyof Limits, number | undefined][]) {
		if (value !== undefined) out[key] = value;
	}
	return out;
}
