/**
 * The month-close jobs (src/scheduler JobSource), per workspace in its own zone: preliminary
 * scores of last month on the preliminary day (default 2) at 08:45, after the 08:30 goal
 * evaluation; final and frozen on the lock day (default 15) at 09:15. A missed slot catches up
 * within 28 days (a server down over the 15th still locks the month); a preliminary slot caught
 * up after the lock day is skipped, the lock covers it.
 */
import { sql } from 'drizzle-orm';
import type { WorkspaceSettings } from '../db/schema/index.ts';
import type { GoalDeps } from '../goals/deps.ts';
import { localDate } from '../kpi/dates.ts';
import type { JobSource, JobSpec } from '../scheduler/index.ts';
import { runFinal, runPreliminary } from './close.ts';
import { closeDays, previousMonth } from './close-state.ts';

export const PRELIMINARY_TIME = '08:45';
export const LOCK_TIME = '09:15';
const CATCH_UP_MS = 28 * 86_400_000;

export function monthCloseJobs(deps: GoalDeps): JobSource {
  return async (now) => {
    const rows = await deps.database.query<{ id: string; timezone: string; settings: WorkspaceSettings | null }>(sql`
      select w.id, w.timezone, w.settings from workspaces w
      where exists (select 1 from users u where u.workspace_id = w.id and u.position is not null and u.active)`);
    return rows.flatMap((w): JobSpec[] => {
      const days = closeDays(w.settings);
      const at = (slot: Date) => ({ ...deps, now: () => slot });
      return [
        {
          id: `scores:preliminary:${w.id}`,
          schedule: { cadence: 'monthly', dayOfMonth: days.preliminaryDay, time: PRELIMINARY_TIME, timezone: w.timezone },
          catchUpWindowMs: CATCH_UP_MS,
          async run(slot) {
            const month = previousMonth(localDate(w.timezone, slot));
            const today = localDate(w.timezone, now);
            // Caught up after that month's lock day: the lock job freezes it instead.
            if (today.slice(0, 7) > localDate(w.timezone, slot).slice(0, 7) || Number(today.slice(8, 10)) >= days.lockDay) return;
            await runPreliminary(at(slot), w.id, month);
          },
        },
        {
          id: `scores:lock:${w.id}`,
          schedule: { cadence: 'monthly', dayOfMonth: days.lockDay, time: LOCK_TIME, timezone: w.timezone },
          catchUpWindowMs: CATCH_UP_MS,
          async run(slot) {
            await runFinal(at(slot), w.id, previousMonth(localDate(w.timezone, slot)));
          },
        },
      ];
    });
  };
}
