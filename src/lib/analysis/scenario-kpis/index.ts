// Scenario key figures and their comparison: pure, deterministic (server and browser).
export * from './kpis.ts';
export * from './table.ts';
