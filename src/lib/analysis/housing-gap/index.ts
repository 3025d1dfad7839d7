// Housing-cost gap of relocating households: pure, deterministic (server and browser).
export {
	DEFAULT_HOUSING_GAP_PARAMS,
	aggregateHousingGaps,
	householdMeansYuan,
	housingAreaM2,
	housingGap,
	housingGapExact,
	resolveHousingGapParams,
	roundHousingGap,
	summarizeHousingGaps,
	type HouseholdInput,
	type HousingGapParams,
	type HousingGapResult,
	type HousingGapSummary
} from './housing-gap.ts';
