// Context layer `outlines`: drawn by the basemap (MapLibre), listed and served by the registry.
import { BASEMAP, hex } from '$lib/map/palette';
import { contextDefinition } from '../context.ts';

export const definition = contextDefinition({
	id: 'outlines',
	title: { 'zh-CN': '省市界', en: 'Province and prefecture outlines' },
	description: { 'zh-CN': '县周围的省界和地级市界，用于定位。', en: 'Province and prefecture boundaries around the counties, for orientation.' },
	reads: ['regions'],
	zoom: { min: 0, max: 22 },
	fields: ['code', 'level', 'name_zh'],
	legend: {
		title: { 'zh-CN': '省市界', en: 'Boundaries' },
		kind: 'symbol',
		items: [
			{ color: hex(BASEMAP.provinceLine), shape: 'line', label: { 'zh-CN': '省界', en: 'Province boundary' } },
			{ color: hex(BASEMAP.cityLine), shape: 'line', label: { 'zh-CN': '地级市界', en: 'Prefecture boundary' } }
		]
	}
});
