// What every browser test file sets up around its tests: the built app on a fresh embedded database
// and one Chromium, started before the file's first test and stopped after its last. Apart from
// server.ts because it registers vitest hooks (the benchmarks import server.ts outside vitest).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { ROOT, openBrowser, startServer, type RunningServer } from './server.ts';

/** Screenshots for people to look at (both languages of every screen under test). */
export const SCREENSHOTS = join(ROOT, 'tests/e2e/screenshots');

export interface App {
	/** Set once the file's beforeAll has run. */
	readonly server: RunningServer;
	readonly browser: Browser;
}

/** Call at the top of a describe block: its tests then reach the app and the browser through the result. */
export function useApp(): App {
	const app: { server?: RunningServer; browser?: Browser } = {};
	beforeAll(async () => {
		mkdirSync(SCREENSHOTS, { recursive: true });
		app.server = await startServer();
		app.browser = await openBrowser();
	});
	afterAll(async () => {
		await app.browser?.close();
		await app.server?.stop();
	});
	return app as App;
}
