// The layer registry: every layer folder's definition.ts, found at build time. A folder name is
// the layer id and its API path (/api/layers/<id>/features). Client-safe.
import type { LayerDefinition } from './types.ts';
import { paramsToSearch, DEFAULT_PARAMS } from './params.ts';

const modules = import.meta.glob<{ definition: LayerDefinition<never, never> }>('./*/definition.ts', { eager: true });

export const LAYERS: readonly LayerDefinition<never, never>[] = Object.entries(modules)
	.map(([path, mod]) => {
		const folder = path.split('/')[1];
		if (mod.definition.id !== folder) throw new Error(`layer ${path}: id ${mod.definition.id} must equal its folder name`);
		return mod.definition;
	})
	.sort((a, b) => (a.group === b.group ? a.id.localeCompare(b.id) : a.group === 'context' ? -1 : 1));

export function layerById(id: string): LayerDefinition<never, never> | undefined {
	return LAYERS.find((l) => l.id === id);
}

/** The data URL template of a layer (RFC 6570 form-style query expansion). */
export function dataUrlTemplate(def: LayerDefinition<never, never>): string {
	return `/api/layers/${def.id}/features${def.params.length ? `{?${[...def.params].sort().join(',')}}` : ''}`;
}

/** The concrete data URL of a layer for the given parameters. */
export function dataUrl(def: LayerDefinition<never, never>, params = DEFAULT_PARAMS): string {
	const search = paramsToSearch(params, def.params).toString();
	return `/api/layers/${def.id}/features${search ? `?${search}` : ''}`;
}
