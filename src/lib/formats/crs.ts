// Coordinate reference systems the files declare: recognised ones become an EPSG code and, when
// projected, a proj4 string the importer reprojects with; anything else is refused ('unknown-crs')
// rather than imported in the wrong place.
//
// Recognised: WGS 84 (4326) and CGCS2000 (4490) geographic; transverse Mercator / Gauss-Kruger on
// CGCS2000 (3-degree zones EPSG 4513–4533 with the zone prefix in the false easting, 4534–4554
// CM-only; 6-degree 4491–4512 likewise) and WGS 84 / UTM north (326xx). A transverse Mercator on
// those datums with other explicit parameters is still reprojectable: it gets a proj4 string and no
// EPSG code. CGCS2000 is treated as equal to WGS 84 (they differ by centimetres).
import { FormatError, type DeclaredCrs } from './types.ts';

export interface TmParams {
	datum: 'wgs84' | 'cgcs2000';
	lon0: number;
	lat0: number;
	k: number;
	x0: number;
	y0: number;
	/** 3 or 6 when the name says so (only used to pick the EPSG code of CM-only zones). */
	zoneWidth?: 3 | 6;
}

export function tmProj4(p: TmParams): string {
	const ellps = p.datum === 'wgs84' ? '+datum=WGS84' : '+ellps=GRS80';
	return `+proj=tmerc +lat_0=${p.lat0} +lon_0=${p.lon0} +k=${p.k} +x_0=${p.x0} +y_0=${p.y0} ${ellps} +units=m +no_defs`;
}

/** The EPSG code of a transverse Mercator, when it is one of the families above. */
export function tmEpsg(p: TmParams): number | null {
	if (p.lat0 !== 0 || p.y0 !== 0) return null;
	if (p.datum === 'wgs84') {
		const zone = (p.lon0 + 183) / 6;
		return p.k === 0.9996 && p.x0 === 500000 && Number.isInteger(zone) && zone >= 1 && zone <= 60 ? 32600 + zone : null;
	}
	if (p.k !== 1) return null;
	if (p.x0 === 500000) {
		if (p.zoneWidth === 6) {
			const zone = (p.lon0 + 3) / 6;
			return Number.isInteger(zone) && zone >= 13 && zone <= 23 ? 4502 + zone - 13 : null;
		}
		const i = (p.lon0 - 75) / 3;
		return Number.isInteger(i) && i >= 0 && i <= 20 ? 4534 + i : null;
	}
	const zone = (p.x0 - 500000) / 1_000_000;
	if (!Number.isInteger(zone)) return null;
	if (zone * 3 === p.lon0 && zone >= 25 && zone <= 45) return 4513 + zone - 25;
	if (zone * 6 - 3 === p.lon0 && zone >= 13 && zone <= 23) return 4491 + zone - 13;
	return null;
}

/** A recognised EPSG code as a DeclaredCrs, or null. */
export function crsFromEpsg(epsg: number, definition: string | null = null): DeclaredCrs | null {
	if (epsg === 4326 || epsg === 4490) return { epsg, definition, proj4: null };
	let p: TmParams | null = null;
	if (epsg >= 4513 && epsg <= 4533) {
		const zone = epsg - 4513 + 25;
		p = { datum: 'cgcs2000', lon0: zone * 3, lat0: 0, k: 1, x0: zone * 1_000_000 + 500000, y0: 0 };
	} else if (epsg >= 4534 && epsg <= 4554) {
		p = { datum: 'cgcs2000', lon0: 75 + (epsg - 4534) * 3, lat0: 0, k: 1, x0: 500000, y0: 0 };
	} else if (epsg >= 4491 && epsg <= 4501) {
		const zone = epsg - 4491 + 13;
		p = { datum: 'cgcs2000', lon0: zone * 6 - 3, lat0: 0, k: 1, x0: zone * 1_000_000 + 500000, y0: 0 };
	} else if (epsg >= 4502 && epsg <= 4512) {
		p = { datum: 'cgcs2000', lon0: (epsg - 4502 + 13) * 6 - 3, lat0: 0, k: 1, x0: 500000, y0: 0 };
	} else if (epsg >= 32601 && epsg <= 32660) {
		p = { datum: 'wgs84', lon0: (epsg - 32600) * 6 - 183, lat0: 0, k: 0.9996, x0: 500000, y0: 0 };
	}
	return p ? { epsg, definition, proj4: tmProj4(p) } : null;
}

// --- WKT (1 and 2) -------------------------------------------------------------------------------

export interface WktNode {
	key: string;
	args: (string | number | WktNode)[];
}

const MAX_WKT_CHARS = 64 * 1024;
const MAX_WKT_DEPTH = 16;

/** Parse WKT into a tree. Throws a plain Error on malformed text (callers turn it into unknown-crs). */
export function parseWkt(text: string): WktNode {
	if (text.length > MAX_WKT_CHARS) throw new Error('the definition is too long');
	let i = 0;
	const ws = () => {
		while (i < text.length && /\s/.test(text[i])) i++;
	};
	const node = (depth: number): WktNode => {
		if (depth > MAX_WKT_DEPTH) throw new Error('the definition is nested too deeply');
		ws();
		const start = i;
		while (i < text.length && /[A-Za-z0-9_]/.test(text[i])) i++;
		const key = text.slice(start, i);
		if (!key) throw new Error(`expected a keyword at ${i}`);
		ws();
		const open = text[i];
		if (open !== '[' && open !== '(') return { key, args: [] };
		const close = open === '[' ? ']' : ')';
		i++;
		const args: WktNode['args'] = [];
		for (;;) {
			ws();
			const c = text[i];
			if (c === undefined) throw new Error('unexpected end');
			if (c === close) {
				i++;
				return { key, args };
			}
			if (c === '"') {
				let s = '';
				i++;
				for (;;) {
					if (i >= text.length) throw new Error('unterminated string');
					if (text[i] === '"') {
						if (text[i + 1] === '"') {
							s += '"';
							i += 2;
							continue;
						}
						i++;
						break;
					}
					s += text[i++];
				}
				args.push(s);
			} else if (/[-+0-9.]/.test(c)) {
				const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(text.slice(i, i + 64));
				if (!m) throw new Error(`bad number at ${i}`);
				args.push(Number(m[0]));
				i += m[0].length;
			} else {
				args.push(node(depth + 1));
			}
			ws();
			if (text[i] === ',') i++;
			else if (text[i] !== close) throw new Error(`expected , or ${close} at ${i}`);
		}
	};
	const root = node(0);
	ws();
	if (i !== text.length) throw new Error('text after the definition');
	return root;
}

const norm = (s: unknown) => String(s).toLowerCase().replace(/[^a-z0-9]/g, '');

function child(node: WktNode, ...keys: string[]): WktNode | undefined {
	return node.args.find((a): a is WktNode => typeof a === 'object' && keys.includes(a.key.toUpperCase()));
}

function findDeep(node: WktNode, keys: string[]): WktNode | undefined {
	for (const a of node.args) {
		if (typeof a !== 'object') continue;
		if (keys.includes(a.key.toUpperCase())) return a;
		const found = findDeep(a, keys);
		if (found) return found;
	}
	return undefined;
}

function datumOf(node: WktNode): 'wgs84' | 'cgcs2000' | null {
	const datum = findDeep(node, ['DATUM', 'GEODETICDATUM', 'TRF']);
	const name = norm(datum?.args[0] ?? '');
	if (/wgs1984|wgs84|worldgeodeticsystem1984/.test(name)) return 'wgs84';
	if (/china2000|cgcs2000|chinageodeticcoordinatesystem2000/.test(name)) return 'cgcs2000';
	return null;
}

function authorityCode(node: WktNode): number | null {
	const auth = child(node, 'AUTHORITY', 'ID');
	if (auth && norm(auth.args[0]) === 'epsg') {
		const code = Number(auth.args[1]);
		return Number.isInteger(code) ? code : null;
	}
	return null;
}

const PARAM_NAMES: Record<string, keyof Pick<TmParams, 'lon0' | 'lat0' | 'k' | 'x0' | 'y0'>> = {
	centralmeridian: 'lon0',
	longitudeofnaturalorigin: 'lon0',
	longitudeoforigin: 'lon0',
	latitudeoforigin: 'lat0',
	latitudeofnaturalorigin: 'lat0',
	scalefactor: 'k',
	scalefactoratnaturalorigin: 'k',
	falseeasting: 'x0',
	falsenorthing: 'y0'
};

/**
 * The CRS a WKT definition (a .prj, a GeoPackage srs) describes, or FormatError 'unknown-crs' quoting
 * its name.
 */
export function crsFromWkt(wkt: string, file: string): DeclaredCrs {
	const definition = wkt.trim();
	let root: WktNode;
	try {
		root = parseWkt(definition);
	} catch (error) {
		throw new FormatError('unknown-crs', `${file}: the coordinate system definition cannot be read (${(error as Error).message})`, {
			file
		});
	}
	const name = String(root.args[0] ?? root.key);
	const refuse = (why: string) =>
		new FormatError('unknown-crs', `${file}: the coordinate system "${name}" is not supported (${why}); use WGS 84, CGCS2000 or a CGCS2000 Gauss-Kruger zone`, {
			file
		});
	const key = root.key.toUpperCase();
	const declared = authorityCode(root);
	if (declared !== null) {
		const known = crsFromEpsg(declared, definition);
		if (known) return known;
	}
	const datum = datumOf(root);
	if (key === 'GEOGCS' || key === 'GEOGCRS' || key === 'GEODCRS' || key === 'GEOGRAPHICCRS') {
		if (datum === 'wgs84') return { epsg: 4326, definition, proj4: null };
		if (datum === 'cgcs2000') return { epsg: 4490, definition, proj4: null };
		throw refuse('datum not WGS 84 or CGCS2000');
	}
	if (key !== 'PROJCS' && key !== 'PROJCRS' && key !== 'PROJECTEDCRS') throw refuse(`a ${root.key} definition`);
	if (!datum) throw refuse('datum not WGS 84 or CGCS2000');
	const method = child(root, 'PROJECTION') ?? findDeep(root, ['METHOD', 'PROJECTION']);
	const methodName = norm(method?.args[0] ?? '');
	if (!/transversemercator|gausskruger/.test(methodName)) throw refuse(`projection ${String(method?.args[0] ?? 'none')}`);
	const params: Partial<TmParams> = { lat0: 0, y0: 0, k: 1 };
	const holder = findDeep(root, ['CONVERSION']) ?? root;
	for (const a of holder.args) {
		if (typeof a !== 'object' || a.key.toUpperCase() !== 'PARAMETER') continue;
		const p = PARAM_NAMES[norm(a.args[0])];
		if (p && typeof a.args[1] === 'number') params[p] = a.args[1];
	}
	if (params.lon0 === undefined || params.x0 === undefined) throw refuse('central meridian or false easting missing');
	const unit = child(root, 'UNIT', 'LENGTHUNIT') ?? findDeep(child(root, 'CS') ?? root, ['LENGTHUNIT']);
	if (unit && typeof unit.args[1] === 'number' && Math.abs(unit.args[1] - 1) > 1e-9) throw refuse(`unit ${String(unit.args[0])}`);
	const tm: TmParams = {
		datum,
		lon0: params.lon0,
		lat0: params.lat0!,
		k: params.k!,
		x0: params.x0,
		y0: params.y0!,
		zoneWidth: /6degree/.test(norm(name)) ? 6 : /3degree/.test(norm(name)) ? 3 : undefined
	};
	return { epsg: tmEpsg(tm), definition, proj4: tmProj4(tm) };
}

/** The CRS a legacy GeoJSON `crs` member names (RFC 7946 dropped it; old QGIS and GDAL still write it). */
export function crsFromGeoJsonMember(member: unknown, file: string): DeclaredCrs {
	const name =
		typeof member === 'object' && member !== null && 'properties' in member
			? (member as { properties?: { name?: unknown } }).properties?.name
			: undefined;
	const text = typeof name === 'string' ? name : JSON.stringify(member);
	if (typeof name === 'string') {
		if (/CRS:?84$/i.test(name)) return { epsg: 4326, definition: name, proj4: null };
		const m = /EPSG:(?:[\d.]*:)?(\d+)$/i.exec(name);
		if (m) {
			const known = crsFromEpsg(Number(m[1]), name);
			if (known) return known;
		}
	}
	throw new FormatError('unknown-crs', `${file}: the coordinate system "${String(text).slice(0, 200)}" is not supported; use WGS 84 or CGCS2000`, {
		file
	});
}
