// Zip archives opened safely (uploads, XLSX). Everything is decided from the central directory before
// a byte is inflated: entry count, each entry's name (no '..', absolute paths, drive letters,
// backslashes or symbolic links), nested archives, each entry's compression ratio and the total
// uncompressed size. Inflating then holds the archive to what it declared: an entry that inflates
// past its declared size is a bomb that lied, and a CRC mismatch is a damaged file.
import { Inflate } from 'fflate';
import { RATIO_EXEMPT_BYTES } from './limits.ts';
import { FormatError, type Limits } from './types.ts';

export interface ZipEntry {
	name: string;
	method: number;
	compressedSize: number;
	size: number;
	crc: number;
	localOffset: number;
	directory: boolean;
}

const NESTED_ARCHIVE = /\.(zip|7z|rar|gz|tgz|tar|bz2|xz|kmz|xlsx|docx|jar)$/i;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** True when the bytes start like a zip archive (local header or an empty archive's end record). */
export function looksLikeZip(bytes: Uint8Array): boolean {
	return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

export class SafeZip {
	readonly entries: ZipEntry[];
	readonly #bytes: Uint8Array;
	readonly #view: DataView;

	private constructor(
		bytes: Uint8Array,
		readonly file: string,
		readonly limits: Limits
	) {
		this.#bytes = bytes;
		this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
		this.entries = this.#readDirectory();
	}

	static open(bytes: Uint8Array, file: string, limits: Limits): SafeZip {
		return new SafeZip(bytes, file, limits);
	}

	/** Files (not directories), in archive order. */
	get files(): ZipEntry[] {
		return this.entries.filter((e) => !e.directory);
	}

	find(name: string): ZipEntry | undefined {
		return this.entries.find((e) => e.name === name);
	}

	/** An entry's whole content. */
	read(entry: ZipEntry): Uint8Array {
		const parts = [...this.stream(entry)];
		if (parts.length === 1) return parts[0];
		const out = new Uint8Array(entry.size);
		let o = 0;
		for (const p of parts) {
			out.set(p, o);
			o += p.length;
		}
		return out;
	}

	/** An entry's content in pieces, inflated as they are consumed (for large XLSX sheets). */
	*stream(entry: ZipEntry): Generator<Uint8Array> {
		const data = this.#dataOf(entry);
		let crc = ~0;
		let produced = 0;
		const account = (chunk: Uint8Array) => {
			produced += chunk.length;
			if (produced > entry.size) {
				throw new FormatError(
					'zip-ratio',
					`${this.file}: the entry "${entry.name}" inflates to more than the ${entry.size} bytes it declares`,
					{ file: this.file, entry: entry.name }
				);
			}
			crc = crc32Update(crc, chunk);
		};
		if (entry.method === 0) {
			for (let i = 0; i < data.length; i += 1 << 20) {
				const chunk = data.subarray(i, i + (1 << 20));
				account(chunk);
				yield chunk;
			}
		} else {
			const pending: Uint8Array[] = [];
			let ended = false;
			const inflate = new Inflate((chunk, final) => {
				account(chunk);
				pending.push(chunk);
				if (final) ended = true;
			});
			const STEP = 64 * 1024;
			for (let i = 0; i < data.length || (i === 0 && data.length === 0); i += STEP) {
				const last = i + STEP >= data.length;
				try {
					inflate.push(data.subarray(i, i + STEP), last);
				} catch (error) {
					if (error instanceof FormatError) throw error;
					throw this.#corrupt(`the entry "${entry.name}" cannot be inflated (${(error as Error).message})`, entry.name);
				}
				while (pending.length) yield pending.shift()!;
				if (last) break;
			}
			if (!ended && entry.size > 0) throw this.#corrupt(`the entry "${entry.name}" is truncated`, entry.name);
		}
		if (produced !== entry.size) {
			throw this.#corrupt(`the entry "${entry.name}" has ${produced} bytes, not the ${entry.size} it declares`, entry.name);
		}
		if ((~crc >>> 0) !== entry.crc) throw this.#corrupt(`the entry "${entry.name}" fails its checksum`, entry.name);
	}

	#corrupt(why: string, entry?: string): FormatError {
		return new FormatError('corrupt', `${this.file}: ${why}`, { file: this.file, ...(entry ? { entry } : {}) });
	}

	#dataOf(entry: ZipEntry): Uint8Array {
		const v = this.#view;
		const at = entry.localOffset;
		if (at + 30 > this.#bytes.length || v.getUint32(at, true) !== 0x04034b50) {
			throw this.#corrupt(`the entry "${entry.name}" is missing (the archive is truncated or damaged)`, entry.name);
		}
		const start = at + 30 + v.getUint16(at + 26, true) + v.getUint16(at + 28, true);
		const end = start + entry.compressedSize;
		if (end > this.#bytes.length) throw this.#corrupt(`the entry "${entry.name}" is truncated`, entry.name);
		return this.#bytes.subarray(start, end);
	}

	#readDirectory(): ZipEntry[] {
		const b = this.#bytes;
		const v = this.#view;
		const { file, limits } = this;
		let eocd = -1;
		for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) {
			if (v.getUint32(i, true) === 0x06054b50) {
				eocd = i;
				break;
			}
		}
		if (eocd < 0) throw this.#corrupt('the zip archive is truncated or damaged (no central directory)');
		const total = v.getUint16(eocd + 10, true);
		const cdSize = v.getUint32(eocd + 12, true);
		const cdOffset = v.getUint32(eocd + 16, true);
		if (total === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) {
			throw new FormatError('unsupported', `${file}: ZIP64 archives are not accepted`, { file });
		}
		if (total > limits.maxZipEntries) {
			throw new FormatError('zip-entries', `${file} has ${total} entries; at most ${limits.maxZipEntries} are accepted`, { file });
		}
		if (cdOffset + cdSize > eocd) throw this.#corrupt('the zip central directory is damaged');
		const entries: ZipEntry[] = [];
		const names = new Set<string>();
		let totalSize = 0;
		let p = cdOffset;
		for (let n = 0; n < total; n++) {
			if (p + 46 > eocd || v.getUint32(p, true) !== 0x02014b50) throw this.#corrupt('the zip central directory is damaged');
			const madeBy = v.getUint16(p + 4, true) >> 8;
			const flags = v.getUint16(p + 8, true);
			const method = v.getUint16(p + 10, true);
			const crc = v.getUint32(p + 16, true);
			const compressedSize = v.getUint32(p + 20, true);
			const size = v.getUint32(p + 24, true);
			const nameLen = v.getUint16(p + 28, true);
			const extraLen = v.getUint16(p + 30, true);
			const commentLen = v.getUint16(p + 32, true);
			const external = v.getUint32(p + 38, true);
			const localOffset = v.getUint32(p + 42, true);
			if (p + 46 + nameLen > eocd) throw this.#corrupt('the zip central directory is damaged');
			const name = decodeName(b.subarray(p + 46, p + 46 + nameLen), (flags & 0x800) !== 0);
			p += 46 + nameLen + extraLen + commentLen;

			const where = { file, entry: name };
			const pathProblem = unsafePath(name);
			if (pathProblem) throw new FormatError('zip-path', `${file}: the entry "${name}" ${pathProblem}`, where);
			if (madeBy === 3 && ((external >>> 16) & S_IFMT) === S_IFLNK) {
				throw new FormatError('zip-path', `${file}: the entry "${name}" is a symbolic link`, where);
			}
			const directory = name.endsWith('/');
			if (!directory && NESTED_ARCHIVE.test(name)) {
				throw new FormatError('zip-nested', `${file}: the entry "${name}" is an archive inside the archive; upload its files directly`, where);
			}
			if (flags & 1) throw new FormatError('unsupported', `${file}: the entry "${name}" is encrypted`, where);
			if (method !== 0 && method !== 8) {
				throw new FormatError('unsupported', `${file}: the entry "${name}" uses compression method ${method}`, where);
			}
			if (method === 0 && compressedSize !== size) throw this.#corrupt(`the entry "${name}" has inconsistent sizes`, name);
			if (size > RATIO_EXEMPT_BYTES && size / Math.max(compressedSize, 1) > limits.maxCompressionRatio) {
				throw new FormatError(
					'zip-ratio',
					`${file}: the entry "${name}" expands ${Math.round(size / Math.max(compressedSize, 1))} times; at most ${limits.maxCompressionRatio} is accepted`,
					where
				);
			}
			totalSize += size;
			if (totalSize > limits.maxUncompressedBytes) {
				throw new FormatError(
					'too-large',
					`${file}: the archive holds more than ${Math.round(limits.maxUncompressedBytes / 1024 / 1024)} MiB uncompressed`,
					where
				);
			}
			const key = name.toLowerCase();
			if (names.has(key)) throw this.#corrupt(`the entry "${name}" appears twice`, name);
			names.add(key);
			entries.push({ name, method, compressedSize, size, crc, localOffset, directory });
		}
		return entries;
	}
}

/** Why an entry name is unsafe to take as a path, or null. */
export function unsafePath(name: string): string | null {
	if (name.length === 0) return 'has an empty name';
	if (name.includes('\0')) return 'has a NUL character in its name';
	if (name.includes('\\')) return 'uses backslashes in its path';
	if (name.startsWith('/')) return 'has an absolute path';
	if (/^[A-Za-z]:/.test(name)) return 'names a drive';
	if (name.split('/').some((s) => s === '..')) return 'points outside the archive ("..")';
	return null;
}

/** Entry names: UTF-8 when flagged or valid; otherwise the OEM code page, GBK on Chinese Windows. */
function decodeName(bytes: Uint8Array, utf8Flag: boolean): string {
	if (utf8Flag) return new TextDecoder('utf-8').decode(bytes);
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return new TextDecoder('gbk').decode(bytes);
	}
}

const CRC_TABLE = (() => {
	const t = new Int32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		t[n] = c;
	}
	return t;
})();

export function crc32Update(crc: number, data: Uint8Array): number {
	for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
	return crc;
}

export function crc32(data: Uint8Array): number {
	return ~crc32Update(~0, data) >>> 0;
}
