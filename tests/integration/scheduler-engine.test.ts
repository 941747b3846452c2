import pino from 'pino';
import { Registry } from 'prom-client';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { createScheduler, type JobSpec } from '../../src/scheduler/engine.ts';
import { createSchedulerMetrics } from '../../src/scheduler/metrics.ts';
import type { Schedule } from '../../src/scheduler/schedule.ts';
import { createPostgresDatabase, dropCreatedDatabases, ENGINES, openTestDatabase, truncateAll } from '../helpers/db.ts';

const logger = pino({ level: 'silent' });
const H = 3_600_000;
const noSleep = async () => {};

/** A clock the test moves by hand. */
function fakeClock(start: string) {
  let t = new Date(start).getTime();
  return { now: () => new Date(t), set: (iso: string) => (t = new Date(iso).getTime()), advance: (ms: number) => (t += ms) };
}

type Run = { job: string; slot: string; node: string };

function job(id: string, schedule: Schedule, runs: Run[], node: string, extra: Partial<JobSpec> = {}): JobSpec {
  return { id, schedule, catchUpWindowMs: 6 * H, ...extra, run: async (slot) => void runs.push({ job: id, slot: slot.toISOString(), node }) };
}

describe.each(ENGINES)('scheduler on %s', (engine) => {
  let a: Database;
  let b: Database;
  beforeAll(async () => {
    if (engine === 'pglite') {
      a = await openTestDatabase('pglite');
      b = a; // PGlite is one process: two schedulers share it, as two replicas share Postgres.
    } else {
      const url = await createPostgresDatabase();
      a = await openDatabase({ url, poolSize: 4 });
      await a.migrate();
      b = await openDatabase({ url, poolSize: 4 });
    }
  });
  afterAll(async () => {
    if (b !== a) await b.close();
    await a.close();
    await dropCreatedDatabases();
  });
  beforeEach(async () => truncateAll(a));

  it('two instances on one database fire every slot exactly once over 60 simulated days', async () => {
    const clock = fakeClock('2026-02-20T00:00:00Z');
    const runs: Run[] = [];
    const specs = (node: string) => [
      job('daily:sh', { cadence: 'daily', time: '09:00', timezone: 'Asia/Shanghai' }, runs, node),
      job('weekly:ny', { cadence: 'weekly', time: '09:30', timezone: 'America/New_York', weekday: 1 }, runs, node),
      job('daily:berlin-gap', { cadence: 'daily', time: '02:30', timezone: 'Europe/Berlin' }, runs, node),
      job('monthly:sh', { cadence: 'monthly', time: '09:00', timezone: 'Asia/Shanghai' }, runs, node),
      job('biweekly:ny', { cadence: 'biweekly', time: '10:00', timezone: 'America/New_York', weekday: 3, biweeklyFrom: '2026-02-25' }, runs, node),
    ];
    const make = (database: Database, node: string) =>
      createScheduler({ database, logger, node, clock: clock.now, sources: [async () => specs(node)], sleep: noSleep });
    const s1 = make(a, 'replica-1');
    const s2 = make(b, 'replica-2');
    // Steps of 7 to 23 minutes; both replicas tick at the same instant, racing for the claim,
    // in an order that changes from step to step.
    let seed = 7;
    while (clock.now() < new Date('2026-04-21T00:00:00Z')) {
      seed = (seed * 48271) % 2147483647;
      clock.advance((7 + (seed % 17)) * 60_000);
      if (clock.now() > new Date('2026-04-21T00:00:00Z')) clock.set('2026-04-21T00:00:00Z');
      await Promise.all((seed % 2 ? [s1, s2] : [s2, s1]).map((s) => s.tick()));
    }
    const per = (id: string) => runs.filter((r) => r.job === id).length;
    // Hand counts for 20 Feb – 20 Apr 2026: 60 days; Mondays 23 Feb … 20 Apr = 9; the 2nd of
    // March and April; Wednesdays every other week from 25 Feb: 25 Feb, 11 Mar, 25 Mar, 8 Apr.
    expect(per('daily:sh')).toBe(60);
    expect(per('weekly:ny')).toBe(9);
    expect(per('daily:berlin-gap')).toBe(60);
    expect(per('monthly:sh')).toBe(2);
    expect(per('biweekly:ny')).toBe(4);
    expect(new Set(runs.map((r) => `${r.job}@${r.slot}`)).size).toBe(runs.length);
    // The Berlin gap day ran once, at 03:30 CEST.
    expect(runs.filter((r) => r.job === 'daily:berlin-gap' && r.slot.startsWith('2026-03-29')).map((r) => r.slot)).toEqual(['2026-03-29T01:30:00.000Z']);
    // Both replicas did some of the work, and job_runs holds one row per slot, all ok.
    expect(new Set(runs.map((r) => r.node))).toEqual(new Set(['replica-1', 'replica-2']));
    const [row] = await a.query<{ n: number; ok: number }>(sql`select count(*) as n, count(*) filter (where status = 'ok') as ok from job_runs`);
    expect(Number(row!.n)).toBe(135);
    expect(Number(row!.ok)).toBe(135);
  });

  it('catches up the last missed slot once, only inside the window and never before the job existed', async () => {
    const runs: Run[] = [];
    const sched: Schedule = { cadence: 'daily', time: '09:00', timezone: 'Asia/Shanghai' };
    const clock = fakeClock('2026-11-23T00:00:00Z'); // 08:00 Shanghai
    const start = (node: string, extra: Partial<JobSpec> = {}) =>
      createScheduler({ database: a, logger, node, clock: clock.now, sleep: noSleep, sources: [async () => [job('daily:1', sched, runs, node, extra)]] });

    const first = start('n1');
    await first.tick();
    expect(runs).toHaveLength(0);
    // Down from 08:00 until 11:00: the 09:00 slot is 2 h old, inside the 6 h window.
    clock.set('2026-11-23T03:00:00Z');
    await start('n2').tick();
    expect(runs.map((r) => r.slot)).toEqual(['2026-11-23T01:00:00.000Z']);
    // Another replica starting a little later finds the slot taken.
    clock.set('2026-11-23T03:30:00Z');
    const late = await start('n3').tick();
    expect(late.taken).toBe(1);
    expect(runs).toHaveLength(1);

    // Down over two slots: only the latest (25 Nov 09:00) runs, not 24 Nov.
    clock.set('2026-11-25T02:00:00Z');
    await start('n4').tick();
    expect(runs.map((r) => r.slot)).toEqual(['2026-11-23T01:00:00.000Z', '2026-11-25T01:00:00.000Z']);

    // Down past the window: started 7 h after the 26 Nov slot, nothing runs.
    clock.set('2026-11-26T08:00:00Z');
    await start('n5').tick();
    expect(runs).toHaveLength(2);

    // A job created at 10:00 does not catch up that morning's 09:00.
    clock.set('2026-11-27T02:30:00Z');
    await start('n6', { id: 'daily:2', since: new Date('2026-11-27T02:00:00Z') }).tick();
    expect(runs.filter((r) => r.job === 'daily:2')).toHaveLength(0);
  });

  it('retries a failing coordinator, then counts the slot as skipped on the metrics', async () => {
    const registry = new Registry();
    const metrics = createSchedulerMetrics(registry);
    const runs: Run[] = [];
    let failures = 0;
    // The database answers everything except job_runs claims, which fail `failures` times.
    const flaky: Database = {
      ...a,
      query: async (q) => {
        const text = JSON.stringify(q);
        if (text.includes('insert into job_runs') && failures > 0) {
          failures--;
          throw new Error('connection terminated');
        }
        return a.query(q);
      },
    };
    const clock = fakeClock('2026-11-23T00:59:00Z');
    const sched: Schedule = { cadence: 'daily', time: '09:00', timezone: 'Asia/Shanghai' };
    const s = createScheduler({ database: flaky, logger, node: 'n', clock: clock.now, sleep: noSleep, metrics, sources: [async () => [job('daily:1', sched, runs, 'n')]] });
    await s.tick();
    failures = 2; // two failures, then the third attempt wins
    clock.set('2026-11-23T01:00:30Z');
    await s.tick();
    expect(runs).toHaveLength(1);
    failures = 3; // every attempt fails: the slot is skipped and counted
    clock.set('2026-11-24T01:00:30Z');
    const report = await s.tick();
    expect(report.skipped).toBe(1);
    expect(runs).toHaveLength(1);
    const skipped = await registry.getSingleMetric('scheduler_skipped_slots_total')!.get();
    expect(skipped.values).toEqual([expect.objectContaining({ labels: { kind: 'daily' }, value: 1 })]);
    const ran = await registry.getSingleMetric('scheduler_runs_total')!.get();
    expect(ran.values).toEqual([expect.objectContaining({ labels: { kind: 'daily', status: 'ok' }, value: 1 })]);
  });

  it('records a failing job as failed and keeps going with the others', async () => {
    const clock = fakeClock('2026-11-23T01:00:10Z');
    const runs: Run[] = [];
    const sched: Schedule = { cadence: 'daily', time: '09:00', timezone: 'Asia/Shanghai' };
    const broken: JobSpec = { id: 'daily:broken', schedule: sched, catchUpWindowMs: H, run: async () => { throw new Error('boom'); } };
    const s = createScheduler({ database: a, logger, node: 'n', clock: clock.now, sleep: noSleep, sources: [async () => [broken, job('daily:ok', sched, runs, 'n')]] });
    const report = await s.tick();
    expect(report.ran.map((r) => [r.jobId, r.ok]).sort()).toEqual([['daily:broken', false], ['daily:ok', true]]);
    const rows = await a.query<{ job_id: string; status: string; error: string | null }>(sql`select job_id, status, error from job_runs order by job_id`);
    expect(rows).toEqual([
      { job_id: 'daily:broken', status: 'failed', error: 'boom' },
      { job_id: 'daily:ok', status: 'ok', error: null },
    ]);
  });
});
