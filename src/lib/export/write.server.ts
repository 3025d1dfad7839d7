// One export format → the writer of $lib/formats that makes it.
import type { OutputFile, OutputTable } from '$lib/formats/types';
import { writeCsv, writeGeoJson, writeGpkg, writeShapefile, writeXlsx } from '$lib/formats/write';
import type { ExportFormat } from './targets.ts';

const WRITERS: Record<ExportFormat, (table: OutputTable) => Promise<OutputFile>> = {
	geojson: writeGeoJson,
	csv: writeCsv,
	xlsx: writeXlsx,
	shp: writeShapefile,
	gpkg: writeGpkg
};

export function writeExport(format: ExportFormat, table: OutputTable): Promise<OutputFile> {
	return WRITERS[format](table);
}
