// OR-Library p-median instances (Beasley 1990, "pmed1".."pmed40"): parse, all-pairs shortest paths,
// and a generator of random instances in the same format for tests and benchmarks.
//
// Format: first line `n m p` (vertices, edges, medians), then m lines `i j cost` — 1-based,
// undirected. Per Beasley's note, when an edge appears more than once the later line wins. The
// p-median distances are shortest-path lengths; every vertex is both a client (weight 1) and a
// candidate site (uncapacitated).
import { mulberry32, randInt } from '../prng.ts';
import type { LocationProblem } from './types.ts';

export interface PmedInstance {
	/** Vertices. */
	n: number;
	/** Edge lines in the file. */
	edges: number;
	p: number;
	/** n × n edge costs (Infinity: no edge; 0 on the diagonal). */
	adjacency: Float64Array;
}

export function parsePmed(text: string): PmedInstance {
	const tokens = text.split(/\s+/).filter((t) => t.length > 0);
	const int = (k: number, what: string) => {
		const v = Number(tokens[k]);
		if (!Number.isInteger(v)) throw new SyntaxError(`pmed: ${what} is ${JSON.stringify(tokens[k])}, not an integer`);
		return v;
	};
	if (tokens.length < 3) throw new SyntaxError('pmed: expected a first line "n m p"');
	const n = int(0, 'n');
	const edges = int(1, 'm');
	const p = int(2, 'p');
	if (n < 1 || edges < 0 || p < 1 || p > n) throw new RangeError(`pmed: bad header n=${n} m=${edges} p=${p}`);
	if (tokens.length < 3 + 3 * edges) {
		throw new SyntaxError(`pmed: header announces ${edges} edges, file has ${Math.floor((tokens.length - 3) / 3)}`);
	}
	const adjacency = new Float64Array(n * n).fill(Infinity);
	for (let v = 0; v < n; v++) adjacency[v * n + v] = 0;
	for (let e = 0; e < edges; e++) {
		const k = 3 + 3 * e;
		const i = int(k, `edge ${e + 1} end`);
		const j = int(k + 1, `edge ${e + 1} end`);
		const c = Number(tokens[k + 2]);
		if (i < 1 || i > n || j < 1 || j > n) throw new RangeError(`pmed: edge ${e + 1} (${i}, ${j}) outside 1..${n}`);
		if (!(c >= 0)) throw new RangeError(`pmed: edge ${e + 1} has cost ${tokens[k + 2]}`);
		if (i === j) continue;
		adjacency[(i - 1) * n + (j - 1)] = c; // a later duplicate overwrites
		adjacency[(j - 1) * n + (i - 1)] = c;
	}
	return { n, edges, p, adjacency };
}

/** Floyd–Warshall on the n × n matrix (O(n³): about a second for n = 900). */
export function allPairsShortestPaths(n: number, adjacency: Float64Array): Float64Array {
	const d = Float64Array.from(adjacency);
	for (let k = 0; k < n; k++) {
		const rowK = k * n;
		for (let i = 0; i < n; i++) {
			const dik = d[i * n + k];
			if (dik === Infinity) continue;
			const rowI = i * n;
			for (let j = 0; j < n; j++) {
				const via = dik + d[rowK + j];
				if (via < d[rowI + j]) d[rowI + j] = via;
			}
		}
	}
	return d;
}

/** The p-median as a location problem: vertices v1..vn, each a client of weight 1 and a site. */
export function pmedProblem(inst: PmedInstance, dist = allPairsShortestPaths(inst.n, inst.adjacency)): LocationProblem {
	const { n } = inst;
	const ids = Array.from({ length: n }, (_, v) => `v${v + 1}`);
	return {
		groups: ids.map((id) => ({ id, weight: 1 })),
		sites: ids.map((id) => ({ id })),
		cost: Array.from({ length: n }, (_, v) => dist.subarray(v * n, v * n + n)),
		mode: { kind: 'p', p: inst.p }
	};
}

/**
 * A random connected instance in pmed format, shaped like Beasley's: n vertices, max(n − 1, n²/50)
 * edges (a random spanning tree first, so it is connected), integer costs 1..100.
 */
export function generatePmed(n: number, p: number, seed: number): string {
	if (!Number.isInteger(n) || n < 2 || !Number.isInteger(p) || p < 1 || p > n) {
		throw new RangeError(`pmed generator: need integers n ≥ 2 and 1 ≤ p ≤ n (got n=${n}, p=${p})`);
	}
	const rand = mulberry32(seed);
	const edges = Math.max(n - 1, Math.round((n * n) / 50));
	const lines: string[] = [`${n} ${edges} ${p}`];
	for (let v = 2; v <= n; v++) lines.push(`${randInt(rand, 1, v - 1)} ${v} ${randInt(rand, 1, 100)}`);
	while (lines.length - 1 < edges) {
		const i = randInt(rand, 1, n);
		const j = randInt(rand, 1, n);
		if (i !== j) lines.push(`${i} ${j} ${randInt(rand, 1, 100)}`);
	}
	return lines.join('\n') + '\n';
}

/** Beasley's proven optima (OR-Library pmedopt). */
export const PMED_OPTIMA: Readonly<Record<string, number>> = {
	pmed1: 5819,
	pmed2: 4093,
	pmed3: 4250,
	pmed4: 3034,
	pmed5: 1355,
	pmed6: 7824,
	pmed7: 5631,
	pmed8: 4445,
	pmed9: 2734,
	pmed10: 1255
};
