import { describe, expect, it } from 'vitest';
import { perDbCache } from './per-db-cache.ts';

/** A make() that counts its calls and resolves to `value`. */
function maker<T>(value: T) {
	const fn = () => {
		fn.calls++;
		return Promise.resolve(value);
	};
	fn.calls = 0;
	return fn;
}

describe('perDbCache', () => {
	it('shares one promise per key, also between concurrent callers', async () => {
		const cache = perDbCache<number>(4);
		const db = {};
		const make = maker(1);
		const [a, b] = [cache.get(db, 'k', make), cache.get(db, 'k', make)];
		expect(a).toBe(b);
		expect(await a).toBe(1);
		expect(make.calls).toBe(1);
	});

	it('keeps one cache per database', async () => {
		const cache = perDbCache<string>(4);
		const [one, two] = [{}, {}];
		expect(await cache.get(one, 'k', maker('one'))).toBe('one');
		expect(await cache.get(two, 'k', maker('two'))).toBe('two');
		expect(await cache.get(one, 'k', maker('again'))).toBe('one');
	});

	it('evicts the least recently used key beyond its size', async () => {
		const cache = perDbCache<string>(2);
		const db = {};
		await cache.get(db, 'a', maker('a'));
		await cache.get(db, 'b', maker('b'));
		// Using a makes b the least recently used; c then pushes b out, not a.
		await cache.get(db, 'a', maker('unused'));
		await cache.get(db, 'c', maker('c'));
		const a = maker('a again');
		expect(await cache.get(db, 'a', a)).toBe('a');
		expect(a.calls).toBe(0);
		const b = maker('b again');
		expect(await cache.get(db, 'b', b)).toBe('b again');
		expect(b.calls).toBe(1);
	});

	it('does not keep a rejected promise: the next caller makes it again', async () => {
		const cache = perDbCache<number>(4);
		const db = {};
		const failed = cache.get(db, 'k', () => Promise.reject(new Error('no roads')));
		await expect(failed).rejects.toThrow('no roads');
		await Promise.resolve();
		const make = maker(7);
		expect(await cache.get(db, 'k', make)).toBe(7);
		expect(make.calls).toBe(1);
	});

	it('a late failure does not drop the entry that replaced it', async () => {
		const cache = perDbCache<number>(1);
		const db = {};
		let fail!: (e: Error) => void;
		const first = cache.get(db, 'k', () => new Promise<number>((_, reject) => (fail = reject)));
		// Pushed out while still pending, then asked for again: a second entry under the same key.
		await cache.get(db, 'other', maker(0));
		const second = cache.get(db, 'k', maker(2));
		fail(new Error('late'));
		await expect(first).rejects.toThrow('late');
		const make = maker(3);
		expect(await cache.get(db, 'k', make)).toBe(2);
		expect(make.calls).toBe(0);
		expect(await second).toBe(2);
	});

	it('clear() forgets everything', async () => {
		const cache = perDbCache<number>(4);
		const db = {};
		await cache.get(db, 'k', maker(1));
		cache.clear();
		expect(await cache.get(db, 'k', maker(2))).toBe(2);
	});
});
