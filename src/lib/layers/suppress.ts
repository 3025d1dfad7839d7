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
 * poverty-density passes one `other` for a response (causes S, year y): the unfiltered count of the
 * same cell in year y, when S is a filter. A cause is health, disability or family information, so
 * "all causes − cause S" must never give 1..k−1.
 *
 * Adjacent years are deliberately NOT set against each other. The difference between a cell's
 * counts at the end of y and y+1 is the village's registrations and exits in y+1, and the poverty
 * registration system itself posts exactly those in every village, with names (贫困户公示 when
 * households are registered, 脱贫公示 when they exit). A difference of 1..k−1 between years tells
 * a reader nothing about a family that the village notice board has not already told them. Setting
 * years against each other withheld, on the demo's Yudu villages at the end of 2014, 319 of 401
 * villages (280 of them to protect): a blank default map, to protect public facts. Without it, 39
 * (all of 1..k−1 themselves); filtered by illness, 65 (2 to protect), against 339 before.
 *
 * Known limits, stated plainly:
 *   - Years under a filter: the difference between filtered counts of y and y+1 is "registrations
 *     (or exits) of cause S in y+1", and with the unfiltered maps of both years also "... not of
 *     cause S". Where the public notices do not list the cause, that is a cause of a small group
 *     (as few as 1 household) learnt by subtraction. Accepted with the rule above; a response
 *     showing per-year registrations by cause would have to reopen it.
 *   - Filters against each other: two different filters S ⊂ T are not set against each other
 *     (T − S is a third filter's count, which may be 1..k−1), nor S and T against S ∪ T.
 *   - Zoom levels: a hexagon is not set against the villages in it (a zoom-9 hexagon of 15
 *     households next to its one shown village of 12 reveals the other villages' 3), nor a
 *     hexagon against the larger one around it.
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
