/**
 * Sends one alert's card to its targets through the outbox, inside the caller's transaction (a
 * rolled-back evaluation never notifies). Every delivery carries `source: alert/<id>` so the
 * lifecycle finds every copy to update. Quiet hours hold a non-critical card until they end
 * (`notBefore`); past the per-chat daily cap a non-critical card is not sent but recorded as
 * overflow, which the chat's next digest lists.
 */
import { sql } from 'drizzle-orm';
import { toWire } from '../../bot/card.ts';
import { enqueueDelivery, PRIORITY } from '../../bot/outbox/enqueue.ts';
import type { Db } from '../../db/client.ts';
import { normalizeRows, resultRows } from '../../db/normalize.ts';
import { alertSends, type AlertSeverity } from '../../db/schema/index.ts';
import { alertSource, cardFor, viewIn, type Tx } from '../lifecycle/cards.ts';
import { localParts, quietUntil } from './quiet.ts';
import { mentionIds, targetsFor, type RouteInput } from './targets.ts';

/** Alert cards per chat per local day before the rest waits for the digest (critical ones always go). */
export const DAILY_CAP = 10;

export interface SendInput extends RouteInput {
  alertId: number;
  severity: AlertSeverity;
  quietHours: boolean;
  now: Date;
}

export interface SendResult {
  sent: number;
  held: number;
  overflow: number;
}

async function sentToday(tx: Pick<Db, 'execute'>, workspaceId: string, platform: string, tenantKey: string, chatId: string, day: string): Promise<number> {
  const [r] = normalizeRows<{ n: number }>(resultRows(await tx.execute(sql`
    select count(*)::int as n from alert_sends where workspace_id = ${workspaceId} and platform = ${platform}
      and tenant_key = ${tenantKey} and chat_id = ${chatId} and day = ${day}::date and status = 'sent'`)));
  return Number(r?.n ?? 0);
}

export async function sendAlert(tx: Tx, s: SendInput): Promise<SendResult> {
  const result: SendResult = { sent: 0, held: 0, overflow: 0 };
  const view = await viewIn(tx, s.alertId);
  if (!view) return result;
  const [ws] = normalizeRows<{ is_demo: boolean }>(resultRows(await tx.execute(sql`select is_demo from workspaces where id = ${s.workspaceId}`)));
  const targets = await targetsFor(tx, s);
  const critical = s.severity === 'critical';
  for (const t of targets) {
    const c = t.conversation;
    const tenantKey = c.tenantKey ?? '';
    const notBefore = s.quietHours && !critical ? quietUntil(s.now, t.timezone) : null;
    const day = localParts(notBefore ?? s.now, t.timezone).day;
    if (!critical && (await sentToday(tx, s.workspaceId, c.platform, tenantKey, c.chatId, day)) >= DAILY_CAP) {
      await tx.insert(alertSends).values({ workspaceId: s.workspaceId, alertId: s.alertId, platform: c.platform, tenantKey, chatId: c.chatId, day, status: 'overflow', createdAt: s.now });
      result.overflow++;
      continue;
    }
    const mentions = c.kind === 'group' ? await mentionIds(tx, s.workspaceId, s.ownerUserIds, c) : [];
    const message = cardFor({ ...view, mentions }, { locale: t.locale, isDemo: ws?.is_demo === true });
    const deliveryId = await enqueueDelivery(tx, {
      workspaceId: s.workspaceId,
      target: c,
      message: toWire(message, (id) => id),
      priority: critical ? PRIORITY.critical : PRIORITY.alert,
      source: alertSource(s.alertId),
      ...(notBefore ? { notBefore } : {}),
    });
    await tx.insert(alertSends).values({ workspaceId: s.workspaceId, alertId: s.alertId, platform: c.platform, tenantKey, chatId: c.chatId, day, status: 'sent', deliveryId, createdAt: s.now });
    if (notBefore) result.held++;
    else result.sent++;
  }
  await tx.execute(sql`update alerts set last_notified_at = ${s.now.toISOString()}::timestamptz, last_notified_severity = ${s.severity}, updated_at = ${s.now.toISOString()}::timestamptz where id = ${s.alertId}`);
  return result;
}
