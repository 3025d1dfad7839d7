// The chain-coverage core on a hand-computed case, its checks, suppression, the CSV form, and the
// property that coverage never falls when a threshold rises.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { chainCoverage, csvCell, suppressChainCoverage, toCsv, type ChainVillage } from './index.ts';

const STAGES = ['production', 'processing', 'cold_chain'] as const;
const villages: ChainVillage[] = [
	{ code: '1', name_zh: '甲村', township_zh: '一镇', poor_households: 12 },
	{ code: '2', name_zh: '乙村', township_zh: '一镇', poor_households: 3 },
	{ code: '3', name_zh: '丙村', township_zh: null, poor_households: 0 },
	{ code: '4', name_zh: '丁村', township_zh: '二镇', poor_households: 7 }
];
const I = Infinity;
// Thresholds 20, 30, 45 minutes.
//            production processing cold chain
const minutes = Float64Array.from([
	10, 30, 50, //   甲: ✓ ✓ (30 ≤ 30, inclusive) ✗
	25, 5, I, //     乙: ✗ ✓ ✗ (no cold chain reachable)
	20, 31, 45, //   丙: ✓ ✗ ✓
	I, I, I //       丁: ✗ ✗ ✗
]);
const thresholds = [20, 30, 45];

describe('chainCoverage (hand-computed)', () => {
	const c = chainCoverage({ stages: STAGES, villages, minutes, thresholds });

	test('stages reached per village, threshold inclusive', () => {
		expect(c.villages.map((v) => v.reached)).toEqual([
			[true, true, false],
			[false, true, false],
			[true, false, true],
			[false, false, false]
		]);
		expect(c.villages.map((v) => v.stagesReached)).toEqual([2, 1, 2, 0]);
		expect(c.byStagesReached).toEqual([1, 1, 2, 0]);
	});

	test('summary per stage: villages and poor households covered', () => {
		expect(c.stages.map((s) => [s.stage, s.villages_covered, s.villages_not_covered, s.poor_villages_covered, s.poor_villages_not_covered, s.poor_households_covered, s.poor_households_not_covered])).toEqual([
			['production', 2, 2, 1, 2, 12, 10], // 甲 (and 丙, not poor); missing 乙 3 + 丁 7
			['processing', 2, 2, 2, 1, 15, 7], //  甲 12 + 乙 3; missing 丁 7 (丙 not poor)
			['cold_chain', 1, 3, 0, 3, 0, 22] //   丙 only; missing 甲 12 + 乙 3 + 丁 7
		]);
	});

	test('gap list: poor villages only, by stage then farthest first', () => {
		expect(c.gaps.map((g) => [g.stage, g.code, g.minutes, g.poor_households])).toEqual([
			['production', '4', I, 7],
			['production', '2', 25, 3],
			['processing', '4', I, 7],
			['cold_chain', '2', I, 3],
			['cold_chain', '4', I, 7],
			['cold_chain', '1', 50, 12]
		]);
		expect(c.gaps[0]).toMatchObject({ name_zh: '丁村', township_zh: '二镇', threshold: 20 });
	});

	test('suppression: 1..k−1 hidden, sums only of shown counts', () => {
		const p = suppressChainCoverage(c, (i) => villages[i].poor_households, 5);
		expect(p.gaps.map((g) => [g.code, g.poor_households, g.minutes])).toEqual([
			['4', 7, null],
			['2', null, 25],
			['4', 7, null],
			['2', null, null],
			['4', 7, null],
			['1', 12, 50]
		]);
		expect(p.stages.map((s) => [s.poor_households_covered, s.poor_villages_covered_suppressed, s.poor_households_not_covered, s.poor_villages_not_covered_suppressed])).toEqual([
			[12, 0, 7, 1],
			[12, 1, 7, 0],
			[0, 0, 19, 1]
		]);
		expect(() => suppressChainCoverage(c, () => 0, 1)).toThrow(/k/);
	});

	test('bad input is refused, naming what is wrong', () => {
		expect(() => chainCoverage({ stages: STAGES, villages, minutes, thresholds: [20, 30] })).toThrow(/thresholds: 2 values for 3 stages/);
		expect(() => chainCoverage({ stages: STAGES, villages, minutes: new Float64Array(3), thresholds })).toThrow(/villages × stages/);
		expect(() => chainCoverage({ stages: STAGES, villages, minutes, thresholds: [20, NaN, 45] })).toThrow(/thresholds\[processing\]/);
		const bad = Float64Array.from(minutes);
		bad[4] = NaN;
		expect(() => chainCoverage({ stages: STAGES, villages, minutes: bad, thresholds })).toThrow(/village 2, stage processing/);
		expect(() => chainCoverage({ stages: STAGES, villages: [{ ...villages[0], poor_households: -1 }, ...villages.slice(1)], minutes, thresholds })).toThrow(/villages\[0\] \(1\)/);
	});
});

describe('CSV export', () => {
	test('BOM, CRLF, quoting, and formula cells neutralised', () => {
		const bytes = toCsv(['村', 'minutes'], [
			['=HYPERLINK("x")', 12.5],
			['+1', -3],
			['-2', null],
			['@SUM(A1)', Infinity],
			['a,b', 0],
			['甲村', 1]
		]);
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = new TextDecoder().decode(bytes.slice(3));
		expect(text).toBe(`村,minutes\r\n"'=HYPERLINK(""x"")",12.5\r\n'+1,-3\r\n'-2,\r\n'@SUM(A1),\r\n"a,b",0\r\n甲村,1\r\n`);
		expect(csvCell('\tx')).toBe("'\tx");
		expect(() => toCsv(['a', 'b'], [['x']])).toThrow(/1 cells, header has 2/);
	});
});

describe('property', () => {
	test('coverage never falls when a threshold rises (seeded)', () => {
		const S = 4;
		const instance = fc.integer({ min: 1, max: 25 }).chain((n) =>
			fc.record({
				poor: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: n, maxLength: n }),
				minutes: fc.array(fc.oneof(fc.constant(Infinity), fc.integer({ min: 0, max: 200 })), { minLength: n * S, maxLength: n * S }),
				lo: fc.array(fc.integer({ min: 0, max: 150 }), { minLength: S, maxLength: S }),
				raise: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: S, maxLength: S })
			})
		);
		fc.assert(
			fc.property(instance, ({ poor, minutes: m, lo, raise }) => {
				const vs = poor.map((n, i) => ({ code: String(i), name_zh: `村${i}`, township_zh: null, poor_households: n }));
				const stages = ['a', 'b', 'c', 'd'];
				const mins = Float64Array.from(m);
				const a = chainCoverage({ stages, villages: vs, minutes: mins, thresholds: lo });
				const b = chainCoverage({ stages, villages: vs, minutes: mins, thresholds: lo.map((x, i) => x + raise[i]) });
				a.villages.forEach((v, i) => {
					expect(b.villages[i].stagesReached).toBeGreaterThanOrEqual(v.stagesReached);
					v.reached.forEach((r, s) => r && expect(b.villages[i].reached[s]).toBe(true));
				});
				a.stages.forEach((s, j) => {
					expect(b.stages[j].villages_covered).toBeGreaterThanOrEqual(s.villages_covered);
					expect(b.stages[j].poor_households_covered).toBeGreaterThanOrEqual(s.poor_households_covered);
					expect(s.villages_covered + s.villages_not_covered).toBe(vs.length);
				});
				expect(b.gaps.length).toBeLessThanOrEqual(a.gaps.length);
			}),
			{ seed: 4_2024, numRuns: 200 }
		);
	});
});
