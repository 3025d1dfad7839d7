#!/usr/bin/env node
// `npm start`: install what is missing, build if the sources changed, then serve.
// The server itself migrates the database and loads the demo data on its first start.
import { spawn } from 'node:child_process';
import { checkNode, ensureBuilt, ensureInstalled, root } from './lib/setup.mjs';

checkNode();
ensureInstalled();
const entry = ensureBuilt();

// adapter-node reads PORT and HOST; the server migrates and seeds before it listens.
// BODY_SIZE_LIMIT: adapter-node refuses request bodies above it (default 512 KB); imports accept
// files up to 200 MiB (src/lib/formats/limits.ts) and stream them to disk.
const env = { ...process.env, PORT: process.env.PORT ?? '3000', LANTU_ROOT: root, BODY_SIZE_LIMIT: process.env.BODY_SIZE_LIMIT ?? '210M' };
const where = env.DATABASE_URL ? 'the PostgreSQL server in DATABASE_URL' : `the embedded database in ${env.LANTU_DATA_DIR ?? 'data/'}`;
console.log(`lantu: starting on http://${env.HOST ?? 'localhost'}:${env.PORT} with ${where}`);
const child = spawn(process.execPath, [entry], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
