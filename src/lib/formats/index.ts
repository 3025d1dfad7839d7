// Reading any supported file: `openSource` looks at the bytes first (zip, SQLite, old Excel) and the
// name second, and hands the file to its reader. Readers enforce the limits (./limits.ts) and throw
// FormatError for anything wrong with the file.
import { readAll, readHead, checkSize, type FileInput } from './input.ts';
import { resolveLimits } from './limits.ts';
import { openCsv } from './read/csv.ts';
import { openGeoJson } from './read/geojson.ts';
import { openGpkg } from './read/gpkg.ts';
import { openShapefile } from './read/shapefile.ts';
import { openXlsx } from './read/xlsx.ts';
import { FormatError, type Limits, type ReadOptions, type RecordSource } from './types.ts';
import { looksLikeZip, SafeZip } from './zip.ts';

export type { FileInput } from './input.ts';
export { DEFAULT_LIMITS, resolveLimits } from './limits.ts';
export * from './types.ts';

const SQLITE_MAGIC = 'SQLite format 3\0';
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** Open a file for reading; the format is detected from its content and name. */
export async function openSource(file: FileInput, options: ReadOptions = {}): Promise<RecordSource> {
	const limits = resolveLimits(options.limits);
	return open(file, options, limits, true);
}

async function open(file: FileInput, options: ReadOptions, limits: Limits, allowZip: boolean): Promise<RecordSource> {
	await checkSize(file, limits);
	const head = await readHead(file, 64);
	const name = file.name;
	const ext = extension(name);

	if (looksLikeZip(head)) {
		if (!allowZip) throw new FormatError('zip-nested', `${name} is an archive inside an archive`, { file: name });
		const zip = SafeZip.open(await readAll(file, limits), name, limits);
		return openZip(zip, file, options, limits);
	}
	if (ascii(head.subarray(0, 16)) === SQLITE_MAGIC || ext === 'gpkg') return openGpkg(file, options, limits);
	if (OLE_MAGIC.every((b, i) => head[i] === b) || ext === 'xls') {
		throw new FormatError('unsupported', `${name} is an old Excel (.xls) file; save it as .xlsx and upload again`, { file: name });
	}
	if (ext === 'xlsx') throw new FormatError('corrupt', `${name} is not a valid .xlsx file (it is not a zip archive)`, { file: name });
	if (['shp', 'shx', 'dbf', 'prj', 'cpg'].includes(ext)) {
		throw new FormatError(
			'missing-part',
			`${name} is one part of a shapefile; put the .shp, .shx, .dbf and .prj files together in one .zip and upload that`,
			{ file: name }
		);
	}
	if (ext === 'geojson' || ext === 'json' || firstNonSpace(head) === '{') return openGeoJson(file, options, limits);
	return openCsv(file, options, limits);
}

async function openZip(zip: SafeZip, file: FileInput, options: ReadOptions, limits: Limits): Promise<RecordSource> {
	const files = zip.files;
	const names = files.map((e) => e.name);
	if (zip.find('[Content_Types].xml') && zip.find('xl/workbook.xml')) return openXlsx(zip, options, limits);
	if (names.some((n) => /\.(shp|dbf)$/i.test(n))) return openShapefile(zip, options, limits);
	const readable = files.filter((e) => /\.(geojson|json|csv|txt|tsv|gpkg)$/i.test(e.name) && !e.name.startsWith('__MACOSX/'));
	if (readable.length === 1) {
		const entry = readable[0];
		return open({ name: `${file.name}/${entry.name}`, bytes: zip.read(entry) }, options, limits, false);
	}
	if (readable.length > 1) {
		throw new FormatError('unsupported', `${file.name} holds several files (${readable.map((e) => e.name).join(', ')}); upload one at a time`, {
			file: file.name
		});
	}
	throw new FormatError('unsupported', `${file.name} holds no file Lantu can read (shapefile, GeoJSON, CSV, GeoPackage)`, { file: file.name });
}

function extension(name: string): string {
	const m = /\.([A-Za-z0-9]+)$/.exec(name);
	return m ? m[1].toLowerCase() : '';
}

function ascii(bytes: Uint8Array): string {
	return String.fromCharCode(...bytes);
}

function firstNonSpace(head: Uint8Array): string {
	let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
	while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
	return i < head.length ? String.fromCharCode(head[i]) : '';
}
