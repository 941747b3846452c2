/**
 * Every table of the schema, for drizzle-kit (drizzle.config.ts) and the typed client. Column
 * helpers (columns.ts) are internal to the schema and not re-exported.
 */
export * from './workspaces.ts';
export * from './people.ts';
export * from './catalog.ts';
export * from './facts.ts';
export * from './finance.ts';
export * from './calendar.ts';
export * from './sync.ts';
export * from './goals.ts';
export * from './goal-workflow.ts';
export * from './scores.ts';
export * from './alerts.ts';
export * from './alert-engine.ts';
export * from './messaging.ts';
export * from './jobs.ts';
export * from './rollups.ts';
export * from './org.ts';
export * from './ingest.ts';
export * from './insight-actions.ts';
export * from './api-usage.ts';
