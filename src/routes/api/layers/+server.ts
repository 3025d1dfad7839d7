// GET /api/layers -> the layer registry: ids, titles, legends, zoom ranges, data URL templates.
import { json } from '@sveltejs/kit';
import { LAYERS, dataUrlTemplate } from '$lib/layers/registry';
import { DEFAULT_PARAMS } from '$lib/layers/params';

export const GET = () =>
	json(
		{
			layers: LAYERS.map((l) => ({
				id: l.id,
				title: l.title,
				description: l.description,
				group: l.group,
				minRole: l.minRole,
				zoom: l.zoom,
				params: l.params,
				fields: l.fields,
				format: l.format,
				dataUrl: dataUrlTemplate(l),
				legend: l.legend(DEFAULT_PARAMS)
			}))
		},
		{ headers: { 'cache-control': 'public, max-age=300' } }
	);
