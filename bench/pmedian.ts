// npm run bench:pmedian -- FILE... [--generate n,p,seed]... [--time-limit SECONDS] [--no-exact]
// Solves OR-Library p-median instances (pmed format) with the exact solver (HiGHS MILP) and the
// heuristic (greedy + fast interchange), prints objective, time and the gap between them (and to
// Beasley's optimum for pmed1..pmed10), and writes the "p-median" section of
// bench/results/analyses.md (other sections of that file are kept).
// --generate n,p,seed makes a random instance in the same format (written to the OS temp dir).
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { solveExact, solveHeuristic } from '../src/lib/analysis/location-allocation/index.ts';
import {
	allPairsShortestPaths,
	generatePmed,
	parsePmed,
	PMED_OPTIMA,
	pmedProblem
} from '../src/lib/analysis/location-allocation/orlib.ts';

const args = process.argv.slice(2);
const files: string[] = [];
let timeLimitSec = 300;
let runExact = true;
for (let k = 0; k < args.length; k++) {
	const a = args[k];
	if (a === '--generate') {
		const [n, p, seed] = (args[++k] ?? '').split(',').map(Number);
		const file = join(tmpdir(), `pmed-gen-${n}-${p}-${seed}.txt`);
		writeFileSync(file, generatePmed(n, p, seed));
		console.log(`generated ${file}`);
		files.push(file);
	} else if (a === '--time-limit') timeLimitSec = Number(args[++k]);
	else if (a === '--no-exact') runExact = false;
	else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
	else files.push(a);
}
if (files.length === 0) {
	console.error('usage: npm run bench:pmedian -- FILE... [--generate n,p,seed] [--time-limit SECONDS] [--no-exact]');
	process.exit(2);
}

interface Row {
	name: string;
	n: number;
	edges: number;
	p: number;
	apspMs: number;
	known?: number;
	exact?: { objective: number; status: string; bound: number; ms: number };
	heuristic: { objective: number; ms: number; bound: number };
}

// Warm-up: the first HiGHS solve in a process pays for WebAssembly tier-up (~2 s); time it apart.
const tw = performance.now();
await solveExact(pmedProblem(parsePmed(generatePmed(60, 5, 1))));
const warmupMs = performance.now() - tw;
console.log(`warm-up exact solve (n = 60): ${fmtMs(warmupMs)}`);

const rows: Row[] = [];
for (const file of files) {
	const name = basename(file).replace(/\.txt$/, '');
	const inst = parsePmed(readFileSync(file, 'utf8'));
	const t0 = performance.now();
	const dist = allPairsShortestPaths(inst.n, inst.adjacency);
	const apspMs = performance.now() - t0;
	const problem = pmedProblem(inst, dist);

	const th = performance.now();
	const h = await solveHeuristic(problem, { bound: 'simple', timeLimitMs: timeLimitSec * 1000 });
	const heuristic = { objective: h.objective, ms: performance.now() - th, bound: h.bound };
	const row: Row = { name, n: inst.n, edges: inst.edges, p: inst.p, apspMs, heuristic, known: PMED_OPTIMA[name] };
	if (runExact) {
		const te = performance.now();
		const e = await solveExact(problem, { timeLimitMs: timeLimitSec * 1000 });
		row.exact = { objective: e.objective, status: e.status, bound: e.bound, ms: performance.now() - te };
	}
	rows.push(row);
	const ref = row.exact?.objective ?? row.known;
	console.log(
		[
			`${name}: n=${inst.n} edges=${inst.edges} p=${inst.p} (shortest paths ${fmtMs(apspMs)})`,
			row.exact
				? `  exact     ${row.exact.objective} (${row.exact.status}, bound ${round(row.exact.bound)}) in ${fmtMs(row.exact.ms)}`
				: '  exact     skipped',
			`  heuristic ${h.objective} in ${fmtMs(heuristic.ms)}` +
				(ref !== undefined ? `, ${pct(h.objective, ref)} above ${row.exact ? 'exact' : 'known optimum'}` : ''),
			row.known !== undefined
				? `  known optimum ${row.known}: exact ${row.exact ? (row.exact.objective === row.known ? 'matches' : `differs (${row.exact.objective})`) : 'not run'}`
				: ''
		]
			.filter(Boolean)
			.join('\n')
	);
}

function fmtMs(ms: number) {
	return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
function round(x: number) {
	return Math.round(x * 100) / 100;
}
function pct(x: number, ref: number) {
	return `${ref > 0 ? (((x - ref) / ref) * 100).toFixed(2) : '0.00'} %`;
}

const section = [
	'## p-median (OR-Library format)',
	'',
	'Every vertex is a client of weight 1 and an uncapacitated candidate; distances are shortest paths',
	'(Floyd–Warshall). Exact: `solveExact`, HiGHS MILP (strong formulation, x continuous, y binary).',
	'Heuristic: `solveHeuristic` with the simple bound — greedy add, best-improvement fast interchange',
	'(Resende–Werneck bookkeeping), then up to 200 rounds of iterated local search (seed 1).',
	'Gap = (heuristic − exact) / exact.',
	'',
	'| instance | n | edges | p | known optimum | exact | status | exact time | heuristic | heuristic time | gap |',
	'|---|---|---|---|---|---|---|---|---|---|---|',
	...rows.map((r) =>
		[
			'',
			r.name,
			r.n,
			r.edges,
			r.p,
			r.known ?? '–',
			r.exact ? r.exact.objective : '–',
			r.exact ? r.exact.status : 'not run',
			r.exact ? fmtMs(r.exact.ms) : '–',
			r.heuristic.objective,
			fmtMs(r.heuristic.ms),
			r.exact ? pct(r.heuristic.objective, r.exact.objective) : r.known ? `${pct(r.heuristic.objective, r.known)} (to known)` : '–',
			''
		].join(' | ').trim()
	),
	'',
	`Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}; exact time limit ${timeLimitSec} s; one run each, after a`,
	`warm-up solve (${fmtMs(warmupMs)}: the first HiGHS solve in a process pays for WebAssembly tier-up).`,
	''
].join('\n');

const out = join(import.meta.dirname ?? 'bench', 'results', 'analyses.md');
mkdirSync(join(out, '..'), { recursive: true });
const previous = existsSync(out) ? readFileSync(out, 'utf8') : '# Analyses: benchmarks\n';
writeFileSync(out, replaceSection(previous, '## p-median', section));
console.log(`wrote ${out}`);

/** Replaces the section starting with `heading` (up to the next "## ") or appends it. */
function replaceSection(doc: string, heading: string, body: string): string {
	const lines = doc.split('\n');
	const start = lines.findIndex((l) => l.startsWith(heading));
	if (start < 0) return doc.replace(/\n*$/, '\n\n') + body;
	let end = lines.findIndex((l, k) => k > start && l.startsWith('## '));
	if (end < 0) end = lines.length;
	return [...lines.slice(0, start), ...body.replace(/\n$/, '').split('\n'), '', ...lines.slice(end)].join('\n').replace(/\n+$/, '\n');
}
