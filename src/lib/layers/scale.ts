// Colour scales shared by a layer's style and its legend: both read the same breaks and colours,
// so the legend cannot disagree with the map. Client-safe and pure.
import type { LegendItem, Localized, Rgba } from './types.ts';

export interface ThresholdScale {
	/** Upper-exclusive breaks: value < breaks[0] -> colors[0], ... , value >= last -> last colour. */
	breaks: readonly number[];
	colors: readonly Rgba[];
	colorOf(value: number): Rgba;
	items(label: (lo: number | null, hi: number | null) => Localized): LegendItem[];
}

export function thresholdScale(breaks: readonly number[], colors: readonly Rgba[]): ThresholdScale {
	if (colors.length !== breaks.length + 1) throw new Error(`a threshold scale needs ${breaks.length + 1} colours for ${breaks.length} breaks`);
	for (let i = 1; i < breaks.length; i++) if (!(breaks[i] > breaks[i - 1])) throw new Error('breaks must increase');
	return {
		breaks,
		colors,
		colorOf(value) {
			let i = 0;
			while (i < breaks.length && value >= breaks[i]) i++;
			return colors[i];
		},
		items(label) {
			return colors.map((color, i) => ({
				color,
				label: label(i === 0 ? null : breaks[i - 1], i === breaks.length ? null : breaks[i]),
				shape: 'fill' as const
			}));
		}
	};
}

/** Sequential palette (light yellow -> dark red), ColorBrewer YlOrRd. */
export const YL_OR_RD: readonly Rgba[] = [
	[255, 255, 178, 255],
	[254, 217, 118, 255],
	[254, 178, 76, 255],
	[253, 141, 60, 255],
	[240, 59, 32, 255],
	[189, 0, 38, 255]
];

/** Diverging palette centred on zero (blue = surplus, red = gap), ColorBrewer RdBu reversed. */
export const BU_RD: readonly Rgba[] = [
	[33, 102, 172, 255],
	[103, 169, 207, 255],
	[209, 229, 240, 255],
	[247, 247, 247, 255],
	[253, 219, 199, 255],
	[239, 138, 98, 255],
	[178, 24, 43, 255]
];

/** The colour that never encodes a number: suppressed (< k) cells. */
export const SUPPRESSED_COLOR: Rgba = [189, 189, 189, 200];
export const NO_DATA_COLOR: Rgba = [230, 230, 230, 120];
