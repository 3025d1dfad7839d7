// A binary min-heap of (key, id) pairs on typed arrays; ties pop the smaller id, so every use of it
// is deterministic. Duplicate ids are allowed (callers use lazy deletion).
export class MinHeap {
	#keys: Float64Array;
	#ids: Int32Array;
	#size = 0;

	constructor(capacity = 64) {
		this.#keys = new Float64Array(Math.max(4, capacity));
		this.#ids = new Int32Array(Math.max(4, capacity));
	}

	get size() {
		return this.#size;
	}

	clear() {
		this.#size = 0;
	}

	/** Smallest key (Infinity when empty). */
	peekKey(): number {
		return this.#size > 0 ? this.#keys[0] : Infinity;
	}

	push(key: number, id: number) {
		if (this.#size === this.#keys.length) {
			const keys = new Float64Array(this.#keys.length * 2);
			keys.set(this.#keys);
			this.#keys = keys;
			const ids = new Int32Array(this.#ids.length * 2);
			ids.set(this.#ids);
			this.#ids = ids;
		}
		const keys = this.#keys;
		const ids = this.#ids;
		let k = this.#size++;
		while (k > 0) {
			const parent = (k - 1) >> 1;
			if (keys[parent] < key || (keys[parent] === key && ids[parent] <= id)) break;
			keys[k] = keys[parent];
			ids[k] = ids[parent];
			k = parent;
		}
		keys[k] = key;
		ids[k] = id;
	}

	/** Removes the smallest pair; returns its id (read its key with peekKey before). */
	pop(): number {
		const keys = this.#keys;
		const ids = this.#ids;
		const top = ids[0];
		const n = --this.#size;
		if (n > 0) {
			const key = keys[n];
			const id = ids[n];
			let k = 0;
			for (;;) {
				let c = 2 * k + 1;
				if (c >= n) break;
				if (c + 1 < n && (keys[c + 1] < keys[c] || (keys[c + 1] === keys[c] && ids[c + 1] < ids[c]))) c++;
				if (key < keys[c] || (key === keys[c] && id <= ids[c])) break;
				keys[k] = keys[c];
				ids[k] = ids[c];
				k = c;
			}
			keys[k] = key;
			ids[k] = id;
		}
		return top;
	}
}
