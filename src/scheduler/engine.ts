/**
 * The scheduler: every tick it asks its job sources for the current jobs (subscriptions change
 * while the server runs), finds each job's latest slot since the previous tick, claims it in
 * `job_runs` and runs it if the claim wins. The same rule is the catch-up after downtime: the
 * first tick looks back over each job's catch-up window, so only the last missed slot fires, and
 * only if it is younger than the window and not older than the job itself (`since`). Time comes
 * from an injected clock, so tests simulate months without sleeping; `heartbeat.ts` ticks it
 * with node-cron in the server.
 */
import type { Logger } from 'pino';
import type { Database } from '../db/client.ts';
import { claimSlot, finishSlot } from './claim.ts';
import { jobKind, type SchedulerMetrics } from './metrics.ts';
import { slotsBetween, type Schedule } from './schedule.ts';

export interface JobSpec {
  /** Stable name across replicas and restarts, e.g. `daily:12`, `housekeeping`. */
  id: string;
  schedule: Schedule;
  /** A missed slot younger than this still runs once after downtime. */
  catchUpWindowMs: number;
  /** Slots before this never run (a subscription made at 10:00 does not catch up 09:00). */
  since?: Date;
  run(slot: Date): Promise<void>;
}

/** Lists the jobs as of `now`; called on every tick. */
export type JobSource = (now: Date) => Promise<JobSpec[]>;

export interface SchedulerDeps {
  database: Database;
  logger: Logger;
  /** Identifies this replica in job_runs (hostname:pid). */
  node: string;
  sources: JobSource[];
  clock?: () => Date;
  metrics?: SchedulerMetrics;
  /** Waits between claim retries (tests: instant). */
  sleep?: (ms: number) => Promise<void>;
  claimAttempts?: number;
  /** Jobs run side by side within one tick (default 4). */
  concurrency?: number;
}

export interface TickReport {
  /** Slots this replica claimed and ran (or tried to). */
  ran: { jobId: string; slot: Date; ok: boolean }[];
  /** Slots another replica had already claimed. */
  taken: number;
  /** Slots given up after claim errors. */
  skipped: number;
}

export interface Scheduler {
  tick(): Promise<TickReport>;
  /** The instant of the previous tick (undefined before the first). */
  readonly lastTick: Date | undefined;
}

export function createScheduler(deps: SchedulerDeps): Scheduler {
  const clock = deps.clock ?? (() => new Date());
  const concurrency = deps.concurrency ?? 4;
  let lastTick: Date | undefined;

  async function loadJobs(now: Date): Promise<JobSpec[]> {
    const lists = await Promise.all(
      deps.sources.map((source) =>
        source(now).catch((err: unknown) => {
          deps.logger.error({ err }, 'scheduler: a job source failed; its jobs wait for the next tick');
          return [] as JobSpec[];
        }),
      ),
    );
    return lists.flat();
  }

  /** The slot a job should run now, if any. */
  function dueSlot(job: JobSpec, now: Date): Date | undefined {
    const floor = Math.max(lastTick?.getTime() ?? -Infinity, now.getTime() - job.catchUpWindowMs, (job.since?.getTime() ?? -Infinity) - 1);
    return slotsBetween(job.schedule, new Date(floor), now).pop();
  }

  async function fire(job: JobSpec, slot: Date, report: TickReport): Promise<void> {
    const kind = jobKind(job.id);
    const claim = await claimSlot(deps.database, job.id, slot, {
      node: deps.node,
      attempts: deps.claimAttempts,
      sleep: deps.sleep,
      onError: (err, attempt) => deps.logger.warn({ err, job: job.id, slot, attempt }, 'scheduler: claiming a slot failed'),
    });
    if (claim === 'taken') {
      report.taken++;
      return;
    }
    if (claim === 'error') {
      report.skipped++;
      deps.metrics?.skipped.inc({ kind });
      deps.logger.error({ job: job.id, slot }, 'scheduler: slot skipped, the coordinator kept failing');
      return;
    }
    try {
      await job.run(slot);
      report.ran.push({ jobId: job.id, slot, ok: true });
      deps.metrics?.runs.inc({ kind, status: 'ok' });
      await finishSlot(deps.database, job.id, slot, { status: 'ok' }).catch(() => {});
    } catch (err) {
      report.ran.push({ jobId: job.id, slot, ok: false });
      deps.metrics?.runs.inc({ kind, status: 'failed' });
      deps.logger.error({ err, job: job.id, slot }, 'scheduler: job failed');
      await finishSlot(deps.database, job.id, slot, { status: 'failed', error: err instanceof Error ? err.message : String(err) }).catch(() => {});
    }
  }

  async function tick(): Promise<TickReport> {
    const now = clock();
    const report: TickReport = { ran: [], taken: 0, skipped: 0 };
    try {
      const due: [JobSpec, Date][] = [];
      for (const job of await loadJobs(now)) {
        try {
          const slot = dueSlot(job, now);
          if (slot) due.push([job, slot]);
        } catch (err) {
          deps.logger.error({ err, job: job.id }, 'scheduler: bad schedule');
        }
      }
      due.sort((a, b) => a[1].getTime() - b[1].getTime());
      let next = 0;
      const worker = async () => {
        while (next < due.length) {
          const [job, slot] = due[next++]!;
          await fire(job, slot, report);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, worker));
    } finally {
      lastTick = now;
    }
    return report;
  }

  return {
    tick,
    get lastTick() {
      return lastTick;
    },
  };
}
