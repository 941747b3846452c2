/**
 * The bot's hold across a database outage (src/bot/hold.ts): only "database unavailable" errors
 * are retried, an attempt that already reached the chat is never run again, and a dedup row an
 * earlier attempt wrote (or may have written) is not taken for a redelivery.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { claim, createHolder, trackSends, type HoldState } from '../../src/bot/hold.ts';
import type { ChatAdapter } from '../../src/bot/ports.ts';
import { isDatabaseUnavailable } from '../../src/db/unavailable.ts';

const quiet = pino({ level: 'silent' });
const noSleep = async () => {};
const meta = { platform: 'slack', eventId: 'Ev1', kind: 'message' };
const down = () => Object.assign(new Error('write CONNECTION_CLOSED 127.0.0.1:5432'), { code: 'CONNECTION_CLOSED' });
const fresh = (): HoldState => ({ attempt: 1, delivery: 'no', click: 'no', emitted: false });

describe('isDatabaseUnavailable', () => {
  it('knows connection errors, wrapped or not, and nothing else', () => {
    expect(isDatabaseUnavailable(down())).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('Failed query'), { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('shutting down'), { code: '57P01' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('unique'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('bug'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});

describe('holder', () => {
  it('retries an event until the database answers, and remembers when it was last down', async () => {
    const holder = createHolder(quiet, noSleep);
    let calls = 0;
    await holder.run(meta, async () => {
      if (++calls < 4) throw down();
    });
    expect(calls).toBe(4);
    expect(holder.lastUnavailableAt()).toBeGreaterThan(0);
  });

  it('does not retry other errors', async () => {
    const holder = createHolder(quiet, noSleep);
    let calls = 0;
    await expect(holder.run(meta, async () => {
      calls++;
      throw new TypeError('bug');
    })).rejects.toThrow('bug');
    expect(calls).toBe(1);
    expect(holder.lastUnavailableAt()).toBe(0);
  });

  it('never runs an attempt again once something reached the chat', async () => {
    const holder = createHolder(quiet, noSleep);
    let calls = 0;
    await holder.run(meta, async (hold) => {
      calls++;
      hold.emitted = true;
      throw down();
    });
    expect(calls).toBe(1);
  });

  it('marks an attempt as emitted on any adapter call', async () => {
    const hold = fresh();
    const adapter = { platform: 'slack', capabilities: {}, send: async () => ({}), reply: async () => undefined, update: async () => {} } as unknown as ChatAdapter;
    await trackSends(adapter, hold).reply({} as never, { kind: 'text', markdown: 'hi' });
    expect(hold.emitted).toBe(true);
  });
});

describe('claim', () => {
  it('drops a genuine redelivery', async () => {
    const hold = fresh();
    expect(await claim(hold, 'delivery', async () => false)).toBe(false);
  });

  it('keeps its own row across attempts, written or maybe written', async () => {
    const written = fresh();
    expect(await claim(written, 'delivery', async () => true)).toBe(true);
    let inserts = 0;
    expect(await claim(written, 'delivery', async () => (inserts++, false))).toBe(true);
    expect(inserts).toBe(0);

    const maybe = fresh();
    await expect(claim(maybe, 'click', async () => Promise.reject(down()))).rejects.toThrow();
    // The insert may have committed before the connection died: the conflict is this event's own row.
    expect(await claim(maybe, 'click', async () => false)).toBe(true);
  });
});
