// Context layer `townships`: drawn by the basemap (MapLibre), listed and served by the registry.
import { BASEMAP, hex } from '$lib/map/palette';
import { contextDefinition } from '../context.ts';

export const definition = contextDefinition({
	id: 'townships',
	title: { 'zh-CN': '乡镇范围', en: 'Township areas' },
	description: { 'zh-CN': '乡镇（街道）范围：示意（按驻地划分的合成范围）。', en: 'Township (subdistrict) areas: schematic, synthetic cells around the seats.' },
	reads: ['regions'],
	zoom: { min: 7, max: 22 },
	fields: ['code', 'name_zh', 'county_code'],
	legend: {
		title: { 'zh-CN': '乡镇范围', en: 'Townships' },
		kind: 'symbol',
		items: [
			{ color: hex(BASEMAP.townshipLine), shape: 'line', label: { 'zh-CN': '乡镇界（示意）', en: 'Township boundary (schematic)' } }
		]
	}
});
