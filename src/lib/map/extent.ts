// Pure helpers for the map's extent: which counties to fit, and their combined bounding box.

export type Bbox = [west: number, south: number, east: number, north: number];

export interface CountyBox {
	code: string;
	bbox: Bbox;
}

/** The union of the bounding boxes of the selected county (or of all, with none selected). */
export function extentOf(counties: readonly CountyBox[], selected: string | null): Bbox | null {
	const chosen = selected ? counties.filter((c) => c.code === selected) : counties;
	const boxes = (chosen.length ? chosen : counties).map((c) => c.bbox);
	if (!boxes.length) return null;
	return [
		Math.min(...boxes.map((b) => b[0])),
		Math.min(...boxes.map((b) => b[1])),
		Math.max(...boxes.map((b) => b[2])),
		Math.max(...boxes.map((b) => b[3]))
	];
}

/** China's mainland extent: the view when there is no county data at all. */
export const CHINA_BBOX: Bbox = [73.5, 18.1, 134.8, 53.6];
