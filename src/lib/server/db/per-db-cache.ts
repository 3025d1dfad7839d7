// A small LRU of promises per database: the expensive things read from a database (a county's road
// graph, a village × stage minutes matrix) are built once and shared by concurrent callers, keyed by
// what they were built from (including the data versions, so a change to the tables is a new key).
// One cache per database object, held weakly: tests open several databases at once, and a data
// version only means something within its own database.

export interface PerDbCache<T> {
	/**
	 * The cached promise for `key` in `db`, or the one `make()` starts (kept while it is pending and
	 * after it resolves; dropped if it rejects, so the next caller tries again). A hit counts as a use.
	 */
	get(db: object, key: string, make: () => Promise<T>): Promise<T>;
	/** Forget every database's entries (tests). */
	clear(): void;
}

/** At most `maxEntries` promises per database; the least recently used goes first. */
export function perDbCache<T>(maxEntries: number): PerDbCache<T> {
	let caches = new WeakMap<object, Map<string, Promise<T>>>();
	return {
		get(db, key, make) {
			let cache = caches.get(db);
			if (!cache) caches.set(db, (cache = new Map()));
			const hit = cache.get(key);
			if (hit) {
				// Most recently used last: move it to the end of the insertion order.
				cache.delete(key);
				cache.set(key, hit);
				return hit;
			}
			const entry = make();
			const own = cache;
			own.set(key, entry);
			// A failure is not kept (unless the key has been refilled since).
			entry.catch(() => {
				if (own.get(key) === entry) own.delete(key);
			});
			while (own.size > maxEntries) own.delete(own.keys().next().value!);
			return entry;
		},
		clear() {
			caches = new WeakMap();
		}
	};
}
