/**
 * When the alert engine evaluates (ARCHITECTURE.md Decisions → Alerts): once at start (after the
 * demo is seeded, before /readyz), every hour on the scheduler (which also covers the hour after
 * the 09:00 digests), and after each import for the stores the import wrote. Notifications
 * held by quiet hours need no job: they are outbox rows due at the end of the quiet hours.
 */
import type { Logger } from 'pino';
import type { Database } from '../db/client.ts';
import { importHooks } from '../ingest/pipeline/import-hooks.ts';
import type { JobSource, JobSpec } from '../scheduler/index.ts';
import { evaluateAll, evaluateWorkspace } from './evaluate/run.ts';

export const EVALUATE_MINUTE = 10;
export const IMPORT_HOOK_NAME = 'alert-engine';

export function alertEngineJobs(deps: { database: Database; logger?: Logger; wakeOutbox?: () => void; clock?: () => Date }): JobSource {
  const jobs: JobSpec[] = [];
  for (let h = 0; h < 24; h++) {
    const time = `${String(h).padStart(2, '0')}:${String(EVALUATE_MINUTE).padStart(2, '0')}`;
    jobs.push({
      id: `alert-engine:${time}`,
      schedule: { cadence: 'daily', time, timezone: 'UTC' },
      catchUpWindowMs: 60 * 60_000,
      async run(slot) {
        const n = await evaluateAll(deps.database, deps.clock?.() ?? slot);
        deps.logger?.info({ workspaces: n }, 'alert rules evaluated');
        deps.wakeOutbox?.();
      },
    });
  }
  return async () => jobs;
}

/** Evaluates after each committed import, for the stores it wrote (idempotent registration). */
export function registerAlertImportHook(clock: () => Date = () => new Date()): void {
  if (importHooks.names().includes(IMPORT_HOOK_NAME)) return;
  importHooks.register(IMPORT_HOOK_NAME, async (data, { database }) => {
    await evaluateWorkspace(database, { workspaceId: data.workspaceId, now: clock(), ...(data.storeIds.length ? { storeIds: data.storeIds } : {}) });
  });
}

/** The start-up step: every workspace once, so a fresh start shows live alerts. */
export async function evaluateAtStart(database: Database, logger: Logger, now: Date = new Date()): Promise<void> {
  const started = Date.now();
  const n = await evaluateAll(database, now);
  logger.info({ workspaces: n, ms: Date.now() - started }, 'alert rules evaluated at start');
}
