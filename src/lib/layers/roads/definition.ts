// Context layer `roads`: drawn by the basemap (MapLibre), listed and served by the registry.
import { BASEMAP, hex } from '$lib/map/palette';
import { contextDefinition } from '../context.ts';

export const definition = contextDefinition({
	id: 'roads',
	title: { 'zh-CN': '道路', en: 'Roads' },
	description: { 'zh-CN': '县道、乡道、村道；合成数据。', en: 'County, township and village roads; synthetic.' },
	reads: ['roads'],
	zoom: { min: 0, max: 22 },
	fields: ['class'],
	legend: {
		title: { 'zh-CN': '道路', en: 'Roads' },
		kind: 'symbol',
		items: [
			{ color: hex(BASEMAP.roads.county.color), shape: 'line', label: { 'zh-CN': '县道', en: 'County road' } },
			{ color: hex(BASEMAP.roads.township.color), shape: 'line', label: { 'zh-CN': '乡道', en: 'Township road' } },
			{ color: hex(BASEMAP.roads.village.color), shape: 'line', label: { 'zh-CN': '村道', en: 'Village road' } }
		]
	}
});
