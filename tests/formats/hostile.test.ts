// The hostile corpus (tests/fixtures/hostile, made by make.mjs): every file ends in the FormatError
// its manifest names, or reads cleanly when the manifest says it is harmless. No other exception, no
// hang (each file under the test timeout), bounded memory, no prototype pollution.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError, openSource, type Limits } from '../../src/lib/formats/index.ts';
import { HOSTILE } from './helpers.ts';

interface Expectation {
	expect: string;
	why: string;
	limits?: Partial<Limits>;
}

const manifest = JSON.parse(readFileSync(join(HOSTILE, 'manifest.json'), 'utf8')) as Record<string, Expectation>;
const files = readdirSync(join(HOSTILE, 'files')).sort();

async function outcome(name: string, limits?: Partial<Limits>): Promise<{ code: string; error?: unknown; records: number }> {
	let records = 0;
	try {
		const source = await openSource({ name, path: join(HOSTILE, 'files', name) }, { limits });
		try {
			for await (const record of source.records()) {
				records++;
				expect(record.row).toBeGreaterThan(0);
			}
		} finally {
			await source.close();
		}
		return { code: 'ok', records };
	} catch (error) {
		if (error instanceof FormatError) return { code: error.code, error, records };
		return { code: `crash: ${(error as Error)?.stack ?? String(error)}`, error, records };
	}
}

describe('hostile corpus', () => {
	const startRss = process.memoryUsage().rss;
	let peakRss = startRss;

	it('has at least 100 files, each with a declared outcome', () => {
		expect(files.length).toBeGreaterThanOrEqual(100);
		expect(files.filter((f) => !manifest[f])).toEqual([]);
		expect(Object.keys(manifest).filter((f) => !files.includes(f))).toEqual([]);
	});

	it.each(files)('%s', async (name) => {
		const expected = manifest[name];
		const result = await outcome(name, expected.limits);
		peakRss = Math.max(peakRss, process.memoryUsage().rss);
		expect(result.code, expected.why).toBe(expected.expect);
		if (result.error instanceof FormatError) {
			// Every refusal says which file it is about.
			expect(result.error.message).toContain(name);
			expect(result.error.where.file).toContain(name);
		} else {
			expect(result.records).toBeGreaterThan(0);
		}
	});

	afterAll(() => {
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.prototype).not.toHaveProperty('polluted');
		// Bombs are refused before inflating: the whole corpus stays far below what they would expand to.
		expect(peakRss - startRss).toBeLessThan(1024 * 1024 * 1024);
	});
});
