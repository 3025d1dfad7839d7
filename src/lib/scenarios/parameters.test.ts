import { describe, expect, it } from 'vitest';
import {
	DEFAULT_SCENARIO_PARAMETERS,
	ParameterError,
	checkName,
	completeParameters,
	mergeParameters,
	parseParameterPatch,
	type ScenarioParameters
} from './parameters.ts';

const fieldOf = (fn: () => unknown): string | null => {
	try {
		fn();
		return null;
	} catch (err) {
		return err instanceof ParameterError ? err.field : 'not a ParameterError';
	}
};

describe('scenario parameters', () => {
	it('accepts a valid partial patch, per stage and per road class', () => {
		expect(parseParameterPatch({ subsidyPerHouseholdYuan: 30_000, stageThresholdMinutes: { processing: 25 }, roadSpeedKmh: { walking: 5 } })).toEqual({
			subsidyPerHouseholdYuan: 30_000,
			stageThresholdMinutes: { processing: 25 },
			roadSpeedKmh: { walking: 5 }
		});
		// 0 is a real subsidy policy.
		expect(parseParameterPatch({ subsidyPerPersonYuan: 0 })).toEqual({ subsidyPerPersonYuan: 0 });
	});

	it('names the field of every bad value', () => {
		expect(fieldOf(() => parseParameterPatch({ areaPerPersonM2: 0 }))).toBe('areaPerPersonM2');
		expect(fieldOf(() => parseParameterPatch({ subsidyPerHouseholdYuan: -1 }))).toBe('subsidyPerHouseholdYuan');
		expect(fieldOf(() => parseParameterPatch({ constructionCostPerM2Yuan: '1050' }))).toBe('constructionCostPerM2Yuan');
		expect(fieldOf(() => parseParameterPatch({ largeHouseholdMembers: 5.5 }))).toBe('largeHouseholdMembers');
		expect(fieldOf(() => parseParameterPatch({ stageThresholdMinutes: { cold_chain: 0 } }))).toBe('stageThresholdMinutes.cold_chain');
		expect(fieldOf(() => parseParameterPatch({ stageThresholdMinutes: { packing: 10 } }))).toBe('stageThresholdMinutes.packing');
		expect(fieldOf(() => parseParameterPatch({ stageThresholdMinutes: [30] }))).toBe('stageThresholdMinutes');
		expect(fieldOf(() => parseParameterPatch({ roadSpeedKmh: { county: 400 } }))).toBe('roadSpeedKmh.county');
		expect(fieldOf(() => parseParameterPatch({ roadSpeedKmh: { walking: 30 } }))).toBe('roadSpeedKmh.walking');
		expect(fieldOf(() => parseParameterPatch({ roadSpeedKmh: { dirt: 10 } }))).toBe('roadSpeedKmh.dirt');
		expect(fieldOf(() => parseParameterPatch({ subsidy: 1 }))).toBe('subsidy');
		expect(fieldOf(() => parseParameterPatch(null))).toBe('parameters');
	});

	it('merges thresholds and speeds per key', () => {
		const base = structuredClone(DEFAULT_SCENARIO_PARAMETERS) as ScenarioParameters;
		const merged = mergeParameters(base, { stageThresholdMinutes: { processing: 25 } as never, subsidyPerPersonYuan: 500 });
		expect(merged.stageThresholdMinutes).toEqual({ production: 20, processing: 25, cold_chain: 45, logistics: 60, marketing: 60 });
		expect(merged.roadSpeedKmh).toEqual(base.roadSpeedKmh);
		expect(merged.subsidyPerPersonYuan).toBe(500);
	});

	it('completes stored rows: missing stages take defaults, text jsonb is parsed', () => {
		const p = completeParameters({
			areaPerPersonM2: 25,
			largeHouseholdMembers: 6,
			largeHouseholdCapM2: 150,
			constructionCostPerM2Yuan: '1050',
			subsidyPerHouseholdYuan: 18_720,
			subsidyPerPersonYuan: 0,
			selfFundingCapPerPersonYuan: 3000,
			selfFundingCapPerHouseholdYuan: 10_000,
			stageThresholdMinutes: '{"processing": 40}',
			roadSpeedKmh: { county: 45 }
		});
		expect(p.constructionCostPerM2Yuan).toBe(1050);
		expect(p.stageThresholdMinutes.processing).toBe(40);
		expect(p.stageThresholdMinutes.logistics).toBe(60);
		expect(p.roadSpeedKmh.county).toBe(45);
		expect(p.roadSpeedKmh.walking).toBe(4);
	});

	it('names: trimmed, not blank, not too long', () => {
		expect(checkName('  高补助   方案 ')).toBe('高补助 方案');
		expect(fieldOf(() => checkName('   '))).toBe('name');
		expect(fieldOf(() => checkName('x'.repeat(61)))).toBe('name');
		expect(fieldOf(() => checkName(5))).toBe('name');
	});
});
