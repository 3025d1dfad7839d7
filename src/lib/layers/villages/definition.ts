// Context layer `villages`: drawn by the basemap (MapLibre), listed and served by the registry.
import { BASEMAP, hex } from '$lib/map/palette';
import { contextDefinition } from '../context.ts';

export const definition = contextDefinition({
	id: 'villages',
	title: { 'zh-CN': '行政村', en: 'Villages' },
	description: { 'zh-CN': '行政村（居委会）位置及名称；位置为合成数据。', en: 'Administrative villages with their names; positions are synthetic.' },
	reads: ['villages', 'regions'],
	zoom: { min: 10, max: 22 },
	fields: ['code', 'name_zh', 'label_zh', 'population'],
	legend: {
		title: { 'zh-CN': '行政村', en: 'Villages' },
		kind: 'symbol',
		items: [
			{ color: hex(BASEMAP.village), shape: 'ring', label: { 'zh-CN': '行政村', en: 'Village' } }
		]
	}
});
