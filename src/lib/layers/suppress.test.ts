import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hiddenByCause, residualProtected, suppressAggregate, suppressCount, suppressFiltered, type Part, type Selection } from './suppress.ts';

const small = (n: number, k: number) => n >= 1 && n < k;
const sumOf = (counts: readonly number[], s: Selection) => (s === null ? counts.reduce((a, b) => a + b, 0) : s.reduce((a, i) => a + counts[i], 0));
const CAUSES = 6;

/** Per-cause counts of one cell: mostly small and zero, so the rules have work to do. */
const counts = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 5, max: 40 })), {
	minLength: CAUSES,
	maxLength: CAUSES
});
const selection = fc.subarray([...Array(CAUSES).keys()], { minLength: 1 });

describe('suppression', () => {
	it('primary: 1..k-1 withheld, zero and k or more shown', () => {
		expect([0, 1, 4, 5].map((n) => suppressCount(n, 5).value)).toEqual([0, null, null, 5]);
	});
});

describe('filters against filters (suppressFiltered)', () => {
	// Causes: 0 illness, 1 disability, 2 lack of capital, 3 other.
	it('12 in all, 8 with cause X, 4 with Y: small causes total 4 -> every filter withheld, all shown', () => {
		const c = [8, 4, 0, 0];
		expect(suppressFiltered(c, null, 5)).toEqual({ value: 12, suppressed: false, protective: false });
		expect(suppressFiltered(c, [0], 5)).toEqual({ value: null, suppressed: true, protective: true });
		expect(suppressFiltered(c, [1], 5)).toEqual({ value: null, suppressed: true, protective: false });
		// even a filter of none of its households: all − 0 would be set against all − X
		expect(suppressFiltered(c, [2], 5)).toEqual({ value: null, suppressed: true, protective: true });
	});

	it('a safe split: small causes total k or more -> filters without them shown, with part of them withheld', () => {
		const c = [10, 3, 2, 6]; // small: 1 and 2, total 5
		expect(suppressFiltered(c, [0], 5).value).toBe(10);
		expect(suppressFiltered(c, [0, 3], 5).value).toBe(16);
		expect(suppressFiltered(c, [0, 1], 5)).toEqual({ value: null, suppressed: true, protective: true });
		expect(suppressFiltered(c, [2], 5)).toEqual({ value: null, suppressed: true, protective: false });
		// Holding every small cause: all − the safe causes outside gives it anyway, so it is shown.
		expect(suppressFiltered(c, [1, 2], 5).value).toBe(5);
		expect(suppressFiltered(c, [0, 1, 2], 5).value).toBe(15);
	});

	it('a filter naming every cause is the unfiltered count; an empty cell shows zeros', () => {
		expect(suppressFiltered([8, 4], [0, 1], 5).value).toBe(12);
		expect(suppressFiltered([0, 0, 0], [1], 5).value).toBe(0);
	});

	it('property: no two shown counts of a cell single out 1..k-1 households', () => {
		fc.assert(
			fc.property(counts, fc.integer({ min: 2, max: 12 }), fc.array(selection, { minLength: 1, maxLength: 12 }), (c, k, sels) => {
				const all = sumOf(c, null);
				const shown = new Map<string, { s: number[]; n: number }>();
				for (const s of sels) {
					const out = suppressFiltered(c, s, k);
					const n = sumOf(c, s);
					// a shown count is the true one and never 1..k-1; a count of 1..k-1 is never "to protect"
					if (!out.suppressed) expect(out.value).toBe(n);
					expect(small(n, k) ? out.suppressed && !out.protective : true).toBe(true);
					if (!out.suppressed) shown.set([...s].sort().join(), { s, n });
				}
				const allShown = !small(all, k);
				const list = [...shown.values()];
				for (const S of list) {
					if (allShown) expect(small(all - S.n, k), `all ${all} − S ${S.n}`).toBe(false);
					for (const T of list) {
						const inS = new Set(S.s);
						if (T.s.every((i) => inS.has(i))) expect(small(S.n - T.n, k), `S ${S.n} − T ${T.n} (T ⊂ S)`).toBe(false);
						if (allShown && T.s.every((i) => !inS.has(i))) expect(small(all - S.n - T.n, k), `all − S − T`).toBe(false);
					}
				}
			}),
			{ numRuns: 2000 }
		);
	});

	it('property: hidden households are the small causes, or all of them when those total 1..k-1', () => {
		fc.assert(
			fc.property(counts, fc.integer({ min: 2, max: 12 }), (c, k) => {
				const h = hiddenByCause(c, k);
				const smallSum = c.filter((n) => small(n, k)).reduce((a, b) => a + b, 0);
				expect(h).toEqual(small(smallSum, k) ? c : c.map((n) => (small(n, k) ? n : 0)));
			})
		);
	});
});

describe('a hexagon against its villages (suppressAggregate)', () => {
	const part = (count: number, k: number, outcome = suppressFiltered([count], null, k), max?: number): Part => ({ count, outcome, max });

	it('residual 3 (a village of 3 among shown ones) -> withheld; 0 or 6 from two "< 5" -> shown', () => {
		const k = 5;
		expect(suppressAggregate(15, [part(12, k), part(3, k)], k)).toEqual({ value: null, suppressed: true, protective: true });
		expect(suppressAggregate(12, [part(12, k), part(0, k)], k).value).toBe(12);
		expect(suppressAggregate(18, [part(12, k), part(2, k), part(4, k)], k).value).toBe(18);
	});

	it('"< k" villages pinned by the residual: two of "< 5" making 8 are 4 each; five making 5 are 1 each', () => {
		const k = 5;
		expect(suppressAggregate(8, [part(4, k), part(4, k)], k).suppressed).toBe(true);
		expect(suppressAggregate(5, Array.from({ length: 5 }, () => part(1, k)), k).suppressed).toBe(true);
		expect(suppressAggregate(6, Array.from({ length: 5 }, (_, i) => part(i ? 1 : 2, k)), k).value).toBe(6);
		// One "< 5" village and one withheld to protect (0 or ≥ 5): residual 6 -> 1 + 5, pinned; 7 leaves 1+6 or 2+5.
		const guard = { value: null, suppressed: true, protective: true };
		expect(residualProtected([part(1, k), { count: 5, outcome: guard }], k)).toBe(false);
		expect(residualProtected([part(1, k), { count: 6, outcome: guard }], k)).toBe(true);
		// ... unless the protected village is known to hold at most 5.
		expect(residualProtected([part(1, k), { count: 6, outcome: guard, max: 6 }], k)).toBe(true);
		expect(residualProtected([part(2, k), { count: 5, outcome: guard, max: 5 }], k)).toBe(false);
	});

	it('filtered: a village showing 11 in all, withholding X (10 of X, 1 of Y), may not be completed by the hexagon', () => {
		const k = 5;
		// causes 0 = X, 1 = Y; village 1: 10 X + 1 Y (small causes total 1: every filter withheld); village 2: 10 X.
		const v1 = [10, 1];
		const v2 = [10, 0];
		const parts = [v1, v2].map((c) => ({ count: c[0], outcome: suppressFiltered(c, [0], k), max: c[0] + c[1] }));
		expect(parts.map((p) => p.outcome.suppressed)).toEqual([true, false]);
		const hidden = [0, 1].map((i) => hiddenByCause(v1, k)[i] + hiddenByCause(v2, k)[i]);
		// The residual is village 1's 10 alone: pinned, withheld.
		expect(residualProtected(parts.filter((p) => p.outcome.suppressed), k)).toBe(false);
		expect(suppressAggregate(20, parts, k, { selection: [0], hidden }).suppressed).toBe(true);
		// Were the residual not pinned (a third village, withheld to protect, of unknown size), the
		// hidden households (10 X, 1 Y: small causes total 1) still withhold the hexagon.
		const guard = { count: 0, outcome: { value: null, suppressed: true, protective: true } };
		expect(residualProtected([...parts.filter((p) => p.outcome.suppressed), guard], k)).toBe(true);
		expect(suppressAggregate(20, [...parts, guard], k, { selection: [0], hidden })).toEqual({ value: null, suppressed: true, protective: true });
		expect(suppressAggregate(20, [...parts, guard], k, { selection: [0], hidden: [10, 5] }).value).toBe(20);
	});

	it('property: a shown hexagon count minus its shown villages is never 1..k-1, for every filter', () => {
		fc.assert(
			fc.property(fc.array(counts, { minLength: 1, maxLength: 8 }), fc.integer({ min: 2, max: 12 }), fc.option(selection, { nil: null }), (villages, k, s) => {
				for (const key of [0, 1]) {
					// two counts per village (registered and poor) are decided alike; use the same draw twice, shifted
					const vs = key ? villages.map((c) => c.map((n) => Math.max(0, n - 1))) : villages;
					const parts = vs.map((c) => ({ count: sumOf(c, s), outcome: suppressFiltered(c, s, k), max: sumOf(c, null) }));
					const hidden = Array.from({ length: CAUSES }, (_, i) => vs.reduce((a, c) => a + hiddenByCause(c, k)[i], 0));
					const total = parts.reduce((a, p) => a + p.count, 0);
					const out = suppressAggregate(total, parts, k, s === null ? null : { selection: s, hidden });
					if (out.suppressed) continue;
					expect(out.value).toBe(total);
					const residual = total - parts.reduce((a, p) => a + (p.outcome.suppressed ? 0 : p.count), 0);
					expect(small(residual, k), `residual ${residual}, k ${k}`).toBe(false);
					expect(small(total, k)).toBe(false);
				}
			}),
			{ numRuns: 2000 }
		);
	});
});
