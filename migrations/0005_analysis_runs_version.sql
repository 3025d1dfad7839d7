-- 0005: analysis runs get a data version too, so layers that draw an analysis result (the latest run
-- of a kind) are cached under it like any other layer and redraw when a run starts or finishes.
insert into data_versions (data_table) values ('analysis_runs');
create trigger analysis_runs_data_version after insert or update or delete or truncate on analysis_runs
  for each statement execute function lantu_bump_data_version();
