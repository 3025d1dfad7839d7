// Location-allocation: public types. Pure data, no DB and no DOM, so the same core runs in a server
// endpoint, a worker or a benchmark.
//
// Vocabulary (see docs: "Siting a relocation settlement"): a demand *group* is e.g. the relocating
// households of one origin village (weight = households); a candidate *site* is a possible
// settlement with a capacity in households; cost[i][j] is the travel time (minutes) from group i to
// site j. The objective is Σ weight × cost over the assignment (household-minutes).

export interface DemandGroup {
	id: string;
	/** Households (or people); ≥ 0 and finite. */
	weight: number;
}

export interface CandidateSite {
	id: string;
	/** Households the site can take; `Infinity` (the default) for the uncapacitated p-median. */
	capacity?: number;
}

/** Choose exactly `p` sites, or the fewest sites that house every placeable group (then cheapest). */
export type SitingMode = { kind: 'p'; p: number } | { kind: 'min-sites' };

export interface LocationProblem {
	groups: readonly DemandGroup[];
	sites: readonly CandidateSite[];
	/**
	 * cost[i][j] ≥ 0 for group i and site j, in groups × sites order; `Infinity` (or anything above
	 * `maxCost`) means "not allowed" (e.g. another county, beyond the travel-time limit).
	 */
	cost: ReadonlyArray<ArrayLike<number>>;
	mode: SitingMode;
	/**
	 * A group may be split across several sites. Default false: a village group moves to one site
	 * together (single-sourcing). True gives the LP-style transportation assignment.
	 */
	allowSplit?: boolean;
	/** Costs above this are treated as not allowed (e.g. a 60-minute travel limit). */
	maxCost?: number;
}

export type UnassignedReason =
	/** No candidate site at all is within the cost limit. */
	| 'no-site-in-reach'
	/** Some candidate is in reach, but none of the sites opened (p is too small for the spread). */
	| 'no-open-site-in-reach'
	/** Single-sourcing: every site in reach is smaller than the group (allowSplit would help). */
	| 'group-too-large'
	/** Sites in reach are open but full. */
	| 'capacity-exhausted';

export interface Assignment {
	group: string;
	site: string;
	/** Part of the group's weight placed at this site (the whole weight unless allowSplit). */
	weight: number;
	/** cost[group][site] per unit of weight. */
	cost: number;
}

export interface Unassigned {
	group: string;
	/** Weight not placed (part of the group when split). */
	weight: number;
	reason: UnassignedReason;
}

export type SolveStatus =
	/** HiGHS proved optimality (within `relativeGap`). */
	| 'optimal'
	/** HiGHS stopped at its time limit with a feasible solution. */
	| 'time-limit'
	/** Local search finished; optimality not proved. */
	| 'heuristic';

export type BoundKind =
	/** Dual bound of the MILP from HiGHS branch-and-bound. */
	| 'milp'
	/** Optimum of the LP relaxation (HiGHS). */
	| 'lp-relaxation'
	/** Σ_i w_i · min_j d_ij (every group at its nearest allowed site). */
	| 'simple';

export interface Progress {
	phase: 'greedy' | 'interchange' | 'assignment' | 'milp' | 'lp-bound' | 'min-sites';
	/** Penalised objective of the best solution so far, when there is one. */
	objective?: number;
	bound?: number;
	/** Sites open in the current configuration. */
	p?: number;
	elapsedMs: number;
}

export interface SolveOptions {
	/** Wall-clock budget in milliseconds (HiGHS `time_limit`; local search stops improving after it). */
	timeLimitMs?: number;
	/** Called at most every `progressIntervalMs` (default 250) during long runs. */
	onProgress?: (progress: Progress) => void;
	progressIntervalMs?: number;
	/**
	 * Cost per unit of weight left unplaced although a site was in reach. Default: larger than the
	 * whole assignment cost, so placing as many households as possible always comes first (exact for
	 * integer weights, e.g. households).
	 */
	unassignedPenalty?: number;
}

export interface ExactOptions extends SolveOptions {
	/** HiGHS `mip_rel_gap`; default 1e-9 (proved optimal, not HiGHS's default 1e-4). */
	relativeGap?: number;
	/** A solution to start branch-and-bound from (e.g. the heuristic's), as site ids to open. */
	warmStart?: readonly string[];
	/** A whole solution to start from (sites and assignment), e.g. a heuristic result for this problem. */
	start?: Pick<LocationResult, 'open' | 'assignment'>;
}

export interface HeuristicOptions extends SolveOptions {
	/**
	 * Lower bound to report: the LP relaxation from HiGHS (`'lp'`, when the model is at most
	 * `lpMaxPairs` allowed group–site pairs), the simple bound, or `'auto'` (default: LP when it fits).
	 */
	bound?: 'auto' | 'lp' | 'simple';
	lpMaxPairs?: number;
	/**
	 * Single-sourcing with capacities: solve the assignment for the chosen sites exactly with HiGHS
	 * when it has at most `lpMaxPairs` pairs (default true). The sites are still chosen heuristically.
	 */
	exactAssignment?: boolean;
	/**
	 * Iterated local search after the first local optimum: rounds of one or two random swaps followed
	 * by local search, keeping improvements (default 200; 20 when capacitated; 0 = plain local search).
	 */
	rounds?: number;
	/** Seed of those random swaps (default 1): the same seed gives the same answer. */
	seed?: number;
}

export interface LocateOptions extends ExactOptions, HeuristicOptions {
	/**
	 * `'auto'` (default) solves exactly when the model has at most `exactMaxPairs` allowed group–site
	 * pairs, starting HiGHS from the heuristic solution, else uses the heuristic alone.
	 */
	method?: 'auto' | 'exact' | 'heuristic';
	exactMaxPairs?: number;
}

export interface LocationResult {
	/** Site ids opened, in candidate order. */
	open: string[];
	assignment: Assignment[];
	unassigned: Unassigned[];
	/** Σ weight × cost over `assignment` (household-minutes). */
	objective: number;
	/** Weight left unplaced although some site was in reach (capacity or p too small). */
	shortfall: number;
	/** Penalty per unit of `shortfall` used by the solver. */
	unassignedPenalty: number;
	/**
	 * Lower bound on `objective` (household-minutes, no penalty) over all solutions with this many
	 * sites that place at least as much weight as this one: with `shortfall` 0, over all solutions
	 * that place everyone. (The penalty never enters bound or gap, so they stay in minutes.)
	 */
	bound: number;
	boundKind: BoundKind;
	/** (objective − bound) / objective; 0 when both are 0. */
	gap: number;
	method: 'exact' | 'heuristic';
	status: SolveStatus;
	/** In min-sites mode: a proved lower bound on the number of sites (exact) or a capacity bound. */
	minSitesLowerBound?: number;
	elapsedMs: number;
}
