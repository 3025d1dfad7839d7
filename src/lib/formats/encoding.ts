// Text encodings of the files counties send: UTF-8 (with or without BOM), GBK and GB18030. Detection
// is by validity, not by guessing from frequencies: a file that is valid UTF-8 is UTF-8 (GBK text of
// any length is almost never valid UTF-8); otherwise GB18030, a superset of GBK, reported as 'gbk'
// when every byte sequence is also valid GBK, so a user sees the name their software used.
import { FormatError } from './types.ts';

/** Encodings a user may choose as an override, with the labels people and .cpg files use for them. */
const ENCODING_ALIASES: Record<string, string> = {
	'utf-8': 'utf-8',
	utf8: 'utf-8',
	'65001': 'utf-8',
	gbk: 'gbk',
	cp936: 'gbk',
	'936': 'gbk',
	'ms936': 'gbk',
	'windows-936': 'gbk',
	gb2312: 'gbk',
	'gb-2312': 'gbk',
	gb18030: 'gb18030',
	'54936': 'gb18030',
	'iso-8859-1': 'iso-8859-1',
	latin1: 'iso-8859-1',
	'88591': 'iso-8859-1',
	'1252': 'windows-1252',
	'windows-1252': 'windows-1252',
	cp1252: 'windows-1252',
	big5: 'big5',
	'950': 'big5',
	cp950: 'big5'
};

/** The canonical name of an encoding label, or null when it is not one we decode. */
export function normaliseEncoding(label: string): string | null {
	const key = label.trim().toLowerCase().replace(/_/g, '-');
	return ENCODING_ALIASES[key] ?? ENCODING_ALIASES[key.replace(/-/g, '')] ?? null;
}

/** Length of a UTF-8 BOM at the start of `bytes` (0 or 3). */
export function utf8BomLength(bytes: Uint8Array): number {
	return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

/**
 * Incremental classifier: feed the whole file chunk by chunk, then ask which encoding fits. Keeps a
 * fatal UTF-8 decoder and a byte-level GBK/GB18030 state machine, so memory stays constant.
 */
export class EncodingSniffer {
	#utf8: TextDecoder | null = new TextDecoder('utf-8', { fatal: true });
	/** Bytes still expected in the current multi-byte GB sequence, and its position. */
	#gbPending: number[] = [];
	#gbkValid = true;
	#gb18030Valid = true;
	#offset = 0;
	/** Offset of the first byte GB18030 cannot decode, for the error message. */
	invalidAt: number | null = null;

	/** True once the bytes seen fit neither UTF-8 nor GB18030: no need to read further. */
	get hopeless(): boolean {
		return this.#utf8 === null && !this.#gb18030Valid;
	}

	push(chunk: Uint8Array): void {
		if (this.#utf8) {
			try {
				this.#utf8.decode(chunk, { stream: true });
			} catch {
				this.#utf8 = null;
			}
		}
		if (this.#gb18030Valid) this.#scanGb(chunk);
		this.#offset += chunk.length;
	}

	/** Decide, after all bytes were pushed. */
	finish(): 'utf-8' | 'gbk' | 'gb18030' | null {
		if (this.#utf8) {
			try {
				this.#utf8.decode();
				return 'utf-8';
			} catch {
				this.#utf8 = null;
			}
		}
		if (this.#gbPending.length > 0) this.#fail(this.#offset);
		if (!this.#gb18030Valid) return null;
		return this.#gbkValid ? 'gbk' : 'gb18030';
	}

	#fail(at: number) {
		this.#gb18030Valid = false;
		this.invalidAt ??= at;
	}

	#scanGb(chunk: Uint8Array) {
		const pending = this.#gbPending;
		for (let i = 0; i < chunk.length && this.#gb18030Valid; i++) {
			const b = chunk[i];
			if (pending.length === 0) {
				if (b < 0x80) continue;
				if (b === 0x80 || b === 0xff) this.#fail(this.#offset + i);
				else pending.push(b);
				continue;
			}
			if (pending.length === 1) {
				if ((b >= 0x40 && b <= 0x7e) || (b >= 0x80 && b <= 0xfe)) {
					pending.length = 0; // a two-byte GBK character
				} else if (b >= 0x30 && b <= 0x39) {
					pending.push(b); // a four-byte GB18030 sequence
					this.#gbkValid = false;
				} else this.#fail(this.#offset + i);
				continue;
			}
			if (pending.length === 2) {
				if (b >= 0x81 && b <= 0xfe) pending.push(b);
				else this.#fail(this.#offset + i);
				continue;
			}
			if (b >= 0x30 && b <= 0x39) pending.length = 0;
			else this.#fail(this.#offset + i);
		}
	}
}

/** Detect the encoding of a whole buffer (BOM excluded by the caller). */
export function detectEncoding(bytes: Uint8Array): 'utf-8' | 'gbk' | 'gb18030' | null {
	const sniffer = new EncodingSniffer();
	sniffer.push(bytes);
	return sniffer.finish();
}

/** A fatal decoder for a canonical encoding name; FormatError 'encoding' when Node lacks it. */
export function makeDecoder(encoding: string, file: string): TextDecoder {
	try {
		return new TextDecoder(encoding, { fatal: true });
	} catch {
		throw new FormatError('encoding', `${file}: the text encoding "${encoding}" is not supported`, { file });
	}
}
