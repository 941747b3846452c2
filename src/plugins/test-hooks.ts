/**
 * TEST_HOOKS=on only (config refuses it with NODE_ENV=production): a settable clock for the
 * scheduler, digests and alert jobs, and two routes the reliability tests drive so several
 * replicas can live through a simulated month in minutes:
 *
 *   POST /__test/clock {"now": ISO}  the instant every clock-reading job sees, until set again
 *   POST /__test/tick                one scheduler tick now; answers its TickReport
 *
 * With TEST_HOOKS=off nothing here is registered, so the routes are plain 404s.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Scheduler } from '../scheduler/index.ts';

export interface TestClock {
  now(): Date;
  set(at: Date): void;
}

/** Follows the real clock until the first `set`; then it stands still at what was set. */
export function createTestClock(): TestClock {
  let fixed: number | undefined;
  return {
    now: () => new Date(fixed ?? Date.now()),
    set: (at) => void (fixed = at.getTime()),
  };
}

export function registerTestHooks(app: FastifyInstance, deps: { clock: TestClock; scheduler: Scheduler; logger: Logger }): void {
  deps.logger.warn('TEST_HOOKS=on: /__test/clock and /__test/tick are served and the scheduler runs only when ticked; never use this in production');
  const hidden = { hide: true } as const;

  app.post('/__test/clock', {
    schema: {
      ...hidden,
      body: { type: 'object', required: ['now'], additionalProperties: false, properties: { now: { type: 'string', format: 'date-time' } } },
    },
  }, async (req) => {
    const at = new Date((req.body as { now: string }).now);
    deps.clock.set(at);
    return { now: at.toISOString() };
  });

  // One tick at a time per replica, as the heartbeat does: a tick's `lastTick` feeds the next.
  let inFlight: Promise<unknown> = Promise.resolve();
  app.post('/__test/tick', { schema: hidden }, async () => {
    const run = inFlight.then(() => deps.scheduler.tick());
    inFlight = run.catch(() => {});
    const report = await run;
    return { now: deps.clock.now().toISOString(), ...report };
  });
}
