// Once per test run: a PGlite cluster with PostGIS already created, dumped to a file. Every DB test
// then starts its embedded database from that dump (~3 s) instead of initialising a cluster and
// loading PostGIS (~15 s) — the database under test is still a real, fresh PGlite per file.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
	export interface ProvidedContext {
		pgliteTemplate: string;
	}
}

export default async function setup(project: TestProject) {
	const { PGlite } = await import('@electric-sql/pglite');
	const { postgis } = await import('@electric-sql/pglite-postgis');
	const pg = await PGlite.create('memory://', { extensions: { postgis } });
	await pg.exec('create extension if not exists postgis');
	const dump = await pg.dumpDataDir('none');
	await pg.close();
	const dir = join(project.config.root, 'tests', '.tmp');
	mkdirSync(dir, { recursive: true });
	const file = join(dir, `pglite-postgis-${process.pid}.tar`);
	writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
	project.provide('pgliteTemplate', file);
	return () => rmSync(file, { force: true });
}
