// A scenario's policy parameters (domain.md, "Policy parameters"): their API names, the columns of
// `scenarios` (migration 0001) they are stored in, units, defaults and validation. Client-safe: the
// parameters form checks a value with the same rules the API applies, and both name the field.
import { STAGES, type Stage } from '$lib/layers/params';

export const ROAD_CLASSES = ['expressway', 'national', 'provincial', 'county', 'township', 'village'] as const;
export type RoadClass = (typeof ROAD_CLASSES)[number];
/** Road classes plus the off-road walking speed (the `road_speed_kmh` jsonb keys). */
export const SPEED_KEYS = [...ROAD_CLASSES, 'walking'] as const;
export type SpeedKey = (typeof SPEED_KEYS)[number];

export interface ScenarioParameters {
	areaPerPersonM2: number;
	largeHouseholdMembers: number;
	largeHouseholdCapM2: number;
	constructionCostPerM2Yuan: number;
	subsidyPerHouseholdYuan: number;
	subsidyPerPersonYuan: number;
	selfFundingCapPerPersonYuan: number;
	selfFundingCapPerHouseholdYuan: number;
	stageThresholdMinutes: Record<Stage, number>;
	roadSpeedKmh: Record<SpeedKey, number>;
}

export type NumberParameter = Exclude<keyof ScenarioParameters, 'stageThresholdMinutes' | 'roadSpeedKmh'>;

/** Units as i18n-free codes; the form shows them as m², 元, 分钟, km/h. */
export type ParameterUnit = 'm2' | 'persons' | 'yuan_per_m2' | 'yuan_per_household' | 'yuan_per_person' | 'minutes' | 'kmh';

export interface NumberParameterSpec {
	key: NumberParameter;
	column:
		| 'area_per_person_m2'
		| 'large_household_members'
		| 'large_household_cap_m2'
		| 'construction_cost_per_m2_yuan'
		| 'subsidy_per_household_yuan'
		| 'subsidy_per_person_yuan'
		| 'self_funding_cap_per_person_yuan'
		| 'self_funding_cap_per_household_yuan';
	unit: ParameterUnit;
	/** 'positive': > 0; 'non_negative': ≥ 0 (a subsidy of 0 is a real policy). */
	rule: 'positive' | 'non_negative';
	integer?: boolean;
	/** Upper bound that catches a typo (an extra zero), not a policy limit. */
	max: number;
}

/** In the order of domain.md's table (and of the form). */
export const NUMBER_PARAMETERS: readonly NumberParameterSpec[] = [
	{ key: 'areaPerPersonM2', column: 'area_per_person_m2', unit: 'm2', rule: 'positive', max: 200 },
	{ key: 'largeHouseholdMembers', column: 'large_household_members', unit: 'persons', rule: 'positive', integer: true, max: 30 },
	{ key: 'largeHouseholdCapM2', column: 'large_household_cap_m2', unit: 'm2', rule: 'positive', max: 2000 },
	{ key: 'constructionCostPerM2Yuan', column: 'construction_cost_per_m2_yuan', unit: 'yuan_per_m2', rule: 'non_negative', max: 100_000 },
	{ key: 'subsidyPerHouseholdYuan', column: 'subsidy_per_household_yuan', unit: 'yuan_per_household', rule: 'non_negative', max: 10_000_000 },
	{ key: 'subsidyPerPersonYuan', column: 'subsidy_per_person_yuan', unit: 'yuan_per_person', rule: 'non_negative', max: 10_000_000 },
	{ key: 'selfFundingCapPerPersonYuan', column: 'self_funding_cap_per_person_yuan', unit: 'yuan_per_person', rule: 'non_negative', max: 10_000_000 },
	{ key: 'selfFundingCapPerHouseholdYuan', column: 'self_funding_cap_per_household_yuan', unit: 'yuan_per_household', rule: 'non_negative', max: 10_000_000 }
];

/** Travel-time thresholds above 10 hours and speeds above the roads' 130 km/h limit are typos. */
export const MAX_THRESHOLD_MINUTES = 600;
export const MAX_SPEED_KMH = 130;
export const MAX_WALKING_KMH = 20;

/** The defaults of domain.md, equal to the column defaults of `scenarios`. */
export const DEFAULT_SCENARIO_PARAMETERS: Readonly<ScenarioParameters> = Object.freeze({
	areaPerPersonM2: 25,
	largeHouseholdMembers: 6,
	largeHouseholdCapM2: 150,
	constructionCostPerM2Yuan: 1050,
	subsidyPerHouseholdYuan: 18_720,
	subsidyPerPersonYuan: 0,
	selfFundingCapPerPersonYuan: 3000,
	selfFundingCapPerHouseholdYuan: 10_000,
	stageThresholdMinutes: { production: 20, processing: 30, cold_chain: 45, logistics: 60, marketing: 60 },
	roadSpeedKmh: { expressway: 90, national: 60, provincial: 50, county: 40, township: 30, village: 20, walking: 4 }
});

/** A bad parameter value: `field` is its API path (`subsidyPerHouseholdYuan`, `roadSpeedKmh.county`). */
export class ParameterError extends Error {
	/**
	 * @param rule what is wrong, as a code the form turns into words ('number', 'positive',
	 *   'non_negative', 'integer', 'max', 'unknown', 'object', 'text', 'blank', 'length')
	 * @param limit the bound for 'max' and 'length'
	 */
	constructor(
		readonly field: string,
		message: string,
		readonly rule: string = 'invalid',
		readonly limit: number | null = null
	) {
		super(`${field}: ${message}`);
		this.name = 'ParameterError';
	}
}

function checkNumber(field: string, value: unknown, rule: 'positive' | 'non_negative', max: number, integer = false): number {
	// Numbers only: "12" from a form is converted by the form, not guessed here.
	if (typeof value !== 'number' || !Number.isFinite(value)) throw new ParameterError(field, 'must be a number', 'number');
	if (rule === 'positive' && !(value > 0)) throw new ParameterError(field, 'must be greater than zero', 'positive');
	if (rule === 'non_negative' && value < 0) throw new ParameterError(field, 'must not be negative', 'non_negative');
	if (integer && !Number.isInteger(value)) throw new ParameterError(field, 'must be a whole number', 'integer');
	if (value > max) throw new ParameterError(field, `must be at most ${max}`, 'max', max);
	return value;
}

function checkObject(field: string, value: unknown): Record<string, unknown> {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ParameterError(field, 'must be an object');
	return value as Record<string, unknown>;
}

/** Check one number parameter's value (the form uses it per field). */
export function checkNumberParameter(key: NumberParameter, value: unknown): number {
	const spec = NUMBER_PARAMETERS.find((s) => s.key === key)!;
	return checkNumber(key, value, spec.rule, spec.max, spec.integer);
}

export function checkThreshold(stage: string, value: unknown): number {
	if (!(STAGES as readonly string[]).includes(stage)) throw new ParameterError(`stageThresholdMinutes.${stage}`, `unknown stage; stages are ${STAGES.join(', ')}`);
	return checkNumber(`stageThresholdMinutes.${stage}`, value, 'positive', MAX_THRESHOLD_MINUTES);
}

export function checkSpeed(key: string, value: unknown): number {
	if (!(SPEED_KEYS as readonly string[]).includes(key)) throw new ParameterError(`roadSpeedKmh.${key}`, `unknown road class; classes are ${SPEED_KEYS.join(', ')}`);
	return checkNumber(`roadSpeedKmh.${key}`, value, 'positive', key === 'walking' ? MAX_WALKING_KMH : MAX_SPEED_KMH);
}

/**
 * A validated partial set of parameters from untrusted JSON. Thresholds and speeds may be partial
 * too (one stage, one road class); unknown keys are errors, never ignored — a misspelt field that is
 * silently dropped would look like a saved change.
 */
export function parseParameterPatch(input: unknown, field = 'parameters'): Partial<ScenarioParameters> {
	const obj = checkObject(field, input);
	const out: Partial<ScenarioParameters> = {};
	for (const [key, value] of Object.entries(obj)) {
		if (value === undefined) continue;
		if (key === 'stageThresholdMinutes') {
			const t = checkObject(key, value);
			out.stageThresholdMinutes = Object.fromEntries(Object.entries(t).map(([s, v]) => [s, checkThreshold(s, v)])) as Record<Stage, number>;
		} else if (key === 'roadSpeedKmh') {
			const t = checkObject(key, value);
			out.roadSpeedKmh = Object.fromEntries(Object.entries(t).map(([s, v]) => [s, checkSpeed(s, v)])) as Record<SpeedKey, number>;
		} else if (NUMBER_PARAMETERS.some((s) => s.key === key)) {
			out[key as NumberParameter] = checkNumberParameter(key as NumberParameter, value);
		} else {
			throw new ParameterError(key, 'is not a scenario parameter');
		}
	}
	return out;
}

/** `base` with `patch` laid over it; thresholds and speeds merge per key. */
export function mergeParameters(base: ScenarioParameters, patch: Partial<ScenarioParameters>): ScenarioParameters {
	return {
		...base,
		...patch,
		stageThresholdMinutes: { ...base.stageThresholdMinutes, ...patch.stageThresholdMinutes },
		roadSpeedKmh: { ...base.roadSpeedKmh, ...patch.roadSpeedKmh }
	};
}

/**
 * Thresholds and speeds as stored (jsonb) read back into full records: a key missing from an
 * older row takes the default; a stored value that is not a positive number is reported, not used.
 */
export function completeParameters(raw: {
	[K in NumberParameter]: number | string;
} & { stageThresholdMinutes: unknown; roadSpeedKmh: unknown }): ScenarioParameters {
	const numbers = Object.fromEntries(NUMBER_PARAMETERS.map((s) => [s.key, Number(raw[s.key])])) as Record<NumberParameter, number>;
	const json = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v);
	const thresholds = { ...DEFAULT_SCENARIO_PARAMETERS.stageThresholdMinutes };
	const t = json(raw.stageThresholdMinutes);
	if (t && typeof t === 'object') for (const s of STAGES) if (s in t) thresholds[s] = checkThreshold(s, (t as Record<string, unknown>)[s]);
	const speeds = { ...DEFAULT_SCENARIO_PARAMETERS.roadSpeedKmh };
	const r = json(raw.roadSpeedKmh);
	if (r && typeof r === 'object') for (const s of SPEED_KEYS) if (s in r) speeds[s] = checkSpeed(s, (r as Record<string, unknown>)[s]);
	return { ...numbers, stageThresholdMinutes: thresholds, roadSpeedKmh: speeds };
}

/** The longest scenario name (a label in tables and on the map's swipe divider). */
export const MAX_NAME_LENGTH = 60;
export const MAX_DESCRIPTION_LENGTH = 2000;

/** A trimmed, non-blank name of at most MAX_NAME_LENGTH characters. */
export function checkName(value: unknown, field = 'name'): string {
	if (typeof value !== 'string') throw new ParameterError(field, 'must be text');
	const name = value.trim().replace(/\s+/g, ' ');
	if (!name) throw new ParameterError(field, 'must not be blank');
	if ([...name].length > MAX_NAME_LENGTH) throw new ParameterError(field, `must be at most ${MAX_NAME_LENGTH} characters`);
	return name;
}

export function checkDescription(value: unknown, field = 'description'): string | null {
	if (value === null) return null;
	if (typeof value !== 'string') throw new ParameterError(field, 'must be text or null');
	const d = value.trim();
	if (d.length > MAX_DESCRIPTION_LENGTH) throw new ParameterError(field, `must be at most ${MAX_DESCRIPTION_LENGTH} characters`);
	return d || null;
}
