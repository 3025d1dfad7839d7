// Suitability of candidate settlement sites: criteria matrix, min–max normalisation, weighted sum,
// ranks, hard exclusions; AHP weights with consistency; one-at-a-time weight sensitivity.
// Pure TypeScript (server and browser). The SQL step and travel times are in suitability.server.ts.
export { competitionRanks, minMaxNormalise, normaliseWeights, scoreSites, SuitabilityInputError } from './score.ts';
export { ahpWeights, checkPairwise, pairwiseFromUpper, CR_LIMIT, RANDOM_INDEX } from './ahp.ts';
export { DEFAULT_FACTORS, perturbWeights, sensitivity } from './sensitivity.ts';
export type * from './types.ts';
export {
	CRITERION_IDS,
	DEFAULT_WEIGHTS,
	parseLocationAllocationRequest,
	parseSuitabilityRequest,
	parseWeights,
	RequestFieldError,
	SITING_CRITERIA,
	type LocationAllocationRequest,
	type SitingCriterionId,
	type SitingModeRequest,
	type SuitabilityRequest,
	type WeightSpec
} from './request.ts';
