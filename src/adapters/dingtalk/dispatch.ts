/**
 * Hands normalised events to the bot's sink without waiting for them (every transport acks
 * first), drops an event id seen in the last ten minutes (Stream redelivers unacked EVENT frames
 * after ~60 s; the bot's `inbound_dedup` covers other replicas), and drains in-flight work on close.
 */
import type { Logger } from 'pino';
import type { InboundEvent } from '../../bot/events.ts';
import { DedupMemo } from '../dedup-memo.ts';
import type { EventSink } from '../../bot/ports.ts';

export const DEDUP_WINDOW_MS = 10 * 60_000;
const DEDUP_MAX = 50_000;
/** How long stop() waits for events still being handled. */
export const DRAIN_MS = 10_000;

export interface Dispatcher {
  setSink(sink: EventSink): void;
  /** Returns false (and does nothing) for a repeat or when no sink is attached yet. */
  dispatch(event: InboundEvent): boolean;
  drain(timeoutMs?: number): Promise<void>;
}

export function createDispatcher(logger: Logger, opts: { now?: () => number; onEvent?: (event: InboundEvent) => void; drainMs?: number } = {}): Dispatcher {
  const now = opts.now ?? Date.now;
  const onEvent = opts.onEvent;
  let sink: EventSink | undefined;
  const events = new DedupMemo(DEDUP_WINDOW_MS, DEDUP_MAX, now);
  const inFlight = new Set<Promise<void>>();

  return {
    setSink(s) {
      sink = s;
    },
    dispatch(event) {
      if (!sink || !events.first(event.eventId)) return false;
      onEvent?.(event);
      const p: Promise<void> = sink(event)
        .catch((err: unknown) => logger.error({ err, eventId: event.eventId, kind: event.kind }, 'dingtalk: the bot failed on an event'))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      return true;
    },
    async drain(timeoutMs = opts.drainMs ?? DRAIN_MS) {
      if (inFlight.size === 0) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
      clearTimeout(timer);
    },
  };
}
