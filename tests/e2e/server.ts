// Start and stop the built app for browser tests.
//
// - Builds with `vite build` when build/index.js is missing or older than any source file
//   (one build at a time across test workers: a lock directory in tests/e2e/.tmp).
// - Starts `node build/index.js` on a free loopback port with a fresh LANTU_DATA_DIR, so the first
//   start migrates and seeds the embedded PGlite database (a minute or more on a 2-core machine),
//   and waits on GET /api/health with a generous deadline. DATABASE_URL is removed from the
//   server's environment: these tests are about the embedded default.
//
// Chromium: Debian's /usr/bin/chromium, never a downloaded browser. With the flags in
// CHROMIUM_ARGS, headless Chromium 156 gives MapLibre a real WebGL2 context on SwiftShader
// (renderer "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)"):
// --disable-gpu does not prevent it, because --use-angle=swiftshader selects the software GL
// and --enable-unsafe-swiftshader allows WebGL on it (without that flag Chromium refuses
// WebGL on the software fallback). The network flags keep Chromium from calling Google.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const TMP = join(ROOT, 'tests/e2e/.tmp');
const BUILD_ENTRY = join(ROOT, 'build/index.js');

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
	'--headless=new',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--use-angle=swiftshader',
	'--enable-unsafe-swiftshader'
];

/** Newest modification time under the given paths (files or folders), skipping dot-folders. */
function newestMtime(paths: string[]): number {
	let newest = 0;
	const visit = (path: string) => {
		if (!existsSync(path)) return;
		const stat = statSync(path);
		if (stat.isDirectory()) {
			for (const entry of readdirSync(path)) if (!entry.startsWith('.')) visit(join(path, entry));
		} else newest = Math.max(newest, stat.mtimeMs);
	};
	for (const p of paths) visit(join(ROOT, p));
	return newest;
}

/** Inputs of the build (migrations and geodata are read at run time from the project, not built). */
const BUILD_INPUTS = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json', 'tsconfig.json'];

function buildIsStale(): boolean {
	return !existsSync(BUILD_ENTRY) || statSync(BUILD_ENTRY).mtimeMs < newestMtime(BUILD_INPUTS);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withLock<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
	mkdirSync(TMP, { recursive: true });
	const lock = join(TMP, `${name}.lock`);
	const deadline = Date.now() + 15 * 60_000;
	for (;;) {
		try {
			mkdirSync(lock);
			break;
		} catch {
			// A lock older than the deadline is left from a killed run.
			if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
			await sleep(500);
		}
	}
	try {
		return await fn();
	} finally {
		rmSync(lock, { recursive: true, force: true });
	}
}

/** Build the app if build/ is missing or older than the sources. */
export async function ensureBuilt(): Promise<void> {
	await withLock('build', () => {
		if (!buildIsStale()) return;
		const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], {
			cwd: ROOT,
			encoding: 'utf8',
			env: { ...process.env, NODE_ENV: 'production' },
			maxBuffer: 64 * 1024 * 1024
		});
		if (result.status !== 0) {
			throw new Error(`vite build failed (${result.status}):\n${result.stdout?.slice(-4000)}\n${result.stderr?.slice(-4000)}`);
		}
	});
}

export function freePort(): Promise<number> {
	return new Promise((resolvePort, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolvePort(port));
		});
	});
}

export interface RunningServer {
	/** e.g. http://127.0.0.1:41234 */
	url: string;
	port: number;
	dataDir: string;
	/** What the server printed so far (for failure messages). */
	output(): string;
	stop(): Promise<void>;
}

export interface StartOptions {
	/** How long to wait for /api/health (first start seeds the database). Default 10 minutes. */
	healthDeadlineMs?: number;
	env?: Record<string, string>;
	/** Serve from this PostgreSQL server instead of the embedded database (benchmarks). */
	databaseUrl?: string;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
	await ensureBuilt();
	mkdirSync(TMP, { recursive: true });
	const dataDir = mkdtempSync(join(TMP, 'data-'));
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PORT: String(port),
		HOST: '127.0.0.1',
		ORIGIN: url,
		LANTU_DATA_DIR: dataDir,
		LANTU_ROOT: ROOT,
		NODE_ENV: 'production',
		...options.env
	};
	delete env.DATABASE_URL;
	delete env.LANTU_PGLITE_DIR;
	if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
	const child: ChildProcess = spawn(process.execPath, [BUILD_ENTRY], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	const keep = (chunk: Buffer) => {
		output = (output + chunk.toString()).slice(-20_000);
	};
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	let exited: number | null | undefined;
	child.on('exit', (code) => (exited = code));

	const stop = async () => {
		if (exited === undefined) {
			const gone = new Promise<void>((r) => child.once('exit', () => r()));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			await gone;
			clearTimeout(timer);
		}
		rmSync(dataDir, { recursive: true, force: true });
	};

	const deadline = Date.now() + (options.healthDeadlineMs ?? 10 * 60_000);
	for (;;) {
		if (exited !== undefined) {
			await stop();
			throw new Error(`the server exited (${exited}) before it was healthy:\n${output}`);
		}
		try {
			const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(30_000) });
			if (res.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`the server was not healthy by the deadline:\n${output}`);
		}
		await sleep(1000);
	}
	return { url, port, dataDir, output: () => output, stop };
}
