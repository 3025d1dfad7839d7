// GeoPackage writer (sql.js in memory): the three required gpkg tables, one feature table (or an
// attribute table when there is no geometry) in EPSG:4326, geometry as GeoPackage binary with an XY
// envelope, and the layer extent in gpkg_contents. No spatial index: readers build one when needed.
import type { Geometry } from 'geojson';
import { loadSqlJs, quoteId } from '../sqlite.ts';
import { FormatError, type CellValue, type OutputFile, type OutputTable } from '../types.ts';
import { encodeWkb, envelope } from '../wkb.ts';
import { eachRow, safeBaseName } from './common.ts';

const WGS84_WKT =
	'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]';

const SQL_TYPE = { text: 'TEXT', integer: 'INTEGER', real: 'REAL', boolean: 'BOOLEAN', date: 'DATE' } as const;

const SCHEMA = `
PRAGMA application_id = 1196444487;
PRAGMA user_version = 10200;
CREATE TABLE gpkg_spatial_ref_sys (
	srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
	organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
	table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
	description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
	min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
	CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
	table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
	srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
	CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
	CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
	CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
`;

/** GeoPackage binary: "GP", version 0, flags (little-endian, XY envelope), srs_id, envelope, WKB. */
export function gpkgGeometry(g: Geometry, srsId = 4326): Uint8Array {
	const wkb = encodeWkb(g);
	const out = new Uint8Array(8 + 32 + wkb.length);
	const v = new DataView(out.buffer);
	out[0] = 0x47;
	out[1] = 0x50;
	out[2] = 0;
	out[3] = 0b0000_0011;
	v.setInt32(4, srsId, true);
	const e = envelope(g) ?? [NaN, NaN, NaN, NaN];
	[e[0], e[2], e[1], e[3]].forEach((n, i) => v.setFloat64(8 + i * 8, n, true));
	out.set(wkb, 40);
	return out;
}

export async function writeGpkg(table: OutputTable): Promise<OutputFile> {
	const SQL = await loadSqlJs();
	const db = new SQL.Database();
	try {
		db.exec(SCHEMA);
		db.run(
			`INSERT INTO gpkg_spatial_ref_sys VALUES
			('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
			('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
			('WGS 84 geodetic', 4326, 'EPSG', 4326, ?, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')`,
			[WGS84_WKT]
		);
		const name = safeBaseName(table.name, 'layer');
		const taken = new Set(table.columns.map((c) => c.name.toLowerCase()));
		const free = (base: string) => {
			let n = base;
			for (let i = 1; taken.has(n.toLowerCase()); i++) n = `${base}_${i}`;
			taken.add(n.toLowerCase());
			return n;
		};
		const fid = free('fid');
		const geomColumn = table.geometryType ? free('geom') : null;
		const geomTypeName = table.geometryType?.toUpperCase() ?? null;
		const columnSql = [
			`${quoteId(fid)} INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL`,
			...(geomColumn ? [`${quoteId(geomColumn)} ${geomTypeName}`] : []),
			...table.columns.map((c) => `${quoteId(c.name)} ${SQL_TYPE[c.type]}`)
		];
		db.exec(`CREATE TABLE ${quoteId(name)} (${columnSql.join(', ')})`);
		db.run(`INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES (?, ?, ?, ?)`, [
			name,
			geomColumn ? 'features' : 'attributes',
			table.name,
			geomColumn ? 4326 : null
		]);
		if (geomColumn) db.run(`INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, 4326, 0, 0)`, [name, geomColumn, geomTypeName]);

		const insert = db.prepare(
			`INSERT INTO ${quoteId(name)} (${[...(geomColumn ? [geomColumn] : []), ...table.columns.map((c) => c.name)].map(quoteId).join(', ')})
			 VALUES (${Array(table.columns.length + (geomColumn ? 1 : 0)).fill('?').join(', ')})`
		);
		let box: [number, number, number, number] | null = null;
		let n = 0;
		db.exec('BEGIN');
		for await (const row of eachRow(table)) {
			n++;
			const values: (string | number | Uint8Array | null)[] = [];
			if (geomColumn) {
				const g = row.geometry ? promote(row.geometry, table.geometryType!, table.name, n) : null;
				values.push(g ? gpkgGeometry(g) : null);
				const e = g ? envelope(g) : null;
				if (e) box = box ? [Math.min(box[0], e[0]), Math.min(box[1], e[1]), Math.max(box[2], e[2]), Math.max(box[3], e[3])] : e;
			}
			table.columns.forEach((c, i) => values.push(sqlValue(row.values[i])));
			insert.run(values);
		}
		insert.free();
		db.exec('COMMIT');
		if (box) db.run('UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?', [...box, name]);
		return { fileName: `${name}.gpkg`, contentType: 'application/geopackage+sqlite3', bytes: db.export() };
	} finally {
		db.close();
	}
}

function sqlValue(v: CellValue): string | number | null {
	if (typeof v === 'boolean') return v ? 1 : 0;
	if (typeof v === 'number' && !Number.isFinite(v)) return null;
	return v;
}

/** A single geometry in a Multi* table becomes a one-member Multi*; anything else must match. */
function promote(g: Geometry, type: NonNullable<OutputTable['geometryType']>, file: string, row: number): Geometry {
	if (g.type === type) return g;
	if (type === 'MultiPoint' && g.type === 'Point') return { type, coordinates: [g.coordinates] };
	if (type === 'MultiLineString' && g.type === 'LineString') return { type, coordinates: [g.coordinates] };
	if (type === 'MultiPolygon' && g.type === 'Polygon') return { type, coordinates: [g.coordinates] };
	throw new FormatError('unsupported', `${file}, row ${row}: a ${g.type} in a ${type} layer`, { file, row });
}
