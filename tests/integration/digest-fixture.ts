/**
 * A small workspace for digest tests, every number chosen so the expected card can be worked out
 * by hand. Both stores sell in USD (the workspace currency), so no FX enters the arithmetic.
 * At NOW (Monday 23 Nov 2026, 09:00 Shanghai) the US store's last complete day is 21 Nov (Los
 * Angeles is still on the 22nd) and the CN store's is 22 Nov.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';

export const NOW = new Date('2026-11-23T01:00:00Z');

export async function seedDigestWorkspace(d: Database, o: { withFacts?: boolean; withGoal?: boolean } = {}): Promise<void> {
  await d.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('w', 'W 公司', 'Asia/Shanghai', 'USD', 'zh-CN')`);
  await d.query(sql`insert into platform_tenants (platform, tenant_key, workspace_id) values ('console', 'console', 'w')`);
  await d.query(sql`insert into marketplaces (workspace_id, code, name, name_en, region, default_timezone, currency) values
    ('w', 'US', '美国站', 'US', '北美', 'America/Los_Angeles', 'USD'), ('w', 'CN', '中国站', 'China', '中国', 'Asia/Shanghai', 'USD')`);
  await d.query(sql`insert into teams (workspace_id, id, name, name_en, timezone, working_hours, holiday_calendar) values
    ('w', 'amz', '亚马逊组', 'Amazon team', 'Asia/Shanghai', ${JSON.stringify({ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' })}::jsonb, 'CN')`);
  await d.query(sql`insert into users (workspace_id, id, display_name, name_en, team_id, timezone, locale) values
    ('w', 'bob', '李强', 'Bob', 'amz', 'Asia/Shanghai', 'zh-CN'), ('w', 'carol', '陈晨', 'Carol', 'amz', 'America/New_York', 'en')`);
  await d.query(sql`insert into role_assignments (workspace_id, user_id, role, team_id) values ('w', 'bob', 'manager', 'amz'), ('w', 'carol', 'operator', null)`);
  await d.query(sql`insert into chat_identities (platform, tenant_key, platform_user_id, workspace_id, user_id, display_name) values
    ('console', 'console', 'bob', 'w', 'bob', '李强'), ('console', 'console', 'carol', 'w', 'carol', '陈晨')`);
  await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, region, currency, timezone, team_id) values
    ('w', 'us', 'US Store', 'amazon', 'US', '北美', 'USD', 'America/Los_Angeles', 'amz'),
    ('w', 'cn', 'CN Store', 'amazon', 'CN', '中国', 'USD', 'Asia/Shanghai', 'amz')`);
  await d.query(sql`insert into chats (platform, tenant_key, chat_id, workspace_id, kind, team_id, title) values
    ('console', 'console', 'g1', 'w', 'group', 'amz', '亚马逊组'), ('console', 'console', 'open', 'w', 'group', null, 'All')`);
  if (o.withFacts === false) return;
  // GMV by store-day; us 11-22 is not a complete US day at NOW and must not count as "yesterday".
  await d.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, order_count,
      gross_sales, tax_amount, promo_fees, refund_amount, units_returned, platform_fees, fulfillment_fees, first_leg_cost, storage_fees, cogs,
      other_costs, sessions, currency, source) values
    ('w', '2026-11-01', 'us', 'A', 'fba', 1, 1, 50, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, 10, 'USD', 'api'),
    ('w', '2026-11-14', 'us', 'A', 'fba', 2, 2, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, 20, 'USD', 'api'),
    ('w', '2026-11-21', 'us', 'A', 'fba', 3, 3, 150, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, 30, 'USD', 'api'),
    ('w', '2026-11-22', 'us', 'A', 'fba', 9, 9, 999, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, 90, 'USD', 'api'),
    ('w', '2026-11-15', 'cn', 'B', 'fba', 1, 1, 80, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, 40, 'USD', 'api'),
    ('w', '2026-11-22', 'cn', 'B', 'fba', 2, 2, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, 50, 'USD', 'api')`);
  await d.query(sql`insert into fact_service_daily (workspace_id, date, store_id, orders_distinct, source) values
    ('w', '2026-11-01', 'us', 1, 'api'), ('w', '2026-11-14', 'us', 2, 'api'), ('w', '2026-11-21', 'us', 3, 'api'),
    ('w', '2026-11-22', 'us', 9, 'api'), ('w', '2026-11-15', 'cn', 1, 'api'), ('w', '2026-11-22', 'cn', 2, 'api')`);
  if (o.withGoal === false) return;
  // Team GMV goal for November: 1,000.
  await d.query(sql`insert into goals (workspace_id, metric_id, scope_level, scope_id, owner_user_id, period_id, period_start, period_end,
      target, currency, status, created_by) values
    ('w', 'gmv', 'team', 'amz', 'bob', 'month:2026-11', '2026-11-01', '2026-11-30', 1000, 'USD', 'active', 'bob')`);
}
