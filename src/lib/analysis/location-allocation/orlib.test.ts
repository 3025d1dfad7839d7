import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { solveExact, solveHeuristic } from './index.ts';
import { allPairsShortestPaths, generatePmed, parsePmed, pmedProblem } from './orlib.ts';

// tests/fixtures/pmed-tiny.txt, written by hand in Beasley's format: 5 vertices, 7 edge lines,
// p = 2. Edges 1-2:3, 2-3:4, 3-4:2, 4-5:6, 1-5:10, and 2-4 twice — first 9, then 5; the later line
// wins, so 2-4 costs 5 (with 9 the shortest 2→4 path would be 2-3-4 = 6).
const fixture = readFileSync(join(process.cwd(), 'tests', 'fixtures', 'pmed-tiny.txt'), 'utf8');

describe('OR-Library pmed format', () => {
	it('parses the header and the edges, a later duplicate overwriting', () => {
		const inst = parsePmed(fixture);
		expect(inst).toMatchObject({ n: 5, edges: 7, p: 2 });
		expect(inst.adjacency[1 * 5 + 3]).toBe(5);
		expect(inst.adjacency[3 * 5 + 1]).toBe(5);
		expect(inst.adjacency[0 * 5 + 2]).toBe(Infinity);
	});

	it('computes all-pairs shortest paths', () => {
		const inst = parsePmed(fixture);
		const d = allPairsShortestPaths(inst.n, inst.adjacency);
		// 1→3 = 1-2-3 = 7; 1→4 = 1-2-4 = 8 (1-2-3-4 = 9); 1→5 = 10 (1-2-4-5 = 14);
		// 2→5 = 2-4-5 = 11 (2-1-5 = 13); 3→5 = 3-4-5 = 8.
		expect(Array.from(d)).toEqual([
			[0, 3, 7, 8, 10],
			[3, 0, 4, 5, 11],
			[7, 4, 0, 2, 8],
			[8, 5, 2, 0, 6],
			[10, 11, 8, 6, 0]
		].flat());
	});

	it('solves the tiny instance: 2-median = 11', async () => {
		// Σ_v min(d(v, a), d(v, b)) over pairs: {1,4}: 3 + 2 + 6 = 11; {2,4}: 3 + 2 + 6 = 11 (tie);
		// {2,5}: 3 + 4 + 5 = 12; {1,3}, {2,3}, {3,5}: 13; the rest more.
		const problem = pmedProblem(parsePmed(fixture));
		for (const r of [await solveExact(problem), await solveHeuristic(problem)]) {
			expect(r.objective).toBe(11);
			expect([['v1', 'v4'], ['v2', 'v4']]).toContainEqual(r.open);
		}
	});

	it('rejects malformed files', () => {
		expect(() => parsePmed('')).toThrow(/first line/);
		expect(() => parsePmed('3 2 1\n1 2 5\n')).toThrow(/announces 2 edges/);
		expect(() => parsePmed('3 1 1\n1 4 5\n')).toThrow(/outside 1..3/);
		expect(() => parsePmed('3 1 4\n1 2 5\n')).toThrow(/bad header/);
		expect(() => parsePmed('3 1 1\n1 x 5\n')).toThrow(/not an integer/);
	});

	it('generates connected instances deterministically, shaped like Beasley\'s', () => {
		const text = generatePmed(60, 6, 7);
		expect(generatePmed(60, 6, 7)).toBe(text);
		expect(generatePmed(60, 6, 8)).not.toBe(text);
		const inst = parsePmed(text);
		expect(inst).toMatchObject({ n: 60, edges: 72, p: 6 }); // 60² / 50 = 72 edges
		const d = allPairsShortestPaths(inst.n, inst.adjacency);
		expect(d.every((x) => Number.isFinite(x))).toBe(true);
	});
});
