// The contract between file formats and the import / export pipelines. Server-only code (Node APIs
// allowed), no database: readers turn a file into records, writers turn rows into a file.
//
// Readers never trust their input: every limit below is checked before the work it guards, and every
// problem is a FormatError that says what and where (file, row or feature number, field).
import type { Geometry } from 'geojson';

export type FormatId = 'geojson' | 'csv' | 'xlsx' | 'shapefile' | 'gpkg';

/** A cell value as read; dates are ISO strings ("2019-06-30" or with time). */
export type CellValue = string | number | boolean | null;

export interface SourceRecord {
	/**
	 * Where the user finds this record in the file: CSV and XLSX = the spreadsheet row number (the
	 * header is row 1, so the first data row is 2); GeoJSON, shapefile, GeoPackage = feature number
	 * from 1 (the GeoPackage feature id when there is one).
	 */
	row: number;
	fields: Record<string, CellValue>;
	/** Coordinates exactly as in the file (not reprojected); null when the format or row has none. */
	geometry: Geometry | null;
}

/** What the file says about its coordinates. */
export interface DeclaredCrs {
	/** EPSG code when recognised (4326 WGS 84, 4490 CGCS2000, 4547 CGCS2000 / 3-degree GK CM 114E, …). */
	epsg: number | null;
	/** The definition as found (.prj WKT, GeoPackage srs definition, GeoJSON crs member), for messages. */
	definition: string | null;
	/** A proj4 string when the CRS is projected and we can reproject it to 4326, else null. */
	proj4: string | null;
}

export interface RecordSource {
	format: FormatId;
	fileName: string;
	/** Column names in file order (for mapping). */
	headers: string[];
	/** Text encoding used to decode (CSV, DBF): 'utf-8', 'gbk', 'gb18030'…; null for binary formats. */
	encoding: string | null;
	/** How the encoding was chosen: from a BOM, .cpg, DBF code page, detection, or the user's override. */
	encodingSource: 'bom' | 'cpg' | 'dbf-ldid' | 'detected' | 'override' | 'format' | null;
	/** Declared CRS, or null when the file declares none (CSV, XLSX). */
	crs: DeclaredCrs | null;
	/** Layer or sheet read (GeoPackage layer, XLSX sheet), when the file has several. */
	layer: string | null;
	/** Other layers/sheets the file has (for the wizard to offer). */
	layers: string[];
	/** Record count when known without reading everything, else null. */
	count: number | null;
	/** The records, streamed; iterate once. */
	records(): AsyncIterable<SourceRecord>;
	/**
	 * CSV only: the same data rows as cell arrays by column (header order), in batches — the fast lane
	 * for well-formed files (read/csv-rows.ts). Throws IrregularCsv where the file needs the general
	 * reader (records()), which the caller then uses instead. Independent of records().
	 */
	rows?(): AsyncIterable<Array<{ row: number; cells: (string | null)[] }>>;
	/** Release file handles / WASM memory. */
	close(): Promise<void>;
}

export interface ReadOptions {
	/** Override encoding detection for CSV and DBF ('utf-8', 'gbk', 'gb18030'). */
	encoding?: string;
	/** Sheet (XLSX) or layer (GeoPackage) to read; default the first. */
	layer?: string;
	limits?: Partial<Limits>;
}

/** Limits on hostile input. Defaults in ./limits.ts. */
export interface Limits {
	/** Largest upload accepted, bytes. */
	maxFileBytes: number;
	/** Largest total uncompressed size of an archive (zip, xlsx), bytes. */
	maxUncompressedBytes: number;
	/** Most entries in an archive. */
	maxZipEntries: number;
	/** Highest compression ratio of any archive entry (zip bomb guard). */
	maxCompressionRatio: number;
	/** Deepest nesting in JSON. */
	maxJsonDepth: number;
	/** Most records read from one file. */
	maxRecords: number;
	/** Most columns in a table. */
	maxColumns: number;
	/** Longest single cell / property value, characters. */
	maxCellChars: number;
	/** Most vertices in one geometry. */
	maxVertices: number;
}

export type FormatErrorCode =
	| 'too-large'
	| 'zip-entries'
	| 'zip-ratio'
	| 'zip-path'
	| 'zip-nested'
	| 'json-depth'
	| 'json-syntax'
	| 'encoding'
	| 'formula'
	| 'unknown-crs'
	| 'missing-part'
	| 'corrupt'
	| 'unsupported'
	| 'too-many-records'
	| 'too-many-columns'
	| 'cell-too-long'
	| 'too-many-vertices';

/** A problem with the file itself; import stops and nothing is written. */
export class FormatError extends Error {
	constructor(
		readonly code: FormatErrorCode,
		message: string,
		readonly where: { file: string; row?: number; field?: string; entry?: string } = { file: '' }
	) {
		super(message);
		this.name = 'FormatError';
	}
}

/** Rows for a writer: plain values plus an optional geometry (EPSG:4326). */
export interface OutputColumn {
	name: string;
	type: 'text' | 'integer' | 'real' | 'boolean' | 'date';
}

export interface OutputTable {
	/** Layer / sheet / file base name (ASCII-safe for shapefiles; the writer sanitises). */
	name: string;
	columns: OutputColumn[];
	/** Geometry type when the table has geometry (all rows the same type, or null geometry). */
	geometryType: 'Point' | 'LineString' | 'Polygon' | 'MultiPoint' | 'MultiLineString' | 'MultiPolygon' | null;
	rows: Iterable<{ values: CellValue[]; geometry: Geometry | null }> | AsyncIterable<{ values: CellValue[]; geometry: Geometry | null }>;
}

/** A written file: bytes plus the name and content type to serve it under. */
export interface OutputFile {
	fileName: string;
	contentType: string;
	bytes: Uint8Array;
	/**
	 * What the writer had to change to fit the format, for the user (e.g. shapefile field names cut
	 * to 10 bytes, text cut to 254 bytes). Empty or absent when the file holds the table as given.
	 */
	notes?: string[];
	/** Column name → name in the file, for the columns the format forced to rename (shapefile). */
	renamedFields?: Record<string, string>;
}
