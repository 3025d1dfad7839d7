// Helpers for the format tests: read a whole source, run GDAL's ogrinfo on bytes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSource, type ReadOptions, type RecordSource, type SourceRecord } from '../../src/lib/formats/index.ts';

export const FIXTURES = join(import.meta.dirname, '../fixtures/formats');
export const HOSTILE = join(import.meta.dirname, '../fixtures/hostile');

export async function readAll(source: RecordSource): Promise<SourceRecord[]> {
	const out: SourceRecord[] = [];
	try {
		for await (const r of source.records()) out.push(r);
	} finally {
		await source.close();
	}
	return out;
}

export async function openFixture(name: string, options: ReadOptions = {}) {
	return openSource({ name, path: join(FIXTURES, name) }, options);
}

/** Write bytes to a temporary file and run ogrinfo on it (through /vsizip/ for zipped shapefiles). */
export function ogrinfo(fileName: string, bytes: Uint8Array, args: string[] = ['-al', '-q']): string {
	const dir = mkdtempSync(join(tmpdir(), 'lantu-ogr-'));
	try {
		const path = join(dir, fileName);
		writeFileSync(path, bytes);
		const target = fileName.endsWith('.zip') ? `/vsizip/${path}` : path;
		return execFileSync('ogrinfo', [...args, target], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
