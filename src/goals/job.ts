/**
 * The scheduler's goal evaluation (src/scheduler JobSource): every workspace's active goals once a
 * day at 08:30 its local time, before the 09:00 digests read their colours. Hysteresis counts
 * evaluations, so a daily rhythm makes "two in a row" mean two days. Wire it with
 * `sources: [goalEvaluationJobs({ database, wakeOutbox })]` in the scheduler plugin.
 */
import { sql } from 'drizzle-orm';
import type { JobSource } from '../scheduler/index.ts';
import type { GoalDeps } from './deps.ts';
import { evaluateGoals } from './evaluate.ts';

export const GOAL_EVALUATION_TIME = '08:30';

export function goalEvaluationJobs(deps: GoalDeps): JobSource {
  return async () => {
    const rows = await deps.database.query<{ id: string; timezone: string }>(sql`
      select w.id, w.timezone from workspaces w where exists (select 1 from goals g where g.workspace_id = w.id and g.status = 'active')`);
    return rows.map((w) => ({
      id: `goals:evaluate:${w.id}`,
      schedule: { cadence: 'daily' as const, time: GOAL_EVALUATION_TIME, timezone: w.timezone },
      catchUpWindowMs: 12 * 3_600_000,
      async run(slot: Date) {
        await evaluateGoals({ ...deps, now: () => slot }, w.id, { staleOnly: true });
      },
    }));
  };
}
