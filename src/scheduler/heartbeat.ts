/**
 * Drives a Scheduler in the server: one node-cron task per replica ticks it every minute, plus one
 * tick at start (the catch-up). node-cron is pinned exactly (pitfalls.md: its coordinator options
 * changed between 4.x minors) and the task has a stable `name`. Its own `distributed` coordinator
 * is not used: per-slot claims live in job_runs (claim.ts), where they are retried and counted.
 */
import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Scheduler } from './engine.ts';

export const HEARTBEAT_TASK_NAME = 'kpibot:scheduler-heartbeat';

/**
 * Second 5 of every minute: slots sit on whole minutes, and a timer that fires a few ms early
 * would otherwise see the slot one minute late.
 */
export const HEARTBEAT_CRON = '5 * * * * *';

export interface Heartbeat {
  start(): void;
  /** Stops the timer and waits for the tick in flight. */
  stop(): Promise<void>;
}

export function createHeartbeat(scheduler: Scheduler, logger: Logger): Heartbeat {
  let task: ScheduledTask | undefined;
  let inFlight: Promise<unknown> | undefined;

  const beat = () => {
    // A tick still running (a large fan-out) keeps the next one out; the next covers its slots.
    if (inFlight) return inFlight;
    inFlight = scheduler
      .tick()
      .catch((err: unknown) => logger.error({ err }, 'scheduler: tick failed'))
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  return {
    start() {
      if (task) return;
      task = createTask(HEARTBEAT_CRON, beat, {
        name: HEARTBEAT_TASK_NAME,
        noOverlap: true,
        logger: {
          info: (m) => logger.debug(m),
          warn: (m) => logger.warn(m),
          error: (m) => logger.error(m instanceof Error ? { err: m } : {}, String(m)),
          debug: (m) => logger.debug(String(m)),
        },
      });
      void task.start();
      void beat();
    },
    async stop() {
      const t = task;
      task = undefined;
      if (t) await t.destroy();
      await inFlight;
    },
  };
}
