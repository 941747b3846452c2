/**
 * The small world of replicas.test.ts: workspace `acme` with two teams in different zones (t1
 * Asia/Shanghai, t2 America/Los_Angeles), one store each in its team's zone, and one Slack
 * channel and one Feishu group per team. Master data and daily sales are rows (what an import
 * would write); the chat bindings' subscriptions and the alert rule are made later through chat
 * commands. Sales are 1000 a day except on LOW days (100), where `gmv < 500` fires.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { addDays } from '../../src/kpi/dates.ts';

export const WS = 'acme';
export const SLACK_TEAM = 'T0001';
export const FEISHU_TENANT = 'tenant-acme';
export const ALICE_SLACK = 'U0ALICE01';
export const ALICE_FEISHU = 'ou_alice00000000000000000000000001';

export interface WorldChat {
  platform: 'slack' | 'feishu';
  chatId: string;
  team: 't1' | 't2';
  timezone: string;
}

export const TEAMS = { t1: { tz: 'Asia/Shanghai', store: 's1' }, t2: { tz: 'America/Los_Angeles', store: 's2' } } as const;

export const CHATS: WorldChat[] = [
  { platform: 'slack', chatId: 'C0T1ASIA01', team: 't1', timezone: TEAMS.t1.tz },
  { platform: 'slack', chatId: 'C0T2LAXX01', team: 't2', timezone: TEAMS.t2.tz },
  { platform: 'feishu', chatId: 'oc_t1asia0000000000000000000000001', team: 't1', timezone: TEAMS.t1.tz },
  { platform: 'feishu', chatId: 'oc_t2laxx0000000000000000000000001', team: 't2', timezone: TEAMS.t2.tz },
];

/**
 * Days (offsets from the simulation's first day, in the store's own calendar) with low sales:
 * never two in a row, so each low day is one alert that opens and resolves a day later. The
 * month's last day is low for s1, so one alert is still open when the month ends.
 */
export function lowDays(days: number): Record<'s1' | 's2', number[]> {
  return { s1: [...[2, 9, 16, 23].filter((i) => i < days - 2), days - 1], s2: [5, 12, 20, 26].filter((i) => i < days - 2) };
}

export async function seedWorld(d: Database, firstDay: string, days: number): Promise<void> {
  await d.query(sql`insert into workspaces (id, name, timezone, currency, locale) values (${WS}, 'Acme', 'Asia/Shanghai', 'USD', 'en')`);
  await d.query(sql`insert into teams (workspace_id, id, name, timezone) values (${WS}, 't1', 'Team Asia', ${TEAMS.t1.tz}), (${WS}, 't2', 'Team LA', ${TEAMS.t2.tz})`);
  await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone, team_id, opened_on) values
    (${WS}, 's1', 'Store Asia', 'amazon', 'JP', 'USD', ${TEAMS.t1.tz}, 't1', '2024-01-01'),
    (${WS}, 's2', 'Store LA', 'amazon', 'US', 'USD', ${TEAMS.t2.tz}, 't2', '2024-01-01')`);
  await d.query(sql`insert into skus (workspace_id, id, store_id, name, launch_date, lead_time_days) values
    (${WS}, 'K1', 's1', 'Kettle', '2024-01-01', 30), (${WS}, 'K2', 's2', 'Pan', '2024-01-01', 30)`);
  await d.query(sql`insert into users (workspace_id, id, display_name) values (${WS}, 'alice', 'Alice'), (${WS}, 'bob', 'Bob'), (${WS}, 'erin', 'Erin')`);
  await d.query(sql`insert into role_assignments (workspace_id, user_id, role, team_id) values
    (${WS}, 'alice', 'admin', null), (${WS}, 'bob', 'manager', 't1'), (${WS}, 'erin', 'manager', 't2')`);
  await d.query(sql`insert into platform_tenants (platform, tenant_key, workspace_id, name, bound_by) values
    ('slack', ${SLACK_TEAM}, ${WS}, 'Acme Slack', 'cli'), ('feishu', ${FEISHU_TENANT}, ${WS}, 'Acme Feishu', 'cli')`);
  await d.query(sql`insert into chat_identities (platform, tenant_key, platform_user_id, workspace_id, user_id, display_name) values
    ('slack', ${SLACK_TEAM}, ${ALICE_SLACK}, ${WS}, 'alice', 'Alice'), ('feishu', ${FEISHU_TENANT}, ${ALICE_FEISHU}, ${WS}, 'alice', 'Alice')`);
  for (const c of CHATS) {
    const tenant = c.platform === 'slack' ? SLACK_TEAM : FEISHU_TENANT;
    await d.query(sql`insert into chats (platform, tenant_key, chat_id, workspace_id, kind, team_id, title, locale)
      values (${c.platform}, ${tenant}, ${c.chatId}, ${WS}, 'group', ${c.team}, ${`${c.team}-${c.platform}`}, 'en')`);
  }
  // 60 days of history before the month, the month itself, and a day after it.
  const rows: string[] = [];
  for (const store of ['s1', 's2'] as const) {
    for (let i = -60; i <= days; i++) {
      const day = addDays(firstDay, i);
      const low = lowDays(days)[store].includes(i);
      rows.push(`('${WS}', '${day}', '${store}', '${store === 's1' ? 'K1' : 'K2'}', 'fba', ${low ? 5 : 50}, ${low ? 5 : 50}, ${low ? 100 : 1000}, 'USD', 'api')`);
    }
  }
  await d.query(sql.raw(`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, order_count, gross_sales, currency, source) values ${rows.join(', ')}`));
}
