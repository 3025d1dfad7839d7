// sql.js (SQLite compiled to WebAssembly), loaded once. A GeoPackage is opened from bytes into WASM
// memory: nothing touches the disk and the upload cannot be modified in place.
import { createRequire } from 'node:module';
import initSqlJs, { type SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | null = null;

export function loadSqlJs(): Promise<SqlJsStatic> {
	if (!loading) {
		const require = createRequire(import.meta.url);
		const wasm = require.resolve('sql.js/dist/sql-wasm.wasm');
		loading = initSqlJs({ locateFile: () => wasm });
	}
	return loading;
}

/** An SQL identifier, quoted. */
export function quoteId(name: string): string {
	return `"${name.replace(/"/g, '""')}"`;
}
