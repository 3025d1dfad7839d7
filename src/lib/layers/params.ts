// The parameters a layer's data depends on, and their one text form — used in layer data URLs and
// in the page URL (so a copied link reopens the same map). Client-safe.

export const YEARS = [2014, 2015, 2016, 2017, 2018, 2019, 2020] as const;
export const POVERTY_CAUSES = [
	'illness',
	'disability',
	'schooling',
	'disaster',
	'lack_of_land',
	'lack_of_water',
	'lack_of_skills',
	'lack_of_labour',
	'lack_of_capital',
	'poor_transport',
	'lack_of_motivation',
	'other'
] as const;
export const CHAINS = ['navel_orange', 'citrus', 'tea', 'pig', 'mushroom', 'silk', 'camellia_oil', 'vegetable', 'goose', 'other'] as const;
export const STAGES = ['production', 'processing', 'cold_chain', 'logistics', 'marketing'] as const;
export const DEFAULT_K = 5;

export type Stage = (typeof STAGES)[number];

export interface LayerParams {
	/** 6-digit county code, or null for all loaded counties. */
	county: string | null;
	/** State at the end of this year. */
	year: number;
	/** Poverty-cause filter; empty = all causes. */
	causes: string[];
	/** Industrial chain for the coverage layer. */
	chain: string | null;
	/** Stage whose service areas are drawn. */
	stage: Stage | null;
	/** Scenario id for policy parameters; null = the county's first (baseline) scenario. */
	scenario: number | null;
	/**
	 * A finished analysis run whose result a layer draws (max-cover-result, siting-result); null = the
	 * latest. In the data URL, so the URL changes when a new run finishes and the map fetches it
	 * instead of drawing its cached copy. A result layer given a run of another kind draws its latest.
	 */
	run: number | null;
	/** Map zoom (for aggregation level). */
	zoom: number;
	/** Small-count suppression threshold: counts 1..k-1 are never shown. */
	k: number;
}

/** The k the server applied: a request can raise it, never lower it below DEFAULT_K. */
export const appliedK = (params: Pick<LayerParams, 'k'>): number => Math.max(params.k, DEFAULT_K);

export const DEFAULT_PARAMS: LayerParams = {
	county: null,
	year: 2014,
	causes: [],
	chain: null,
	stage: null,
	scenario: null,
	run: null,
	zoom: 8,
	k: DEFAULT_K
};

export class ParamError extends Error {
	constructor(
		readonly param: string,
		message: string
	) {
		super(`${param}: ${message}`);
		this.name = 'ParamError';
	}
}

/** Parse from URL search params; unknown values are errors naming the parameter. */
export function parseParams(search: URLSearchParams, base: LayerParams = DEFAULT_PARAMS): LayerParams {
	const p: LayerParams = { ...base, causes: [...base.causes] };
	const county = search.get('county');
	if (county !== null) {
		if (county !== '' && !/^[0-9]{6}$/.test(county)) throw new ParamError('county', 'must be a 6-digit county code');
		p.county = county || null;
	}
	const year = search.get('year');
	if (year !== null) {
		const y = Number(year);
		if (!(YEARS as readonly number[]).includes(y)) throw new ParamError('year', `must be one of ${YEARS.join(', ')}`);
		p.year = y;
	}
	const causes = search.get('causes');
	if (causes !== null) {
		const list = causes ? causes.split(',') : [];
		for (const c of list) if (!(POVERTY_CAUSES as readonly string[]).includes(c)) throw new ParamError('causes', `unknown cause ${c}`);
		p.causes = [...new Set(list)].sort();
	}
	const chain = search.get('chain');
	if (chain !== null) {
		if (chain !== '' && !(CHAINS as readonly string[]).includes(chain)) throw new ParamError('chain', `unknown chain ${chain}`);
		p.chain = chain || null;
	}
	const stage = search.get('stage');
	if (stage !== null) {
		if (stage !== '' && !(STAGES as readonly string[]).includes(stage)) throw new ParamError('stage', `unknown stage ${stage}`);
		p.stage = (stage || null) as Stage | null;
	}
	const scenario = search.get('scenario');
	if (scenario !== null) {
		const s = Number(scenario);
		if (scenario !== '' && !(Number.isInteger(s) && s > 0)) throw new ParamError('scenario', 'must be a positive integer');
		p.scenario = scenario ? s : null;
	}
	const run = search.get('run');
	if (run !== null) {
		const r = Number(run);
		if (run !== '' && !(Number.isInteger(r) && r > 0)) throw new ParamError('run', 'must be a positive integer (an analysis run id)');
		p.run = run ? r : null;
	}
	const zoom = search.get('zoom');
	if (zoom !== null) {
		const z = Number(zoom);
		if (!(Number.isFinite(z) && z >= 0 && z <= 22)) throw new ParamError('zoom', 'must be a number from 0 to 22');
		p.zoom = z;
	}
	const k = search.get('k');
	if (k !== null) {
		const n = Number(k);
		if (!(Number.isInteger(n) && n >= 2 && n <= 100)) throw new ParamError('k', 'must be an integer from 2 to 100');
		p.k = n;
	}
	return p;
}

/** The search string for the given keys (stable order, defaults omitted). */
export function paramsToSearch(p: LayerParams, keys: readonly (keyof LayerParams)[]): URLSearchParams {
	const s = new URLSearchParams();
	for (const key of [...keys].sort()) {
		const v = p[key];
		if (key === 'zoom') {
			s.set('zoom', String(Math.floor(p.zoom)));
			continue;
		}
		if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
		if (v === DEFAULT_PARAMS[key] && key !== 'year') continue;
		s.set(key, Array.isArray(v) ? v.join(',') : String(v));
	}
	return s;
}
