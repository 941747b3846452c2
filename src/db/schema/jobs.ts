/**
 * Cluster-wide scheduler bookkeeping (ARCHITECTURE.md "Decisions" → Many replicas). Not tied to
 * a workspace: a slot runs once per cluster, whatever it does inside.
 */
import { pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tstz } from './columns.ts';

/**
 * One row per (job, slot). A replica claims a slot by inserting its row with
 * `ON CONFLICT DO NOTHING`: only the insert that succeeds runs the job, so every node-cron task
 * fires once per cluster. `slot` is the scheduled instant (UTC), not the start time; catch-up
 * after downtime looks at the latest slot of each job.
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    /** Stable task name (node-cron `name`), e.g. `digest:daily` or `alerts:evaluate`. */
    jobId: text('job_id').notNull(),
    slot: tstz('slot').notNull(),
    startedAt: tstz('started_at').notNull().defaultNow(),
    finishedAt: tstz('finished_at'),
    /** `skipped`: the slot was claimed but not run (e.g. coordinator error after retries). */
    status: text('status').$type<'running' | 'ok' | 'failed' | 'skipped'>().notNull().default('running'),
    /** Replica that claimed the slot (hostname:pid). */
    node: text('node').notNull(),
    error: text('error'),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.slot] })],
);
