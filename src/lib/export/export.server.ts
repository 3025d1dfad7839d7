// GET /api/export/<target>?format=&county=&bbox=&<layer filters>: a layer as the map shows it (the
// registry query, same parameters, same suppression) or a base table (the OGC collection's rows),
// limited to the county, the current view and the filters, written by the file writers of
// $lib/formats. Households never: they are not a target, and layers reach them only as suppressed
// aggregates.
import type { Kysely } from 'kysely';
import type { Capabilities, Database } from '$lib/server/db';
import type { Locale } from '$lib/i18n';
import type { OutputFile, OutputTable } from '$lib/formats/types';
import { DEFAULT_K, ParamError, parseParams, type LayerParams } from '$lib/layers/params';
import { queries } from '$lib/layers/queries.server';
import { collectionById } from '$lib/ogc/collections';
import { allFeatures } from '$lib/ogc/features.server';
import { OgcError, parseBbox } from '$lib/ogc/params';
import { EXPORT_FORMATS, exportTarget, type ExportFormat, type ExportTarget, type ViewBbox } from './targets.ts';
import { layerTable } from './layer-tables.ts';
import { writeExport } from './write.server.ts';

export class ExportError extends Error {
	constructor(
		readonly status: 400 | 404,
		message: string
	) {
		super(message);
		this.name = 'ExportError';
	}
}

export interface ExportRequest {
	target: ExportTarget;
	format: ExportFormat;
	params: LayerParams;
	bbox: ViewBbox | null;
}

/** Check the request: the target exists, the format is one we write, parameters parse. */
export function parseExportRequest(id: string, search: URLSearchParams): ExportRequest {
	const target = exportTarget(id);
	if (!target) throw new ExportError(404, `nothing to export named "${id}"`);
	const format = search.get('format') ?? '';
	if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
		throw new ExportError(400, `format: must be one of ${EXPORT_FORMATS.join(', ')} (got "${format}")`);
	}
	try {
		const params = parseParams(search);
		const bboxText = search.get('bbox');
		return { target, format: format as ExportFormat, params, bbox: bboxText ? parseBbox(bboxText) : null };
	} catch (err) {
		if (err instanceof ParamError || err instanceof OgcError) throw new ExportError(400, err.message);
		throw err;
	}
}

/** The table a request exports (rows not yet read for base tables: they stream from the database). */
export async function exportTable(ctx: { db: Kysely<Database>; capabilities: Capabilities }, req: ExportRequest): Promise<OutputTable> {
	const { target, params, bbox } = req;
	const name = baseName(req);
	if (target.kind === 'layer') {
		const query = queries[target.id];
		// The suppression floor of the map: a request can raise k, never lower it.
		let data: unknown;
		try {
			data = await query(ctx, { ...params, k: Math.max(params.k, DEFAULT_K) });
		} catch (err) {
			if (err instanceof ParamError) throw new ExportError(400, err.message);
			throw err;
		}
		return layerTable(target.id, data, name, bbox);
	}
	const collection = collectionById(target.id)!;
	const filters = {
		county: params.county,
		year: null,
		chain: collection.filters.includes('chain') ? params.chain : null,
		stage: collection.filters.includes('stage') ? params.stage : null
	};
	const features = allFeatures(ctx.db, collection, filters, bbox);
	return {
		name,
		columns: collection.properties.map(({ name, type }) => ({ name, type })),
		geometryType: collection.geometryType,
		rows: (async function* () {
			for await (const f of features) yield { values: collection.properties.map((p) => f.properties[p.name] ?? null), geometry: f.geometry };
		})()
	};
}

/** ASCII base name: lantu-<target>-<county or all>[-<year>], safe in any file system and header. */
export function baseName(req: ExportRequest): string {
	const parts = ['lantu', req.target.id, req.params.county ?? 'all'];
	if (req.target.params.includes('year')) parts.push(String(req.params.year));
	if (req.bbox) parts.push('view');
	return parts.join('-');
}

/** The localized file name: 蓝图-<title>-<county>[-<year>年][-当前视图].ext */
export function displayName(req: ExportRequest, locale: Locale, extension: string, countyName: string | null): string {
	const zh = locale === 'zh-CN';
	const parts = [zh ? '蓝图' : 'Lantu', req.target.title[locale], countyName ?? (zh ? '全部县' : 'all counties')];
	if (req.target.params.includes('year')) parts.push(zh ? `${req.params.year}年` : String(req.params.year));
	if (req.bbox) parts.push(zh ? '当前视图' : 'current view');
	return `${parts.join('-')}${extension}`;
}

/** Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 8187). */
export function contentDisposition(ascii: string, utf8: string): string {
	const safe = ascii.replace(/[^A-Za-z0-9._-]/g, '_');
	const encoded = encodeURIComponent(utf8).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	return `attachment; filename="${safe}"; filename*=UTF-8''${encoded}`;
}

export async function exportFile(
	ctx: { db: Kysely<Database>; capabilities: Capabilities },
	req: ExportRequest
): Promise<OutputFile> {
	return writeExport(req.format, await exportTable(ctx, req));
}
