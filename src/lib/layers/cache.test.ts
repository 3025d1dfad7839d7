import { describe, expect, it } from 'vitest';
import { ByteLru } from './cache.ts';

const entry = (bytes: number) => ({ body: 'x'.repeat(bytes), contentType: 'text/plain', bytes });

describe('ByteLru', () => {
	it('evicts the least recently used entries once the bytes exceed the bound', () => {
		const lru = new ByteLru(100);
		lru.set('a', entry(40));
		lru.set('b', entry(40));
		expect(lru.get('a')).toBeDefined(); // a is now the most recent
		lru.set('c', entry(40)); // 120 > 100: b goes
		expect(lru.get('b')).toBeUndefined();
		expect(lru.get('a')).toBeDefined();
		expect(lru.get('c')).toBeDefined();
		expect(lru.stats()).toMatchObject({ entries: 2, bytes: 80, evictions: 1 });
	});

	it('replacing a key counts its bytes once; an entry larger than the bound is not kept', () => {
		const lru = new ByteLru(100);
		lru.set('a', entry(60));
		lru.set('a', entry(30));
		expect(lru.stats().bytes).toBe(30);
		lru.set('huge', entry(101));
		expect(lru.get('huge')).toBeUndefined();
		expect(lru.get('a')).toBeDefined();
	});

	it('counts hits and misses', () => {
		const lru = new ByteLru(10);
		lru.get('x');
		lru.set('x', entry(1));
		lru.get('x');
		expect(lru.stats()).toMatchObject({ hits: 1, misses: 1 });
	});
});
