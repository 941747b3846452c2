/**
 * Alert rows and their delivered cards for the lifecycle tests, on the demo organisation
 * (seedGoalOrg: team amazon-us works Mon–Fri 09:00–18:30 Asia/Shanghai on the `CN` calendar;
 * bob manages it, carol operates in it).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { WS } from '../helpers/goals-fixture.ts';

export async function seedAlert(
  d: Database,
  o: { title?: string; status?: string; severity?: string; openedAt: string; teamId?: string | null; scopeKey?: string; lastNotifiedAt?: string },
): Promise<number> {
  const [row] = await d.query<{ id: number }>(sql`
    insert into alerts (workspace_id, type, metric_id, scope_key, team_id, status, severity, title, details, value, threshold, opened_at, last_notified_at, resolved_at)
    values (${WS}, 'threshold', 'acos', ${o.scopeKey ?? 'store:us-main'}, ${o.teamId === undefined ? 'amazon-us' : o.teamId}, ${o.status ?? 'open'},
      ${o.severity ?? 'warning'}, ${o.title ?? 'ACoS above target · us-main'}, ${JSON.stringify({ reason: 'ACoS 41 % > 30 %', timeZone: 'Asia/Shanghai' })}::jsonb,
      0.41, 0.30, ${o.openedAt}, ${o.lastNotifiedAt ?? o.openedAt}, ${o.status === 'resolved' ? o.openedAt : null})
    returning id`);
  return Number(row!.id);
}

/** A sent copy of the alert's card in a chat (as the engine's push leaves it). */
export async function seedCopy(d: Database, alertId: number, chat: { platform: string; chatId: string; tenantKey: string; messageId: string }): Promise<number> {
  const target = { platform: chat.platform, tenantKey: chat.tenantKey, chatId: chat.chatId, kind: 'group' };
  const ref = { platform: chat.platform, chatId: chat.chatId, messageId: chat.messageId };
  const [row] = await d.query<{ id: number }>(sql`
    insert into deliveries (workspace_id, platform, kind, target, payload, message_ref, state, source_type, source_id, sent_at)
    values (${WS}, ${chat.platform}, 'push', ${JSON.stringify(target)}::jsonb, ${JSON.stringify({ kind: 'text', markdown: 'alert' })}::jsonb,
      ${JSON.stringify(ref)}::jsonb, 'sent', 'alert', ${String(alertId)}, now())
    returning id`);
  return Number(row!.id);
}

export async function updatesOf(d: Database, alertId: number): Promise<{ update_of: number; fallback: string; chat: string }[]> {
  return d.query(sql`select update_of, payload->'card'->>'fallbackText' as fallback, target->>'chatId' as chat from deliveries
    where source_type = 'alert' and source_id = ${String(alertId)} and kind = 'update' order by update_of, id`);
}

export async function pushesOf(d: Database, alertId: number): Promise<{ chat: string; fallback: string }[]> {
  return d.query(sql`select target->>'chatId' as chat, payload->'card'->>'fallbackText' as fallback from deliveries
    where source_type = 'alert' and source_id = ${String(alertId)} and kind = 'push' and state = 'pending' and target->>'kind' = 'group' order by id`);
}
