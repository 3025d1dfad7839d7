#!/usr/bin/env node
// `npm test`: every test. Installs dependencies on a fresh clone, then runs vitest (unit, DB on
// PGlite — and on the server too when TEST_DATABASE_URL is set — and Chromium end-to-end tests).
// Extra arguments go to vitest, e.g. `npm test -- tests/db`.
import { join } from 'node:path';
import { checkNode, ensureInstalled, root, run } from './lib/setup.mjs';

checkNode();
ensureInstalled();
const bin = (name) => join(root, 'node_modules', '.bin', name);
run(bin('svelte-kit'), ['sync'], 'generating SvelteKit types');
run(bin('vitest'), ['run', ...process.argv.slice(2)], 'running the tests');
