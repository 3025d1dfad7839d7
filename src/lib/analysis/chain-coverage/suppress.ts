// What of a chain-coverage answer may leave the server: household counts of 1..k−1 become null, and
// every published sum of households is a sum of counts that are themselves published (villages with a
// suppressed count are counted as villages instead). Then no difference of two published numbers —
// between stages, or against one village — can reveal a suppressed count.
import type { ChainCoverage, ChainGap, StageCoverage } from './chain-coverage.ts';

export interface PublicChainGap<S extends string = string> extends Omit<ChainGap<S>, 'poor_households' | 'minutes'> {
	/** Minutes, 0.1 precision; null when no site of the stage is reachable (Infinity is not JSON). */
	minutes: number | null;
	/** null when 1..k−1. */
	poor_households: number | null;
}

export interface PublicStageCoverage<S extends string = string> extends StageCoverage<S> {
	/** Poor villages covered / not covered whose count is suppressed (left out of the household sums). */
	poor_villages_covered_suppressed: number;
	poor_villages_not_covered_suppressed: number;
}

/** A count as it may be shown: null for 1..k−1 (zero stays zero: it reveals no family). */
export function shownCount(n: number, k: number): number | null {
	return n >= 1 && n < k ? null : n;
}

export const roundMinutes = (m: number): number | null => (Number.isFinite(m) ? Math.round(m * 10) / 10 : null);

/**
 * The publishable form of the gaps and the stage summary. `poorOf(village index)` gives the true count
 * (the core's input) so the sums can be rebuilt from shown counts only.
 */
export function suppressChainCoverage<S extends string>(
	coverage: ChainCoverage<S>,
	poorOf: (village: number) => number,
	k: number
): { gaps: PublicChainGap<S>[]; stages: PublicStageCoverage<S>[] } {
	if (!(Number.isInteger(k) && k >= 2)) throw new RangeError(`k must be an integer ≥ 2, got ${k}`);
	const gaps = coverage.gaps.map(
		(g): PublicChainGap<S> => ({
			village: g.village,
			code: g.code,
			name_zh: g.name_zh,
			township_zh: g.township_zh,
			stage: g.stage,
			minutes: roundMinutes(g.minutes),
			threshold: g.threshold,
			poor_households: shownCount(g.poor_households, k)
		})
	);
	// True counts once per village; then per stage only array reads.
	const n = coverage.villages.length;
	const poor = new Float64Array(n);
	const hidden = new Uint8Array(n);
	for (let i = 0; i < n; i++) {
		const c = poorOf(coverage.villages[i].index);
		poor[i] = c;
		hidden[i] = shownCount(c, k) === null ? 1 : 0;
	}
	const stages = coverage.stages.map((row, s): PublicStageCoverage<S> => {
		const out: PublicStageCoverage<S> = {
			...row,
			poor_households_covered: 0,
			poor_households_not_covered: 0,
			poor_villages_covered_suppressed: 0,
			poor_villages_not_covered_suppressed: 0
		};
		for (let i = 0; i < n; i++) {
			const c = poor[i];
			if (c === 0) continue;
			if (coverage.villages[i].reached[s]) {
				if (hidden[i]) out.poor_villages_covered_suppressed++;
				else out.poor_households_covered += c;
			} else if (hidden[i]) out.poor_villages_not_covered_suppressed++;
			else out.poor_households_not_covered += c;
		}
		return out;
	});
	return { gaps, stages };
}
