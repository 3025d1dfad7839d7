// Reference solver for tiny instances, written independently of the solvers it checks: every
// subset of sites; for each, the best assignment — nearest open site (uncapacitated), every
// single-source assignment enumerated (capacitated), or a transportation LP written here and solved
// by HiGHS's one-shot API (split). Exponential: tests only (≤ ~8 groups, ≤ ~7 sites).
import { getHighs } from './highs.ts';
import type { LocationProblem } from './types.ts';

export interface BruteForceResult {
	/** Penalised optimum: cost + penalty · unplaced weight. */
	total: number;
	unplaced: number;
	sites: number;
	open: number[];
}

export async function bruteForce(problem: LocationProblem, penalty: number): Promise<BruteForceResult> {
	const { groups, sites, cost } = problem;
	const n = groups.length;
	const m = sites.length;
	const maxCost = problem.maxCost ?? Infinity;
	const split = problem.allowSplit === true;
	const cap = sites.map((s) => s.capacity ?? Infinity);
	const w = groups.map((g) => g.weight);
	const allowed = (i: number, j: number) => {
		const c = cost[i][j];
		return c !== Infinity && c <= maxCost && (split || w[i] <= cap[j]);
	};
	// A group no site can take is not part of the optimisation (it is reported, not penalised).
	const live = groups.map((_, i) => sites.some((_, j) => allowed(i, j)));
	const capacitated = cap.some((c) => c !== Infinity);

	let best: BruteForceResult | undefined;
	const sizes = problem.mode.kind === 'p' ? [problem.mode.p] : Array.from({ length: m }, (_, k) => k + 1);
	for (const size of sizes) {
		for (const open of subsets(m, size)) {
			const { total, unplaced } = !capacitated
				? nearest(open)
				: split
					? await transportation(open)
					: enumerate(open);
			const candidate = { total, unplaced, sites: size, open };
			if (!best || better(candidate, best, problem.mode.kind === 'min-sites')) best = candidate;
		}
	}
	return best!;

	function nearest(open: number[]) {
		let total = 0;
		let unplaced = 0;
		for (let i = 0; i < n; i++) {
			if (!live[i]) continue;
			let c = Infinity;
			for (const j of open) if (allowed(i, j)) c = Math.min(c, cost[i][j]);
			if (c === Infinity) {
				total += penalty * w[i];
				unplaced += w[i];
			} else total += w[i] * c;
		}
		return { total, unplaced };
	}

	function enumerate(open: number[]) {
		const rem = open.map((j) => cap[j]);
		let bestTotal = Infinity;
		let bestUnplaced = 0;
		const go = (i: number, total: number, unplaced: number) => {
			if (total >= bestTotal) return;
			if (i === n) {
				bestTotal = total;
				bestUnplaced = unplaced;
				return;
			}
			if (!live[i]) return go(i + 1, total, unplaced);
			for (let k = 0; k < open.length; k++) {
				const j = open[k];
				if (!allowed(i, j) || rem[k] < w[i]) continue;
				rem[k] -= w[i];
				go(i + 1, total + w[i] * cost[i][j], unplaced);
				rem[k] += w[i];
			}
			go(i + 1, total + penalty * w[i], unplaced + w[i]);
		};
		go(0, 0, 0);
		return { total: bestTotal, unplaced: bestUnplaced };
	}

	async function transportation(open: number[]) {
		const highs = await getHighs();
		const terms: string[] = [];
		const rows: string[] = [];
		const bySite = new Map<number, string[]>(open.map((j) => [j, []]));
		for (let i = 0; i < n; i++) {
			if (!live[i]) continue;
			const row: string[] = [`u${i}`];
			terms.push(`${penalty * w[i]} u${i}`);
			for (const j of open) {
				if (!allowed(i, j)) continue;
				terms.push(`${w[i] * cost[i][j]} f${i}_${j}`);
				row.push(`f${i}_${j}`);
				bySite.get(j)!.push(`${w[i]} f${i}_${j}`);
			}
			rows.push(` g${i}: ${row.join(' + ')} = 1`);
		}
		if (terms.length === 0) return { total: 0, unplaced: 0 };
		for (const [j, list] of bySite) if (list.length > 0 && cap[j] !== Infinity) rows.push(` s${j}: ${list.join(' + ')} <= ${cap[j]}`);
		const lp = `Minimize\n obj: ${terms.join(' + ')}\nSubject To\n${rows.join('\n')}\nEnd\n`;
		const sol = highs.solve(lp, { output_flag: false });
		if (sol.Status !== 'Optimal') throw new Error(`brute force: transportation LP ${sol.Status}`);
		let unplaced = 0;
		for (let i = 0; i < n; i++) if (live[i]) unplaced += w[i] * (sol.Columns[`u${i}`]?.Primal ?? 0);
		return { total: sol.ObjectiveValue, unplaced };
	}
}

function better(a: BruteForceResult, b: BruteForceResult, minSites: boolean) {
	if (minSites) {
		if (Math.abs(a.unplaced - b.unplaced) > 1e-7) return a.unplaced < b.unplaced;
		if (a.sites !== b.sites) return a.sites < b.sites;
	}
	return a.total < b.total - 1e-9;
}

function* subsets(m: number, size: number): Generator<number[]> {
	const idx = Array.from({ length: size }, (_, k) => k);
	for (;;) {
		yield idx.slice();
		let k = size - 1;
		while (k >= 0 && idx[k] === m - size + k) k--;
		if (k < 0) return;
		idx[k]++;
		for (let l = k + 1; l < size; l++) idx[l] = idx[l - 1] + 1;
	}
}
