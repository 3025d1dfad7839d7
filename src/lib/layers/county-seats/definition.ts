// Context layer `county-seats`: drawn by the basemap (MapLibre), listed and served by the registry.
import { BASEMAP, hex } from '$lib/map/palette';
import { contextDefinition } from '../context.ts';

export const definition = contextDefinition({
	id: 'county-seats',
	title: { 'zh-CN': '县名', en: 'County names' },
	description: { 'zh-CN': '县名注记的位置（县政府驻地）。', en: 'Where county names are written (the county seat).' },
	reads: ['regions'],
	zoom: { min: 0, max: 11 },
	fields: ['code', 'name_zh'],
	legend: {
		title: { 'zh-CN': '县名', en: 'County names' },
		kind: 'symbol',
		items: [
			{ color: hex(BASEMAP.countyLabel), shape: 'circle', label: { 'zh-CN': '县名注记', en: 'County name' } }
		]
	}
});
