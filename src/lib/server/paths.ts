// Where the project lives and where it keeps its data. Works from the sources (vite dev, tsx,
// vitest) and from the adapter-node build, whose modules sit under build/server/.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The project root: the nearest ancestor holding migrations/ and geodata/. */
export function projectRoot(): string {
	if (root) return root;
	const starts = [process.env.LANTU_ROOT, dirname(fileURLToPath(import.meta.url)), process.cwd()];
	for (const start of starts) {
		if (!start) continue;
		let dir = resolve(start);
		for (;;) {
			if (existsSync(join(dir, 'migrations')) && existsSync(join(dir, 'geodata'))) return (root = dir);
			const up = dirname(dir);
			if (up === dir) break;
			dir = up;
		}
	}
	throw new Error('Lantu: cannot find the project root (a folder with migrations/ and geodata/); set LANTU_ROOT');
}

/** The data directory (LANTU_DATA_DIR, default <root>/data). */
export function dataDir(): string {
	return resolve(process.env.LANTU_DATA_DIR ?? join(projectRoot(), 'data'));
}
