// Which parts of the village × site table of relocating households to withhold. Pure; runs on the
// server before any response (suppress.ts rules, domain.md Privacy). Both relocation layers use it:
// relocation-sites publishes the cells (arcs) and the column totals (households assigned to a
// site), housing-cost-gap publishes the row totals (a village's relocating households) and again
// the column totals. So one decision, over the whole table, covers both.
//
// Primary suppression: a cell, row total or column total of 1..k−1 households is withheld.
// That alone is not enough when totals are published: a site's total minus its shown cells would
// give a withheld cell back. Secondary (complementary) suppression, in every published line (a row
// or column whose total is shown):
//   - the withheld cells of the line add up to 0 or at least k, and
//   - there are not exactly one of them — a lone withheld cell is its line's total minus the shown
//     ones, so it is as good as shown and protects nothing elsewhere (except the never-shown part
//     of a row, col null, when it is ≥ k: it lies in no other line).
// While a line breaks a rule, its smallest shown cell is withheld too; a line with nothing left to
// withhold has its total withheld instead. This is the usual heuristic (like the statistical
// offices' "at least two suppressed cells per line"), not a full linear-programming audit.
//
// The result depends only on the table, not on the order of the input or on which county is asked
// for, so two requests never withhold different parts of the same table (no differencing between
// requests). The caller must therefore pass the whole table, not a filtered part of it.

export interface Cell {
	row: string;
	/** null: a part of the row that is never shown as a cell (e.g. households with no site). */
	col: string | null;
	count: number;
}

export interface TableSuppression {
	/** For each input cell, true when withheld. */
	cells: boolean[];
	/** Rows whose total is withheld. */
	rows: Set<string>;
	/** Columns whose total is withheld. */
	cols: Set<string>;
}

export function suppressTable(cells: readonly Cell[], k: number): TableSuppression {
	const order = cells.map((_, i) => i).sort((a, b) => compare(cells[a], cells[b]));
	const small = (n: number) => n >= 1 && n < k;
	const hidden = cells.map((c) => c.col === null || small(c.count));
	const lines = new Map<string, number[]>();
	for (const i of order) {
		const c = cells[i];
		if (c.count <= 0) continue;
		push(lines, `r:${c.row}`, i);
		if (c.col !== null) push(lines, `c:${c.col}`, i);
	}
	const keys = [...lines.keys()].sort();
	const hiddenLines = new Set(keys.filter((key) => small(lines.get(key)!.reduce((s, i) => s + cells[i].count, 0))));
	// Sweeps in key order until nothing changes. A line's verdict changes only when one of its cells
	// is withheld, so a sweep looks only at lines touched since they were last looked at (`dirty`):
	// the same decisions in the same order as re-checking every line, at a fraction of the work
	// (the demo table has ~1,300 cells in ~1,000 lines).
	const dirty = new Set(keys);
	const lineKeysOf = (i: number) => (cells[i].col === null ? [`r:${cells[i].row}`] : [`r:${cells[i].row}`, `c:${cells[i].col}`]);
	while (dirty.size > 0) {
		for (const key of keys) {
			if (!dirty.delete(key) || hiddenLines.has(key)) continue;
			const idx = lines.get(key)!;
			let count = 0;
			let sum = 0;
			let lone = -1;
			for (const i of idx) {
				if (!hidden[i]) continue;
				count++;
				sum += cells[i].count;
				lone = i;
			}
			if (count === 0) continue;
			const safe = sum >= k && (count >= 2 || cells[lone].col === null);
			if (safe) continue;
			// idx is in `order`: the first smallest shown cell, ties broken by (row, col).
			let pick = -1;
			for (const i of idx) if (!hidden[i] && (pick < 0 || cells[i].count < cells[pick].count)) pick = i;
			if (pick >= 0) {
				hidden[pick] = true;
				for (const line of lineKeysOf(pick)) dirty.add(line);
			} else hiddenLines.add(key);
		}
	}
	const rows = new Set<string>();
	const cols = new Set<string>();
	for (const key of hiddenLines) (key.startsWith('r:') ? rows : cols).add(key.slice(2));
	return { cells: hidden, rows, cols };
}

function push(map: Map<string, number[]>, key: string, i: number): void {
	const list = map.get(key);
	if (list) list.push(i);
	else map.set(key, [i]);
}

function compare(a: Cell, b: Cell): number {
	const ac = a.col ?? '';
	const bc = b.col ?? '';
	return a.row < b.row ? -1 : a.row > b.row ? 1 : ac < bc ? -1 : ac > bc ? 1 : a.count - b.count;
}
