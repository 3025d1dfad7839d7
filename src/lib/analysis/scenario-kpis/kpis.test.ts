import { describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { resolveHousingGapParams } from '../housing-gap/index.ts';
import { compareKpis, destinations, kpiRows, scenarioKpis, stageCoverage, type KpiInput } from './kpis.ts';
import { columnName, neutralise, toCsv, toXlsx } from './table.ts';

// Four relocating households, policy defaults (means = income × members × 0.5):
//   h1 V1 → site 1, 3 members, 2,000/person: cost 78,750, required 60,030 > cap 9,000,
//      means 3,000 → asked 3,000, gap 57,030
//   h2 V1 → site 1, 1 member, 8,000: cost 26,250, required 7,530 > cap 3,000, means 4,000 → asked
//      3,000, gap 4,530
//   h3 V2 → site 2, 4 members, 2,500: cost 105,000, required 86,280 > cap 10,000, means 5,000 →
//      asked 5,000, gap 81,280
//   h4 V2, no site yet, 2 members, 2,500: cost 52,500, required 33,780 > 6,000, means 2,500, gap 31,280
// Totals: cost 262,500; subsidy 4 × 18,720 = 74,880; asked 13,500; gap 174,120; all 4 over the cap.
const households = [
	{ village: 'V1', site: 1, members: 3, incomePerCapitaYuan: 2000 },
	{ village: 'V1', site: 1, members: 1, incomePerCapitaYuan: 8000 },
	{ village: 'V2', site: 2, members: 4, incomePerCapitaYuan: 2500 },
	{ village: 'V2', site: null, members: 2, incomePerCapitaYuan: 2500 }
];
// Site 1: jobs 10 min, township seat 6, school 9, clinic 3. Site 2: jobs 20, no township seat
// reachable, school 12, clinic 6.
const access = [
	{ site: 1, jobs: 10, township_seat: 6, school: 9, clinic: 3 },
	{ site: 2, jobs: 20, township_seat: Infinity, school: 12, clinic: 6 }
];
const base = (over: Partial<KpiInput> = {}): KpiInput => ({
	k: 1,
	params: resolveHousingGapParams(),
	households,
	siting: null,
	access,
	coverage: { source: 'computed', runId: null, stages: [{ stage: 'processing', thresholdMinutes: 30, villageMinutes: [10, 30, 31, Infinity] }] },
	...over
});

describe('scenario key figures', () => {
	it('counts, money and travel times of the hand-worked fixture', () => {
		const k = scenarioKpis(base());
		expect(k.households).toEqual({ source: 'households', relocating: 4, withDestination: 3, sites: 2 });
		expect(k.money).toEqual({
			totalConstructionYuan: 262_500,
			totalSubsidyYuan: 74_880,
			totalAskedSelfFundingYuan: 13_500,
			totalGapYuan: 174_120,
			householdsWithGap: 4,
			overCapHouseholds: 4
		});
		// jobs: (10 × 2 + 20 × 1) / 3 = 13.33 → 13.3
		expect(k.travel.jobs).toEqual({ mean: 13.3, households: 3, unreachable: 0 });
		// services: site 1 averages (6 + 9 + 3) / 3 = 6; site 2 misses the township seat → unreachable
		expect(k.travel.services).toEqual({ mean: 6, households: 2, unreachable: 1 });
		expect(k.travel.township_seat).toEqual({ mean: 6, households: 2, unreachable: 1 });
		// school: (9 × 2 + 12) / 3 = 10; clinic: (3 × 2 + 6) / 3 = 4
		expect(k.travel.school.mean).toBe(10);
		expect(k.travel.clinic.mean).toBe(4);
		// coverage: 10 and 30 are within 30 minutes (inclusive), 31 and unreachable are not
		expect(k.coverage.stages).toEqual([{ stage: 'processing', thresholdMinutes: 30, villages: 4, covered: 2 }]);
		expect(k.siting).toEqual({ status: 'not-run', runId: null, chosenSites: 0 });
	});

	it('uses the adopted siting assignments for households and destinations', () => {
		const siting = { chosenSites: [1, 2], assignments: [{ village: 'V1', site: 2, households: 2 }, { village: 'V2', site: 1, households: 3 }], runId: 42 };
		expect([...destinations(households, siting)]).toEqual([
			[2, 2],
			[1, 3]
		]);
		const k = scenarioKpis(base({ siting }));
		expect(k.households).toEqual({ source: 'siting', relocating: 4, withDestination: 5, sites: 2 });
		// jobs: (10 × 3 + 20 × 2) / 5 = 14
		expect(k.travel.jobs.mean).toBe(14);
		expect(k.siting).toEqual({ status: 'adopted', runId: 42, chosenSites: 2 });
	});

	it('withholds counts of 1..k−1 households and means over fewer than k', () => {
		const k = scenarioKpis(base({ k: 5 }));
		expect(k.households.relocating).toBeNull();
		expect(k.money.overCapHouseholds).toBeNull();
		expect(k.travel.jobs).toEqual({ mean: null, households: null, unreachable: 0 });
		// Money totals are county sums, not counts: they stay.
		expect(k.money.totalGapYuan).toBe(174_120);
	});

	it('says "not run" when there is no coverage data', () => {
		const k = scenarioKpis(base({ coverage: { source: 'not-run', runId: null, stages: [{ stage: 'processing', thresholdMinutes: 30, villages: 0, covered: 0 }] } }));
		const row = kpiRows(k).find((r) => r.key === 'coverage.processing')!;
		expect(row).toMatchObject({ value: null, status: 'not-run' });
	});

	it('stage coverage is inclusive and never falls when the threshold rises', () => {
		const minutes = [0, 5, 12.5, 30, 30.01, 59, Infinity];
		let last = -1;
		for (const t of [0, 5, 12.5, 30, 45, 60, 600]) {
			const [c] = stageCoverage([{ stage: 'logistics', thresholdMinutes: t, villageMinutes: minutes }]);
			expect(c.covered).toBeGreaterThanOrEqual(last);
			last = c.covered;
		}
		expect(stageCoverage([{ stage: 'x', thresholdMinutes: 30, villageMinutes: minutes }])[0].covered).toBe(4);
	});
});

describe('comparison', () => {
	it('B − A per row, with better / worse by the row’s direction', () => {
		// B: 80,000 yuan subsidy per household. h1 78,750 and h2 26,250 and h4 52,500 are covered
		// (gap 0, not over the cap); h3: required 105,000 − 80,000 = 25,000 > cap 10,000, asked
		// 5,000, gap 20,000. Gap 174,120 → 20,000 (−154,120), over cap 4 → 1.
		const a = scenarioKpis(base());
		const b = scenarioKpis(base({ params: resolveHousingGapParams({ subsidyPerHouseholdYuan: 80_000 }), access: [access[0], { ...access[1], jobs: 25 }] }));
		const rows = new Map(compareKpis(a, b).map((r) => [r.key, r]));
		expect(rows.get('gap')).toMatchObject({ a: 174_120, b: 20_000, difference: -154_120, verdict: 'better' });
		expect(rows.get('overCap')).toMatchObject({ a: 4, b: 1, difference: -3, verdict: 'better' });
		expect(rows.get('construction')).toMatchObject({ difference: 0, verdict: 'same' });
		// Subsidy rises by 4 × 61,280 = 245,120 and has no better direction.
		expect(rows.get('subsidy')).toMatchObject({ difference: 245_120, verdict: null });
		// jobs: (10 × 2 + 25) / 3 = 15 against 13.3: +1.7, worse
		expect(rows.get('jobs')).toMatchObject({ a: 13.3, b: 15, difference: 1.7, verdict: 'worse' });
		expect(rows.get('coverage.processing')).toMatchObject({ a: 2, b: 2, verdict: 'same' });
	});

	it('has no difference where either side is withheld', () => {
		const a = scenarioKpis(base({ k: 5 }));
		const b = scenarioKpis(base({ k: 5 }));
		expect(compareKpis(a, b).find((r) => r.key === 'overCap')).toMatchObject({ a: null, b: null, difference: null, verdict: null });
	});
});

describe('download table', () => {
	it('CSV: BOM, quoting, formula cells neutralised, numbers kept', () => {
		const csv = toCsv([
			['指标', 'A', 'B'],
			['=HYPERLINK("x")', 1, -2.5],
			['+1', null, '@sum'],
			['a,b', '-x', 'line\nbreak']
		]);
		expect(csv.startsWith('\uFEFF指标,A,B\r\n')).toBe(true);
		expect(csv).toContain(`"'=HYPERLINK(""x"")",1,-2.5\r\n`);
		expect(csv).toContain(`'+1,,'@sum\r\n`);
		expect(csv).toContain(`"a,b",'-x,"line\nbreak"\r\n`);
		expect(neutralise('normal')).toBe('normal');
	});

	it('XLSX: a zip with one sheet holding the cells', () => {
		const bytes = toXlsx(
			[
				['指标', 'A'],
				['gap <yuan> & co', 174120],
				['=1+1', null]
			],
			'方案对比'
		);
		const files = unzipSync(bytes);
		expect(Object.keys(files).sort()).toEqual(
			['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml'].sort()
		);
		const sheet = strFromU8(files['xl/worksheets/sheet1.xml']);
		expect(sheet).toContain('<c r="B2"><v>174120</v></c>');
		expect(sheet).toContain('gap &lt;yuan&gt; &amp; co');
		// A text cell is never a formula.
		expect(sheet).not.toContain('<f>');
		expect(sheet).toContain('<t xml:space="preserve">=1+1</t>');
		expect(strFromU8(files['xl/workbook.xml'])).toContain('name="方案对比"');
		expect(columnName(0)).toBe('A');
		expect(columnName(25)).toBe('Z');
		expect(columnName(26)).toBe('AA');
		// Deterministic bytes for equal tables.
		expect(toXlsx([['x']])).toEqual(toXlsx([['x']]));
	});
});
