// What the two relocation layers (relocation-sites, housing-cost-gap) share: the head of their
// definitions — bureau-only JSON at county scale, read from the same tables with the same
// parameters, so the cache and the role checks treat them alike — and the legend items both draw
// (grey samples of what a circle's size stands for, the grey class of withheld counts).
import { SUPPRESSED_COLOR } from './scale.ts';
import type { LayerDefinition, LegendItem, Localized, Rgba } from './types.ts';

/** Definition fields of the relocation layers, spread into each definition. */
export const RELOCATION_LAYER = {
	group: 'data',
	minRole: 'bureau',
	zoom: { min: 6, max: 22 },
	reads: ['relocation_sites', 'households', 'villages', 'scenarios'],
	params: ['county', 'scenario', 'k'],
	format: 'json'
} as const satisfies Pick<LayerDefinition, 'group' | 'minRole' | 'zoom' | 'reads' | 'params' | 'format'>;

/** Grey: a size sample stands for the circle's size only, not for any colour class. */
const SIZE_SAMPLE_COLOR: Rgba = [150, 150, 150, 160];

/** Legend items for proportional circles: one grey circle per sample value, labelled by `label`. */
export function sizeLegendItems(samples: readonly number[], label: (value: number) => Localized): LegendItem[] {
	return samples.map((value) => ({ color: [...SIZE_SAMPLE_COLOR], label: label(value), shape: 'circle' }));
}

/** The grey legend class of what is withheld (counts of 1..k−1, or counts that would give one back). */
export function withheldLegendItem(label: Localized, shape: LegendItem['shape'] = 'circle'): LegendItem {
	return { color: SUPPRESSED_COLOR, label, shape };
}
