// Where a file's bytes come from: a path on disk (uploads are spooled there, so a large CSV can be
// streamed) or bytes already in memory (a zip entry, a test). The size limit is checked before any
// byte is read.
import { open, stat } from 'node:fs/promises';
import { FormatError, type Limits } from './types.ts';

export interface FileInput {
	/** The name the user gave the file (used for detection and in messages). */
	name: string;
	path?: string;
	bytes?: Uint8Array;
}

const CHUNK = 256 * 1024;

export async function inputSize(input: FileInput): Promise<number> {
	if (input.bytes) return input.bytes.length;
	if (input.path) return (await stat(input.path)).size;
	throw new FormatError('corrupt', `${input.name}: no file content was given`, { file: input.name });
}

export async function checkSize(input: FileInput, limits: Limits): Promise<number> {
	const size = await inputSize(input);
	if (size > limits.maxFileBytes) {
		throw new FormatError(
			'too-large',
			`${input.name} is ${formatMiB(size)}; the largest file accepted is ${formatMiB(limits.maxFileBytes)}`,
			{ file: input.name }
		);
	}
	return size;
}

/** The whole file, after the size check. Fine for every format but CSV, which streams. */
export async function readAll(input: FileInput, limits: Limits): Promise<Uint8Array> {
	await checkSize(input, limits);
	if (input.bytes) return input.bytes;
	const handle = await open(input.path!, 'r');
	try {
		const { size } = await handle.stat();
		const out = new Uint8Array(size);
		let offset = 0;
		while (offset < size) {
			const { bytesRead } = await handle.read(out, offset, size - offset, offset);
			if (bytesRead === 0) break;
			offset += bytesRead;
		}
		return offset === size ? out : out.subarray(0, offset);
	} finally {
		await handle.close();
	}
}

/** The first `n` bytes (fewer when the file is shorter). */
export async function readHead(input: FileInput, n: number): Promise<Uint8Array> {
	if (input.bytes) return input.bytes.subarray(0, n);
	const handle = await open(input.path!, 'r');
	try {
		const out = new Uint8Array(n);
		const { bytesRead } = await handle.read(out, 0, n, 0);
		return out.subarray(0, bytesRead);
	} finally {
		await handle.close();
	}
}

/** The file in chunks of at most 256 KiB, read one at a time (bounded memory for any size). */
export async function* chunks(input: FileInput, start = 0): AsyncGenerator<Uint8Array> {
	if (input.bytes) {
		for (let i = start; i < input.bytes.length; i += CHUNK) yield input.bytes.subarray(i, i + CHUNK);
		return;
	}
	const handle = await open(input.path!, 'r');
	try {
		let position = start;
		for (;;) {
			const buffer = new Uint8Array(CHUNK);
			const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
			if (bytesRead === 0) return;
			position += bytesRead;
			yield buffer.subarray(0, bytesRead);
		}
	} finally {
		await handle.close();
	}
}

export function formatMiB(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
}
