/**
 * Principal resolution and tenant binding on a real database: team subtrees, effective-dated
 * ownership, role precedence, group least-privilege, external people, and the first-contact
 * binding rules of ARCHITECTURE.md "Tenancy".
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authorize } from '../../src/access/authorize.ts';
import {
  groupPrincipal,
  principalForChatIdentity,
  principalForUser,
  teamSubtree,
} from '../../src/access/principal.ts';
import type { Database } from '../../src/db/client.ts';
import { resolveTenant } from '../../src/tenancy/tenant-binding.ts';
import { testConfig } from '../helpers/build-app.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, openTestDatabase, truncateAll } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

async function seedOrg(d: Database): Promise<void> {
  await d.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('w', 'W', 'Asia/Shanghai', 'CNY', 'zh-CN')`);
  await d.query(sql`insert into teams (workspace_id, id, name, parent_team_id) values
    ('w', 'company', '公司', null), ('w', 'amazon', '亚马逊', 'company'),
    ('w', 'amazon-us', '亚马逊美国', 'amazon'), ('w', 'amazon-eu', '亚马逊欧洲', 'amazon'), ('w', 'asia', '东南亚', 'company')`);
  await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, region, currency, timezone, channel, team_id) values
    ('w', 'us-main', 'US', 'amazon', 'US', '北美', 'USD', 'America/Los_Angeles', 'marketplace', 'amazon-us'),
    ('w', 'de-main', 'DE', 'amazon', 'DE', '欧洲', 'EUR', 'Europe/Berlin', 'marketplace', 'amazon-eu'),
    ('w', 'shopee-sg', 'SG', 'shopee', 'SG', '东南亚', 'SGD', 'Asia/Singapore', 'marketplace', 'asia')`);
  await d.query(sql`insert into users (workspace_id, id, display_name, team_id) values
    ('w', 'alice', '王丽', 'company'), ('w', 'bob', '李强', 'amazon'), ('w', 'carol', '陈晨', 'amazon-us'),
    ('w', 'dave', '赵伟', 'company'), ('w', 'gone', '离职', 'asia')`);
  await d.query(sql`update users set active = false where id = 'gone'`);
  await d.query(sql`insert into role_assignments (workspace_id, user_id, role, team_id) values
    ('w', 'alice', 'admin', null), ('w', 'alice', 'finance', null), ('w', 'bob', 'manager', 'amazon'),
    ('w', 'carol', 'operator', null), ('w', 'dave', 'finance', null), ('w', 'gone', 'admin', null)`);
  // carol owned de-main until 2026-11-01 (exclusive), us-main from then on.
  await d.query(sql`insert into ownership (workspace_id, scope_type, scope_id, user_id, valid_from, valid_to) values
    ('w', 'store', 'de-main', 'carol', '2026-01-01', '2026-11-01'),
    ('w', 'store', 'us-main', 'carol', '2026-11-01', null),
    ('w', 'sku', 'SKU-9', 'carol', '2026-01-01', null)`);
}

describe.each(ENGINES)('principals on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), seedOrg);

  it('walks a team subtree', async () => {
    expect(await teamSubtree(d, 'w', ['amazon'])).toEqual(['amazon', 'amazon-eu', 'amazon-us']);
    expect(await teamSubtree(d, 'w', ['asia'])).toEqual(['asia']);
    expect(await teamSubtree(d, 'w', [])).toEqual([]);
  });

  it('takes the strongest role and scopes managers to their subtree', async () => {
    const alice = await principalForUser(d, 'w', 'alice');
    expect(alice).toMatchObject({ role: 'admin', displayName: '王丽', scope: { all: true } });
    const bob = await principalForUser(d, 'w', 'bob');
    expect(bob.role).toBe('manager');
    expect(bob.scope).toEqual({ all: false, teamIds: ['amazon', 'amazon-eu', 'amazon-us'], storeIds: ['de-main', 'us-main'], skuIds: [] });
    expect(authorize(bob, 'goal.write', { storeId: 'us-main' }).ok).toBe(true);
    expect(authorize(bob, 'goal.write', { storeId: 'shopee-sg', teamId: 'asia' }).ok).toBe(false);
  });

  it('scopes operators by effective-dated ownership', async () => {
    const before = await principalForUser(d, 'w', 'carol', { day: '2026-10-31' });
    expect(before.scope).toEqual({ all: false, teamIds: [], storeIds: ['de-main'], skuIds: ['SKU-9'] });
    const after = await principalForUser(d, 'w', 'carol', { day: '2026-11-01' });
    expect(after.scope).toEqual({ all: false, teamIds: [], storeIds: ['us-main'], skuIds: ['SKU-9'] });
    expect(authorize(after, 'metric.read', { storeId: 'us-main', metricClass: 'margin' }).ok).toBe(true);
    expect(authorize(after, 'metric.read', { storeId: 'us-main', metricClass: 'cost' }).ok).toBe(false);
  });

  it('makes unknown, unenrolled and deactivated people members', async () => {
    expect((await principalForUser(d, 'w', null)).role).toBe('member');
    expect((await principalForUser(d, 'w', 'nobody')).role).toBe('member');
    expect((await principalForUser(d, 'w', 'gone')).role).toBe('member');
  });

  it('honours member_access = none and operator cogs settings', async () => {
    await d.query(sql`update workspaces set settings = '{"member_access":"none","operator_sees_cogs":true}'::jsonb`);
    const m = await principalForUser(d, 'w', null);
    expect(authorize(m, 'metric.read', { metricClass: 'sales' }).ok).toBe(false);
    const carol = await principalForUser(d, 'w', 'carol', { day: '2026-11-20' });
    expect(authorize(carol, 'metric.read', { storeId: 'us-main', metricClass: 'cost' }).ok).toBe(true);
  });

  it('answers a bound group at operator level within the team, an unbound one at member level', async () => {
    const bound = await groupPrincipal(d, 'w', 'amazon-us');
    expect(bound).toMatchObject({ kind: 'group', role: 'operator', operatorSeesCogs: false });
    expect(bound.scope).toEqual({ all: false, teamIds: ['amazon-us'], storeIds: ['us-main'], skuIds: [] });
    expect(authorize(bound, 'metric.read', { storeId: 'us-main', metricClass: 'profit' }).ok).toBe(true);
    expect(authorize(bound, 'metric.read', { storeId: 'us-main', metricClass: 'cost' }).ok).toBe(false);
    expect(authorize(bound, 'metric.read', { storeId: 'de-main', metricClass: 'sales' }).ok).toBe(false);
    const unbound = await groupPrincipal(d, 'w', null);
    expect(authorize(unbound, 'metric.read', { metricClass: 'sales' }).ok).toBe(true);
    expect(authorize(unbound, 'metric.read', { metricClass: 'profit' }).ok).toBe(false);
  });

  it('maps chat identities to users, members or external people', async () => {
    await d.query(sql`insert into chat_identities (platform, tenant_key, platform_user_id, workspace_id, user_id, is_external) values
      ('slack', 'T1', 'U-CAROL', 'w', 'carol', false), ('slack', 'T1', 'U-GUEST', 'w', null, true)`);
    const who = { workspaceId: 'w', platform: 'slack', tenantKey: 'T1' };
    expect((await principalForChatIdentity(d, { ...who, platformUserId: 'U-CAROL' })).role).toBe('operator');
    expect((await principalForChatIdentity(d, { ...who, platformUserId: 'U-NEW' })).role).toBe('member');
    expect((await principalForChatIdentity(d, { ...who, platformUserId: 'U-GUEST' })).kind).toBe('external');
    const flagged = await principalForChatIdentity(d, { ...who, platformUserId: 'U-CAROL', isExternal: true });
    expect(authorize(flagged, 'metric.read', { metricClass: 'sales' })).toMatchObject({ ok: false, code: 'external' });
  });
});

describe.each(ENGINES)('tenant binding on %s', (engine) => {
  let d: Database;
  const config = testConfig();
  beforeAll(async () => {
    d = await openTestDatabase(engine);
  });
  afterAll(async () => d?.close());
  beforeEach(async () => truncateAll(d));

  const ws = (id: string, demo = false) =>
    d.query(sql`insert into workspaces (id, name, timezone, currency, locale, is_demo) values (${id}, ${id}, 'UTC', 'USD', 'en', ${demo})`);

  it('binds a new tenant to the demo while it is the only workspace', async () => {
    await ws('demo', true);
    const r = await resolveTenant(d.db, config, 'slack', 'T1');
    expect(r).toMatchObject({ ok: true, isDemo: true, newlyBound: true, workspace: { id: 'demo' } });
    expect(await resolveTenant(d.db, config, 'slack', 'T1')).toMatchObject({ ok: true, newlyBound: false });
  });

  it('binds to the single real workspace even when the demo exists', async () => {
    await ws('demo', true);
    await ws('acme');
    expect(await resolveTenant(d.db, config, 'feishu', 'tk')).toMatchObject({ ok: true, isDemo: false, workspace: { id: 'acme' } });
  });

  it('refuses unknown tenants when several real workspaces exist, but keeps explicit bindings', async () => {
    await ws('acme');
    await ws('beta');
    const r = await resolveTenant(d.db, config, 'dingtalk', 'corp1');
    expect(r).toMatchObject({ ok: false, reason: 'ambiguous' });
    expect(r.ok ? '' : r.message).toContain('kpibot workspace bind');
    await d.query(sql`insert into platform_tenants (platform, tenant_key, workspace_id) values ('dingtalk', 'corp1', 'beta')`);
    expect(await resolveTenant(d.db, config, 'dingtalk', 'corp1')).toMatchObject({ ok: true, workspace: { id: 'beta' } });
  });

  it('creates a workspace for the first tenant when there is none and the demo is off', async () => {
    const r = await resolveTenant(d.db, testConfig({ DEMO: 'off' }), 'slack', 'T9ABC');
    expect(r).toMatchObject({ ok: true, newlyBound: true, workspace: { id: 'slack-t9abc', timezone: 'Asia/Shanghai' } });
    const [audit] = await d.query<{ n: number }>(sql`select count(*) as n from audit_log`);
    expect(audit!.n).toBe(2);
  });

  it('with no workspace and the demo on, says how to get one', async () => {
    expect(await resolveTenant(d.db, config, 'slack', 'T1')).toMatchObject({ ok: false, reason: 'no_workspace' });
  });
});
