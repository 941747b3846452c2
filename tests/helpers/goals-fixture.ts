/**
 * The demo organisation (its teams, people, roles, store ownership, console chats and stores) in
 * a test database, without the demo's facts, so goal tests add exactly the few fact rows their
 * hand-computed expectations need. Also principals for the demo roles and a fact writer.
 */
import { sql } from 'drizzle-orm';
import { principalForUser } from '../../src/access/principal.ts';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import { insertRows } from '../../src/demo/bulk-insert.ts';
import { orgRows } from '../../src/demo/org.ts';
import { storeRows } from '../../src/demo/stores.ts';
import type { GoalDeps } from '../../src/goals/deps.ts';

export const WS = 'demo';

export async function seedGoalOrg(d: Database): Promise<void> {
  await d.query(sql`insert into workspaces (id, name, timezone, currency, locale, is_demo)
    values (${WS}, '演示 Demo', 'Asia/Shanghai', 'CNY', 'zh-CN', true)`);
  const org = orgRows(WS);
  for (const table of ['marketplaces', 'teams', 'users', 'role_assignments', 'platform_tenants', 'chats', 'chat_identities']) {
    await insertRows(d.db, table, org[table]!);
  }
  await insertRows(d.db, 'stores', storeRows(WS));
  // Store ownership only (campaign rows are not needed here).
  await insertRows(d.db, 'ownership', org.ownership!.filter((o) => o.scope_type === 'store'));
}

/** A demo person as the goal services see them on `day`; `zoe` is a member (never enrolled). */
export function who(d: Database, userId: string, day = '2026-06-15'): Promise<Principal> {
  return principalForUser(d, WS, userId, { day });
}

/** Daily gross sales of one store: `[date, amount]` in the store's currency. */
export async function sales(d: Database, store: string, currency: string, days: [string, number][]): Promise<void> {
  await insertRows(d.db, 'fact_sales_daily', days.map(([date, gross]) => ({
    workspace_id: WS, date, store_id: store, sku_id: `${store}-sku`, fulfillment_channel: 'fba', units_ordered: 1, order_count: 1,
    gross_sales: gross.toFixed(2), currency, source: 'api',
  })));
}

/** Days from `from` for `n` days. */
export function days(from: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));
}

export function deps(d: Database, now: string): GoalDeps {
  return { database: d, now: () => new Date(now) };
}

export async function auditActions(d: Database, goalId?: number): Promise<{ action: string; actor_id: string | null; reason: string | null; before: unknown; after: unknown }[]> {
  return d.query(sql`select action, actor_id, reason, before, after from audit_log
    where entity = 'goal' ${goalId === undefined ? sql`` : sql`and entity_id = ${String(goalId)}`} order by id`);
}

/** Deliveries queued for a user's DM (`user:<id>` on the console). */
export async function dmsTo(d: Database, userId: string): Promise<{ source_type: string | null; title: string | null }[]> {
  return d.query(sql`select source_type, payload->'card'->>'title' as title from deliveries
    where target->>'chatId' = ${`user:${userId}`} and kind = 'push' order by id`);
}
