// Writers: each takes an OutputTable (geometry in EPSG:4326) and returns the file's bytes.
import type { OutputFile, OutputTable } from '../types.ts';
import { writeCsv } from './csv.ts';
import { writeGeoJson } from './geojson.ts';
import { writeGpkg } from './gpkg.ts';
import { writeShapefile } from './shapefile.ts';
import { writeXlsx } from './xlsx.ts';

export { writeCsv, writeGeoJson, writeGpkg, writeShapefile, writeXlsx };

export type ExportFormat = 'geojson' | 'csv' | 'xlsx' | 'shapefile' | 'gpkg';

export const WRITERS: Record<ExportFormat, (table: OutputTable) => Promise<OutputFile>> = {
	geojson: writeGeoJson,
	csv: writeCsv,
	xlsx: writeXlsx,
	shapefile: writeShapefile,
	gpkg: writeGpkg
};
