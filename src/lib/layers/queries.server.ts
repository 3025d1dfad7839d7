// The query behind each layer: every layer folder's query.server.ts (export `query`).
import type { LayerQuery } from './server.ts';

const modules = import.meta.glob<{ query: LayerQuery }>('./*/query.server.ts', { eager: true });

export const queries: Record<string, LayerQuery> = Object.fromEntries(
	Object.entries(modules).map(([path, mod]) => [path.split('/')[1], mod.query])
);
