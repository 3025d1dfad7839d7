// The scenario key figures read villages covered per stage from a finished chain-gaps run.
import { describe, expect, it } from 'vitest';
import { coverageFromRun } from './kpis.server.ts';

describe('coverageFromRun', () => {
	it('reads the stage summary of a chain-gaps result', () => {
		const result = {
			stages: [
				{ stage: 'production', threshold: 20, villages_covered: 180, villages_not_covered: 20, poor_villages_covered: 50 },
				{ stage: 'processing', threshold: 30, villages_covered: 60, villages_not_covered: 140, poor_villages_covered: 12 }
			]
		};
		expect(coverageFromRun(result)).toEqual([
			{ stage: 'production', thresholdMinutes: 20, villages: 200, covered: 180 },
			{ stage: 'processing', thresholdMinutes: 30, villages: 200, covered: 60 }
		]);
	});
	it('gives null for a result without the summary', () => {
		expect(coverageFromRun(null)).toBeNull();
		expect(coverageFromRun({ stages: [{ stage: 'production' }] })).toBeNull();
	});
});
