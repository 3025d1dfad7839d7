// Context layer `township-seats`: drawn by the basemap (MapLibre), listed and served by the registry.
import { BASEMAP, hex } from '$lib/map/palette';
import { contextDefinition } from '../context.ts';

export const definition = contextDefinition({
	id: 'township-seats',
	title: { 'zh-CN': '乡镇驻地', en: 'Township seats' },
	description: { 'zh-CN': '乡镇人民政府驻地及乡镇名。', en: 'Township government seats and township names.' },
	reads: ['regions'],
	zoom: { min: 7.5, max: 22 },
	fields: ['code', 'name_zh', 'county_code'],
	legend: {
		title: { 'zh-CN': '乡镇驻地', en: 'Township seats' },
		kind: 'symbol',
		items: [
			{ color: hex(BASEMAP.townshipSeat), shape: 'circle', label: { 'zh-CN': '乡镇驻地', en: 'Township seat' } }
		]
	}
});
