/**
 * `export --all` / `import --all` move people and records too (issue #30 item 8): users, roles,
 * chat identities, chats, tenant bindings, ownership, goals (a split goal keeps its parent),
 * alert rules, alerts (with their rule) and follow-ups (with their alert) come back with new
 * generated ids and rewritten references; KPIs are identical. Into a new workspace of the same
 * database (global chat ids collide: kept, reported) and, when DATABASE_URL is set, from PGlite
 * into an empty Postgres database.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import { exportWorkspace, importWorkspace } from '../../src/ingest/export/workspace-bundle.ts';
import { importFile } from '../../src/ingest/import-file.ts';
import { queryKpi } from '../../src/kpi/query.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, insertWorkspace, openTestDatabase } from '../helpers/db.ts';
import { testEnv } from '../helpers/env.ts';

afterAll(dropCreatedDatabases);
const FIX = join(import.meta.dirname, '../fixtures/ingest');
const tmp = mkdtempSync(join(tmpdir(), 'ws-move-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const actor = { kind: 'cli' as const, name: 'test' };

async function seed(d: Database): Promise<void> {
  await insertWorkspace(d, { id: 'shop', currency: 'USD', timezone: 'Asia/Shanghai' });
  await d.query(sql`insert into teams (workspace_id, id, name) values ('shop', 'na', 'NA')`);
  for (const [file, dataset] of [['stores.csv', 'stores'], ['fx.csv', 'fx'], ['orders-lingxing-gbk.csv', 'orders']] as const) {
    expect((await importFile(d, join(FIX, file), { workspaceId: 'shop', dataset, requestedBy: 'test' })).status).not.toBe('failed');
  }
  await d.query(sql`insert into users (workspace_id, id, display_name, team_id) values ('shop', 'ann', 'Ann', null), ('shop', 'bob', '李强', 'na')`);
  await d.query(sql`insert into role_assignments (workspace_id, user_id, role, team_id) values ('shop', 'ann', 'admin', null), ('shop', 'bob', 'manager', 'na')`);
  await d.query(sql`insert into platform_tenants (platform, tenant_key, workspace_id) values ('slack', 'T9', 'shop')`);
  await d.query(sql`insert into chat_identities (platform, tenant_key, platform_user_id, workspace_id, user_id) values ('slack', 'T9', 'U_ANN', 'shop', 'ann')`);
  await d.query(sql`insert into chats (platform, tenant_key, chat_id, workspace_id, kind, team_id, locale) values ('slack', 'T9', 'C_NA', 'shop', 'group', 'na', 'en')`);
  await d.query(sql`insert into ownership (workspace_id, scope_type, scope_id, user_id, valid_from) values ('shop', 'store', 'us-main', 'bob', '2026-01-01')`);
  // A team goal split into a store goal: the child names its parent by id.
  const [parent] = await d.query<{ id: number }>(sql`insert into goals (workspace_id, metric_id, scope_level, scope_id, owner_user_id, period_id, period_start, period_end,
      target, currency, status, created_by, contributors, excluded_ranges) values
    ('shop', 'gmv', 'team', 'na', 'bob', 'month:2026-11', '2026-11-01', '2026-11-30', 1000, 'USD', 'active', 'ann', ${'{ann,bob}'}::text[], ${JSON.stringify([{ from: '2026-11-11', to: '2026-11-11', reason: '双11' }])}::jsonb) returning id`);
  await d.query(sql`insert into goals (workspace_id, metric_id, scope_level, scope_id, owner_user_id, period_id, period_start, period_end, target, currency, status, created_by, parent_goal_id) values
    ('shop', 'gmv', 'store', 'us-main', 'bob', 'month:2026-11', '2026-11-01', '2026-11-30', 600, 'USD', 'active', 'ann', ${parent!.id})`);
  const [rule] = await d.query<{ id: number }>(sql`insert into alert_rules (workspace_id, key, name, type, metric_id, condition, scope) values
    ('shop', 'roas-low', 'ROAS low', 'threshold', 'roas', ${JSON.stringify({ op: '<', value: 2 })}::jsonb, ${JSON.stringify({ store: 'us-main' })}::jsonb) returning id`);
  const [alert] = await d.query<{ id: number }>(sql`insert into alerts (workspace_id, rule_id, type, scope_key, team_id, severity, title, details) values
    ('shop', ${rule!.id}, 'threshold', 'store:us-main', 'na', 'warning', 'ROAS 1.2 < 2', ${JSON.stringify({ roas: 1.2 })}::jsonb) returning id`);
  await d.query(sql`insert into followups (workspace_id, assignee_user_id, created_by, text, alert_id, due_on) values ('shop', 'bob', 'ann', '降价清库存', ${alert!.id}, '2026-11-30')`);
}

async function kpi(d: Database, workspaceId: string) {
  const principal: Principal = { kind: 'system', workspaceId, role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: true };
  const r = await queryKpi(d, { workspaceId, metrics: ['gmv', 'units', 'tax_amount', 'refund_rate'], period: 'custom:2026-11-01..2026-11-04', groupBy: 'store', principal, now: new Date('2026-11-10T05:00:00Z') });
  return { total: r.total, rows: r.rows };
}

/** What was restored, without generated ids: references shown by what they point at. */
async function records(d: Database, ws: string) {
  const q = (s: ReturnType<typeof sql>) => d.query<Record<string, unknown>>(s);
  return {
    users: await q(sql`select id, display_name, team_id from users where workspace_id = ${ws} order by id`),
    roles: await q(sql`select user_id, role, team_id from role_assignments where workspace_id = ${ws} order by user_id`),
    ownership: await q(sql`select scope_type, scope_id, user_id, valid_from::text as valid_from from ownership where workspace_id = ${ws}`),
    goals: await q(sql`select g.scope_level, g.scope_id, g.target::text as target, g.contributors, g.excluded_ranges, p.scope_id as parent_scope
      from goals g left join goals p on p.id = g.parent_goal_id where g.workspace_id = ${ws} order by g.scope_level`),
    alerts: await q(sql`select a.title, a.details, r.key as rule_key, r.condition from alerts a left join alert_rules r on r.id = a.rule_id where a.workspace_id = ${ws}`),
    followups: await q(sql`select f.text, f.due_on::text as due_on, a.title as alert from followups f left join alerts a on a.id = f.alert_id where f.workspace_id = ${ws}`),
  };
}

describe.each(ENGINES)('moving a workspace with its people and records on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), seed);

  it('restores people, goals, alerts and follow-ups into a new workspace with identical KPIs', async () => {
    const dir = join(tmp, `bundle-${engine}`);
    const m = await exportWorkspace(d, 'shop', dir);
    const rows = Object.fromEntries(m.files.map((f) => [f.name, f.rows]));
    expect(rows).toMatchObject({ users: 2, role_assignments: 2, chat_identities: 1, chats: 1, platform_tenants: 1, ownership: 1, goals: 2, alert_rules: 1, alerts: 1, followups: 1 });
    expect(readFileSync(join(dir, 'goals.csv'), 'utf8')).toMatch(/""from"": ?""2026-11-11""/);
    const r = await importWorkspace(d, dir, { workspaceId: 'shop2', actor });
    // Chat ids are global: the Slack identity, chat and tenant stay bound to "shop" (reported).
    expect(r.results.filter((x) => ['chat_identities', 'chats', 'platform_tenants'].includes(x.name)).map((x) => [x.name, x.rows, x.status])).toEqual([
      ['chat_identities', 0, 'partial'], ['chats', 0, 'partial'], ['platform_tenants', 0, 'partial'],
    ]);
    expect(await records(d, 'shop2')).toEqual(await records(d, 'shop'));
    expect((await records(d, 'shop2')).goals).toEqual([
      { scope_level: 'store', scope_id: 'us-main', target: '600', contributors: [], excluded_ranges: [], parent_scope: 'na' },
      { scope_level: 'team', scope_id: 'na', target: '1000', contributors: ['ann', 'bob'], excluded_ranges: [{ from: '2026-11-11', to: '2026-11-11', reason: '双11' }], parent_scope: null },
    ]);
    // New ids, not the old ones.
    const [ids] = await d.query<{ same: number }>(sql`select count(*)::int as same from goals a join goals b on a.id = b.id where a.workspace_id = 'shop' and b.workspace_id = 'shop2'`);
    expect(ids!.same).toBe(0);
    expect(await kpi(d, 'shop2')).toEqual(await kpi(d, 'shop'));
  });

  if (engine === 'pglite' && testEnv.DATABASE_URL) it('moves it from PGlite into an empty Postgres with every record and identical KPIs', async () => {
    const dir = join(tmp, 'bundle-to-pg');
    await exportWorkspace(d, 'shop', dir);
    const pg = await openTestDatabase('postgres');
    try {
      const r = await importWorkspace(pg, dir, { actor });
      expect(r).toMatchObject({ workspaceId: 'shop', created: true });
      expect(r.results.every((x) => x.status === 'ok')).toBe(true);
      expect(await records(pg, 'shop')).toEqual(await records(d, 'shop'));
      const [chat] = await pg.query(sql`select chat_id, team_id, locale, kind from chats where workspace_id = 'shop'`);
      expect(chat).toEqual({ chat_id: 'C_NA', team_id: 'na', locale: 'en', kind: 'group' });
      const [tenant] = await pg.query(sql`select workspace_id from platform_tenants where platform = 'slack' and tenant_key = 'T9'`);
      expect(tenant).toEqual({ workspace_id: 'shop' });
      expect(await kpi(pg, 'shop')).toEqual(await kpi(d, 'shop'));
    } finally {
      await pg.close();
    }
  });
});
