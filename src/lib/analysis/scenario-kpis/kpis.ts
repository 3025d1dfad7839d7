// Key figures of a scenario, and the comparison of two (issue "Scenarios": households relocated,
// mean travel time to jobs and to services, total cost, total gap, households over the self-funding
// cap, villages covered per chain stage). Pure and deterministic: the SQL and road-network steps
// (kpis.server.ts) hand in plain arrays.
//
// Where the figures come from:
//  - households and destinations: the adopted siting decision (scenarios.decisions.siting) when the
//    scenario has one, else the households' own relocation status and target site;
//  - money: the housing-gap core with the scenario's parameters, over the relocating households;
//  - travel times: from each destination site to the nearest operating industry site (jobs) and the
//    nearest township seat, school and clinic (services), weighted by the households moving there;
//  - coverage: villages within each stage's threshold of an operating site of that stage.
// Counts of 1..k−1 households, and means over fewer than k households, are withheld (null).
import { aggregateHousingGaps, housingGapExact, type HousingGapParams } from '../housing-gap/index.ts';

export const SERVICE_KINDS = ['township_seat', 'school', 'clinic'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** A relocating household (planned or relocated): the inputs of its gap and its destination. */
export interface KpiHousehold {
	village: string;
	/** Its target site, or null when none is chosen. */
	site: number | null;
	members: number;
	incomePerCapitaYuan: number;
}

/** The adopted location-allocation decision, as stored in scenarios.decisions.siting. */
export interface SitingDecision {
	chosenSites: number[];
	assignments: { village: string; site: number; households: number; minutes?: number | null }[];
	runId?: number | null;
}

/** Minutes from a destination site to the nearest of each kind; Infinity when unreachable. */
export interface SiteAccess {
	site: number;
	jobs: number;
	township_seat: number;
	school: number;
	clinic: number;
}

export interface StageCoverageInput {
	stage: string;
	thresholdMinutes: number;
	/** Minutes from each village of the county to the nearest operating site of the stage. */
	villageMinutes: readonly number[];
}

export interface MeanMinutes {
	/** Household-weighted mean minutes, rounded to 0.1; null when withheld or nobody reaches one. */
	mean: number | null;
	/** Households in the mean (withheld: null). */
	households: number | null;
	/** Households whose destination reaches none (withheld: null). */
	unreachable: number | null;
}

export interface StageCoverage {
	stage: string;
	thresholdMinutes: number;
	villages: number;
	covered: number;
}

export interface ScenarioKpis {
	k: number;
	households: {
		source: 'siting' | 'households';
		/** Relocating households (planned or relocated). */
		relocating: number | null;
		/** Of those, households with a destination site (the siting's assignments when adopted). */
		withDestination: number | null;
		/** Destination sites in use. */
		sites: number;
	};
	travel: { jobs: MeanMinutes; services: MeanMinutes } & Record<ServiceKind, MeanMinutes>;
	money: {
		totalConstructionYuan: number;
		totalSubsidyYuan: number;
		totalAskedSelfFundingYuan: number;
		totalGapYuan: number;
		householdsWithGap: number | null;
		overCapHouseholds: number | null;
	};
	coverage: {
		/** 'run': from a chain-gaps run; 'computed': from the thresholds here; 'not-run': no data. */
		source: 'run' | 'computed' | 'not-run';
		runId: number | null;
		stages: StageCoverage[];
	};
	siting: { status: 'adopted' | 'not-run'; runId: number | null; chosenSites: number };
}

export interface KpiInput {
	k: number;
	params: HousingGapParams;
	households: readonly KpiHousehold[];
	siting: SitingDecision | null;
	access: readonly SiteAccess[];
	coverage: { source: 'run' | 'computed' | 'not-run'; runId: number | null; stages: readonly StageCoverageInput[] | readonly StageCoverage[] };
}

const withhold = (n: number, k: number): number | null => (n >= 1 && n < k ? null : n);
const round1 = (x: number) => Math.round(x * 10) / 10;

/** Households per destination site: the siting's assignments, else the households' own targets. */
export function destinations(households: readonly KpiHousehold[], siting: SitingDecision | null): Map<number, number> {
	const out = new Map<number, number>();
	if (siting) {
		for (const a of siting.assignments) if (a.households > 0) out.set(a.site, (out.get(a.site) ?? 0) + a.households);
	} else {
		for (const h of households) if (h.site !== null) out.set(h.site, (out.get(h.site) ?? 0) + 1);
	}
	return out;
}

/** Household-weighted mean of `minutesOf(site)` over the destinations; unreachable sites counted apart. */
export function weightedMean(dest: ReadonlyMap<number, number>, minutesOf: (site: number) => number | undefined, k: number): MeanMinutes {
	let sum = 0;
	let n = 0;
	let unreachable = 0;
	for (const [site, households] of dest) {
		const m = minutesOf(site);
		if (m === undefined || !Number.isFinite(m)) unreachable += households;
		else {
			sum += m * households;
			n += households;
		}
	}
	const hidden = withhold(n, k) === null;
	return { mean: n && !hidden ? round1(sum / n) : null, households: withhold(n, k), unreachable: withhold(unreachable, k) };
}

/** Villages within each stage's threshold (inclusive). */
export function stageCoverage(stages: readonly StageCoverageInput[]): StageCoverage[] {
	return stages.map((s) => ({
		stage: s.stage,
		thresholdMinutes: s.thresholdMinutes,
		villages: s.villageMinutes.length,
		covered: s.villageMinutes.filter((m) => m <= s.thresholdMinutes).length
	}));
}

export function scenarioKpis(input: KpiInput): ScenarioKpis {
	const { k, params, households, siting } = input;
	const dest = destinations(households, siting);
	const access = new Map(input.access.map((a) => [a.site, a]));
	const results = households.map((h) => ({ group: '', result: housingGapExact({ members: h.members, perCapitaIncomeYuan: h.incomePerCapitaYuan }, params) }));
	const { total } = aggregateHousingGaps(results);
	const withDestination = [...dest.values()].reduce((s, n) => s + n, 0);
	const services = (site: number) => {
		const a = access.get(site);
		if (!a) return undefined;
		const times = SERVICE_KINDS.map((kind) => a[kind]);
		// The mean of the three trips; a site that misses any service counts as not reaching services.
		return times.every(Number.isFinite) ? times.reduce((s, m) => s + m, 0) / times.length : Infinity;
	};
	const stages = input.coverage.stages.map((s) => ('villageMinutes' in s ? stageCoverage([s])[0] : s));
	return {
		k,
		households: {
			source: siting ? 'siting' : 'households',
			relocating: withhold(households.length, k),
			withDestination: withhold(withDestination, k),
			sites: dest.size
		},
		travel: {
			jobs: weightedMean(dest, (s) => access.get(s)?.jobs, k),
			services: weightedMean(dest, services, k),
			township_seat: weightedMean(dest, (s) => access.get(s)?.township_seat, k),
			school: weightedMean(dest, (s) => access.get(s)?.school, k),
			clinic: weightedMean(dest, (s) => access.get(s)?.clinic, k)
		},
		money: {
			totalConstructionYuan: total.totalCostYuan,
			totalSubsidyYuan: total.totalSubsidyYuan,
			totalAskedSelfFundingYuan: total.totalAskedSelfFundingYuan,
			totalGapYuan: total.totalGapYuan,
			householdsWithGap: withhold(total.householdsWithGap, k),
			overCapHouseholds: withhold(total.overCapHouseholds, k)
		},
		coverage: { source: input.coverage.source, runId: input.coverage.runId, stages },
		siting: { status: siting ? 'adopted' : 'not-run', runId: siting?.runId ?? null, chosenSites: siting?.chosenSites.length ?? 0 }
	};
}

/** One row of the KPI table. `better`: which direction is an improvement (null: neither). */
export interface KpiRow {
	/** i18n key suffix: 'analysis.scenario.kpi.<key>' (stage rows: 'coverage.<stage>'). */
	key: string;
	unit: 'households' | 'sites' | 'minutes' | 'yuan' | 'villages';
	better: 'lower' | 'higher' | null;
	value: number | null;
	/** A status instead of a value ('not-run'), when the figure does not exist yet. */
	status?: 'not-run' | null;
}

/** The KPI table rows of one scenario, in display order. */
export function kpiRows(kpis: ScenarioKpis): KpiRow[] {
	const rows: KpiRow[] = [
		{ key: 'relocating', unit: 'households', better: null, value: kpis.households.relocating },
		{ key: 'withDestination', unit: 'households', better: 'higher', value: kpis.households.withDestination },
		{ key: 'sites', unit: 'sites', better: null, value: kpis.households.sites },
		{ key: 'jobs', unit: 'minutes', better: 'lower', value: kpis.travel.jobs.mean },
		{ key: 'services', unit: 'minutes', better: 'lower', value: kpis.travel.services.mean },
		{ key: 'township_seat', unit: 'minutes', better: 'lower', value: kpis.travel.township_seat.mean },
		{ key: 'school', unit: 'minutes', better: 'lower', value: kpis.travel.school.mean },
		{ key: 'clinic', unit: 'minutes', better: 'lower', value: kpis.travel.clinic.mean },
		{ key: 'construction', unit: 'yuan', better: 'lower', value: kpis.money.totalConstructionYuan },
		{ key: 'subsidy', unit: 'yuan', better: null, value: kpis.money.totalSubsidyYuan },
		{ key: 'selfFunding', unit: 'yuan', better: 'lower', value: kpis.money.totalAskedSelfFundingYuan },
		{ key: 'gap', unit: 'yuan', better: 'lower', value: kpis.money.totalGapYuan },
		{ key: 'overCap', unit: 'households', better: 'lower', value: kpis.money.overCapHouseholds }
	];
	for (const s of kpis.coverage.stages) {
		rows.push({ key: `coverage.${s.stage}`, unit: 'villages', better: 'higher', value: kpis.coverage.source === 'not-run' ? null : s.covered, status: kpis.coverage.source === 'not-run' ? 'not-run' : null });
	}
	return rows;
}

export interface ComparisonRow extends KpiRow {
	a: number | null;
	b: number | null;
	/** b − a (null when either is withheld or missing). */
	difference: number | null;
	/** How B does against A on this figure. */
	verdict: 'better' | 'worse' | 'same' | null;
}

/** Side-by-side rows of two scenarios' KPIs, with B − A and whether B is better. */
export function compareKpis(a: ScenarioKpis, b: ScenarioKpis): ComparisonRow[] {
	const ra = kpiRows(a);
	const rb = new Map(kpiRows(b).map((r) => [r.key, r]));
	return ra.map((row) => {
		const other = rb.get(row.key);
		const av = row.value;
		const bv = other?.value ?? null;
		const difference = av !== null && bv !== null ? Math.round((bv - av) * 10) / 10 : null;
		let verdict: ComparisonRow['verdict'] = null;
		if (difference !== null) {
			if (difference === 0) verdict = 'same';
			else if (row.better) verdict = (difference < 0) === (row.better === 'lower') ? 'better' : 'worse';
		}
		return { key: row.key, unit: row.unit, better: row.better, value: null, status: row.status ?? other?.status ?? null, a: av, b: bv, difference, verdict };
	});
}
