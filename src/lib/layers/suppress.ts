// Small-count suppression (domain.md, Privacy): an aggregate of 1 to k-1 households is never shown —
// not as a number, not as a colour that encodes it. Applied on the server before any response.
//
// Differencing. Suppressing each response on its own is not enough: two shown counts whose
// difference is a group of households give that group's size. Three rules close what the
// poverty-density layer's responses can be set against:
//   - filters against filters of the same cell and year: suppressFiltered;
//   - a hexagon against the villages in it, at the same year, filter and k: suppressAggregate;
//   - adjacent years are deliberately NOT set against each other. The difference between a cell's
//     counts at the end of y and y+1 is the village's registrations and exits in y+1, and the
//     poverty registration system itself posts exactly those in every village, with names
//     (贫困户公示 when households are registered, 脱贫公示 when they exit). A difference of 1..k−1
//     between years tells a reader nothing about a family that the village notice board has not
//     already told them. Setting years against each other withheld, on the demo's Yudu villages at
//     the end of 2014, 319 of 401 villages (280 of them to protect): a blank default map, to
//     protect public facts.
//
// Known limits, stated plainly:
//   - Years under a filter: the difference between filtered counts of y and y+1 is "registrations
//     (or exits) of cause S in y+1", and with the unfiltered maps of both years also "... not of
//     cause S". Where the public notices do not list the cause, that is a cause of a small group
//     (as few as 1 household) learnt by subtraction. Accepted with the rule above; a response
//     showing per-year registrations by cause would have to reopen it.
//   - Hexagons of different zoom grids overlap without nesting (each grid is anchored at the 3857
//     origin, with its own size): each hexagon is set against its villages only, not against the
//     hexagons of other zooms that cut it. A reader who solves the residual equations of several
//     grids together could in theory isolate a withheld village's count.
//   - Bounds are modelled, not solved: an observer's knowledge of a withheld count is taken as
//     "1..k−1" (it reads "< k") or "0 or ≥ k, at most the village's count" (withheld to protect).
//     Bounds learnt from other responses are not: a filter holding four causes that each read
//     "< 5" and itself reads "< 5" holds exactly one household of each.
//   - The hexagon rule looks at sums of villages, per cause; a full audit of what every response
//     together allows (an integer program over villages × causes) is not made.

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

/** A count's outcome: shown, or withheld as 1..k−1 itself, or withheld to protect one (`protective`). */
export type Withheld = Suppressed & { protective: boolean };

const isSmall = (n: number, k: number) => n >= 1 && n < k;
const primary = (): Withheld => ({ value: null, suppressed: true, protective: false });
const protect = (): Withheld => ({ value: null, suppressed: true, protective: true });
const show = (n: number): Withheld => ({ value: n, suppressed: false, protective: false });

/** A cause filter: indices into a cell's per-cause counts; null = every cause (unfiltered). */
export type Selection = readonly number[] | null;

/** The causes of a cell whose count is 1..k−1 (`small`), and their total. */
export function smallCauses(counts: readonly number[], k: number): { small: boolean[]; sum: number } {
	const small = counts.map((n) => isSmall(n, k));
	return { small, sum: counts.reduce((s, n, i) => (small[i] ? s + n : s), 0) };
}

/** Whether `selection` names every cause of `counts` (then it is the unfiltered count). */
function coversAll(selection: readonly number[], length: number): boolean {
	const set = new Set(selection);
	for (let i = 0; i < length; i++) if (!set.has(i)) return false;
	return true;
}

function sumOf(counts: readonly number[], selection: Selection): number {
	if (selection === null) return counts.reduce((s, n) => s + n, 0);
	return [...new Set(selection)].reduce((s, i) => s + (counts[i] ?? 0), 0);
}

/**
 * One cell's count under a cause filter, against every other filter of the same cell and year.
 * `counts` are the cell's raw counts per cause (every household has one main cause, an unknown one
 * counted as a cause of its own), so a filtered count is a sum of them.
 *
 * Suppressing each filter on its own is not enough: a cell of 12 households and 8 with cause X
 * shows 12 and, filtered by X, 8 — yet 12 − 8 = 4 households without X. Nor is setting each filter
 * against the unfiltered count: filters S ⊂ T give T − S, a third filter's count; S and T against
 * S ∪ T or "all − S − T" likewise. The rule, with `small` the causes whose count is 1..k−1:
 *   - unfiltered (or a filter naming every cause): shown unless 1..k−1 (primary only);
 *   - filtered, when the small causes total 1..k−1: withheld, every filter of the cell;
 *   - filtered otherwise: shown iff the filter contains no small cause, or all of them (and is not
 *     1..k−1 itself, which it then cannot be).
 * Why it is enough: a shown filtered count is a sum of per-cause counts each 0 or ≥ k, plus, when
 * the filter holds every small cause, their total (0 or ≥ k). Any set of households that shown
 * counts single out by subtraction (S − T for T ⊂ S, all − S, all − S − T for disjoint S, T, and
 * every other combination) is a union of "one safe cause" and "all small causes together", so
 * its size is 0 or ≥ k. The filter holding every small cause shows nothing new — all minus the
 * safe causes outside it gives it anyway — and showing it lets a hexagon be set against exactly
 * what its villages reveal (suppressAggregate).
 */
export function suppressFiltered(counts: readonly number[], selection: Selection, k: number): Withheld {
	const n = sumOf(counts, selection);
	if (isSmall(n, k)) return primary();
	if (selection === null || coversAll(selection, counts.length)) return show(n);
	const { small, sum } = smallCauses(counts, k);
	if (isSmall(sum, k)) return protect();
	const chosen = new Set(selection);
	let inside = 0;
	let outside = 0;
	small.forEach((s, i) => {
		if (s) chosen.has(i) ? inside++ : outside++;
	});
	return inside === 0 || outside === 0 ? show(n) : protect();
}

/**
 * The households of a cell, per cause, that its filtered counts (suppressFiltered) do not give
 * cause by cause: every household when the small causes total 1..k−1 (every filter withheld), else
 * those of the small causes (shown only as their total). A hexagon sums these over its villages.
 */
export function hiddenByCause(counts: readonly number[], k: number): number[] {
	const { small, sum } = smallCauses(counts, k);
	if (isSmall(sum, k)) return [...counts];
	return counts.map((n, i) => (small[i] ? n : 0));
}

/** One part of an aggregate (a village in a hexagon): its raw count and what its own response did with it. */
export interface Part {
	count: number;
	outcome: Withheld;
	/**
	 * The most an observer knows the part's count to be: the village's unfiltered count where that
	 * is shown, else k − 1 (it reads "< k"). Never the raw count of a withheld part. Infinity when
	 * nothing bounds it.
	 */
	max?: number;
}

/**
 * The values a part can take as an observer knows it: "< k" reads 1..k−1; withheld to protect reads
 * 0 or ≥ k; neither more than the part's `max`. As [from, to] intervals.
 */
function knownRange(p: Part, k: number, cap: number): [number, number][] {
	const max = Math.min(p.max ?? Infinity, cap);
	if (!p.outcome.protective) return [[1, Math.min(k - 1, max)]];
	return max >= k ? [[0, 0], [k, max]] : [[0, 0]];
}

/** The sums 0..r that parts with the given ranges can make (a 0/1 array). */
function reachable(ranges: [number, number][][], r: number): Uint8Array {
	let can = new Uint8Array(r + 1);
	can[0] = 1;
	const prefix = new Int32Array(r + 2);
	for (const range of ranges) {
		for (let s = 0; s <= r; s++) prefix[s + 1] = prefix[s] + can[s];
		const next = new Uint8Array(r + 1);
		for (let s = 0; s <= r; s++)
			for (const [a, b] of range) {
				// some earlier sum in s−b..s−a
				const lo = Math.max(0, s - b);
				const hi = s - a;
				if (hi >= lo && prefix[hi + 1] - prefix[lo] > 0) {
					next[s] = 1;
					break;
				}
			}
		can = next;
	}
	return can;
}

/**
 * Whether the withheld parts of an aggregate (the residual: aggregate − shown parts) stay hidden.
 *   - The residual r itself must be 0 or ≥ k.
 *   - No part may be pinned down by r and what an observer knows of the parts (knownRange): two
 *     villages of "< 5" in a hexagon whose residual is 8 are 4 each; five with a residual of 5 are 1
 *     each; a village withheld to protect (10 of X next to 1 of Y, 11 in all) beside one of "< 5"
 *     that has no X (withheld to protect, so 0) would be 10 exactly, and 11 − 10 = 1. Each part must
 *     be able to take two values (a part that can only be 0 reveals nothing).
 *   - The "< k" parts together must not be pinned either (the sum X of m such parts takes two
 *     values, or one strictly between m and m(k−1) with m ≥ 2): then every sum of some of them can
 *     take two values too.
 */
export function residualProtected(withheld: readonly Part[], k: number): boolean {
	const r = withheld.reduce((s, p) => s + p.count, 0);
	if (r === 0) return true;
	if (r < k) return false;
	// Each part alone: its values v with r − v reachable by the others.
	const ranges = withheld.map((p) => knownRange(p, k, r));
	for (let i = 0; i < withheld.length; i++) {
		if (withheld[i].count === 0 && ranges[i].every(([, b]) => b === 0)) continue;
		const others = reachable([...ranges.slice(0, i), ...ranges.slice(i + 1)], r);
		let values = 0;
		for (const [a, b] of ranges[i]) for (let v = a; v <= b && values < 2; v++) if (others[r - v]) values++;
		if (values < 2) return false;
	}
	// The "< k" parts together.
	const small = withheld.filter((p) => !p.outcome.protective);
	const m = small.length;
	if (m < 2) return true;
	const lo = m;
	const hi = m * (k - 1);
	const guards = reachable(
		withheld.filter((p) => p.outcome.protective).map((p) => knownRange(p, k, r)),
		r
	);
	let values = 0;
	let inside = false;
	for (let x = lo; x <= Math.min(hi, r); x++)
		if (guards[r - x]) {
			values++;
			if (x > lo && x < hi) inside = true;
		}
	return values >= 2 || inside;
}

/**
 * An aggregate of cells (a hexagon of villages) against the responses of those cells at the same
 * year, filter and k. Hexagon counts are sums of village counts, so a hexagon next to its shown
 * villages gives the rest: a hexagon of 15 with one shown village of 12 reveals the others' 3.
 * The rule, per count:
 *   - the aggregate is not 1..k−1 itself, and
 *   - its residual (aggregate − the parts the village response shows) is protected
 *     (residualProtected: 0 or ≥ k, and its "< k" parts not pinned down by their bounds), and
 *   - under a cause filter, the households the villages' filtered counts do not give cause by cause
 *     (hiddenByCause, summed over the parts: `hidden`) pass the filter rule of suppressFiltered with
 *     no "all small causes" exception: a hexagon filtered by X next to a village that shows 11 in
 *     all and withholds X (10 of X, 1 of Y) would otherwise give 11 − 10 = 1 household of Y.
 * A shown hexagon count is then, beyond its shown villages, a sum of hidden households of causes
 * each 0 or ≥ k in the hexagon, never 1..k−1 in all.
 */
export function suppressAggregate(total: number, parts: readonly Part[], k: number, filter: { selection: readonly number[]; hidden: readonly number[] } | null = null): Withheld {
	if (isSmall(total, k)) return primary();
	if (!residualProtected(parts.filter((p) => p.outcome.suppressed), k)) return protect();
	if (filter && !coversAll(filter.selection, filter.hidden.length)) {
		const { small, sum } = smallCauses(filter.hidden, k);
		if (isSmall(sum, k)) return protect();
		if (filter.selection.some((i) => small[i])) return protect();
	}
	return show(total);
}
