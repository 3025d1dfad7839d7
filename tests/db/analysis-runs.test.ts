// Analysis runs: a run records progress and result; the same question on unchanged data is answered
// from the finished run; a change to a table the run read makes it run again; a failure is recorded.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from './backends.ts';
import type { DatabaseHandle } from '../../src/lib/server/db/open.ts';
import { canonicalJson, getRun, runToEnd, startRun } from '../../src/lib/server/analysis/runs.server.ts';

for (const backend of backends) {
	describe(`analysis runs (${backend.name})`, () => {
		let handle: DatabaseHandle;
		beforeAll(async () => {
			handle = await backend.open();
		});
		afterAll(async () => {
			await handle?.close();
		});
		const spec = { county: '511304', scenarioId: null, kind: 'chain-gaps' as const, params: { b: 1, a: [2, 3] }, tables: ['roads' as const] };

		test('runs once, then reuses the result until a table it read changes', async () => {
			let calls = 0;
			const work = async () => ({ answer: ++calls });
			const first = await runToEnd(handle.db, spec, work);
			expect(first.result).toEqual({ answer: 1 });
			expect(first.progress).toBe(1);
			const again = await startRun(handle.db, { ...spec, params: { a: [2, 3], b: 1 } }, work);
			expect(again.cached).toBe(true);
			expect(again.id).toBe(first.id);
			expect(calls).toBe(1);
			await handle.db
				.insertInto('roads')
				.values({ county_code: '511304', class: 'county', speed_kmh: 40, geom: 'SRID=4326;LINESTRING(106 30.8, 106.01 30.8)' } as never)
				.execute();
			const third = await runToEnd(handle.db, spec, work);
			expect(third.id).not.toBe(first.id);
			expect(third.result).toEqual({ answer: 2 });
		});

		test('records a failure with its message, and does not reuse it', async () => {
			const failing = { ...spec, params: { fail: true } };
			const { done } = await startRun(handle.db, failing, async () => {
				throw new Error('no roads in county 511304');
			});
			const status = await done;
			expect(status.status).toBe('failed');
			expect(status.error).toBe('no roads in county 511304');
			const retry = await startRun(handle.db, failing, async () => 1);
			expect(retry.cached).toBe(false);
			expect((await retry.done).result).toBe(1);
			expect((await getRun(handle.db, status.id))?.status).toBe('failed');
		});

		test('canonical JSON ignores key order', () => {
			expect(canonicalJson({ b: 1, a: { d: 1, c: 2 } })).toBe(canonicalJson({ a: { c: 2, d: 1 }, b: 1 }));
		});
	});
}
