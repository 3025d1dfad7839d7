-- 0006: imports that update rows already in a table (a county's annual registry refresh), and their undo.
-- An import runs in one of two modes: 'insert' (every row is new; a key already in the table is a
-- problem) or 'upsert' (a row whose natural key is already in the table updates it, the others are
-- inserted). The batch row records the mode and how many rows were inserted and how many updated.
--
-- Before an upsert overwrites a row it keeps the row as it was, so undoing the batch can put it back
-- exactly, with the import batch id it carried. Only targets with a natural key (households and
-- villages, keyed by code) can be upserted. This stores nothing private: a household row holds a
-- pseudonymous code and planning attributes, never a name, ID-card, phone or bank number (see 0001).

alter table import_batches
  add column mode          text not null default 'insert',
  add column rows_inserted integer not null default 0,
  add column rows_updated  integer not null default 0,
  add constraint import_batches_mode_known check (mode in ('insert', 'upsert')),
  add constraint import_batches_upsert_counts_non_negative check (rows_inserted >= 0 and rows_updated >= 0);

-- Batches committed before this migration inserted every row they wrote.
update import_batches set rows_inserted = rows_written;

-- One row per row an upsert batch updated: its key and every column as it was (to_jsonb of the row,
-- without the geometry), and the geometry itself, kept as geometry so it comes back bit for bit. Any
-- geometry type (the keyed tables hold points today), SRID 4326 and a GiST index as everywhere else.
create table import_batch_prior (
  batch_id  integer not null references import_batches (id) on delete cascade,
  key       text not null,
  row       jsonb not null,
  geom      geometry(Geometry, 4326),
  primary key (batch_id, key)
);
create index import_batch_prior_geom_gist on import_batch_prior using gist (geom);
-- Undo looks for later batches that changed a batch's rows by the batch id each prior row carried.
create index import_batch_prior_row_batch_idx on import_batch_prior (((row ->> 'import_batch_id')::integer));
