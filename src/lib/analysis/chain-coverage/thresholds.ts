// Travel-time thresholds per chain stage (client-safe): the schema's defaults (migration 0001,
// scenarios.stage_threshold_minutes; domain.md) and how a scenario's JSON is read.
import { STAGES, type Stage } from '$lib/layers/params.ts';

export const DEFAULT_THRESHOLD_MINUTES: Readonly<Record<Stage, number>> = {
	production: 20,
	processing: 30,
	cold_chain: 45,
	logistics: 60,
	marketing: 60
};

/** The five thresholds in chain order; a missing or non-positive value takes the default. */
export function thresholdMinutes(raw: unknown): number[] {
	const given = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
	return STAGES.map((stage) => {
		const v = given[stage];
		return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : DEFAULT_THRESHOLD_MINUTES[stage];
	});
}
