import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { InboundEvent } from '../../src/bot/events.ts';
import { limitInbound } from '../../src/bot/inbound-limiter.ts';

const event = (i: number) => ({ platform: 'slack', eventId: `e${i}` }) as unknown as InboundEvent;

describe('inbound limiter', () => {
  it('runs at most `concurrency` events at once, first in first out, and sheds past a full queue', async () => {
    const started: string[] = [];
    const release: (() => void)[] = [];
    const shed: string[] = [];
    const limiter = limitInbound(
      (e) => {
        started.push(e.eventId);
        return new Promise<void>((r) => release.push(r));
      },
      { logger: pino({ level: 'silent' }), limits: { concurrency: 2, maxQueued: 2 }, onShed: (reason, e) => shed.push(`${reason}:${e.eventId}`) },
    );
    const done = [1, 2, 3, 4, 5].map((i) => limiter.sink(event(i)));
    expect(started).toEqual(['e1', 'e2']);
    expect(shed).toEqual(['queue_full:e5']);
    await done[4];
    expect(limiter.stats()).toMatchObject({ running: 2, queued: 2 });
    release.shift()!();
    await done[0];
    expect(started).toEqual(['e1', 'e2', 'e3']);
    while (release.length) {
      release.shift()!();
      await new Promise((r) => setTimeout(r, 0));
    }
    await Promise.all(done);
    expect(started).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(limiter.stats()).toMatchObject({ running: 0, queued: 0, handled: 4, shed: { queue_full: 1, stale: 0 } });
  });

  it('drops events that waited longer than maxWaitMs, and a failing handler frees its slot', async () => {
    let t = 1000;
    const seen: string[] = [];
    let fail!: (err: Error) => void;
    const limiter = limitInbound(
      (e) => {
        seen.push(e.eventId);
        return e.eventId === 'e1' ? new Promise<void>((_, reject) => (fail = reject)) : Promise.resolve();
      },
      { logger: pino({ level: 'silent' }), limits: { concurrency: 1, maxWaitMs: 1000 }, now: () => t },
    );
    const first = limiter.sink(event(1));
    const stale = limiter.sink(event(2));
    t = 3000;
    const fresh = limiter.sink(event(3));
    fail(new Error('boom'));
    await Promise.all([first, stale, fresh]);
    expect(seen).toEqual(['e1', 'e3']);
    expect(limiter.stats().shed).toEqual({ queue_full: 0, stale: 1 });
  });
});
