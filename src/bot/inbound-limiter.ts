/**
 * Bounds the bot's work after the ack. Adapters ack first and hand events over without waiting
 * (platforms.md: Slack 3 s, Feishu 3 s), so nothing else limits how much work piles up: at a few
 * hundred events a second, every event's queries queue on the database pool and every promise
 * and socket callback competes with new requests for the event loop, until the acks themselves
 * miss the deadline and memory grows without bound (found by tests/reliability/load.test.ts).
 *
 * Here at most `concurrency` events are handled at once and at most `maxQueued` wait, first in
 * first out; an event arriving at a full queue, or one that waited longer than `maxWaitMs` (an
 * answer that late is noise), is shed: counted, logged at most once per `logEveryMs`, never
 * handled. Shedding is per process, like the ack itself; each replica protects its own loop.
 */
import type { Logger } from 'pino';
import type { InboundEvent } from './events.ts';
import type { EventSink } from './ports.ts';

export interface InboundLimits {
  concurrency: number;
  maxQueued: number;
  maxWaitMs: number;
  logEveryMs: number;
}

/**
 * Sized for a 2-core replica with a 10-connection database pool (db/client.ts). Measured under
 * the load test on a contended 2-core box: 4 at once gave both faster acks (p50 7 s vs 35 s) and
 * more answers (309 vs 240 a minute) than 16, because acks and handling share one event loop.
 */
export const DEFAULT_INBOUND_LIMITS: InboundLimits = { concurrency: 4, maxQueued: 1000, maxWaitMs: 30_000, logEveryMs: 10_000 };

export type ShedReason = 'queue_full' | 'stale';

export interface InboundLimiter {
  /** The limited sink to hand to adapters. */
  sink: EventSink;
  stats(): { running: number; queued: number; handled: number; shed: Record<ShedReason, number> };
}

export function limitInbound(
  handle: EventSink,
  deps: {
    logger: Logger;
    limits?: Partial<InboundLimits>;
    onShed?: (reason: ShedReason, e: InboundEvent) => void;
    now?: () => number;
    /** When the bot last held an event for an unreachable database (bot.lastDatabaseOutageAt). */
    lastOutageAt?: () => number;
  },
): InboundLimiter {
  const limits = { ...DEFAULT_INBOUND_LIMITS, ...deps.limits };
  const now = deps.now ?? Date.now;
  const queue: { event: InboundEvent; at: number; done: () => void }[] = [];
  let head = 0;
  let running = 0;
  let handled = 0;
  const shed: Record<ShedReason, number> = { queue_full: 0, stale: 0 };
  let unlogged = 0;
  let lastLog = -Infinity;

  function drop(reason: ShedReason, e: InboundEvent): void {
    shed[reason]++;
    unlogged++;
    deps.onShed?.(reason, e);
    const t = now();
    if (t - lastLog >= limits.logEveryMs) {
      deps.logger.warn({ shed: unlogged, reason, platform: e.platform, running, queued: queue.length - head }, 'bot overloaded: inbound events shed');
      lastLog = t;
      unlogged = 0;
    }
  }

  function pump(): void {
    while (running < limits.concurrency && head < queue.length) {
      const item = queue[head]!;
      queue[head++] = undefined as never;
      if (head > 1024 && head * 2 > queue.length) {
        queue.splice(0, head);
        head = 0;
      }
      // An event that waited through a database outage was acked and is held for, not noise: the
      // bot answers it once the database is back (bot/hold.ts). Only waits caused by load alone are shed.
      if (now() - item.at > limits.maxWaitMs && !((deps.lastOutageAt?.() ?? 0) >= item.at)) {
        drop('stale', item.event);
        item.done();
        continue;
      }
      running++;
      // The sink (bot.dispatch) reports its own failures; a rejection here must still free the slot.
      void handle(item.event)
        .catch((err: unknown) => deps.logger.error({ err, platform: item.event.platform }, 'inbound event failed'))
        .finally(() => {
          running--;
          handled++;
          item.done();
          pump();
        });
    }
  }

  return {
    sink(event) {
      if (queue.length - head >= limits.maxQueued) {
        drop('queue_full', event);
        return Promise.resolve();
      }
      return new Promise<void>((done) => {
        queue.push({ event, at: now(), done });
        pump();
      });
    },
    stats: () => ({ running, queued: queue.length - head, handled, shed: { ...shed } }),
  };
}
