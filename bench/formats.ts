// npx tsx bench/formats.ts — throughput of the file-format readers and writers (no database):
// every writer on a 100,000-row point table, then our reader on its output; and the CSV reader
// streaming a 1,000,000-row household file from disk (encoding detection pass included), with the
// resident-memory growth while it runs. Writes bench/results/formats.md.
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Geometry } from 'geojson';
import { openSource, type CellValue, type OutputTable } from '../src/lib/formats/index.ts';
import { WRITERS } from '../src/lib/formats/write/index.ts';
import { mulberry32 } from '../src/lib/analysis/prng.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const CSV_ROWS = Number(process.env.BENCH_CSV_ROWS ?? 1_000_000);
const random = mulberry32(42);

const rows: { values: CellValue[]; geometry: Geometry }[] = Array.from({ length: ROWS }, (_, i) => ({
	values: [`村${i}`, `3607311${String(i).padStart(5, '0')}`, Math.floor(random() * 3000), Math.round(random() * 1e6) / 100, random() < 0.3, '2020-01-08'],
	geometry: { type: 'Point', coordinates: [115 + random(), 25.5 + random()] }
}));
const table: OutputTable = {
	name: 'bench',
	columns: [
		{ name: '村名', type: 'text' },
		{ name: 'village_code', type: 'text' },
		{ name: 'population', type: 'integer' },
		{ name: 'income', type: 'real' },
		{ name: 'poor', type: 'boolean' },
		{ name: 'surveyed', type: 'date' }
	],
	geometryType: 'Point',
	rows
};

const lines: string[] = [];
const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en')} rows/s`;

lines.push(`| format | file size | write | read back |`, `|---|---|---|---|`);
for (const [format, write] of Object.entries(WRITERS)) {
	let t = performance.now();
	const file = await write(table);
	const writeMs = performance.now() - t;
	t = performance.now();
	const source = await openSource({ name: file.fileName, bytes: file.bytes });
	let n = 0;
	for await (const _ of source.records()) n++;
	await source.close();
	const readMs = performance.now() - t;
	if (n !== ROWS) throw new Error(`${format}: read ${n} of ${ROWS} rows`);
	const row = `| ${format} | ${(file.bytes.length / 1e6).toFixed(1)} MB | ${rate(ROWS, writeMs)} | ${rate(n, readMs)} |`;
	console.log(row);
	lines.push(row);
}

const dir = mkdtempSync(join(tmpdir(), 'lantu-bench-'));
let csvLine = '';
try {
	const path = join(dir, 'households.csv');
	const ws = createWriteStream(path);
	ws.write('户编号,村代码,人口,年收入,经度,纬度\n');
	for (let i = 0; i < CSV_ROWS; i++) {
		const line = `H${i},3607311${String(i % 300).padStart(5, '0')},${1 + (i % 7)},${(i % 1000) * 37.5},${(115 + (i % 997) / 1000).toFixed(5)},${(25.5 + (i % 991) / 1000).toFixed(5)}\n`;
		if (!ws.write(line)) await new Promise<void>((r) => ws.once('drain', () => r()));
	}
	await new Promise<void>((r) => ws.end(() => r()));
	const before = process.memoryUsage().rss;
	let peak = before;
	const t = performance.now();
	let n = 0;
	for await (const _ of (await openSource({ name: 'households.csv', path })).records()) {
		if (++n % 50_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
	}
	const ms = performance.now() - t;
	csvLine = `CSV streaming from disk: ${n.toLocaleString('en')} rows in ${(ms / 1000).toFixed(1)} s (${rate(n, ms)}), resident memory grew by ${((peak - before) / 1024 / 1024).toFixed(0)} MiB.`;
	console.log(csvLine);
} finally {
	rmSync(dir, { recursive: true, force: true });
}

const report = `# File formats: benchmarks

Writers on a ${ROWS.toLocaleString('en')}-row point table (6 columns, Chinese text), then our reader
on each written file (from memory; GeoJSON and XLSX readers validate and parse in full).

${lines.join('\n')}

${csvLine}

Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, one run on a shared 2-core machine
(load average ~15 during this run: other work shared the machine, so treat the figures as lower bounds). Run: \`npx tsx bench/formats.ts\`.
`;
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
writeFileSync(join(import.meta.dirname, 'results', 'formats.md'), report);
