import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Scheduler, TickReport } from '../../src/scheduler/engine.ts';
import { createHeartbeat } from '../../src/scheduler/heartbeat.ts';

// The heartbeat is node-cron itself, on vitest's fake timers: no test waits a real minute.
describe('scheduler heartbeat (node-cron)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function countingScheduler(ms = 0) {
    const ticks: number[] = [];
    const scheduler: Scheduler = {
      lastTick: undefined,
      async tick(): Promise<TickReport> {
        ticks.push(Date.now());
        if (ms) await new Promise((r) => setTimeout(r, ms));
        return { ran: [], taken: 0, skipped: 0 };
      },
    };
    return { scheduler, ticks };
  }

  it('ticks once at start (the catch-up) and then at second 5 of every minute, until stopped', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-23T00:58:30Z') });
    const { scheduler, ticks } = countingScheduler();
    const beat = createHeartbeat(scheduler, pino({ level: 'silent' }));
    beat.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(ticks.map((t) => new Date(t).toISOString())).toEqual(['2026-11-23T00:58:30.000Z']);
    await vi.advanceTimersByTimeAsync(150_000);
    expect(ticks.slice(1).map((t) => new Date(t).toISOString().slice(11, 19))).toEqual(['00:59:05', '01:00:05']);
    await beat.stop();
    await vi.advanceTimersByTimeAsync(180_000);
    expect(ticks).toHaveLength(3);
  });

  it('lets a long tick finish instead of starting a second one beside it', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-23T00:59:00Z') });
    const { scheduler, ticks } = countingScheduler(90_000); // a 90 s fan-out
    const beat = createHeartbeat(scheduler, pino({ level: 'silent' }));
    beat.start();
    await vi.advanceTimersByTimeAsync(100_000);
    // 00:59:00 starts and runs until 01:00:30; the 00:59:05 and 01:00:05 beats find it busy.
    expect(ticks).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(40_000);
    expect(ticks.map((t) => new Date(t).toISOString().slice(11, 19))).toEqual(['00:59:00', '01:01:05']);
    const stopping = beat.stop();
    await vi.advanceTimersByTimeAsync(90_000);
    await stopping;
  });
});
