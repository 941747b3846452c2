/**
 * The lifecycle sweep as scheduler jobs. Schedules are local times on days (schedule.ts), so a
 * 15-minute cadence is 96 daily UTC slots; each slot is claimed once per cluster in `job_runs`,
 * and a missed slot is simply covered by the next (the sweep is idempotent).
 */
import type { Logger } from 'pino';
import type { Database } from '../../db/client.ts';
import type { JobSource, JobSpec } from '../../scheduler/index.ts';
import { sweepAlertLifecycle } from './sweep.ts';

export const SWEEP_EVERY_MINUTES = 15;

export function alertLifecycleJobs(deps: { database: Database; logger?: Logger; wakeOutbox?: () => void; clock?: () => Date }): JobSource {
  const slots: string[] = [];
  for (let m = 0; m < 24 * 60; m += SWEEP_EVERY_MINUTES) slots.push(`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
  const jobs: JobSpec[] = slots.map((time) => ({
    id: `alert-lifecycle:${time}`,
    schedule: { cadence: 'daily', time, timezone: 'UTC' },
    catchUpWindowMs: SWEEP_EVERY_MINUTES * 60_000,
    async run(slot) {
      // The slot, not the wall clock: a test's fake clock and a late tick see the same instant.
      const report = await sweepAlertLifecycle(deps.database, deps.clock?.() ?? slot);
      if (report.woken + report.renotified + report.escalated + report.reminded > 0) {
        deps.logger?.info({ ...report }, 'alert lifecycle sweep');
        deps.wakeOutbox?.();
      }
    },
  }));
  return async () => jobs;
}
