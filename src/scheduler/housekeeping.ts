/**
 * The daily housekeeping job: prunes what only matters for a while. Sent deliveries after
 * DELIVERY_RETENTION_DAYS (an alert card older than that can no longer be updated in place),
 * console messages after CONSOLE_RETENTION_DAYS, usage events after USAGE_RETENTION_DAYS, and
 * the scheduler's own job_runs, inbound and click dedup rows after fixed windows. Pending,
 * unknown and dead deliveries are kept: they are still work or still evidence.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { JobSpec } from './engine.ts';

export interface Retention {
  deliveriesDays: number;
  consoleDays: number;
  usageDays: number;
}

/**
 * Platforms redeliver events within minutes to hours (Slack retries 3 times over ~1 h; Lark and
 * DingTalk similar), so a week of dedup keys is ample. job_runs only needs the latest slot per
 * job for catch-up; 35 days keeps a month of history for people reading the table.
 */
export const DEDUP_RETENTION_DAYS = 7;
export const JOB_RUNS_RETENTION_DAYS = 35;

export interface Pruned {
  deliveries: number;
  consoleMessages: number;
  usageEvents: number;
  jobRuns: number;
  dedup: number;
}

async function prune(database: Database, q: SQL): Promise<number> {
  const rows = await database.query<{ n: number }>(sql`with gone as (${q} returning 1) select count(*) as n from gone`);
  return Number(rows[0]?.n ?? 0);
}

const before = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();

export async function runHousekeeping(database: Database, retention: Retention, now: Date): Promise<Pruned> {
  const dedupCut = before(now, DEDUP_RETENTION_DAYS);
  return {
    // `update_of` references deliveries with ON DELETE SET NULL, so pruning an old original is safe.
    deliveries: await prune(database, sql`delete from deliveries where state = 'sent' and sent_at < ${before(now, retention.deliveriesDays)}::timestamptz`),
    consoleMessages: await prune(database, sql`delete from console_messages where created_at < ${before(now, retention.consoleDays)}::timestamptz
      and updated_at < ${before(now, retention.consoleDays)}::timestamptz`),
    usageEvents: await prune(database, sql`delete from usage_events where at < ${before(now, retention.usageDays)}::timestamptz`),
    jobRuns: await prune(database, sql`delete from job_runs where slot < ${before(now, JOB_RUNS_RETENTION_DAYS)}::timestamptz`),
    dedup:
      (await prune(database, sql`delete from inbound_dedup where received_at < ${dedupCut}::timestamptz`)) +
      (await prune(database, sql`delete from action_dedup where created_at < ${dedupCut}::timestamptz`)),
  };
}

/** Daily at 03:17 UTC: a quiet hour in Asia and the Americas, off the top of the hour. */
export function housekeepingJob(database: Database, retention: Retention, onDone?: (p: Pruned) => void): JobSpec {
  return {
    id: 'housekeeping',
    schedule: { cadence: 'daily', time: '03:17', timezone: 'UTC' },
    catchUpWindowMs: 24 * 3_600_000,
    async run(slot) {
      onDone?.(await runHousekeeping(database, retention, slot));
    },
  };
}
