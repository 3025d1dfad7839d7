#!/usr/bin/env node
// `npm start`: install what is missing, build if the sources changed, then serve.
// The server itself migrates the database and loads the demo data on its first start.
// Plain Node, no dependencies: it must run on a fresh clone before `npm install`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
	console.error(`Lantu needs Node.js 20.19 or newer (this is ${process.versions.node}).`);
	process.exit(1);
}

function run(args, what) {
	console.log(`lantu: ${what} (npm ${args.join(' ')})`);
	const r = spawnSync(npm, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
	if (r.status !== 0) {
		console.error(`lantu: npm ${args.join(' ')} failed`);
		process.exit(r.status ?? 1);
	}
}

function newest(path) {
	if (!existsSync(path)) return 0;
	const st = statSync(path);
	if (!st.isDirectory()) return st.mtimeMs;
	let t = st.mtimeMs;
	for (const name of readdirSync(path)) t = Math.max(t, newest(join(path, name)));
	return t;
}

// 1. Dependencies: install when node_modules is missing or older than the lock file.
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || newest(lock) > newest(installed)) {
	run(existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'], 'installing dependencies');
}

// 2. Build when there is no build or a source is newer than it.
const built = join(root, 'build', 'index.js');
const sources = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'].map((p) => newest(join(root, p)));
if (!existsSync(built) || Math.max(...sources) > newest(built)) run(['run', 'build'], 'building the app');

// 3. Serve. adapter-node reads PORT and HOST; the server migrates and seeds before it listens.
const env = { ...process.env, PORT: process.env.PORT ?? '3000', LANTU_ROOT: root };
console.log(`lantu: starting on http://${env.HOST ?? 'localhost'}:${env.PORT} (${env.DATABASE_URL ? 'PostgreSQL server' : 'embedded PGlite database in ' + (env.LANTU_DATA_DIR ?? 'data/')})`);
const child = spawn(process.execPath, [built], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
