// Uploaded files waiting to be imported. Each upload is spooled to its own folder under the OS temp
// directory (never into the project or data folder), with the size limit checked while the bytes
// arrive, and is known by a random hex id. The wizard's state (last report, progress of the running
// validation or commit) is kept per upload in this process; uploads older than a day are removed with
// their staging tables.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Database } from '../server/db/types.ts';
import { openSource, DEFAULT_LIMITS, FormatError, type RecordSource, type ReadOptions, type CellValue } from '../formats/index.ts';
import { autoMap, privateColumns, TARGET_IDS, type AutoMapResult, type TargetId } from './targets.ts';
import { dropStaging, stagedUploadIds, type ImportProgress, type ImportReport } from './pipeline.server.ts';
import type { CrsId } from './coords.ts';

export const UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;

export interface Upload {
	id: string;
	fileName: string;
	path: string;
	size: number;
	createdAt: number;
	report: ImportReport | null;
	progress: ImportProgress | null;
	/** The error of the last validation or commit, with file/row/field in the message. */
	error: string | null;
	busy: boolean;
	/** Batch written by the last commit. */
	batchId: number | null;
}

const uploads = new Map<string, Upload>();

function root(): string {
	return join(tmpdir(), 'lantu-imports');
}

/** A file name safe to keep on disk (the original stays in `fileName` for messages and history). */
function diskName(name: string): string {
	const ext = /\.[A-Za-z0-9]{1,8}$/.exec(name)?.[0] ?? '';
	return `upload${ext.toLowerCase()}`;
}

/** Store an uploaded file (streamed, size-limited). Throws FormatError 'too-large' past the limit. */
export async function createUpload(fileName: string, body: ReadableStream<Uint8Array> | Uint8Array, maxBytes = DEFAULT_LIMITS.maxFileBytes): Promise<Upload> {
	const name = basename(fileName.replace(/\\/g, '/')).slice(0, 200) || 'upload';
	const id = randomBytes(8).toString('hex');
	const dir = join(root(), id);
	await mkdir(dir, { recursive: true });
	const path = join(dir, diskName(name));
	let size = 0;
	const limit = new Transform({
		transform(chunk: Buffer, _enc, done) {
			size += chunk.length;
			if (size > maxBytes) done(new FormatError('too-large', `${name} is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB, the largest file accepted`, { file: name }));
			else done(null, chunk);
		}
	});
	try {
		const source = body instanceof Uint8Array ? Readable.from([body]) : Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
		await pipeline(source, limit, createWriteStream(path));
	} catch (err) {
		await rm(dir, { recursive: true, force: true });
		throw err;
	}
	if (size === 0) {
		await rm(dir, { recursive: true, force: true });
		throw new FormatError('corrupt', `${name} is empty`, { file: name });
	}
	const upload: Upload = { id, fileName: name, path, size, createdAt: Date.now(), report: null, progress: null, error: null, busy: false, batchId: null };
	uploads.set(id, upload);
	return upload;
}

export function getUpload(id: string): Upload | null {
	return /^[0-9a-f]{16}$/.test(id) ? (uploads.get(id) ?? null) : null;
}

export function openUpload(upload: Upload, options: ReadOptions = {}): Promise<RecordSource> {
	return openSource({ name: upload.fileName, path: upload.path }, options);
}

/** The CRS the file declares, as one of the wizard's choices (CSV/XLSX declare none: WGS84 by default). */
export function declaredCrsChoice(source: RecordSource): CrsId {
	const crs = source.crs;
	if (!crs) return 'wgs84';
	if (crs.epsg === 4490) return 'cgcs2000';
	if (crs.epsg === 4326 || crs.epsg === null) return crs.proj4 ? 'projected' : 'wgs84';
	return crs.proj4 ? 'projected' : 'wgs84';
}

export interface UploadInfo {
	id: string;
	fileName: string;
	size: number;
	format: RecordSource['format'];
	encoding: string | null;
	encodingSource: RecordSource['encodingSource'];
	crs: { choice: CrsId; epsg: number | null; definition: string | null; proj4: string | null };
	layer: string | null;
	layers: string[];
	count: number | null;
	headers: string[];
	/** First rows as read; values of personal columns are masked, never sent back. */
	samples: Array<{ row: number; fields: Record<string, CellValue>; geometryType: string | null }>;
	/** The target whose synonyms match the headers best, and the automatic mapping for each target. */
	suggestedTarget: TargetId;
	mappings: Record<TargetId, AutoMapResult>;
}

const SAMPLE_ROWS = 8;

/** What the wizard shows after upload: format, encoding, CRS, headers, sample rows, automatic mappings. */
export async function inspectUpload(upload: Upload, options: ReadOptions = {}): Promise<UploadInfo> {
	const source = await openUpload(upload, options);
	try {
		const samples: UploadInfo['samples'] = [];
		for await (const record of source.records()) {
			samples.push({ row: record.row, fields: record.fields, geometryType: record.geometry?.type ?? null });
			if (samples.length >= SAMPLE_ROWS) break;
		}
		const mappings = Object.fromEntries(
			TARGET_IDS.map((t) => [t, autoMap(source.headers, t, samples.map((s) => s.fields))])
		) as Record<TargetId, AutoMapResult>;
		const score = (t: TargetId) => Object.values(mappings[t].confidence).reduce((a, b) => a + b, 0) - mappings[t].missing.length * 0.5;
		const suggestedTarget = [...TARGET_IDS].sort((a, b) => score(b) - score(a))[0];
		// Mask personal columns for every target (a bare "name" is personal for households only).
		const masked = new Set(privateColumns(source.headers, 'industry_sites', samples.map((s) => s.fields)).map((d) => d.header));
		for (const d of mappings.households.dropped) if (d.kind !== 'name' || suggestedTarget === 'households') masked.add(d.header);
		// A household file's coordinates are household positions: they do not come back either.
		if (suggestedTarget === 'households') for (const key of ['lon', 'lat']) {
			const h = mappings.households.mapping[key];
			if (h) masked.add(h);
		}
		for (const s of samples) for (const h of masked) if (s.fields[h] !== null && s.fields[h] !== undefined) s.fields[h] = '•••';
		return {
			id: upload.id,
			fileName: upload.fileName,
			size: upload.size,
			format: source.format,
			encoding: source.encoding,
			encodingSource: source.encodingSource,
			crs: { choice: declaredCrsChoice(source), epsg: source.crs?.epsg ?? null, definition: source.crs?.definition ?? null, proj4: source.crs?.proj4 ?? null },
			layer: source.layer,
			layers: source.layers,
			count: source.count,
			headers: source.headers,
			samples,
			suggestedTarget,
			mappings
		};
	} finally {
		await source.close();
	}
}

/** Remove an upload: its file and its staging tables. */
export async function removeUpload(db: Kysely<Database>, id: string): Promise<void> {
	uploads.delete(id);
	await rm(join(root(), id), { recursive: true, force: true });
	await dropStaging(db, id);
}

/** Remove uploads (files and staging tables) older than the TTL, including those of earlier processes. */
export async function expireUploads(db: Kysely<Database>, now = Date.now()): Promise<number> {
	let removed = 0;
	const dirs = await readdir(root()).catch(() => [] as string[]);
	for (const id of dirs) {
		if (!/^[0-9a-f]{16}$/.test(id)) continue;
		const s = await stat(join(root(), id)).catch(() => null);
		const upload = uploads.get(id);
		if (upload?.busy) continue;
		if (!s || now - s.mtimeMs > UPLOAD_TTL_MS) {
			await removeUpload(db, id);
			removed++;
		}
	}
	for (const id of await stagedUploadIds(db)) {
		if (!uploads.has(id) && !dirs.includes(id)) await dropStaging(db, id);
	}
	return removed;
}
