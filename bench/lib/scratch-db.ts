// A throwaway database on the PostgreSQL server for one benchmark run: created empty, handed over as
// a connection URL, and dropped afterwards even when the run fails.
import pg from 'pg';

async function admin(serverUrl: string, statement: string): Promise<void> {
	const client = new pg.Client({ connectionString: serverUrl });
	await client.connect();
	try {
		await client.query(statement);
	} finally {
		await client.end();
	}
}

/** Run `fn` with the URL of a new database `name` on the server at `serverUrl`; drop it afterwards. */
export async function withScratchDatabase<T>(serverUrl: string, name: string, fn: (url: string) => Promise<T>): Promise<T> {
	if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
	await admin(serverUrl, `create database ${name}`);
	const url = new URL(serverUrl);
	url.pathname = `/${name}`;
	try {
		return await fn(url.toString());
	} finally {
		await admin(serverUrl, `drop database if exists ${name} with (force)`);
	}
}
