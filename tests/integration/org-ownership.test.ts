/**
 * Effective-dated store ownership: a hand-over on a date closes the current row there (valid_to
 * exclusive) and opens the new owner's row, history kept; `who owns` answers for a past or future
 * day; a hand-over before an existing later one is refused with nothing changed; and a KPI query
 * for last month credits last month's owner, not today's (glossary trap 16).
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import { queryKpi } from '../../src/kpi/query.ts';
import { assignOwner } from '../../src/org/ownership.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, insertWorkspace } from '../helpers/db.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { sayCard, seedDemoOrg } from '../helpers/org-demo.ts';

afterAll(dropCreatedDatabases);

const rowsOf = (d: Database, scope: string) =>
  d.query<{ user_id: string; f: string; t: string | null }>(sql`
    select user_id, valid_from::text as f, valid_to::text as t from ownership
    where workspace_id = 'demo' and scope_type = 'store' and scope_id = ${scope} order by valid_from`);

describe.each(ENGINES)('store ownership in chat on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), seedDemoOrg);

  it('hands a store over on a date and keeps the history; who owns answers for any day', async () => {
    const { app } = await buildTestApp(d);
    const handed = await sayCard(app, '@alice', 'alice', 'store owner store:us-main @frank from 2026-12-01');
    expect(handed.tone).toBe('success');
    expect(handed.fallbackText).toContain('周凯 (@frank)');
    expect(handed.fallbackText).toContain('陈晨 (@carol) 2023-01-01 → 2026-12-01');
    expect(await rowsOf(d, 'us-main')).toEqual([
      { user_id: 'carol', f: '2023-01-01', t: '2026-12-01' },
      { user_id: 'frank', f: '2026-12-01', t: null },
    ]);
    const before = await sayCard(app, '@bob', 'bob', 'who owns store:us-main 2026-11-30');
    expect(before.blocks[0]!.fields!.map((f) => f.value)).toEqual(['us-main', '陈晨 (@carol)']);
    const after = await sayCard(app, '@bob', 'bob', 'who owns store:us-main 2026-12-01');
    expect(after.blocks[0]!.fields!.map((f) => f.value)).toEqual(['us-main', '周凯 (@frank)']);
    // The same hand-over again changes nothing.
    expect((await sayCard(app, '@alice', 'alice', 'store owner store:us-main @frank from 2026-12-01')).title).toBe('Nothing to change');
    expect(await rowsOf(d, 'us-main')).toHaveLength(2);
  });

  it('speaks Chinese: 店铺 负责人 and 谁负责 with a store name and a period word', async () => {
    const { app } = await buildTestApp(d);
    const c = await sayCard(app, '@alice', 'alice', '店铺 负责人 店铺:美国主店 @周凯 从 2026-12-01');
    expect(c.title).toBe('店铺负责人已更新');
    const who = await sayCard(app, '@carol', 'carol', '谁负责 店铺:美国主店 2026-12-05');
    expect(who.title).toBe('谁负责');
    expect(who.blocks[0]!.fields![1]!.value).toBe('周凯 (@frank)');
    // A period: everyone who owned it during November 2026 (Frank only from December 1st).
    const november = await sayCard(app, '@carol', 'carol', '谁负责 店铺:美国主店 2026年11月');
    expect(november.blocks[0]!.fields![1]!.value).toBe('陈晨 (@carol)');
  });

  it('refuses a hand-over dated before a later one, and unknown people or stores, changing nothing', async () => {
    const { app } = await buildTestApp(d);
    await sayCard(app, '@alice', 'alice', 'store owner store:us-main @frank from 2026-12-01');
    const early = await sayCard(app, '@alice', 'alice', 'store owner store:us-main @kate from 2026-11-15');
    expect(early.title).toBe('Not done');
    expect(early.fallbackText).toContain('2026-12-01');
    const nobody = await sayCard(app, '@alice', 'alice', 'store owner store:us-main @nobody from 2027-01-01');
    expect(nobody.title).toBe('Not found');
    const noStore = await sayCard(app, '@alice', 'alice', 'store owner store:us-mian @kate from 2027-01-01');
    expect(noStore.fallbackText).toContain('store:us-main');
    const badDate = await sayCard(app, '@alice', 'alice', 'store owner store:us-main @kate from 2027-02-30');
    expect(badDate.title).toBe('Not understood');
    expect(await rowsOf(d, 'us-main')).toEqual([
      { user_id: 'carol', f: '2023-01-01', t: '2026-12-01' },
      { user_id: 'frank', f: '2026-12-01', t: null },
    ]);
  });
});

describe.each(ENGINES)('KPI by owner follows the ownership of each day on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), async (x) => {
    await insertWorkspace(x, { id: 'w', timezone: 'America/Los_Angeles', currency: 'USD' });
    await x.query(sql`insert into users (workspace_id, id, display_name) values ('w', 'carol', 'Carol'), ('w', 'frank', 'Frank')`);
    await x.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone)
      values ('w', 'us', 'US', 'amazon', 'US', 'USD', 'America/Los_Angeles')`);
    await x.query(sql`insert into ownership (workspace_id, scope_type, scope_id, user_id, share, valid_from) values ('w', 'store', 'us', 'carol', 1, '2026-01-01')`);
    // October: 100 + 40 = 140; November: 70. Nothing else on the rows, so gmv = gross_sales.
    await x.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, order_count,
        gross_sales, tax_amount, promo_fees, refund_amount, units_returned, platform_fees, fulfillment_fees, first_leg_cost, storage_fees, cogs,
        other_costs, sessions, currency, source) values
      ('w', '2026-10-15', 'us', 'A', 'fba', 1, 1, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, 'USD', 'api'),
      ('w', '2026-10-20', 'us', 'A', 'fba', 1, 1, 40, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, 'USD', 'api'),
      ('w', '2026-11-05', 'us', 'A', 'fba', 1, 1, 70, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, 'USD', 'api')`);
  });

  const admin: Principal = { kind: 'system', workspaceId: 'w', role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: false };
  const NOW = new Date('2026-12-10T20:00:00Z');

  it('credits last month to last month’s owner after a hand-over', async () => {
    await assignOwner(d, { workspaceId: 'w', scopeType: 'store', scopeId: 'us', userId: 'frank', from: '2026-11-01', actor: { kind: 'cli' } });
    const october = await queryKpi(d, { workspaceId: 'w', metrics: ['gmv'], period: 'month:2026-10', groupBy: 'owner', principal: admin, now: NOW });
    expect(october.rows).toEqual([{ owner: 'carol', gmv: 140 }]);
    const november = await queryKpi(d, { workspaceId: 'w', metrics: ['gmv'], period: 'month:2026-11', groupBy: 'owner', principal: admin, now: NOW });
    expect(november.rows).toEqual([{ owner: 'frank', gmv: 70 }]);
    const both = await queryKpi(d, { workspaceId: 'w', metrics: ['gmv'], period: 'custom:2026-10-01..2026-11-30', filters: { owner: ['carol'] }, principal: admin, now: NOW });
    expect(both.total.gmv).toBe(140);
  });
});
