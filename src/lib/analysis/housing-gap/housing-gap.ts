// Housing-cost gap of a relocating household (易地扶贫搬迁), see the domain notes: the
// construction cost of its new home, minus subsidies, minus the self-funding it may be asked for (the smaller of what it can
// pay and the cap). A positive gap is money nobody has planned for; a household whose required
// self-funding exceeds the cap is pushed towards debt.
//
// Pure and deterministic: no database, DOM or Node APIs. Money is computed in floating point and
// rounded to whole yuan only in the final results.

/** Policy parameters of a scenario. Every one is editable per scenario. */
export interface HousingGapParams {
	/** Housing area per person, m² (national rule of the 13th Five-Year Plan: ≤ 25). */
	areaPerPersonM2: number;
	/** Households with at least this many members get at most `largeHouseholdCapM2` (6). */
	largeHouseholdMembers: number;
	/** Area cap for large households, m² (150). */
	largeHouseholdCapM2: number;
	/** Construction cost per m², yuan (1,050 ≈ 85,000 yuan / 80 m², Jiangxi). */
	costPerM2Yuan: number;
	/** Construction cost per household, yuan. When given (not null) it wins over the cost per m². */
	costPerHouseholdYuan?: number | null;
	/** Subsidy per household, yuan (18,720, Jiangxi). */
	subsidyPerHouseholdYuan: number;
	/** Subsidy per person, yuan (0); added to the per-household subsidy. */
	subsidyPerPersonYuan: number;
	/** Self-funding cap per person, yuan (3,000). */
	selfFundingCapPerPersonYuan: number;
	/** Self-funding cap per household, yuan (10,000); the cap is the smaller of the two. */
	selfFundingCapPerHouseholdYuan: number;
	/**
	 * Share of one year's household income (per-capita income × members) taken as the household's
	 * means when it has no `meansYuan` of its own. 0.5 is a planning assumption with no policy
	 * source: set it per scenario.
	 */
	meansShareOfIncome: number;
}

export const DEFAULT_HOUSING_GAP_PARAMS: Readonly<HousingGapParams> = Object.freeze({
	areaPerPersonM2: 25,
	largeHouseholdMembers: 6,
	largeHouseholdCapM2: 150,
	costPerM2Yuan: 1050,
	costPerHouseholdYuan: null,
	subsidyPerHouseholdYuan: 18_720,
	subsidyPerPersonYuan: 0,
	selfFundingCapPerPersonYuan: 3000,
	selfFundingCapPerHouseholdYuan: 10_000,
	meansShareOfIncome: 0.5
});

/** A relocating household. Its means are `meansYuan` if given, else derived from its income. */
export interface HouseholdInput {
	/** Household members (a whole number ≥ 1). */
	members: number;
	/** What the household can pay towards the house, yuan. Wins over the income. */
	meansYuan?: number | null;
	/** Annual per-capita net income, yuan: means = income × members × `meansShareOfIncome`. */
	perCapitaIncomeYuan?: number | null;
}

/** One household's result. Money in yuan (whole yuan from {@link housingGap}). */
export interface HousingGapResult {
	members: number;
	/** Housing area, m² (not rounded). */
	areaM2: number;
	costYuan: number;
	subsidyYuan: number;
	meansYuan: number;
	/** min(cap per person × members, cap per household). */
	selfFundingCapYuan: number;
	/** max(0, cost − subsidy): what the family would have to find without any other money. */
	requiredSelfFundingYuan: number;
	/** min(means, cap, required): what it may be asked to pay. */
	askedSelfFundingYuan: number;
	/** cost − subsidy − asked, never negative: money nobody has planned for. */
	gapYuan: number;
	/** required > cap: the household would be pushed into debt. */
	overCap: boolean;
}

function nonNegative(value: number, name: string): number {
	if (!(Number.isFinite(value) && value >= 0)) {
		throw new RangeError(`${name} must be a finite number ≥ 0, got ${value}`);
	}
	return value;
}

/** Defaults overlaid with a scenario's values, validated (throws RangeError on a bad value). */
export function resolveHousingGapParams(scenario: Partial<HousingGapParams> = {}): HousingGapParams {
	const p: HousingGapParams = { ...DEFAULT_HOUSING_GAP_PARAMS };
	const entries = Object.entries(scenario) as [keyof HousingGapParams, number | null | undefined][];
	for (const [key, value] of entries) {
		if (value !== undefined && key in DEFAULT_HOUSING_GAP_PARAMS) {
			(p as unknown as Record<string, number | null>)[key] = value;
		}
	}
	for (const key of [
		'areaPerPersonM2',
		'largeHouseholdCapM2',
		'costPerM2Yuan',
		'subsidyPerHouseholdYuan',
		'subsidyPerPersonYuan',
		'selfFundingCapPerPersonYuan',
		'selfFundingCapPerHouseholdYuan',
		'meansShareOfIncome'
	] as const) {
		nonNegative(p[key], key);
	}
	if (!(Number.isInteger(p.largeHouseholdMembers) && p.largeHouseholdMembers >= 1)) {
		throw new RangeError(
			`largeHouseholdMembers must be a whole number ≥ 1, got ${p.largeHouseholdMembers}`
		);
	}
	if (p.costPerHouseholdYuan != null) nonNegative(p.costPerHouseholdYuan, 'costPerHouseholdYuan');
	return p;
}

function checkMembers(members: number): number {
	if (!(Number.isInteger(members) && members >= 1)) {
		throw new RangeError(`members must be a whole number ≥ 1, got ${members}`);
	}
	return members;
}

/** Housing area: members × area per person, capped for households of `largeHouseholdMembers`+. */
export function housingAreaM2(
	members: number,
	params: HousingGapParams = DEFAULT_HOUSING_GAP_PARAMS
): number {
	checkMembers(members);
	const area = members * params.areaPerPersonM2;
	return members >= params.largeHouseholdMembers ? Math.min(area, params.largeHouseholdCapM2) : area;
}

/** What a household can pay: its `meansYuan`, else per-capita income × members × share. */
export function householdMeansYuan(
	household: HouseholdInput,
	params: HousingGapParams = DEFAULT_HOUSING_GAP_PARAMS
): number {
	if (household.meansYuan != null) return nonNegative(household.meansYuan, 'meansYuan');
	if (household.perCapitaIncomeYuan != null) {
		// A negative net income (a loss year) gives no means rather than an error.
		const income = household.perCapitaIncomeYuan;
		if (!Number.isFinite(income)) {
			throw new RangeError(`perCapitaIncomeYuan must be finite, got ${income}`);
		}
		return Math.max(0, income) * checkMembers(household.members) * params.meansShareOfIncome;
	}
	throw new RangeError('a household needs meansYuan or perCapitaIncomeYuan');
}

/**
 * The gap model without rounding (use it to aggregate, then round the totals). `params` must be
 * resolved ({@link resolveHousingGapParams}); the default is the national/Jiangxi default set.
 */
export function housingGapExact(
	household: HouseholdInput,
	params: HousingGapParams = DEFAULT_HOUSING_GAP_PARAMS
): HousingGapResult {
	const members = checkMembers(household.members);
	const areaM2 = housingAreaM2(members, params);
	const costYuan =
		params.costPerHouseholdYuan != null ? params.costPerHouseholdYuan : areaM2 * params.costPerM2Yuan;
	const subsidyYuan = params.subsidyPerHouseholdYuan + params.subsidyPerPersonYuan * members;
	const meansYuan = householdMeansYuan(household, params);
	const selfFundingCapYuan = Math.min(
		params.selfFundingCapPerPersonYuan * members,
		params.selfFundingCapPerHouseholdYuan
	);
	const requiredSelfFundingYuan = Math.max(0, costYuan - subsidyYuan);
	const askedSelfFundingYuan = Math.min(meansYuan, selfFundingCapYuan, requiredSelfFundingYuan);
	const gapYuan = Math.max(0, costYuan - subsidyYuan - askedSelfFundingYuan);
	return {
		members,
		areaM2,
		costYuan,
		subsidyYuan,
		meansYuan,
		selfFundingCapYuan,
		requiredSelfFundingYuan,
		askedSelfFundingYuan,
		gapYuan,
		overCap: requiredSelfFundingYuan > selfFundingCapYuan
	};
}

/** Money fields rounded to whole yuan (area and the overCap flag unchanged). */
export function roundHousingGap(r: HousingGapResult): HousingGapResult {
	return {
		...r,
		costYuan: Math.round(r.costYuan),
		subsidyYuan: Math.round(r.subsidyYuan),
		meansYuan: Math.round(r.meansYuan),
		selfFundingCapYuan: Math.round(r.selfFundingCapYuan),
		requiredSelfFundingYuan: Math.round(r.requiredSelfFundingYuan),
		askedSelfFundingYuan: Math.round(r.askedSelfFundingYuan),
		gapYuan: Math.round(r.gapYuan)
	};
}

/**
 * One household's housing-cost gap, money rounded to whole yuan at the end. Pass a scenario's
 * partial parameters; missing ones take the defaults.
 */
export function housingGap(
	household: HouseholdInput,
	scenario: Partial<HousingGapParams> = {}
): HousingGapResult {
	return roundHousingGap(housingGapExact(household, resolveHousingGapParams(scenario)));
}

/** Totals for one group of households (a village, a relocation site, a whole scenario). */
export interface HousingGapSummary {
	group: string;
	households: number;
	members: number;
	totalCostYuan: number;
	totalSubsidyYuan: number;
	totalAskedSelfFundingYuan: number;
	totalGapYuan: number;
	/** Total gap / households (0 for an empty group). */
	meanGapPerHouseholdYuan: number;
	householdsWithGap: number;
	overCapHouseholds: number;
	/** overCapHouseholds / households, 0..1 (0 for an empty group). */
	overCapShare: number;
}

function emptySummary(group: string): HousingGapSummary {
	return {
		group,
		households: 0,
		members: 0,
		totalCostYuan: 0,
		totalSubsidyYuan: 0,
		totalAskedSelfFundingYuan: 0,
		totalGapYuan: 0,
		meanGapPerHouseholdYuan: 0,
		householdsWithGap: 0,
		overCapHouseholds: 0,
		overCapShare: 0
	};
}

function add(s: HousingGapSummary, r: HousingGapResult): void {
	s.households++;
	s.members += r.members;
	s.totalCostYuan += r.costYuan;
	s.totalSubsidyYuan += r.subsidyYuan;
	s.totalAskedSelfFundingYuan += r.askedSelfFundingYuan;
	s.totalGapYuan += r.gapYuan;
	if (r.gapYuan > 0) s.householdsWithGap++;
	if (r.overCap) s.overCapHouseholds++;
}

function finish(s: HousingGapSummary): HousingGapSummary {
	const n = s.households;
	return {
		...s,
		totalCostYuan: Math.round(s.totalCostYuan),
		totalSubsidyYuan: Math.round(s.totalSubsidyYuan),
		totalAskedSelfFundingYuan: Math.round(s.totalAskedSelfFundingYuan),
		totalGapYuan: Math.round(s.totalGapYuan),
		meanGapPerHouseholdYuan: n ? Math.round(s.totalGapYuan / n) : 0,
		overCapShare: n ? s.overCapHouseholds / n : 0
	};
}

/**
 * Totals per group and over all, from per-household results. Pass exact results
 * ({@link housingGapExact}) to round only the totals; groups come in order of first appearance.
 * Small groups are not suppressed here: the caller applies the k-anonymity rule to `households`.
 */
export function aggregateHousingGaps(
	rows: ReadonlyArray<{ group: string; result: HousingGapResult }>
): { groups: HousingGapSummary[]; total: HousingGapSummary } {
	const byGroup = new Map<string, HousingGapSummary>();
	const total = emptySummary('');
	for (const { group, result } of rows) {
		let s = byGroup.get(group);
		if (!s) {
			s = emptySummary(group);
			byGroup.set(group, s);
		}
		add(s, result);
		add(total, result);
	}
	return { groups: [...byGroup.values()].map(finish), total: finish(total) };
}

/**
 * Gap model and group totals in one call: households carry their group (village or site code).
 * Returns rounded per-household results alongside the totals (rounded only after summing).
 */
export function summarizeHousingGaps(
	households: ReadonlyArray<HouseholdInput & { group: string }>,
	scenario: Partial<HousingGapParams> = {}
): { households: HousingGapResult[]; groups: HousingGapSummary[]; total: HousingGapSummary } {
	const params = resolveHousingGapParams(scenario);
	const rows = households.map((h) => ({ group: h.group, result: housingGapExact(h, params) }));
	return { households: rows.map((r) => roundHousingGap(r.result)), ...aggregateHousingGaps(rows) };
}
