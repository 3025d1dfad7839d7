// A bounded least-recently-used cache of encoded layer responses, limited by bytes rather than by
// entries: one poverty-density response at village level is ~100 kB, a zoomed-out one ~5 kB, so an
// entry count says little about memory. Keys are built by the caller (server.ts) from the layer id,
// its canonical parameters and the data versions of the tables it reads, so an entry is never
// stale: a committed change to a table gives new keys, and the old entries age out.
//
// Pure and process-local. With several app processes each keeps its own; that is fine because the
// key, not the process, decides what a response is (the ETag is the same from every process).

export interface CacheEntry {
	body: Uint8Array | string;
	contentType: string;
	/** Bytes the entry holds (body as sent). */
	bytes: number;
}

export interface CacheStats {
	entries: number;
	bytes: number;
	maxBytes: number;
	hits: number;
	misses: number;
	evictions: number;
}

export class ByteLru {
	readonly #map = new Map<string, CacheEntry>();
	#bytes = 0;
	#hits = 0;
	#misses = 0;
	#evictions = 0;

	constructor(readonly maxBytes: number) {
		if (!(maxBytes >= 0)) throw new Error(`cache size must be a number of bytes ≥ 0, not ${maxBytes}`);
	}

	get(key: string): CacheEntry | undefined {
		const entry = this.#map.get(key);
		if (!entry) {
			this.#misses++;
			return undefined;
		}
		this.#hits++;
		// Map keeps insertion order: re-inserting moves the entry to the most recent end.
		this.#map.delete(key);
		this.#map.set(key, entry);
		return entry;
	}

	/** Store an entry; one larger than the whole cache is not kept (it would only evict everything). */
	set(key: string, entry: CacheEntry): void {
		const old = this.#map.get(key);
		if (old) {
			this.#map.delete(key);
			this.#bytes -= old.bytes;
		}
		if (entry.bytes > this.maxBytes) return;
		this.#map.set(key, entry);
		this.#bytes += entry.bytes;
		for (const [oldest, e] of this.#map) {
			if (this.#bytes <= this.maxBytes) break;
			this.#map.delete(oldest);
			this.#bytes -= e.bytes;
			this.#evictions++;
		}
	}

	clear(): void {
		this.#map.clear();
		this.#bytes = 0;
	}

	stats(): CacheStats {
		return { entries: this.#map.size, bytes: this.#bytes, maxBytes: this.maxBytes, hits: this.#hits, misses: this.#misses, evictions: this.#evictions };
	}
}
