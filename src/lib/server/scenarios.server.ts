// Scenarios (domain.md): named sets of policy parameters and planning decisions per county, so that
// two plans can be compared. Create, copy, rename / edit, delete — with the parameters validated by
// $lib/scenarios/parameters (400 naming the field), names unique per county by the table's
// constraint (409: two planners saving the same name at once cannot both win), and the county's
// last scenario kept (the layers need one to draw the housing-cost gap).
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from './db/types.ts';
import type { ScenarioTable } from './db/types.ts';
import { describeDbError } from './db/errors.ts';
import {
	DEFAULT_SCENARIO_PARAMETERS,
	NUMBER_PARAMETERS,
	ParameterError,
	checkDescription,
	checkName,
	completeParameters,
	mergeParameters,
	parseParameterPatch,
	type NumberParameter,
	type ScenarioParameters
} from '$lib/scenarios/parameters';

type Db = Kysely<Database>;

export interface Scenario {
	id: number;
	county: string;
	name: string;
	description: string | null;
	/** The county's first scenario: what the map uses when none is chosen. */
	baseline: boolean;
	parameters: ScenarioParameters;
	/** Planning decisions (e.g. `siting` once a location-allocation result is adopted). */
	decisions: Record<string, unknown>;
	results: Record<string, unknown>;
	createdAt: string;
	updatedAt: string;
}

/** An error for the API: HTTP status, the field it is about (if any) and a message to show. */
export class ScenarioError extends Error {
	constructor(
		readonly status: 400 | 404 | 409,
		message: string,
		readonly field: string | null = null
	) {
		super(message);
		this.name = 'ScenarioError';
	}
}

const jsonValue = (v: unknown): Record<string, unknown> => {
	const parsed = typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
	return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
};

function toScenario(row: Selectable<ScenarioTable>, baselineId: number | null): Scenario {
	const numbers = Object.fromEntries(NUMBER_PARAMETERS.map((s) => [s.key, row[s.column] as number])) as Record<NumberParameter, number>;
	return {
		id: row.id,
		county: row.county_code,
		name: row.name,
		description: row.description,
		baseline: row.id === baselineId,
		parameters: completeParameters({ ...numbers, stageThresholdMinutes: row.stage_threshold_minutes, roadSpeedKmh: row.road_speed_kmh }),
		decisions: jsonValue(row.decisions),
		results: jsonValue(row.results),
		createdAt: new Date(row.created_at).toISOString(),
		updatedAt: new Date(row.updated_at).toISOString()
	};
}

/** Columns for a full set of parameters. */
function parameterColumns(p: ScenarioParameters) {
	const cols: Record<string, unknown> = Object.fromEntries(NUMBER_PARAMETERS.map((s) => [s.column, p[s.key]]));
	cols.stage_threshold_minutes = JSON.stringify(p.stageThresholdMinutes);
	cols.road_speed_kmh = JSON.stringify(p.roadSpeedKmh);
	return cols;
}

/** Database errors as ScenarioErrors: a taken name is 409, any other constraint 400 naming its field. */
function fromDbError(err: unknown, county: string, name?: string): never {
	const d = describeDbError(err, 'scenarios');
	if (d.kind === 'unique' && d.constraint === 'scenarios_name_unique') {
		throw new ScenarioError(409, `a scenario named "${name ?? ''}" already exists in county ${county}`, 'name');
	}
	if (d.code && d.code.startsWith('23')) throw new ScenarioError(400, d.message, d.field);
	throw err;
}

const checkCounty = (county: unknown): string => {
	if (typeof county !== 'string' || !/^[0-9]{6}$/.test(county)) throw new ScenarioError(400, 'county must be a 6-digit county code', 'county');
	return county;
};

async function baselineId(db: Db, county: string): Promise<number | null> {
	const row = await db.selectFrom('scenarios').select((eb) => eb.fn.min<number>('id').as('id')).where('county_code', '=', county).executeTakeFirst();
	return row?.id ?? null;
}

/** The county's scenarios, baseline first (by id: the order they were made in). */
export async function listScenarios(db: Db, county: string): Promise<Scenario[]> {
	checkCounty(county);
	const rows = await db.selectFrom('scenarios').selectAll().where('county_code', '=', county).orderBy('id').execute();
	return rows.map((r) => toScenario(r, rows[0].id));
}

export async function getScenario(db: Db, id: number): Promise<Scenario> {
	const row = await db.selectFrom('scenarios').selectAll().where('id', '=', id).executeTakeFirst();
	if (!row) throw new ScenarioError(404, `there is no scenario ${id}`);
	return toScenario(row, await baselineId(db, row.county_code));
}

/** Rethrow a ParameterError as a 400 naming its field. */
function validated<T>(fn: () => T): T {
	try {
		return fn();
	} catch (err) {
		if (err instanceof ParameterError) throw new ScenarioError(400, err.message, err.field);
		throw err;
	}
}

export interface CreateScenarioInput {
	county: unknown;
	name: unknown;
	description?: unknown;
	/** Partial: missing parameters take the defaults of domain.md. */
	parameters?: unknown;
}

export async function createScenario(db: Db, input: CreateScenarioInput): Promise<Scenario> {
	const county = checkCounty(input.county);
	const { name, description, patch } = validated(() => ({
		name: checkName(input.name),
		description: input.description === undefined ? null : checkDescription(input.description),
		patch: input.parameters === undefined ? {} : parseParameterPatch(input.parameters)
	}));
	const known = await db.selectFrom('regions').select('code').where('code', '=', county).where('level', '=', 'county').executeTakeFirst();
	if (!known) throw new ScenarioError(400, `there is no county ${county}`, 'county');
	const parameters = mergeParameters(structuredClone(DEFAULT_SCENARIO_PARAMETERS) as ScenarioParameters, patch);
	try {
		const row = await db
			.insertInto('scenarios')
			.values({ county_code: county, name, description, ...parameterColumns(parameters), decisions: '{}', results: '{}' } as never)
			.returningAll()
			.executeTakeFirstOrThrow();
		return toScenario(row, await baselineId(db, county));
	} catch (err) {
		fromDbError(err, county, name);
	}
}

/**
 * A copy of a scenario's parameters and decisions under a new name (results are not copied: they
 * belong to the source's parameters). Without a name: "<name> 副本", "<name> 副本 2", … whichever
 * is free.
 */
export async function copyScenario(db: Db, id: number, input: { name?: unknown; description?: unknown }): Promise<Scenario> {
	const source = await db.selectFrom('scenarios').selectAll().where('id', '=', id).executeTakeFirst();
	if (!source) throw new ScenarioError(404, `there is no scenario ${id}`);
	let name: string;
	if (input.name === undefined || input.name === null || input.name === '') {
		const taken = new Set((await db.selectFrom('scenarios').select('name').where('county_code', '=', source.county_code).execute()).map((r) => r.name));
		const stem = `${source.name} 副本`;
		name = stem;
		for (let i = 2; taken.has(name); i++) name = `${stem} ${i}`;
	} else {
		name = validated(() => checkName(input.name));
	}
	const description = input.description === undefined ? source.description : validated(() => checkDescription(input.description));
	const columns = Object.fromEntries(NUMBER_PARAMETERS.map((s) => [s.column, source[s.column]]));
	try {
		const row = await db
			.insertInto('scenarios')
			.values({
				county_code: source.county_code,
				name,
				description,
				...columns,
				stage_threshold_minutes: JSON.stringify(jsonValue(source.stage_threshold_minutes)),
				road_speed_kmh: JSON.stringify(jsonValue(source.road_speed_kmh)),
				decisions: JSON.stringify(jsonValue(source.decisions)),
				results: '{}'
			} as never)
			.returningAll()
			.executeTakeFirstOrThrow();
		return toScenario(row, await baselineId(db, source.county_code));
	} catch (err) {
		fromDbError(err, source.county_code, name);
	}
}

export interface UpdateScenarioInput {
	name?: unknown;
	description?: unknown;
	/** Any subset of the parameters; thresholds and speeds merge per stage / road class. */
	parameters?: unknown;
}

/**
 * Rename, describe, change parameters. Thresholds and speeds are merged in SQL (`jsonb ||`), so two
 * planners editing different stages at once both keep their change.
 */
export async function updateScenario(db: Db, id: number, input: UpdateScenarioInput): Promise<Scenario> {
	const allowed = new Set(['name', 'description', 'parameters']);
	for (const key of Object.keys(input)) if (!allowed.has(key)) throw new ScenarioError(400, `${key}: is not a field of a scenario (name, description, parameters)`, key);
	const set: Record<string, unknown> = validated(() => {
		const s: Record<string, unknown> = {};
		if (input.name !== undefined) s.name = checkName(input.name);
		if (input.description !== undefined) s.description = checkDescription(input.description);
		if (input.parameters !== undefined) {
			const patch = parseParameterPatch(input.parameters);
			for (const spec of NUMBER_PARAMETERS) if (patch[spec.key] !== undefined) s[spec.column] = patch[spec.key];
			if (patch.stageThresholdMinutes) s.stage_threshold_minutes = sql`stage_threshold_minutes || ${JSON.stringify(patch.stageThresholdMinutes)}::jsonb`;
			if (patch.roadSpeedKmh) s.road_speed_kmh = sql`road_speed_kmh || ${JSON.stringify(patch.roadSpeedKmh)}::jsonb`;
		}
		return s;
	});
	const existing = await db.selectFrom('scenarios').select(['county_code']).where('id', '=', id).executeTakeFirst();
	if (!existing) throw new ScenarioError(404, `there is no scenario ${id}`);
	if (Object.keys(set).length === 0) return getScenario(db, id);
	try {
		const row = await db
			.updateTable('scenarios')
			.set({ ...set, updated_at: sql`now()` } as never)
			.where('id', '=', id)
			.returningAll()
			.executeTakeFirst();
		if (!row) throw new ScenarioError(404, `there is no scenario ${id}`);
		return toScenario(row, await baselineId(db, row.county_code));
	} catch (err) {
		if (err instanceof ScenarioError) throw err;
		fromDbError(err, existing.county_code, typeof set.name === 'string' ? set.name : undefined);
	}
}

/**
 * Delete a scenario and its analysis runs (foreign key, on delete cascade). A county keeps at least
 * one scenario: the county's rows are locked first, so two deletes at once cannot both pass the count.
 */
export async function deleteScenario(db: Db, id: number): Promise<{ id: number; county: string }> {
	return db.transaction().execute(async (trx) => {
		const row = await trx.selectFrom('scenarios').select(['county_code', 'name']).where('id', '=', id).executeTakeFirst();
		if (!row) throw new ScenarioError(404, `there is no scenario ${id}`);
		const siblings = await trx.selectFrom('scenarios').select('id').where('county_code', '=', row.county_code).orderBy('id').forUpdate().execute();
		if (!siblings.some((s) => s.id === id)) throw new ScenarioError(404, `there is no scenario ${id}`);
		if (siblings.length <= 1) {
			throw new ScenarioError(409, `"${row.name}" is the only scenario of county ${row.county_code}; create or copy another before deleting it`);
		}
		await trx.deleteFrom('scenarios').where('id', '=', id).execute();
		return { id, county: row.county_code };
	});
}

/** A path segment as a scenario id, or a 400. */
export function parseScenarioId(raw: string | null, field = 'id'): number {
	const id = Number(raw);
	if (raw === null || raw === '' || !Number.isSafeInteger(id) || id <= 0) throw new ScenarioError(400, `${field} must be a positive integer`, field);
	return id;
}

/** Run an endpoint's work; ScenarioErrors become JSON `{ message, field }` with their status. */
export async function scenarioApi(work: () => Promise<unknown>, status = 200): Promise<Response> {
	try {
		const body = await work();
		return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
	} catch (err) {
		if (err instanceof ScenarioError) {
			return new Response(JSON.stringify({ message: err.message, field: err.field }), {
				status: err.status,
				headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }
			});
		}
		throw err;
	}
}

/** The request's JSON object body, or a 400 saying it is not one. */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		throw new ScenarioError(400, 'the request body must be a JSON object');
	}
	if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new ScenarioError(400, 'the request body must be a JSON object');
	return body as Record<string, unknown>;
}
