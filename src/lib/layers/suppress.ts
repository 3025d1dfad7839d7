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
