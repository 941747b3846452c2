/**
 * Inbound events are acked before they are handled (ARCHITECTURE.md "Inbound"), so an event acked
 * while the database is unreachable must not be dropped: the bot holds it in this process and
 * handles it again once the database answers (backoff up to 5 s, for at most HOLD_MAX_MS, at most
 * HOLD_MAX_EVENTS at once). Only "database unavailable" errors are retried (db/unavailable.ts).
 *
 * Handling again is safe only while nothing has reached the chat: once a reply, DM or card update
 * went out, a second run would answer twice, so the event is not retried and the failure is
 * logged. The dedup rows an earlier attempt wrote — or may have written, when the connection died
 * during the insert — belong to this very event, so a retry does not mistake them for a
 * redelivery (`claim`).
 */
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import type { ChatAdapter } from './ports.ts';

/** Longer than Slack's last retry (~5 min) and Feishu's second (5 min): past it the platform has given up too. */
export const HOLD_MAX_MS = 15 * 60_000;
/** Held events are kept in memory; past this many, new ones fail (and are logged) instead. */
export const HOLD_MAX_EVENTS = 10_000;
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;

type Claim = 'no' | 'maybe' | 'yes';

export interface HoldState {
  attempt: number;
  /** inbound_dedup / action_dedup rows of this event written by this process ('maybe': the insert failed mid-way). */
  delivery: Claim;
  click: Claim;
  /** Something went out to the platform during the current attempt. */
  emitted: boolean;
}

/**
 * Runs a dedup insert once per event across attempts: true when this event is ours to handle.
 * A conflict after an attempt that may have written the row is that attempt's row, not a redelivery.
 */
export async function claim(hold: HoldState, which: 'delivery' | 'click', insert: () => Promise<boolean>): Promise<boolean> {
  const before = hold[which];
  if (before === 'yes') return true;
  hold[which] = 'maybe';
  const first = await insert();
  if (first || before === 'maybe') {
    hold[which] = 'yes';
    return true;
  }
  hold[which] = 'no';
  return false;
}

/** The adapter as one attempt sees it: any call marks the attempt as having reached the chat. */
export function trackSends(adapter: ChatAdapter, hold: HoldState): ChatAdapter {
  return {
    platform: adapter.platform,
    capabilities: adapter.capabilities,
    send: (to, message, opts) => {
      hold.emitted = true;
      return adapter.send(to, message, opts);
    },
    reply: (to, message) => {
      hold.emitted = true;
      return adapter.reply(to, message);
    },
    update: (ref, message) => {
      hold.emitted = true;
      return adapter.update(ref, message);
    },
  };
}

export interface Holder {
  run(meta: { platform: string; eventId: string; kind: string }, handle: (hold: HoldState) => Promise<void>): Promise<void>;
  /** When an event last found the database unreachable (epoch ms; 0: never). */
  lastUnavailableAt(): number;
}

export function createHolder(logger: Logger, sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): Holder {
  let holding = 0;
  let lastUnavailableAt = 0;
  const run: Holder['run'] = async (meta, handle) => {
    const hold: HoldState = { attempt: 1, delivery: 'no', click: 'no', emitted: false };
    const started = Date.now();
    let counted = false;
    try {
      for (;;) {
        try {
          return await handle(hold);
        } catch (err) {
          if (!isDatabaseUnavailable(err)) throw err;
          lastUnavailableAt = Date.now();
          if (hold.emitted) {
            logger.error({ err, ...meta }, 'database lost after the answer went out: not handled again');
            return;
          }
          if (Date.now() - started > HOLD_MAX_MS) {
            logger.error({ err, ...meta }, `event dropped: the database was unavailable for ${HOLD_MAX_MS / 60_000} min`);
            throw err;
          }
          if (!counted) {
            if (holding >= HOLD_MAX_EVENTS) {
              logger.error({ err, ...meta }, `event dropped: ${HOLD_MAX_EVENTS} events already held for the database`);
              throw err;
            }
            holding++;
            counted = true;
            logger.warn({ ...meta, code: (err as { code?: string }).code }, 'database unavailable: event held until it answers');
          }
          const base = Math.min(FIRST_DELAY_MS * 2 ** (hold.attempt - 1), MAX_DELAY_MS);
          await sleep(base / 2 + Math.random() * (base / 2));
          hold.attempt++;
          hold.emitted = false;
        }
      }
    } finally {
      if (counted) holding--;
    }
  };
  return { run, lastUnavailableAt: () => lastUnavailableAt };
}
