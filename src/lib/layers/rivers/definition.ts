// Context layer `rivers`: drawn by the basemap (MapLibre), listed and served by the registry.
import { BASEMAP, hex } from '$lib/map/palette';
import { contextDefinition } from '../context.ts';

export const definition = contextDefinition({
	id: 'rivers',
	title: { 'zh-CN': '河流', en: 'Rivers' },
	description: { 'zh-CN': '主要河流（Natural Earth、GSHHG）。', en: 'Main rivers (Natural Earth, GSHHG).' },
	reads: ['rivers'],
	zoom: { min: 0, max: 22 },
	fields: ['name_zh'],
	legend: {
		title: { 'zh-CN': '河流', en: 'Rivers' },
		kind: 'symbol',
		items: [
			{ color: hex(BASEMAP.river), shape: 'line', label: { 'zh-CN': '河流', en: 'River' } }
		]
	}
});
