import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { workspaces } from '../../src/db/schema/index.ts';
import { ENGINES, dropCreatedDatabases, openTestDatabase, truncateAll } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

describe.each(ENGINES)('database on %s', (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => database?.close());

  it('creates every table of the schema', async () => {
    const rows = await database.query<{ tablename: string }>(
      sql`select tablename from pg_tables where schemaname = 'public' order by tablename`,
    );
    const names = rows.map((r) => r.tablename);
    for (const t of [
      'workspaces', 'platform_tenants', 'teams', 'users', 'role_assignments', 'chat_identities', 'chats',
      'api_tokens', 'audit_log', 'stores', 'skus', 'ownership', 'fact_sales_daily', 'fact_ads_daily',
      'fact_inventory_daily', 'fact_service_daily', 'fact_team_events', 'fact_content_daily', 'fx_rates',
      'season_calendar', 'sync_runs', 'goals', 'goal_adjustments', 'alert_rules', 'alerts', 'followups',
      'deliveries', 'job_runs', 'console_messages',
    ]) {
      expect(names, t).toContain(t);
    }
  });

  it('applies migrations idempotently', async () => {
    await database.migrate();
    await database.migrate();
    const [row] = await database.query<{ n: number }>(sql`select count(*) as n from workspaces`);
    expect(row?.n).toBe(0);
  });

  it('normalises driver types: int8 as numbers, numeric as exact strings, dates as text', async () => {
    await truncateAll(database);
    await database.db.insert(workspaces).values([
      { id: 'a', name: 'A', timezone: 'UTC', currency: 'USD', locale: 'en' },
      { id: 'b', name: 'B', timezone: 'UTC', currency: 'USD', locale: 'en' },
    ]);
    const [row] = await database.query<{ n: unknown; s: unknown; m: unknown; d: unknown; big: unknown }>(sql`
      select count(*) as n,
             sum(x)::bigint as s,
             (0.1::numeric(18,4) + 0.2::numeric(18,4)) as m,
             date '2026-11-23' as d,
             9007199254740993::bigint as big
      from workspaces, (values (2), (3)) v(x)`);
    expect(row?.n).toBe(4);
    expect(row?.s).toBe(10);
    expect(row?.m).toBe('0.3000');
    expect(row?.d).toBe('2026-11-23');
    // Beyond 2^53 a number would silently lose digits: it stays an exact string.
    expect(row?.big).toBe('9007199254740993');
  });

  it('keeps the audit log append-only', async () => {
    await database.query(sql`insert into audit_log (actor_kind, action, entity) values ('system', 'create', 'test')`);
    const err = await database.query(sql`update audit_log set action = 'forged'`).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    // drizzle wraps the driver error; the database's own message is the cause.
    expect(String((err as Error & { cause?: Error }).cause?.message)).toMatch(/audit_log is append-only/);
    const [row] = await database.query<{ action: string }>(sql`select action from audit_log limit 1`);
    expect(row?.action).toBe('create');
  });

  it('cascades a workspace delete to what it owns', async () => {
    await truncateAll(database);
    await database.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('gone', 'G', 'UTC', 'USD', 'en')`);
    await database.query(sql`insert into teams (workspace_id, id, name) values ('gone', 't1', 'T1')`);
    await database.query(sql`delete from workspaces where id = 'gone'`);
    const [row] = await database.query<{ n: number }>(sql`select count(*) as n from teams`);
    expect(row?.n).toBe(0);
  });
});
