-- 0002: a version counter per data table, bumped by every statement that changes the table.
-- Caches (layer responses, road graphs, analysis results) key on these numbers, so an import, an
-- edit or an undo makes every cached answer that read the table stale at once. The counter only moves
-- when the writing transaction commits, because the bump is part of it.

create table data_versions (
  data_table  text primary key,
  version     bigint not null default 0,
  changed_at  timestamptz not null default now()
);

create function lantu_bump_data_version() returns trigger
language plpgsql as $$
begin
  update data_versions set version = version + 1, changed_at = now() where data_table = TG_TABLE_NAME;
  return null;
end;
$$;

do $$
declare t text;
begin
  foreach t in array array['regions', 'villages', 'households', 'industry_sites', 'relocation_sites',
                           'roads', 'rivers', 'facilities', 'constraint_zones', 'scenarios']
  loop
    insert into data_versions (data_table) values (t);
    execute format('create trigger %I after insert or update or delete or truncate on %I '
                   'for each statement execute function lantu_bump_data_version()', t || '_data_version', t);
  end loop;
end;
$$;
