import { describe, expect, it } from 'vitest';
import { mulberry32, randInt } from '../testing/prng.ts';
import {
	DEFAULT_HOUSING_GAP_PARAMS,
	aggregateHousingGaps,
	householdMeansYuan,
	housingAreaM2,
	housingGap,
	housingGapExact,
	resolveHousingGapParams,
	summarizeHousingGaps,
	type HousingGapParams
} from './housing-gap.ts';

describe('worked examples', () => {
	it('Jiangxi: 85,000 yuan per household against an 18,720 yuan subsidy', () => {
		// Household of 4 that could raise 20,000 yuan.
		// cost 85,000 (per household, wins over the m² cost); subsidy 18,720
		// required self-funding = 85,000 − 18,720 = 66,280
		// cap = min(3,000 × 4 = 12,000, 10,000) = 10,000 → 66,280 is far over the cap
		// asked = min(means 20,000, cap 10,000, required 66,280) = 10,000
		// gap = 85,000 − 18,720 − 10,000 = 56,280
		const r = housingGap({ members: 4, meansYuan: 20_000 }, { costPerHouseholdYuan: 85_000 });
		expect(r).toEqual({
			members: 4,
			areaM2: 100,
			costYuan: 85_000,
			subsidyYuan: 18_720,
			meansYuan: 20_000,
			selfFundingCapYuan: 10_000,
			requiredSelfFundingYuan: 66_280,
			askedSelfFundingYuan: 10_000,
			gapYuan: 56_280,
			overCap: true
		});
	});

	it('a household of 3 at 25 m² per person and 1,050 yuan/m²', () => {
		// area 3 × 25 = 75 m²; cost 75 × 1,050 = 78,750
		// required 78,750 − 18,720 = 60,030; cap min(9,000, 10,000) = 9,000 → over the cap
		// means 12,000: asked min(12,000, 9,000, 60,030) = 9,000
		// gap 78,750 − 18,720 − 9,000 = 51,030
		const r = housingGap({ members: 3, meansYuan: 12_000 });
		expect(r.areaM2).toBe(75);
		expect(r.costYuan).toBe(78_750);
		expect(r.requiredSelfFundingYuan).toBe(60_030);
		expect(r.selfFundingCapYuan).toBe(9000);
		expect(r.askedSelfFundingYuan).toBe(9000);
		expect(r.gapYuan).toBe(51_030);
		expect(r.overCap).toBe(true);
	});

	it('a 7-member household is capped at 150 m²', () => {
		// 7 × 25 = 175 m² > 150 → 150 m²; cost 150 × 1,050 = 157,500
		// cap min(21,000, 10,000) = 10,000; means 50,000 → asked 10,000
		// gap 157,500 − 18,720 − 10,000 = 128,780
		const r = housingGap({ members: 7, meansYuan: 50_000 });
		expect(r.areaM2).toBe(150);
		expect(r.costYuan).toBe(157_500);
		expect(r.askedSelfFundingYuan).toBe(10_000);
		expect(r.gapYuan).toBe(128_780);
		// 6 members: 6 × 25 = 150, exactly the cap; 5 members: 125 m², below the threshold.
		expect(housingAreaM2(6)).toBe(150);
		expect(housingAreaM2(5)).toBe(125);
		// With 30 m² per person the cap binds from 6 members (180 → 150), not at 5 (150).
		const p = resolveHousingGapParams({ areaPerPersonM2: 30 });
		expect(housingAreaM2(5, p)).toBe(150);
		expect(housingAreaM2(6, p)).toBe(150);
		expect(housingAreaM2(4, p)).toBe(120);
	});

	it('per-person subsidy variant', () => {
		// Scenario: no per-household subsidy, 20,000 yuan per person. Household of 3, means 5,000.
		// cost 78,750; subsidy 3 × 20,000 = 60,000; required 18,750 > cap 9,000 → over the cap
		// asked min(5,000, 9,000, 18,750) = 5,000; gap 78,750 − 60,000 − 5,000 = 13,750
		const r = housingGap(
			{ members: 3, meansYuan: 5000 },
			{ subsidyPerHouseholdYuan: 0, subsidyPerPersonYuan: 20_000 }
		);
		expect(r.subsidyYuan).toBe(60_000);
		expect(r.requiredSelfFundingYuan).toBe(18_750);
		expect(r.askedSelfFundingYuan).toBe(5000);
		expect(r.gapYuan).toBe(13_750);
		expect(r.overCap).toBe(true);
		// Both kinds together: 18,720 + 3 × 5,000 = 33,720.
		expect(housingGap({ members: 3, meansYuan: 0 }, { subsidyPerPersonYuan: 5000 }).subsidyYuan).toBe(33_720);
	});

	it('a household whose means are below the cap', () => {
		// 2 members, per-capita income 2,400 yuan, share 0.5: means 2,400 × 2 × 0.5 = 2,400
		// area 50 m², cost 52,500; required 52,500 − 18,720 = 33,780; cap min(6,000, 10,000) = 6,000
		// asked min(2,400, 6,000, 33,780) = 2,400 (its means, not the cap)
		// gap 52,500 − 18,720 − 2,400 = 31,380
		const r = housingGap({ members: 2, perCapitaIncomeYuan: 2400 });
		expect(r.meansYuan).toBe(2400);
		expect(r.selfFundingCapYuan).toBe(6000);
		expect(r.askedSelfFundingYuan).toBe(2400);
		expect(r.gapYuan).toBe(31_380);
		expect(r.overCap).toBe(true);
	});

	it('zero gap when subsidies cover the cost', () => {
		// 3 members; 18,720 + 3 × 25,000 = 93,720 ≥ 78,750: nothing required, nothing asked, no gap.
		const r = housingGap({ members: 3, meansYuan: 10_000 }, { subsidyPerPersonYuan: 25_000 });
		expect(r.requiredSelfFundingYuan).toBe(0);
		expect(r.askedSelfFundingYuan).toBe(0);
		expect(r.gapYuan).toBe(0);
		expect(r.overCap).toBe(false);
	});

	it('zero gap when subsidy plus affordable self-funding cover the cost', () => {
		// 4 members, house 25,000 per household: required 25,000 − 18,720 = 6,280 ≤ cap 10,000
		// means 8,000 → asked 6,280; gap 25,000 − 18,720 − 6,280 = 0; not over the cap.
		const r = housingGap({ members: 4, meansYuan: 8000 }, { costPerHouseholdYuan: 25_000 });
		expect(r.askedSelfFundingYuan).toBe(6280);
		expect(r.gapYuan).toBe(0);
		expect(r.overCap).toBe(false);
		// Exactly at the cap is not over it: required 10,000 = cap 10,000.
		expect(housingGap({ members: 4, meansYuan: 0 }, { costPerHouseholdYuan: 28_720 }).overCap).toBe(false);
		expect(housingGap({ members: 4, meansYuan: 0 }, { costPerHouseholdYuan: 28_721 }).overCap).toBe(true);
	});

	it('the cost per household wins over the cost per m² only when given', () => {
		expect(housingGap({ members: 3, meansYuan: 0 }, { costPerHouseholdYuan: null }).costYuan).toBe(78_750);
		expect(housingGap({ members: 3, meansYuan: 0 }, { costPerHouseholdYuan: 0 }).costYuan).toBe(0);
	});

	it('rounds to whole yuan at the end only', () => {
		// 23.3 m² × 3 = 69.9 m²; × 1,049.5 = 73,360.05; subsidy 18,720.4
		// required 54,639.65; cap 9,000; means 4,000.6 → asked 4,000.6
		// gap = 73,360.05 − 18,720.4 − 4,000.6 = 50,639.05 → 50,639 (housingGapExact keeps the
		// unrounded values for aggregation)
		const scenario = { areaPerPersonM2: 23.3, costPerM2Yuan: 1049.5, subsidyPerHouseholdYuan: 18_720.4 };
		const exact = housingGapExact({ members: 3, meansYuan: 4000.6 }, resolveHousingGapParams(scenario));
		expect(exact.costYuan).toBeCloseTo(73_360.05, 6);
		expect(exact.gapYuan).toBeCloseTo(50_639.05, 6);
		const r = housingGap({ members: 3, meansYuan: 4000.6 }, scenario);
		expect(r.areaM2).toBeCloseTo(69.9, 9);
		expect(r.costYuan).toBe(73_360);
		expect(r.subsidyYuan).toBe(18_720);
		expect(r.askedSelfFundingYuan).toBe(4001);
		expect(r.gapYuan).toBe(50_639);
		// Here rounding at the end matters: 3 households of 0.4 yuan gap each total 1.2 → 1, where
		// summing rounded households would give 0.
		const tiny = summarizeHousingGaps(
			[1, 2, 3].map(() => ({ group: 'g', members: 1, meansYuan: 0 })),
			{ costPerHouseholdYuan: 18_720.4 }
		);
		expect(tiny.households.map((h) => h.gapYuan)).toEqual([0, 0, 0]);
		expect(tiny.total.totalGapYuan).toBe(1);
	});
});

describe('means and parameters', () => {
	it('takes means given directly over income, and income × members × share otherwise', () => {
		expect(householdMeansYuan({ members: 3, meansYuan: 700, perCapitaIncomeYuan: 4000 })).toBe(700);
		// 4,000 × 3 × 0.5 = 6,000
		expect(householdMeansYuan({ members: 3, perCapitaIncomeYuan: 4000 })).toBe(6000);
		// share 1: one year's income, 12,000
		const p = resolveHousingGapParams({ meansShareOfIncome: 1 });
		expect(householdMeansYuan({ members: 3, perCapitaIncomeYuan: 4000 }, p)).toBe(12_000);
		// A loss year gives no means.
		expect(householdMeansYuan({ members: 3, perCapitaIncomeYuan: -500 })).toBe(0);
		expect(() => householdMeansYuan({ members: 3 })).toThrow(/meansYuan or perCapitaIncomeYuan/);
		expect(() => householdMeansYuan({ members: 3, meansYuan: -1 })).toThrow(RangeError);
	});

	it('has the documented defaults', () => {
		expect(DEFAULT_HOUSING_GAP_PARAMS).toMatchObject({
			areaPerPersonM2: 25,
			largeHouseholdMembers: 6,
			largeHouseholdCapM2: 150,
			costPerM2Yuan: 1050,
			subsidyPerHouseholdYuan: 18_720,
			subsidyPerPersonYuan: 0,
			selfFundingCapPerPersonYuan: 3000,
			selfFundingCapPerHouseholdYuan: 10_000
		});
		expect(resolveHousingGapParams()).toEqual(DEFAULT_HOUSING_GAP_PARAMS);
	});

	it('rejects bad parameters and households', () => {
		expect(() => resolveHousingGapParams({ costPerM2Yuan: -1 })).toThrow(/costPerM2Yuan/);
		expect(() => resolveHousingGapParams({ subsidyPerPersonYuan: NaN })).toThrow(RangeError);
		expect(() => resolveHousingGapParams({ largeHouseholdMembers: 2.5 })).toThrow(RangeError);
		expect(() => resolveHousingGapParams({ costPerHouseholdYuan: -5 })).toThrow(RangeError);
		expect(() => housingGap({ members: 0, meansYuan: 0 })).toThrow(/members/);
		expect(() => housingGap({ members: 2.5, meansYuan: 0 })).toThrow(/members/);
	});
});

describe('aggregation', () => {
	it('totals per village and over all', () => {
		// Village A: the household of 3 above (gap 51,030, over cap) and a covered one (gap 0).
		// Village B: the 7-member household (gap 128,780, over cap).
		const { groups, total, households } = summarizeHousingGaps([
			{ group: 'A', members: 3, meansYuan: 12_000 },
			{ group: 'B', members: 7, meansYuan: 50_000 },
			{ group: 'A', members: 1, meansYuan: 10_000 }
		]);
		// The single-person household: 25 m², cost 26,250; required 7,530 > cap 3,000 → over cap;
		// asked 3,000; gap 26,250 − 18,720 − 3,000 = 4,530.
		expect(households.map((h) => h.gapYuan)).toEqual([51_030, 128_780, 4530]);
		expect(groups.map((g) => g.group)).toEqual(['A', 'B']);
		const a = groups[0];
		expect(a).toEqual({
			group: 'A',
			households: 2,
			members: 4,
			totalCostYuan: 78_750 + 26_250,
			totalSubsidyYuan: 2 * 18_720,
			totalAskedSelfFundingYuan: 9000 + 3000,
			totalGapYuan: 51_030 + 4530,
			meanGapPerHouseholdYuan: (51_030 + 4530) / 2,
			householdsWithGap: 2,
			overCapHouseholds: 2,
			overCapShare: 1
		});
		expect(total.households).toBe(3);
		expect(total.totalGapYuan).toBe(51_030 + 128_780 + 4530);
		expect(total.meanGapPerHouseholdYuan).toBe(Math.round((51_030 + 128_780 + 4530) / 3));
		expect(total.overCapShare).toBe(1);
	});

	it('handles no households and groups without gaps', () => {
		expect(aggregateHousingGaps([]).total).toMatchObject({
			households: 0,
			meanGapPerHouseholdYuan: 0,
			overCapShare: 0
		});
		const generous = resolveHousingGapParams({ subsidyPerPersonYuan: 40_000 });
		const rich = housingGapExact({ members: 2, meansYuan: 0 }, generous);
		const { groups } = aggregateHousingGaps([{ group: 'site-1', result: rich }]);
		expect(groups[0]).toMatchObject({ totalGapYuan: 0, householdsWithGap: 0, overCapShare: 0 });
	});
});

/** Random scenario and household from a seeded PRNG. */
function randomCase(rand: () => number): { params: HousingGapParams; members: number; means: number } {
	const params = resolveHousingGapParams({
		areaPerPersonM2: 15 + rand() * 20,
		largeHouseholdMembers: randInt(rand, 3, 8),
		largeHouseholdCapM2: 80 + rand() * 120,
		costPerM2Yuan: 600 + rand() * 1200,
		costPerHouseholdYuan: rand() < 0.3 ? rand() * 120_000 : null,
		subsidyPerHouseholdYuan: rand() < 0.7 ? rand() * 40_000 : 0,
		subsidyPerPersonYuan: rand() < 0.4 ? rand() * 25_000 : 0,
		selfFundingCapPerPersonYuan: rand() * 6000,
		selfFundingCapPerHouseholdYuan: rand() * 20_000
	});
	return { params, members: randInt(rand, 1, 10), means: rand() < 0.1 ? 0 : rand() * 30_000 };
}

describe('properties (seeded random cases)', () => {
	const N = 1000;

	it('gap ≥ 0 and the accounting identities hold', () => {
		const rand = mulberry32(20_240_601);
		for (let i = 0; i < N; i++) {
			const { params, members, means } = randomCase(rand);
			const r = housingGapExact({ members, meansYuan: means }, params);
			expect(r.gapYuan).toBeGreaterThanOrEqual(0);
			expect(r.askedSelfFundingYuan).toBeLessThanOrEqual(r.selfFundingCapYuan);
			expect(r.askedSelfFundingYuan).toBeLessThanOrEqual(r.meansYuan);
			expect(r.askedSelfFundingYuan).toBeLessThanOrEqual(r.requiredSelfFundingYuan);
			// Everything is paid by someone: subsidy + asked + gap = max(cost, subsidy).
			const paid = r.subsidyYuan + r.askedSelfFundingYuan + r.gapYuan;
			expect(paid).toBeCloseTo(Math.max(r.costYuan, r.subsidyYuan), 6);
			// A household within the cap that can pay what is required leaves no gap.
			if (!r.overCap && r.meansYuan >= r.requiredSelfFundingYuan) expect(r.gapYuan).toBe(0);
			const rounded = housingGap({ members, meansYuan: means }, params);
			expect(Number.isInteger(rounded.gapYuan)).toBe(true);
			expect(rounded.gapYuan).toBeGreaterThanOrEqual(0);
		}
	});

	it('gap never increases when a subsidy rises', () => {
		const rand = mulberry32(7);
		for (let i = 0; i < N; i++) {
			const { params, members, means } = randomCase(rand);
			const h = { members, meansYuan: means };
			const base = housingGapExact(h, params);
			const moreHousehold = housingGapExact(h, {
				...params,
				subsidyPerHouseholdYuan: params.subsidyPerHouseholdYuan + rand() * 20_000
			});
			const morePerson = housingGapExact(h, {
				...params,
				subsidyPerPersonYuan: params.subsidyPerPersonYuan + rand() * 10_000
			});
			expect(moreHousehold.gapYuan).toBeLessThanOrEqual(base.gapYuan);
			expect(morePerson.gapYuan).toBeLessThanOrEqual(base.gapYuan);
			// …nor does a higher subsidy turn a household over the cap.
			if (!base.overCap) expect(moreHousehold.overCap || morePerson.overCap).toBe(false);
		}
	});

	it('overCap is monotone in cost (and the gap never falls as cost rises)', () => {
		const rand = mulberry32(99);
		for (let i = 0; i < N; i++) {
			const { params, members, means } = randomCase(rand);
			const h = { members, meansYuan: means };
			const base = housingGapExact(h, params);
			const dearer =
				params.costPerHouseholdYuan != null
					? { ...params, costPerHouseholdYuan: params.costPerHouseholdYuan + rand() * 50_000 }
					: { ...params, costPerM2Yuan: params.costPerM2Yuan + rand() * 800 };
			const up = housingGapExact(h, dearer);
			expect(up.costYuan).toBeGreaterThanOrEqual(base.costYuan);
			if (base.overCap) expect(up.overCap).toBe(true);
			expect(up.gapYuan).toBeGreaterThanOrEqual(base.gapYuan);
		}
	});

	it('gap never increases when the household can pay more', () => {
		const rand = mulberry32(1234);
		for (let i = 0; i < N; i++) {
			const { params, members, means } = randomCase(rand);
			const a = housingGapExact({ members, meansYuan: means }, params);
			const b = housingGapExact({ members, meansYuan: means + rand() * 10_000 }, params);
			expect(b.gapYuan).toBeLessThanOrEqual(a.gapYuan);
			expect(b.overCap).toBe(a.overCap); // the cap test does not depend on means
		}
	});

	it('group totals equal the sum of exact household values, rounded once', () => {
		const rand = mulberry32(5);
		const params = resolveHousingGapParams({ areaPerPersonM2: 23.7, costPerM2Yuan: 1033.3 });
		const households = Array.from({ length: 300 }, () => ({
			group: `v${randInt(rand, 1, 7)}`,
			members: randInt(rand, 1, 9),
			perCapitaIncomeYuan: rand() * 8000
		}));
		const { groups, total } = summarizeHousingGaps(households, params);
		for (const g of groups) {
			const exact = households
				.filter((h) => h.group === g.group)
				.map((h) => housingGapExact(h, params));
			expect(g.households).toBe(exact.length);
			expect(g.totalGapYuan).toBe(Math.round(exact.reduce((s, r) => s + r.gapYuan, 0)));
			expect(g.totalCostYuan).toBe(Math.round(exact.reduce((s, r) => s + r.costYuan, 0)));
			expect(g.overCapHouseholds).toBe(exact.filter((r) => r.overCap).length);
		}
		expect(groups.reduce((s, g) => s + g.households, 0)).toBe(total.households);
	});
});
