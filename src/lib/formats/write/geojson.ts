// GeoJSON writer (RFC 7946): a FeatureCollection in WGS 84 longitude/latitude, no `crs` member.
import { FormatError, type OutputFile, type OutputTable } from '../types.ts';
import { eachRow, safeBaseName, TextSink } from './common.ts';

export async function writeGeoJson(table: OutputTable): Promise<OutputFile> {
	const sink = new TextSink();
	sink.write(`{"type":"FeatureCollection","name":${JSON.stringify(table.name)},"features":[\n`);
	let n = 0;
	for await (const row of eachRow(table)) {
		if (row.values.length !== table.columns.length) {
			throw new FormatError('corrupt', `row ${n + 1} has ${row.values.length} values for ${table.columns.length} columns`, {
				file: table.name,
				row: n + 1
			});
		}
		const properties: Record<string, unknown> = {};
		table.columns.forEach((c, i) => (properties[c.name] = row.values[i]));
		sink.write(`${n++ ? ',\n' : ''}{"type":"Feature","properties":${JSON.stringify(properties)},"geometry":${JSON.stringify(row.geometry)}}`);
	}
	sink.write('\n]}\n');
	return { fileName: `${safeBaseName(table.name)}.geojson`, contentType: 'application/geo+json', bytes: sink.bytes() };
}
