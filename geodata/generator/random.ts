// Deterministic pseudo-random numbers for the demo generator (never Math.random).
// xmur3 string hash -> sfc32 generator: fast, small, well-distributed, reproducible everywhere.

function xmur3(text: string): () => number {
	let h = 1779033703 ^ text.length;
	for (let i = 0; i < text.length; i++) {
		h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
		h = (h << 13) | (h >>> 19);
	}
	return () => {
		h = Math.imul(h ^ (h >>> 16), 2246822507);
		h = Math.imul(h ^ (h >>> 13), 3266489909);
		return (h ^= h >>> 16) >>> 0;
	};
}

export class Random {
	#a: number;
	#b: number;
	#c: number;
	#d: number;

	/** A stream named by `seed`: the same name always yields the same sequence. */
	constructor(seed: string) {
		const h = xmur3(seed);
		this.#a = h();
		this.#b = h();
		this.#c = h();
		this.#d = h();
		for (let i = 0; i < 12; i++) this.next();
	}

	/** Uniform in [0, 1). */
	next(): number {
		let a = this.#a, b = this.#b, c = this.#c, d = this.#d;
		const t = (((a + b) | 0) + d) | 0;
		d = (d + 1) | 0;
		a = b ^ (b >>> 9);
		b = (c + (c << 3)) | 0;
		c = (c << 21) | (c >>> 11);
		c = (c + t) | 0;
		this.#a = a; this.#b = b; this.#c = c; this.#d = d;
		return (t >>> 0) / 4294967296;
	}

	between(min: number, max: number): number {
		return min + (max - min) * this.next();
	}

	int(min: number, maxInclusive: number): number {
		return Math.floor(this.between(min, maxInclusive + 1));
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	/** Standard normal (Box-Muller). */
	normal(mean = 0, sd = 1): number {
		const u = 1 - this.next();
		const v = this.next();
		return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}

	/** Pick a key by weight. */
	weighted<K extends string | number>(weights: ReadonlyArray<readonly [K, number]>): K {
		let total = 0;
		for (const [, w] of weights) total += Math.max(0, w);
		let x = this.next() * total;
		for (const [k, w] of weights) {
			x -= Math.max(0, w);
			if (x < 0) return k;
		}
		return weights[weights.length - 1][0];
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}
}

/** A smooth, deterministic 2-D value-noise field in [0, 1] (for synthetic terrain). */
export function valueNoise(seed: string, scale: number): (x: number, y: number) => number {
	const base = xmur3(seed)();
	const lattice = (ix: number, iy: number) => {
		let h = Math.imul(ix, 374761393) ^ Math.imul(iy, 668265263) ^ base;
		h = Math.imul(h ^ (h >>> 13), 1274126177);
		return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
	};
	const smooth = (t: number) => t * t * (3 - 2 * t);
	const octave = (x: number, y: number) => {
		const ix = Math.floor(x), iy = Math.floor(y);
		const fx = smooth(x - ix), fy = smooth(y - iy);
		const a = lattice(ix, iy), b = lattice(ix + 1, iy), c = lattice(ix, iy + 1), d = lattice(ix + 1, iy + 1);
		return a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy;
	};
	return (x, y) => {
		const u = x / scale, v = y / scale;
		return (octave(u, v) * 0.6 + octave(u * 2.1, v * 2.1) * 0.3 + octave(u * 4.3, v * 4.3) * 0.1);
	};
}
