// The siting requests (suitability and location-allocation) as the API takes them: parsed from JSON
// and checked, every error naming its field. Pure and client-safe: the panel builds the same shapes.
import { STAGES } from '$lib/layers/params.ts';
import type { Criterion } from './types.ts';

export class RequestFieldError extends Error {
	constructor(
		readonly field: string,
		message: string
	) {
		super(`${field}: ${message}`);
		this.name = 'RequestFieldError';
	}
}

/**
 * The suitability criteria, in this order everywhere (weights, AHP grid, CSV columns). Minutes are
 * road travel times (cost: fewer is better); `industry` is the mean over the chain stages present in
 * the county of the minutes to the nearest industry site of that stage (all chains), so a site near
 * the whole chain scores well; `origin` is the household-weighted mean minutes from the origin
 * villages of the county's relocating households; `capacity` is in households (benefit).
 */
export const SITING_CRITERIA = [
	{ id: 'township_seat', direction: 'cost' },
	{ id: 'school', direction: 'cost' },
	{ id: 'clinic', direction: 'cost' },
	{ id: 'market', direction: 'cost' },
	{ id: 'industry', direction: 'cost' },
	{ id: 'origin', direction: 'cost' },
	{ id: 'capacity', direction: 'benefit' }
] as const satisfies readonly Criterion[];
export type SitingCriterionId = (typeof SITING_CRITERIA)[number]['id'];
export const CRITERION_IDS: readonly SitingCriterionId[] = SITING_CRITERIA.map((c) => c.id);

/** Default direct weights: access to services and to the origin villages first (sum 1). */
export const DEFAULT_WEIGHTS: Readonly<Record<SitingCriterionId, number>> = {
	township_seat: 0.15,
	school: 0.15,
	clinic: 0.15,
	market: 0.1,
	industry: 0.15,
	origin: 0.2,
	capacity: 0.1
};

export type WeightSpec =
	| { kind: 'direct'; values: Record<SitingCriterionId, number> }
	/** Full reciprocal matrix in SITING_CRITERIA order. */
	| { kind: 'ahp'; pairwise: number[][] };

export interface SuitabilityRequest {
	county: string;
	/** null: the county's baseline scenario. */
	scenario: number | null;
	weights: WeightSpec;
}

export type SitingModeRequest = { kind: 'p'; p: number } | { kind: 'min-sites' };

export interface LocationAllocationRequest {
	county: string;
	scenario: number | null;
	mode: SitingModeRequest;
	/** Longest acceptable trip village → site, minutes (null: no limit). */
	maxMinutes: number | null;
	method: 'auto' | 'exact' | 'heuristic';
}

export { STAGES };

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function county(body: Record<string, unknown>): string {
	const c = body.county;
	if (typeof c !== 'string' || !/^[0-9]{6}$/.test(c)) throw new RequestFieldError('county', 'must be a 6-digit county code');
	return c;
}

function scenario(body: Record<string, unknown>): number | null {
	const s = body.scenario;
	if (s === undefined || s === null || s === '') return null;
	const n = Number(s);
	if (!(Number.isInteger(n) && n > 0)) throw new RequestFieldError('scenario', 'must be a positive integer or null');
	return n;
}

export function parseWeights(raw: unknown): WeightSpec {
	if (raw === undefined || raw === null) return { kind: 'direct', values: { ...DEFAULT_WEIGHTS } };
	if (!isObject(raw)) throw new RequestFieldError('weights', 'must be an object: {kind: "direct", values} or {kind: "ahp", pairwise}');
	if (raw.kind === 'direct') {
		if (!isObject(raw.values)) throw new RequestFieldError('weights.values', `must be an object with ${CRITERION_IDS.join(', ')}`);
		const values = raw.values;
		for (const key of Object.keys(values))
			if (!(CRITERION_IDS as readonly string[]).includes(key)) throw new RequestFieldError(`weights.values.${key}`, `unknown criterion (known: ${CRITERION_IDS.join(', ')})`);
		const out = {} as Record<SitingCriterionId, number>;
		for (const id of CRITERION_IDS) {
			const v = values[id] === undefined ? 0 : Number(values[id]);
			if (!(Number.isFinite(v) && v >= 0)) throw new RequestFieldError(`weights.values.${id}`, `must be a number ≥ 0, got ${String(values[id])}`);
			out[id] = v;
		}
		if (!Object.values(out).some((v) => v > 0)) throw new RequestFieldError('weights.values', 'at least one weight must be above 0');
		return { kind: 'direct', values: out };
	}
	if (raw.kind === 'ahp') {
		const m = raw.pairwise;
		const n = CRITERION_IDS.length;
		if (!Array.isArray(m) || m.length !== n) throw new RequestFieldError('weights.pairwise', `must be a ${n} × ${n} matrix in the order ${CRITERION_IDS.join(', ')}`);
		const pairwise = m.map((row, i) => {
			if (!Array.isArray(row) || row.length !== n) throw new RequestFieldError(`weights.pairwise[${i}]`, `must have ${n} entries`);
			return row.map((v, j) => {
				const x = Number(v);
				if (!(Number.isFinite(x) && x > 0)) throw new RequestFieldError(`weights.pairwise[${i}][${j}]`, `must be a positive number, got ${String(v)}`);
				return x;
			});
		});
		return { kind: 'ahp', pairwise };
	}
	throw new RequestFieldError('weights.kind', `must be "direct" or "ahp", got ${String(raw.kind)}`);
}

export function parseSuitabilityRequest(body: unknown): SuitabilityRequest {
	if (!isObject(body)) throw new RequestFieldError('body', 'must be a JSON object');
	return { county: county(body), scenario: scenario(body), weights: parseWeights(body.weights) };
}

export function parseLocationAllocationRequest(body: unknown): LocationAllocationRequest {
	if (!isObject(body)) throw new RequestFieldError('body', 'must be a JSON object');
	const rawMode = body.mode ?? { kind: 'min-sites' };
	let mode: SitingModeRequest;
	if (!isObject(rawMode)) throw new RequestFieldError('mode', 'must be {kind: "p", p} or {kind: "min-sites"}');
	if (rawMode.kind === 'p') {
		const p = Number(rawMode.p);
		if (!(Number.isInteger(p) && p >= 1 && p <= 1000)) throw new RequestFieldError('mode.p', `must be a whole number from 1 to 1000, got ${String(rawMode.p)}`);
		mode = { kind: 'p', p };
	} else if (rawMode.kind === 'min-sites') mode = { kind: 'min-sites' };
	else throw new RequestFieldError('mode.kind', `must be "p" or "min-sites", got ${String(rawMode.kind)}`);
	let maxMinutes: number | null = null;
	if (body.maxMinutes !== undefined && body.maxMinutes !== null && body.maxMinutes !== '') {
		maxMinutes = Number(body.maxMinutes);
		if (!(Number.isFinite(maxMinutes) && maxMinutes > 0 && maxMinutes <= 1440)) throw new RequestFieldError('maxMinutes', 'must be a number of minutes from 1 to 1440, or null');
	}
	const method = body.method ?? 'auto';
	if (method !== 'auto' && method !== 'exact' && method !== 'heuristic') throw new RequestFieldError('method', 'must be "auto", "exact" or "heuristic"');
	return { county: county(body), scenario: scenario(body), mode, maxMinutes, method };
}
