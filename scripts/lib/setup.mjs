// Shared by `npm start` and `npm test`: make a fresh clone runnable with nothing done first.
// Plain Node, no dependencies (it runs before `npm install`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export function checkNode() {
	const [major, minor] = process.versions.node.split('.').map(Number);
	if (major < 20 || (major === 20 && minor < 19)) {
		console.error(`Lantu needs Node.js 20.19 or newer (this is ${process.versions.node}).`);
		process.exit(1);
	}
}

export function run(command, args, what) {
	console.log(`lantu: ${what} (${command} ${args.join(' ')})`);
	const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
	if (r.status !== 0) {
		console.error(`lantu: ${command} ${args.join(' ')} failed`);
		process.exit(r.status ?? 1);
	}
}

export function newest(path) {
	if (!existsSync(path)) return 0;
	const st = statSync(path);
	if (!st.isDirectory()) return st.mtimeMs;
	let t = st.mtimeMs;
	for (const name of readdirSync(path)) t = Math.max(t, newest(join(path, name)));
	return t;
}

/** Install dependencies when node_modules is missing or older than the lock file. */
export function ensureInstalled() {
	const lock = join(root, 'package-lock.json');
	const installed = join(root, 'node_modules', '.package-lock.json');
	if (!existsSync(installed) || newest(lock) > newest(installed)) {
		// `npm install` keeps to the locked versions. (Not `npm ci`: the registry mirror these machines
		// use does not serve other platforms' optional binaries, so `npm ci` calls the lock incomplete.)
		run(npm, ['install', '--no-audit', '--no-fund'], 'installing dependencies');
	}
}

/** Build the app when there is no build or a source is newer than it. Returns the entry file. */
export function ensureBuilt() {
	const entry = join(root, 'build', 'index.js');
	const sources = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'].map((p) => newest(join(root, p)));
	if (!existsSync(entry) || Math.max(...sources) > newest(join(root, 'build'))) run(npm, ['run', 'build'], 'building the app');
	return entry;
}
