// Industrial-chain coverage on travel time, the pure core (no DB, no DOM): given for every village and
// every stage of a chain the travel minutes to the nearest site of that stage, and a threshold per
// stage, which stages reach each village, which poor villages (and their poor households) each stage
// misses, and a summary per stage. The SQL step and the Dijkstra runs live in chain-gaps.server.ts.
//
// Counts here are the true ones: suppression of small counts is applied by `suppressChainCoverage`
// before anything leaves the server.

export interface ChainVillage {
	code: string;
	name_zh: string;
	township_zh: string | null;
	/** Registered households still poor at the end of the year (true count: server only). */
	poor_households: number;
}

export interface ChainCoverageInput<S extends string = string> {
	/** Stages in chain order; `minutes` and `thresholds` follow this order. */
	stages: readonly S[];
	villages: readonly ChainVillage[];
	/**
	 * Village-major: minutes from village `v` to the nearest site of stage `s` at
	 * `v * stages.length + s`; Infinity = no site of that stage reachable.
	 */
	minutes: Float64Array;
	/** Travel-time threshold per stage, minutes (a village is reached when minutes ≤ threshold). */
	thresholds: ArrayLike<number>;
}

export interface VillageCoverage {
	/** Index into the input villages. */
	index: number;
	/** Per stage (input order): reached within its threshold. */
	reached: boolean[];
	stagesReached: number;
}

/** One line of the gap list: a poor village that a stage does not reach. */
export interface ChainGap<S extends string = string> {
	village: number;
	code: string;
	name_zh: string;
	township_zh: string | null;
	stage: S;
	/** Minutes to the nearest site of the stage; Infinity when none is reachable. */
	minutes: number;
	threshold: number;
	poor_households: number;
}

export interface StageCoverage<S extends string = string> {
	stage: S;
	threshold: number;
	villages_covered: number;
	villages_not_covered: number;
	poor_villages_covered: number;
	poor_villages_not_covered: number;
	poor_households_covered: number;
	poor_households_not_covered: number;
}

export interface ChainCoverage<S extends string = string> {
	villages: VillageCoverage[];
	/** Poor villages × stages not reached, by stage (chain order), then by minutes (farthest first), then code. */
	gaps: ChainGap<S>[];
	stages: StageCoverage<S>[];
	/** Villages by number of stages reached, index 0..stages.length. */
	byStagesReached: number[];
}

function check<S extends string>(input: ChainCoverageInput<S>): void {
	const { stages, villages, minutes, thresholds } = input;
	if (thresholds.length !== stages.length) {
		throw new RangeError(`thresholds: ${thresholds.length} values for ${stages.length} stages`);
	}
	if (minutes.length !== villages.length * stages.length) {
		throw new RangeError(`minutes: ${minutes.length} values, expected villages × stages = ${villages.length} × ${stages.length}`);
	}
	for (let s = 0; s < stages.length; s++) {
		const t = thresholds[s];
		if (!(Number.isFinite(t) && t >= 0)) throw new RangeError(`thresholds[${stages[s]}]: must be a finite number ≥ 0, got ${t}`);
	}
	villages.forEach((v, i) => {
		if (!(Number.isInteger(v.poor_households) && v.poor_households >= 0)) {
			throw new RangeError(`villages[${i}] (${v.code}): poor_households must be an integer ≥ 0, got ${v.poor_households}`);
		}
	});
	for (let i = 0; i < minutes.length; i++) {
		if (Number.isNaN(minutes[i]) || minutes[i] < 0) {
			const v = Math.floor(i / stages.length);
			throw new RangeError(`minutes: village ${villages[v].code}, stage ${stages[i % stages.length]} is ${minutes[i]}`);
		}
	}
}

/** Coverage per village, the gap list and the per-stage summary. */
export function chainCoverage<S extends string>(input: ChainCoverageInput<S>): ChainCoverage<S> {
	check(input);
	const { stages, villages, minutes, thresholds } = input;
	const S = stages.length;
	const summary: StageCoverage<S>[] = stages.map((stage, s) => ({
		stage,
		threshold: thresholds[s],
		villages_covered: 0,
		villages_not_covered: 0,
		poor_villages_covered: 0,
		poor_villages_not_covered: 0,
		poor_households_covered: 0,
		poor_households_not_covered: 0
	}));
	const byStagesReached = new Array<number>(S + 1).fill(0);
	// Gaps collected per stage, so the final order (stage, then farthest first, then code) needs only
	// one sort per stage on minutes and code.
	const byStage: ChainGap<S>[][] = stages.map(() => []);
	const out = new Array<VillageCoverage>(villages.length);
	for (let i = 0; i < villages.length; i++) {
		const v = villages[i];
		const reached = new Array<boolean>(S);
		let n = 0;
		const poor = v.poor_households > 0;
		for (let s = 0; s < S; s++) {
			const m = minutes[i * S + s];
			const ok = m <= thresholds[s];
			reached[s] = ok;
			const row = summary[s];
			if (ok) {
				n++;
				row.villages_covered++;
				if (poor) {
					row.poor_villages_covered++;
					row.poor_households_covered += v.poor_households;
				}
			} else {
				row.villages_not_covered++;
				if (poor) {
					row.poor_villages_not_covered++;
					row.poor_households_not_covered += v.poor_households;
					byStage[s].push({
						village: i,
						code: v.code,
						name_zh: v.name_zh,
						township_zh: v.township_zh,
						stage: stages[s],
						minutes: m,
						threshold: thresholds[s],
						poor_households: v.poor_households
					});
				}
			}
		}
		byStagesReached[n]++;
		out[i] = { index: i, reached, stagesReached: n };
	}
	const farthestFirst = (a: ChainGap<S>, b: ChainGap<S>) => b.minutes - a.minutes || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
	const gaps = byStage.flatMap((list) => list.sort(farthestFirst));
	return { villages: out, gaps, stages: summary, byStagesReached };
}
