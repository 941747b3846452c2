/**
 * Scheduler jobs for configured connectors: one per connector (per hour of the day for `hourly`),
 * at the definition's `runAt` or 06:00 in the store's zone (the workspace's for workspace-wide
 * feeds), after the marketplace's day has closed. Paused, revoked and `manual` connectors have no
 * job. A failed slot is not retried within the slot: the next slot pulls again, and its window
 * still starts at the last success (minus the re-pull days), so nothing is skipped.
 */
import { sql } from 'drizzle-orm';
import type { JobSource, JobSpec } from '../../scheduler/index.ts';
import { connectorDefinition } from './registry.ts';
import { runConnector, type RunnerDeps } from './runner.ts';

export const DEFAULT_RUN_TIME = '06:00';
const HOUR = 3_600_000;

export function connectorJobs(deps: RunnerDeps): JobSource {
  return async () => {
    const rows = await deps.database.query<{ workspace_id: string; id: string; kind: string; cadence: string; timezone: string }>(sql`
      select c.workspace_id, c.id, c.kind, c.cadence, coalesce(s.timezone, w.timezone) as timezone from connectors c
      join workspaces w on w.id = c.workspace_id
      left join stores s on s.workspace_id = c.workspace_id and s.id = c.store_id
      where c.state in ('active', 'failing') and c.cadence <> 'manual' order by c.workspace_id, c.id`);
    const jobs: JobSpec[] = [];
    for (const c of rows) {
      const def = connectorDefinition(c.kind);
      if (!def) continue;
      const run = async () => {
        await runConnector(deps, { workspaceId: c.workspace_id, connectorId: c.id, requestedBy: 'scheduler' });
      };
      const timezone = def.runAt?.timeZone ?? c.timezone;
      const base = `connector:${c.workspace_id}:${c.id}`;
      if (c.cadence === 'hourly') {
        for (let h = 0; h < 24; h++) {
          const time = `${String(h).padStart(2, '0')}:05`;
          jobs.push({ id: `${base}:${time}`, schedule: { cadence: 'daily', time, timezone }, catchUpWindowMs: HOUR, run });
        }
      } else {
        const weekly = c.cadence === 'weekly';
        jobs.push({
          id: base,
          schedule: { cadence: weekly ? 'weekly' : 'daily', time: def.runAt?.time ?? DEFAULT_RUN_TIME, timezone, ...(weekly ? { weekday: 1 } : {}) },
          catchUpWindowMs: (weekly ? 7 * 24 : 24) * HOUR,
          run,
        });
      }
    }
    return jobs;
  };
}
