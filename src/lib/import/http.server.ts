// Import errors as HTTP responses: what went wrong and where (file, row, field), as JSON.
import { json } from '@sveltejs/kit';
import { FormatError } from '../formats/index.ts';
import { ImportError } from './pipeline.server.ts';

const STATUS: Record<ImportError['code'], number> = {
	mapping: 400,
	county: 400,
	'no-validation': 409,
	'has-invalid': 409,
	'commit-failed': 409,
	'undo-refused': 409,
	'not-found': 404,
	empty: 422
};

/** A JSON error response for a known import/format error; rethrows anything else. */
export function importErrorResponse(err: unknown): Response {
	if (err instanceof FormatError)
		return json({ error: err.message, code: err.code, where: err.where }, { status: err.code === 'too-large' ? 413 : 422 });
	if (err instanceof ImportError) return json({ error: err.message, code: err.code, details: err.details }, { status: STATUS[err.code] });
	throw err;
}
