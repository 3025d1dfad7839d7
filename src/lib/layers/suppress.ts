// Small-count suppression (domain.md, Privacy): an aggregate of 1 to k-1 households is never shown —
// not as a number, not as a colour that encodes it. Applied on the server before any response.

export interface Suppressed {
	/** The count, or null when it is 1..k-1. Zero stays zero: an empty cell reveals no family. */
	value: number | null;
	suppressed: boolean;
}

export function suppressCount(count: number, k: number): Suppressed {
	if (count >= 1 && count < k) return { value: null, suppressed: true };
	return { value: count, suppressed: false };
}

/** The label of a suppressed count: "< k". */
export function suppressedLabel(k: number): string {
	return `< ${k}`;
}

/**
 * Complementary suppression against other responses for the same cell. Suppressing each response
 * on its own is not enough: a cell of 12 households in all and 8 with cause X shows 12 and, filtered
 * by X, 8 — both ≥ k, yet 12 − 8 = 4 households without X, a count of 1..k−1. The rule: a count is
 * shown only when
 *   - it is not 1..k−1 itself (primary), and
 *   - for every `other` — the same cell's raw count in a response that can be set against this one —
 *     that is not itself 1..k−1 (never shown), the difference |count − other| is not 1..k−1
 *     (complementary).
 * Each response applies it with the raw counts of its neighbours, so of any two responses whose
 * shown counts would differ by 1..k−1, both withhold theirs (the rule is symmetric in the pair).
 *
 * poverty-density passes, for a response (causes S, year y): the unfiltered count of year y when S
 * is a filter (filtered against all causes), and the counts under S of years y−1 and y+1 inside the
 * slider's range (adjacent years: new registrations and exits). Its cost is high where counts move
 * by a few households a year: on the demo's Yudu villages at the end of 2014, 280 of 401 villages
 * are withheld to protect (39 for 1..k−1 themselves); by 2018, 10. A rule that withholds only one
 * side of each pair (walking the years in order) would keep about half of those. Known limit: two different filters
 * S ⊂ T are not set against each other (T − S is a third filter's count); nor are zoom levels
 * (a hexagon minus its shown villages).
 */
export function suppressAgainst(count: number, others: readonly number[], k: number): Suppressed & { protective: boolean } {
	if (count >= 1 && count < k) return { value: null, suppressed: true, protective: false };
	for (const other of others) {
		// A neighbour of 1..k−1 is withheld in its own response whatever happens here: no pair.
		if (other >= 1 && other < k) continue;
		const d = Math.abs(count - other);
		if (d >= 1 && d < k) return { value: null, suppressed: true, protective: true };
	}
	return { value: count, suppressed: false, protective: false };
}
