// Context layer `counties`: drawn by the basemap (MapLibre), listed and served by the registry.
import { BASEMAP, hex } from '$lib/map/palette';
import { contextDefinition } from '../context.ts';

export const definition = contextDefinition({
	id: 'counties',
	title: { 'zh-CN': '县界', en: 'County outlines' },
	description: { 'zh-CN': '县（区、市）界。', en: 'County (district, city) boundaries.' },
	reads: ['regions'],
	zoom: { min: 0, max: 22 },
	fields: ['code', 'name_zh'],
	legend: {
		title: { 'zh-CN': '县界', en: 'County' },
		kind: 'symbol',
		items: [
			{ color: hex(BASEMAP.countyLine), shape: 'line', label: { 'zh-CN': '县界', en: 'County boundary' } }
		]
	}
});
