// Table types for Kysely. The schema itself lives only in migrations/*.sql; these interfaces mirror
// it (column names and nullability). Geometry columns are typed `string` (EWKB hex as returned by
// PostGIS); queries read them through the helpers in ./postgis.ts.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Geometry = string;
type Json = ColumnType<unknown, string | undefined, string>;

export interface RegionTable {
	code: string;
	level: 'province' | 'city' | 'county' | 'township' | 'village';
	parent_code: string | null;
	county_code: string | null;
	name_zh: string;
	name_en: string | null;
	geom: Geometry | null;
	seat: Geometry | null;
	geom_schematic: Generated<boolean>;
	source: string;
}

export interface VillageTable {
	code: string;
	county_code: string;
	township_code: string;
	name_zh: string;
	urban_rural_code: number | null;
	population: number;
	elevation_m: number | null;
	geom: Geometry;
	synthetic: Generated<boolean>;
	/** Migration 0004: the import batch that wrote this row (null: seeded or entered). */
	import_batch_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface HouseholdTable {
	code: string;
	county_code: string;
	village_code: string;
	geom: Geometry | null;
	members: number;
	working_age_members: number;
	income_per_capita_yuan: number;
	main_cause: string;
	route: string;
	registered_year: number;
	exit_year: number | null;
	monitoring: string | null;
	housing_grade: string;
	relocation_status: Generated<string>;
	target_site_id: number | null;
	synthetic: Generated<boolean>;
	/** Migration 0004: the import batch that wrote this row (null: seeded or entered). */
	import_batch_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface IndustrySiteTable {
	id: Generated<number>;
	county_code: string;
	village_code: string | null;
	name_zh: string;
	chain: string;
	stage: string;
	capacity: number | null;
	jobs: number | null;
	status: string;
	geom: Geometry;
	synthetic: Generated<boolean>;
	/** Migration 0004: the import batch that wrote this row (null: seeded or entered). */
	import_batch_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface RelocationSiteTable {
	id: Generated<number>;
	county_code: string;
	township_code: string | null;
	name_zh: string;
	kind: string;
	capacity_households: number;
	status: string;
	land_cost_yuan: Generated<number>;
	building_cost_yuan: Generated<number>;
	geom: Geometry;
	synthetic: Generated<boolean>;
	/** Migration 0004: the import batch that wrote this row (null: seeded or entered). */
	import_batch_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface RoadTable {
	id: Generated<number>;
	county_code: string;
	class: string;
	name_zh: string | null;
	speed_kmh: number;
	geom: Geometry;
	synthetic: Generated<boolean>;
	/** Migration 0004: the import batch that wrote this row (null: seeded or entered). */
	import_batch_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface RiverTable {
	id: Generated<number>;
	county_code: string;
	name_zh: string | null;
	name_en: string | null;
	geom: Geometry;
	source: string;
}

export interface FacilityTable {
	id: Generated<number>;
	county_code: string;
	village_code: string | null;
	kind: string;
	name_zh: string;
	geom: Geometry;
	synthetic: Generated<boolean>;
	/** Migration 0004: the import batch that wrote this row (null: seeded or entered). */
	import_batch_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface ConstraintZoneTable {
	id: Generated<number>;
	county_code: string;
	kind: string;
	name_zh: string | null;
	geom: Geometry;
	synthetic: Generated<boolean>;
	/** Migration 0004: the import batch that wrote this row (null: seeded or entered). */
	import_batch_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface ScenarioTable {
	id: Generated<number>;
	county_code: string;
	name: string;
	description: string | null;
	area_per_person_m2: Generated<number>;
	large_household_members: Generated<number>;
	large_household_cap_m2: Generated<number>;
	construction_cost_per_m2_yuan: Generated<number>;
	subsidy_per_household_yuan: Generated<number>;
	subsidy_per_person_yuan: Generated<number>;
	self_funding_cap_per_person_yuan: Generated<number>;
	self_funding_cap_per_household_yuan: Generated<number>;
	stage_threshold_minutes: Json;
	road_speed_kmh: Json;
	decisions: Json;
	results: Json;
	created_at: Generated<Date>;
	updated_at: Generated<Date>;
}

export interface DataSourceTable {
	id: Generated<number>;
	county_code: string;
	dataset: string;
	synthetic: boolean;
	source: string;
	licence: string | null;
	checksum: string | null;
	loaded_at: Generated<Date>;
}

export interface MigrationTable {
	name: string;
	checksum: string;
	applied_at: Generated<Date>;
}

export interface Database {
	regions: RegionTable;
	villages: VillageTable;
	households: HouseholdTable;
	industry_sites: IndustrySiteTable;
	relocation_sites: RelocationSiteTable;
	roads: RoadTable;
	rivers: RiverTable;
	facilities: FacilityTable;
	constraint_zones: ConstraintZoneTable;
	scenarios: ScenarioTable;
	data_sources: DataSourceTable;
	data_versions: DataVersionTable;
	analysis_runs: AnalysisRunTable;
	import_batches: ImportBatchTable;
	import_batch_prior: ImportBatchPriorTable;
	lantu_migrations: MigrationTable;
}

/** Migration 0002: one version counter per data table, bumped by every changing statement. */
export interface DataVersionTable {
	data_table: string;
	version: ColumnType<string, never, string>;
	changed_at: ColumnType<Date, never, Date>;
}

/** Migration 0003: one row per analysis run (inputs, progress, result). */
export interface AnalysisRunTable {
	id: Generated<number>;
	county_code: string;
	scenario_id: number | null;
	kind: 'chain-gaps' | 'max-cover' | 'suitability' | 'location-allocation' | 'housing-gap';
	params: ColumnType<unknown, string, string>;
	cache_key: string;
	status: ColumnType<'running' | 'done' | 'failed' | 'cancelled', 'running' | 'done' | 'failed' | 'cancelled' | undefined>;
	progress: ColumnType<number, number | undefined, number>;
	stage: string | null;
	result: ColumnType<unknown, string | null | undefined, string | null>;
	error: string | null;
	started_at: ColumnType<Date, never, never>;
	finished_at: ColumnType<Date | null, never, Date | null>;
}

/** Migration 0004: one row per committed import. */
export interface ImportBatchTable {
	id: Generated<number>;
	county_code: string;
	target_table: 'villages' | 'households' | 'industry_sites' | 'relocation_sites' | 'roads' | 'facilities' | 'constraint_zones';
	source_file: string;
	format: 'geojson' | 'csv' | 'xlsx' | 'shapefile' | 'gpkg';
	encoding: string | null;
	declared_crs: 'wgs84' | 'cgcs2000' | 'gcj02' | 'bd09' | 'projected';
	rows_read: number;
	rows_valid: number;
	rows_rejected: number;
	rows_written: number;
	status: ColumnType<'committed' | 'undone', 'committed' | 'undone' | undefined, 'committed' | 'undone'>;
	actor: string;
	created_at: ColumnType<Date, never, never>;
	undone_at: ColumnType<Date | null, never, Date | null>;
	/** Migration 0006: 'upsert' batches updated rows whose key was already in the table. */
	mode: ColumnType<'insert' | 'upsert', 'insert' | 'upsert' | undefined, 'insert' | 'upsert'>;
	rows_inserted: ColumnType<number, number | undefined, number>;
	rows_updated: ColumnType<number, number | undefined, number>;
}

/** Migration 0006: a row as it was before an upsert batch updated it (for undo). */
export interface ImportBatchPriorTable {
	batch_id: number;
	key: string;
	row: ColumnType<Record<string, unknown>, string, string>;
	geom: Geometry | null;
}

/** The data tables, in an order that respects foreign keys when inserting. */
export const DATA_TABLES = [
	'regions',
	'villages',
	'relocation_sites',
	'households',
	'industry_sites',
	'roads',
	'rivers',
	'facilities',
	'constraint_zones',
	'scenarios',
	'data_sources'
] as const satisfies readonly (keyof Database)[];
export type DataTable = (typeof DATA_TABLES)[number];

export type Region = Selectable<RegionTable>;
export type NewHousehold = Insertable<HouseholdTable>;
