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
	halo: '#ffffff'
} as const;

export type RoadClass = keyof typeof BASEMAP.roads;
export const ROAD_CLASSES = ['county', 'township', 'village'] as const satisfies readonly RoadClass[];

/** Zoom levels at which context layers appear. */
export const ZOOMS = {
	townshipSeats: 7.5,
	townshipLabels: 8,
	villagePoints: 10,
	villageLabels: 11.5,
	villageRoads: 9.5,
	countyLabelsMax: 11
} as const;
