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
//
// The browser half (openBrowser, openPage, openMap, settle, canvasShot, changedPixels) is what every
// browser test does around its own steps: its waits are generous because a loaded 2-core CI machine
// draws the map on a software GL.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

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

// --- The browser --------------------------------------------------------------------------------

/** Debian's Chromium with a software WebGL2 (see CHROMIUM_ARGS). */
export function openBrowser(): Promise<Browser> {
	return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface OpenPageOptions {
	viewport?: { width: number; height: number };
	locale?: string;
	acceptDownloads?: boolean;
	/** Record console errors in `problems` (default true); page errors are always recorded. */
	consoleErrors?: boolean;
	/** Console errors that are expected (e.g. a refused request Chromium logs) and not recorded. */
	expectedConsole?: RegExp;
}

/** A page in its own context, with every URL it asked for and every error it met. */
export interface OpenedPage {
	context: BrowserContext;
	page: Page;
	/** Every request URL, in order. */
	requests: string[];
	/** Page errors and (unless turned off) console errors: a test that ends well expects none. */
	problems: string[];
}

/** A new context (1 device pixel per CSS pixel, so canvas shots compare pixel by pixel) and page. */
export async function openPage(browser: Browser, options: OpenPageOptions = {}): Promise<OpenedPage> {
	const { viewport = { width: 1280, height: 800 }, locale, acceptDownloads, consoleErrors = true, expectedConsole } = options;
	const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale, acceptDownloads });
	const page = await context.newPage();
	const requests: string[] = [];
	const problems: string[] = [];
	page.on('request', (request) => requests.push(request.url()));
	page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
	if (consoleErrors) {
		page.on('console', (msg) => {
			if (msg.type() === 'error' && !expectedConsole?.test(msg.text())) problems.push(`console: ${msg.text()}`);
		});
	}
	return { context, page, requests, problems };
}

export interface SettleOptions {
	/**
	 * Also wait for every visible data layer to have its data (or be out of its zoom range), not
	 * only for the map to be idle. Default true.
	 */
	layers?: boolean;
	/** With `layers`: fail when a layer ended in error. Default true. */
	failOnLayerError?: boolean;
	/** Default 3 minutes: the first draw on a fresh server waits for the county's data. */
	timeout?: number;
}

/**
 * Wait until the map has drawn everything it has: the page's map idle (window.__lantuMapIdle),
 * a split-view map too when there is one, and (unless `layers: false`) every visible data layer's
 * data in.
 */
export async function settle(page: Page, options: SettleOptions = {}): Promise<void> {
	const { layers = true, failOnLayerError = true, timeout = 180_000 } = options;
	await page.waitForFunction(
		(withLayers) =>
			window.__lantuMapIdle === true &&
			[...document.querySelectorAll<HTMLElement>('[data-testid="compare-map"]')].every((e) => e.dataset.mapIdle === 'true') &&
			(!withLayers ||
				[...document.querySelectorAll<HTMLElement>('[data-layer-status]')].every((e) =>
					['ready', 'hidden', 'idle', 'error'].includes(e.dataset.layerStatus ?? '')
				)),
		layers,
		{ timeout, polling: 250 }
	);
	if (layers && failOnLayerError) {
		const failed = await page.locator('[data-layer-status="error"]').count();
		if (failed > 0) throw new Error(`${failed} layer(s) failed to load`);
	}
}

/** Go to a map URL (absolute) and settle. */
export async function openMap(page: Page, url: string, options: SettleOptions = {}): Promise<void> {
	await page.goto(url, { waitUntil: 'load' });
	await settle(page, options);
}

/** The map canvas alone: what `overMap` selects (panels, controls) is hidden for the shot. */
export async function canvasShot(page: Page, overMap: string): Promise<Buffer> {
	const style = await page.addStyleTag({ content: `${overMap} { visibility: hidden !important; }` });
	const shot = await page.locator('[data-testid="map"] canvas').screenshot();
	await style.evaluate((node) => (node as HTMLStyleElement).remove());
	return shot;
}

/** Pixels whose colour differs (sum of channel differences above 48) between two same-size PNGs. */
export function changedPixels(a: Buffer, b: Buffer): number {
	const x = PNG.sync.read(a);
	const y = PNG.sync.read(b);
	if (x.width !== y.width || x.height !== y.height) throw new Error('screenshots of different sizes');
	let n = 0;
	for (let i = 0; i < x.data.length; i += 4) {
		const d = Math.abs(x.data[i] - y.data[i]) + Math.abs(x.data[i + 1] - y.data[i + 1]) + Math.abs(x.data[i + 2] - y.data[i + 2]);
		if (d > 48) n++;
	}
	return n;
}

/** A URL the page may ask for: our own server, or data the page made itself. */
export function isOwnHost(url: string): boolean {
	const { protocol, hostname } = new URL(url);
	if (protocol === 'data:' || protocol === 'blob:') return true;
	return hostname === '127.0.0.1' || hostname === 'localhost';
}
