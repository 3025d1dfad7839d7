// GET /api/export/<layer-or-table>?format=geojson|csv|xlsx|shp|gpkg&county=&bbox=&<layer filters>:
// a file download (docs/ogc.md lists the targets and parameters).
import { error } from '@sveltejs/kit';
import { database } from '$lib/server/db';
import { countyName } from '$lib/i18n';
import { ExportError, contentDisposition, displayName, exportFile, parseExportRequest } from '$lib/export/export.server';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url, locals }) => {
	const handle = await database();
	try {
		const req = parseExportRequest(params.target, url.searchParams);
		const file = await exportFile(handle, req);
		const county = req.params.county
			? await handle.db.selectFrom('regions').select(['code', 'name_zh', 'name_en']).where('code', '=', req.params.county).executeTakeFirst()
			: undefined;
		const extension = /\.[A-Za-z0-9]+$/.exec(file.fileName)?.[0] ?? '';
		const ascii = `${file.fileName.slice(0, file.fileName.length - extension.length)}${extension}`;
		const utf8 = displayName(req, locals.locale, extension, county ? countyName(locals.locale, county) : req.params.county);
		return new Response(file.bytes as BodyInit, {
			headers: {
				'content-type': file.contentType,
				'content-disposition': contentDisposition(ascii, utf8),
				'content-length': String(file.bytes.byteLength),
				'cache-control': 'no-store'
			}
		});
	} catch (err) {
		if (err instanceof ExportError) error(err.status, err.message);
		throw err;
	}
};
