// Validation and commit run in the background of the request that starts them; the wizard polls the
// upload's state (progress, then the report or the error). One job per upload at a time.
import type { DatabaseHandle } from '../server/db/open.ts';
import { FormatError } from '../formats/index.ts';
import { commitImport, IMPORT_MODES, ImportError, validateImport, type ImportMode, type ImportReport } from './pipeline.server.ts';
import { openUpload, type Upload } from './uploads.server.ts';
import { CRS_IDS, type CrsId } from './coords.ts';
import { TARGET_IDS, type Mapping, type TargetId } from './targets.ts';

export interface UploadState {
	id: string;
	fileName: string;
	busy: boolean;
	progress: Upload['progress'];
	error: string | null;
	report: ImportReport | null;
	batchId: number | null;
}

export function uploadState(upload: Upload): UploadState {
	return { id: upload.id, fileName: upload.fileName, busy: upload.busy, progress: upload.progress, error: upload.error, report: upload.report, batchId: upload.batchId };
}

export interface ValidateRequest {
	target: TargetId;
	county: string;
	mapping: Mapping;
	crs: CrsId;
	encoding?: string;
	layer?: string;
	swap?: boolean;
	repair?: boolean;
	/** 'upsert': rows whose code is already in the table update it (targets with a key only). */
	mode?: ImportMode;
}

/** Check a validate request body; throws ImportError naming the bad field. */
export function parseValidateRequest(body: unknown): ValidateRequest {
	const b = (body ?? {}) as Record<string, unknown>;
	if (!TARGET_IDS.includes(b.target as TargetId)) throw new ImportError('mapping', `target must be one of ${TARGET_IDS.join(', ')}`);
	if (typeof b.county !== 'string' || !/^[0-9]{6}$/.test(b.county)) throw new ImportError('county', 'county must be a 6-digit county code');
	if (!CRS_IDS.includes(b.crs as CrsId)) throw new ImportError('mapping', `crs must be one of ${CRS_IDS.join(', ')}`);
	if (!b.mapping || typeof b.mapping !== 'object' || Array.isArray(b.mapping)) throw new ImportError('mapping', 'mapping must be an object of field → column');
	const mapping: Mapping = {};
	for (const [k, v] of Object.entries(b.mapping as Record<string, unknown>)) {
		if (v !== null && typeof v !== 'string') throw new ImportError('mapping', `mapping.${k} must be a column name or null`);
		mapping[k] = v === '' ? null : (v as string | null);
	}
	if (b.mode !== undefined && !IMPORT_MODES.includes(b.mode as ImportMode)) throw new ImportError('mapping', `mode must be one of ${IMPORT_MODES.join(', ')}`);
	const opt = (k: string) => (typeof b[k] === 'string' && b[k] ? (b[k] as string) : undefined);
	return { target: b.target as TargetId, county: b.county, mapping, crs: b.crs as CrsId, encoding: opt('encoding'), layer: opt('layer'), swap: b.swap === true, repair: b.repair === true, mode: (b.mode as ImportMode | undefined) ?? 'insert' };
}

function message(err: unknown): string {
	if (err instanceof FormatError || err instanceof ImportError) return err.message;
	return err instanceof Error ? err.message : String(err);
}

function claim(upload: Upload): void {
	if (upload.busy) throw new ImportError('no-validation', `${upload.fileName} is already being processed; wait for it to finish`);
	upload.busy = true;
	upload.error = null;
}

/** Start validating; resolves when the job has finished (the route does not wait for it). */
export function startValidation(handle: DatabaseHandle, upload: Upload, req: ValidateRequest): Promise<void> {
	claim(upload);
	upload.report = null;
	upload.batchId = null;
	upload.progress = { phase: 'reading', rows: 0, fraction: 0 };
	return (async () => {
		try {
			const source = await openUpload(upload, { encoding: req.encoding, layer: req.layer });
			try {
				upload.report = await validateImport(handle, source, {
					uploadId: upload.id,
					target: req.target,
					county: req.county,
					mapping: req.mapping,
					crs: req.crs,
					swap: req.swap,
					repair: req.repair,
					mode: req.mode,
					progress: (p) => (upload.progress = p)
				});
			} finally {
				await source.close();
			}
		} catch (err) {
			upload.error = message(err);
			upload.progress = { phase: 'failed', rows: upload.progress?.rows ?? 0, fraction: null };
		} finally {
			upload.busy = false;
		}
	})();
}

export function startCommit(handle: DatabaseHandle, upload: Upload, req: { actor: string; skipInvalid: boolean }): Promise<void> {
	const report = upload.report;
	if (!report) throw new ImportError('no-validation', `${upload.fileName}: validate the file before committing it`);
	if (report.counts.rejected > 0 && !req.skipInvalid)
		throw new ImportError('has-invalid', `${upload.fileName}: ${report.counts.rejected} of ${report.counts.read} rows are invalid; fix them or choose to skip invalid rows`);
	if (!req.actor.trim()) throw new ImportError('mapping', 'say who is importing (a name or office label)');
	claim(upload);
	upload.progress = { phase: 'committing', rows: 0, fraction: null };
	return (async () => {
		try {
			const result = await commitImport(handle, { uploadId: upload.id, report, actor: req.actor, skipInvalid: req.skipInvalid }, (p) => (upload.progress = p));
			upload.batchId = result.batchId;
			upload.progress = { phase: 'done', rows: result.written, fraction: 1 };
		} catch (err) {
			upload.error = message(err);
			upload.progress = { phase: 'failed', rows: 0, fraction: null };
		} finally {
			upload.busy = false;
		}
	})();
}
