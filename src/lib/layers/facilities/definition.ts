// Context layer `facilities`: drawn by the basemap (MapLibre), listed and served by the registry.
import { BASEMAP, FACILITY_KINDS, FACILITY_LABELS, hex } from '$lib/map/palette';
import { contextDefinition } from '../context.ts';

export const definition = contextDefinition({
	id: 'facilities',
	title: { 'zh-CN': '公共设施', en: 'Facilities' },
	description: { 'zh-CN': '乡镇驻地、学校、卫生院（室）、集市；合成数据。', en: 'Township seats, schools, clinics and markets; synthetic.' },
	reads: ['facilities'],
	zoom: { min: 9, max: 22 },
	fields: ['id', 'kind', 'name_zh'],
	legend: {
		title: { 'zh-CN': '公共设施', en: 'Facilities' },
		kind: 'categorical',
		items: FACILITY_KINDS.map((kind) => ({ color: hex(BASEMAP.facilities[kind]), shape: 'circle' as const, label: FACILITY_LABELS[kind] })),
		note: { 'zh-CN': '位置为合成数据（演示）。', en: 'Positions are synthetic (demo data).' }
	}
});
