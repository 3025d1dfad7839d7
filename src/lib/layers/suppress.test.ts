import { describe, expect, it } from 'vitest';
import { suppressAgainst, suppressCount } from './suppress.ts';

describe('suppression', () => {
	it('primary: 1..k-1 withheld, zero and k or more shown', () => {
		expect([0, 1, 4, 5].map((n) => suppressCount(n, 5).value)).toEqual([0, null, null, 5]);
	});

	it('complementary: 12 in all and 8 with a cause would give 4 without it -> the 8 is withheld', () => {
		expect(suppressAgainst(8, [12], 5)).toEqual({ value: null, suppressed: true, protective: true });
		expect(suppressAgainst(7, [12], 5)).toEqual({ value: 7, suppressed: false, protective: false });
		// Symmetric in the pair: either side of a difference of 1..k-1 withholds its count.
		expect(suppressAgainst(12, [8], 5).suppressed).toBe(true);
		expect(suppressAgainst(13, [10], 5).suppressed).toBe(true);
		expect(suppressAgainst(10, [13], 5).suppressed).toBe(true);
		// A difference of exactly k, or none, protects nothing.
		expect(suppressAgainst(7, [12, 7], 5).value).toBe(7);
	});

	it('a neighbour of 1..k-1 is never shown, so it protects nothing; a small count stays primary', () => {
		expect(suppressAgainst(0, [3], 5).value).toBe(0);
		expect(suppressAgainst(6, [3], 5).value).toBe(6);
		expect(suppressAgainst(3, [20], 5)).toEqual({ value: null, suppressed: true, protective: false });
	});

	it('no others (the unfiltered map, or any year: years are not set against each other): primary only', () => {
		expect([0, 4, 5, 6, 13].map((n) => suppressAgainst(n, [], 5).value)).toEqual([0, null, 5, 6, 13]);
		expect(suppressAgainst(4, [], 5).protective).toBe(false);
	});
});
