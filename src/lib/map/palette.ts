// Colours and widths of the basemap, in one place: the style builder draws with them and the legend
// shows them, so the two cannot disagree.

export const BASEMAP = {
	background: '#e8e5de',
	countyFill: '#fbfaf6',
	provinceLine: '#8c949c',
	cityLine: '#a4abb2',
	/** County boundary: a purple that nothing else on the map uses (the e2e test looks for it). */
	countyLine: '#7b3f98',
	countyLabel: '#4f2463',
	townshipLine: '#9c8d76',
	townshipFill: '#d9cfbd',
	townshipLabel: '#253340',
	townshipSeat: '#34414d',
	village: '#8a6b4e',
	villageLabel: '#5a4636',
	river: '#6ea6dc',
	riverLabel: '#3a6f9f',
	roads: {
		county: { color: '#d8772e', width: [1.4, 4] as const },
		township: { color: '#e9b949', width: [0.9, 2.8] as const },
		village: { color: '#aaa195', width: [0.4, 1.4] as const }
	},
	halo: '#ffffff',
	/** Facility symbols: one hue per kind, distinct from the roads, rivers and data palettes. */
	facilities: {
		county_seat: '#4f2463',
		township_seat: '#34414d',
		school: '#2f6db5',
		clinic: '#c2352f',
		market: '#2e8b57'
	}
} as const;

export const FACILITY_KINDS = ['township_seat', 'school', 'clinic', 'market', 'county_seat'] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];

export const FACILITY_LABELS: Record<FacilityKind, { 'zh-CN': string; en: string }> = {
	county_seat: { 'zh-CN': '县政府驻地', en: 'County seat' },
	township_seat: { 'zh-CN': '乡镇政府驻地', en: 'Township seat' },
	school: { 'zh-CN': '学校', en: 'School' },
	clinic: { 'zh-CN': '卫生院（室）', en: 'Clinic' },
	market: { 'zh-CN': '集市', en: 'Market' }
};

/** A '#rrggbb' colour as RGBA bytes (legends take these). */
export function hex(color: string, alpha = 255): [number, number, number, number] {
	const n = Number.parseInt(color.slice(1), 16);
	return [(n >> 16) & 255, (n >> 8) & 255, n & 255, alpha];
}

export type RoadClass = keyof typeof BASEMAP.roads;
export const ROAD_CLASSES = ['county', 'township', 'village'] as const satisfies readonly RoadClass[];

/** Zoom levels at which context layers appear. */
export const ZOOMS = {
	townshipSeats: 7.5,
	townshipLabels: 8,
	villagePoints: 10,
	villageLabels: 11.5,
	villageRoads: 9.5,
	countyLabelsMax: 11,
	facilities: 9
} as const;
