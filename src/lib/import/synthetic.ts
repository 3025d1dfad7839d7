// A deterministic, synthetic registered-households CSV of any size (benchmarks and the streaming
// memory test). Every value is generated from the seed (mulberry32); nothing describes a real family.
// Lines are yielded one by one, so a million-row file is written without holding it.
import { mulberry32, randInt } from '../analysis/prng.ts';

export const SYNTHETIC_HEADER = '户编号,村代码,经度,纬度,家庭人口,劳动力人数,人均纯收入（元）,致贫原因,帮扶措施,识别年度,脱贫年度,住房安全等级';

const CAUSES = ['因病', '因残', '因学', '因灾', '缺土地', '缺水', '缺技术', '缺劳力', '缺资金', '交通条件落后', '自身发展动力不足', '其他'];
const ROUTES = ['发展生产', '易地搬迁', '生态补偿', '发展教育', '社会保障兜底'];
const GRADES = ['A', 'B', 'C', 'D'];

export interface SyntheticVillage {
	code: string;
	lon: number;
	lat: number;
}

/** `rows` data lines (header first) for households spread around the given villages. */
export function* syntheticHouseholdsCsv(villages: readonly SyntheticVillage[], rows: number, seed = 20240601, prefix = 'SY'): Generator<string> {
	const rand = mulberry32(seed);
	yield SYNTHETIC_HEADER + '\n';
	for (let i = 1; i <= rows; i++) {
		const v = villages[randInt(rand, 0, villages.length - 1)];
		const members = randInt(rand, 1, 7);
		const working = randInt(rand, 0, members);
		const registered = randInt(rand, 2014, 2016);
		const exit = rand() < 0.95 ? randInt(rand, registered, 2020) : null;
		// Within ~1 km of the village point.
		const lon = (v.lon + (rand() - 0.5) * 0.01).toFixed(6);
		const lat = (v.lat + (rand() - 0.5) * 0.01).toFixed(6);
		yield `${prefix}${String(i).padStart(8, '0')},${v.code},${lon},${lat},${members},${working},${randInt(rand, 1500, 6000)},${CAUSES[randInt(rand, 0, CAUSES.length - 1)]},${ROUTES[randInt(rand, 0, ROUTES.length - 1)]},${registered},${exit ?? ''},${GRADES[randInt(rand, 0, 3)]}\n`;
	}
}
