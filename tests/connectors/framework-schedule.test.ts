/**
 * Connector schedules: one job per connector at its definition's time (the ECB feed at 16:30
 * Berlin), 24 for hourly ones, none for paused, revoked or manual ones; the real scheduler, ticked
 * on a fake clock, runs the ECB connector against the loopback ECB once per slot.
 */
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { connectorJobs } from '../../src/ingest/connectors/schedule.ts';
import { saveConnector } from '../../src/ingest/connectors/service.ts';
import { createScheduler } from '../../src/scheduler/index.ts';
import { databaseHooks, dropCreatedDatabases, ENGINES } from '../helpers/db.ts';
import { startFakeEcb, type FakeEcb } from '../fakes/ecb/server.ts';

afterAll(dropCreatedDatabases);

const KEY = 'q'.repeat(40);

describe.each(ENGINES)('connector schedules on %s', (engine) => {
  let d: Database;
  let ecb: FakeEcb;
  beforeAll(async () => {
    ecb = await startFakeEcb([{ date: '2026-11-20', rates: { USD: 1.08 } }]);
  });
  afterAll(async () => ecb?.close());
  databaseHooks(engine, (x) => (d = x), async (x) => {
    await x.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('w', 'W', 'Asia/Shanghai', 'USD', 'en')`);
    await saveConnector(x, KEY, 'w', { id: 'ecb', kind: 'fx_feed', settings: { baseUrl: ecb.baseUrl }, createdBy: 't' });
    await saveConnector(x, KEY, 'w', { id: 'ecb-hourly', kind: 'fx_feed', cadence: 'hourly', settings: { baseUrl: ecb.baseUrl }, createdBy: 't' });
    await saveConnector(x, KEY, 'w', { id: 'ecb-manual', kind: 'fx_feed', cadence: 'manual', settings: {}, createdBy: 't' });
    await saveConnector(x, KEY, 'w', { id: 'ecb-paused', kind: 'fx_feed', state: 'paused', settings: {}, createdBy: 't' });
    await saveConnector(x, KEY, 'w', { id: 'ecb-revoked', kind: 'fx_feed', settings: {}, createdBy: 't' });
    await x.query(sql`update connectors set state = 'auth_revoked' where id = 'ecb-revoked'`);
  });

  it('lists one job per active connector and slot, and the scheduler runs them', async () => {
    const deps = { database: d, publicUrl: 'http://localhost:3000', secretsKey: KEY };
    const jobs = await connectorJobs(deps)(new Date());
    const daily = jobs.filter((j) => j.id === 'connector:w:ecb');
    expect(daily.map((j) => j.schedule)).toEqual([{ cadence: 'daily', time: '16:30', timezone: 'Europe/Berlin' }]);
    const hourly = jobs.filter((j) => j.id.startsWith('connector:w:ecb-hourly:'));
    expect(hourly).toHaveLength(24);
    expect(hourly[0]!.schedule).toEqual({ cadence: 'daily', time: '00:05', timezone: 'Europe/Berlin' });
    expect(jobs).toHaveLength(25);

    // 2026-11-20 16:30 in Berlin (CET, UTC+1) = 15:30 UTC. Ticks before and after that slot.
    let clock = new Date('2026-11-20T15:00:00Z');
    await d.query(sql`update connectors set cadence = 'manual' where id = 'ecb-hourly'`);
    const scheduler = createScheduler({ database: d, logger: pino({ level: 'silent' }), node: 'test', sources: [connectorJobs({ ...deps, now: () => clock })], clock: () => clock });
    // The first tick catches up the previous slot (11-19 16:30, inside the 24 h catch-up window).
    expect((await scheduler.tick()).ran.map((r) => [r.jobId, r.slot.toISOString()])).toEqual([['connector:w:ecb', '2026-11-19T15:30:00.000Z']]);
    clock = new Date('2026-11-20T15:31:00Z');
    const report = await scheduler.tick();
    expect(report.ran.map((r) => [r.jobId, r.ok])).toEqual([['connector:w:ecb', true]]);
    const runs = await d.query<{ connector_id: string; status: string; requested_by: string }>(sql`select connector_id, status, requested_by from sync_runs order by id`);
    expect(runs).toEqual([1, 2].map(() => ({ connector_id: 'ecb', status: 'ok', requested_by: 'scheduler' })));
    clock = new Date('2026-11-20T15:45:00Z');
    expect((await scheduler.tick()).ran).toEqual([]);
  });
});
