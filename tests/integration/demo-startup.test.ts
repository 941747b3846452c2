/**
 * The demo start-up step: DEMO=off never seeds, DEMO=auto seeds yesterday's window when the
 * demo is absent and rolls it forward at later starts (gating readiness until done), and a
 * real workspace called `demo` is left alone.
 */
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { Readiness } from '../../src/readiness.ts';
import { registerStartupSteps } from '../../src/startup-steps.ts';
import { ENGINES, dropCreatedDatabases, openTestDatabase, truncateAll } from '../helpers/db.ts';
import { testConfig } from '../helpers/build-app.ts';
import { count } from '../helpers/demo.ts';

afterAll(dropCreatedDatabases);

const logger = pino({ level: 'silent' });

async function start(database: Database, env: Record<string, string>, now?: string) {
  const readiness = new Readiness();
  registerStartupSteps(readiness, { config: testConfig(env), database, logger, now: now ? () => new Date(now) : undefined });
  const before = readiness.report(true);
  await readiness.runAll();
  return { before, after: readiness.report(true) };
}

describe.each(ENGINES)('demo start-up step on %s', (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => database?.close());

  it('DEMO=off registers no demo step and never seeds', async () => {
    await truncateAll(database);
    const { after } = await start(database, { DEMO: 'off' }, '2026-03-10T02:00:00Z');
    expect(Object.keys(after.steps)).toEqual(['migrations', 'alerts']);
    expect(after.ready).toBe(true);
    expect(await count(database, 'select count(*) as n from workspaces')).toBe(0);
  });

  it('DEMO=auto seeds yesterday (default time zone) before readiness, then rolls forward', { timeout: 120_000 }, async () => {
    await truncateAll(database);
    // 01:30 UTC is 09:30 in Shanghai: today there is 03-10, so the anchor is 03-09.
    const first = await start(database, { DEMO: 'auto' }, '2026-03-10T01:30:00Z');
    expect(first.before.steps).toEqual({ migrations: 'pending', demo: 'pending', alerts: 'pending' });
    expect(first.before.ready).toBe(false);
    expect(first.after).toMatchObject({ ready: true, steps: { migrations: 'done', demo: 'done', alerts: 'done' } });
    const anchor = async () => (await database.query<{ a: string }>(sql`select demo_anchor::text as a from workspaces where id = 'demo'`))[0]?.a;
    expect(await anchor()).toBe('2026-03-09');
    expect(await count(database, `select count(distinct date) as n from fact_sales_daily where workspace_id = 'demo'`)).toBe(180);

    // A Los Angeles default zone at the same instant is still on 03-09: nothing to add.
    await start(database, { DEMO: 'auto', DEFAULT_TIMEZONE: 'America/Los_Angeles' }, '2026-03-10T01:30:00Z');
    expect(await anchor()).toBe('2026-03-09');

    const rowsBefore = await count(database, `select count(*) as n from fact_sales_daily where workspace_id = 'demo'`);
    await start(database, { DEMO: 'auto' }, '2026-03-13T01:30:00Z');
    expect(await anchor()).toBe('2026-03-12');
    expect(await count(database, `select count(distinct date) as n from fact_sales_daily where workspace_id = 'demo'`)).toBe(183);
    expect(await count(database, `select max(date) - min(date) + 1 as n from fact_sales_daily where workspace_id = 'demo'`)).toBe(183);
    expect(await count(database, `select count(*) as n from fact_sales_daily where workspace_id = 'demo'`)).toBeGreaterThan(rowsBefore);
    expect(await count(database, `select count(*) as n from sync_runs where workspace_id = 'demo' and dataset = 'orders' and data_through_date = '2026-03-12'`)).toBe(10);
    expect(await count(database, `select count(*) as n from audit_log where workspace_id = 'demo' and action = 'roll_forward'`)).toBe(1);

    // Asleep for longer than a window: a fresh 180-day window from the same seed, no hole.
    await start(database, { DEMO: 'auto' }, '2026-12-01T01:30:00Z');
    expect(await anchor()).toBe('2026-11-30');
    expect(await count(database, `select count(distinct date) as n from fact_sales_daily where workspace_id = 'demo'`)).toBe(180);
    expect(await count(database, `select demo_seed as n from workspaces where id = 'demo'`)).toBe(1111);
  });

  it('leaves a real workspace called demo alone', async () => {
    await truncateAll(database);
    await database.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('demo', 'Our demo shop', 'UTC', 'USD', 'en')`);
    const { after } = await start(database, { DEMO: 'auto' }, '2026-03-10T01:30:00Z');
    expect(after.ready).toBe(true);
    expect(await count(database, `select count(*) as n from stores where workspace_id = 'demo'`)).toBe(0);
    expect(await count(database, `select count(*) as n from workspaces where id = 'demo' and not is_demo`)).toBe(1);
  });
});
