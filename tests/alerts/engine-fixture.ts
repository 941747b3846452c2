/**
 * A hand-made workspace for the alert engine tests. All in UTC; NOW = 2026-11-10 12:00 UTC, so
 * every store's last complete day is 11-09 and `last_7d` is 11-03 … 11-09.
 *
 * Team t1 has one bound console group chat g1. alice is admin, carol owns store `us`.
 * Store `us` (Amazon, open since 2024, mature) — ads per day on 11-03 … 11-09:
 *   A1 (mature SKU)         spend 35, sales 100, clicks 10 → acos 245 / 700 = 35 %
 *   A2 (launched 10-01: new) spend 45, sales 100, clicks 10 → acos 315 / 700 = 45 %
 *   A3 (mature)              spend 5,  sales 10,  clicks 1  → acos 35 / 70 = 50 %, 7 clicks in 7 d
 * Store `sg` (Shopee): S1 spend 10, sales 20 a day → roas 140 / 70 = 2.
 * Stage-aware target (workspace mature acos target 25 %): A1 mature 25 % × 1.2 = 30 % → fires;
 * A2 new 25 % × 1.6 = 40 % × 1.2 = 48 % → clear; A3 fires on value but has 7 < 30 clicks.
 * sg ROAS target 1 / 25 % = 4, ÷ 1.2 = 3.33 → roas 2 fires.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { alertRules } from '../../src/db/schema/index.ts';
import type { RuleRow } from '../../src/alerts/evaluate/types.ts';
import { addDays } from '../../src/kpi/dates.ts';

export const NOW = new Date('2026-11-10T12:00:00Z');

export async function seedEngine(d: Database): Promise<void> {
  await d.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('w', 'W', 'UTC', 'USD', 'en')`);
  await d.query(sql`insert into teams (workspace_id, id, name, timezone) values ('w', 't1', 'T1', 'UTC')`);
  await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone, team_id, opened_on) values
    ('w', 'us', 'US Main', 'amazon', 'US', 'USD', 'UTC', 't1', '2024-01-01'),
    ('w', 'sg', 'Shopee SG', 'shopee', 'SG', 'USD', 'UTC', 't1', '2024-01-01')`);
  await d.query(sql`insert into users (workspace_id, id, display_name) values ('w', 'alice', 'Alice'), ('w', 'carol', 'Carol')`);
  await d.query(sql`insert into role_assignments (workspace_id, user_id, role) values ('w', 'alice', 'admin')`);
  await d.query(sql`insert into chat_identities (platform, tenant_key, platform_user_id, workspace_id, user_id) values
    ('console', 'local', 'alice', 'w', 'alice'), ('console', 'local', 'carol', 'w', 'carol')`);
  await d.query(sql`insert into chats (platform, tenant_key, chat_id, workspace_id, kind, team_id) values ('console', 'local', 'g1', 'w', 'group', 't1')`);
  await d.query(sql`insert into ownership (workspace_id, scope_type, scope_id, user_id, valid_from) values ('w', 'store', 'us', 'carol', '2024-01-01')`);
  await d.query(sql`insert into skus (workspace_id, id, store_id, name, launch_date, lead_time_days) values
    ('w', 'A1', 'us', 'Kettle', '2024-01-01', 30), ('w', 'A2', 'us', 'Pan', '2026-10-01', 30), ('w', 'A3', 'us', 'Lid', '2024-01-01', 30),
    ('w', 'S1', 'sg', 'Fan', '2024-01-01', 30)`);
  const ads: string[] = [];
  for (let day = '2026-11-03'; day <= '2026-11-09'; day = addDays(day, 1)) {
    ads.push(`('w', '${day}', 'us', 'amazon', 'c1', 'g1', 'A1', 10, 35, 100, 'USD', 'api')`);
    ads.push(`('w', '${day}', 'us', 'amazon', 'c1', 'g1', 'A2', 10, 45, 100, 'USD', 'api')`);
    ads.push(`('w', '${day}', 'us', 'amazon', 'c1', 'g1', 'A3', 1, 5, 10, 'USD', 'api')`);
    ads.push(`('w', '${day}', 'sg', 'shopee', 'c2', 'g2', 'S1', 10, 10, 20, 'USD', 'api')`);
  }
  await d.query(sql.raw(`insert into fact_ads_daily (workspace_id, date, store_id, ad_platform, campaign_id, ad_group_id, sku_id, clicks, spend, attributed_sales, currency, source) values ${ads.join(', ')}`));
}

export type NewRule = Partial<Omit<RuleRow, 'id'>> & Pick<RuleRow, 'type'>;

export async function insertRule(d: Database, r: NewRule): Promise<RuleRow> {
  const [row] = await d.db
    .insert(alertRules)
    .values({ workspaceId: 'w', windowDays: 7, severity: 'warning', quietHours: true, ...r })
    .returning();
  return row!;
}

/** The stage-aware ACoS rule of the fixture: per SKU, 1.2 × target, at least 30 clicks. */
export const ACOS_RULE: NewRule = { type: 'threshold', name: 'ACoS', metricId: 'acos', condition: { op: '>', value: 1.2, of: 'target', min: { metric: 'clicks', value: 30 } }, scope: { per: 'sku' } };
export const ROAS_RULE: NewRule = { type: 'threshold', name: 'ROAS', metricId: 'roas', condition: { op: '<', value: 1 / 1.2, of: 'target' }, scope: { per: 'store' } };

export async function deliveriesOf(d: Database, alertId: number) {
  return d.query<{ id: number; kind: string; target: { kind: string; chatId: string }; next_attempt_at: string | Date | null; payload: { card: { title: string; mentions?: string[]; blocks: { type: string }[] } } }>(sql`
    select id, kind, target, next_attempt_at, payload from deliveries where source_type = 'alert' and source_id = ${String(alertId)} order by id`);
}

export async function liveAlerts(d: Database) {
  return d.query<{ id: number; rule_id: number; scope_key: string; status: string; severity: string; value: string | null; threshold: string | null; details: Record<string, unknown> }>(sql`
    select id, rule_id, scope_key, status, severity, value, threshold, details from alerts order by id`);
}
