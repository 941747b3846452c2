/**
 * Every copy of an alert card, on every chat and platform, follows the alert's state: after a
 * change, each delivery of the alert (engine pushes, `alert list` replies, escalation DMs) gets
 * an in-place update queued through the outbox, in the transaction of the change. A copy whose
 * message is not sent yet is still updated: the worker waits for its message ref.
 */
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Database, Db } from '../../db/client.ts';
import { deliveries, type StoredConversationRef } from '../../db/schema/index.ts';
import { toWire, type Card, type OutboundMessage } from '../../bot/card.ts';
import { tr, type Locale } from '../../bot/language.ts';
import { enqueueDelivery, PRIORITY } from '../../bot/outbox/enqueue.ts';
import { withDemoNote } from '../../bot/reply.ts';
import { normalizeRows, resultRows } from '../../db/normalize.ts';
import { buildAlertCard, type AlertView } from '../card.ts';
import { loadAlertView } from '../view.ts';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * loadAlertView reads through `database.db`; inside a transaction it must read through the
 * transaction (PGlite has one connection: a read outside the open transaction would wait on it).
 */
export function viewIn(tx: Tx, alertId: number): Promise<AlertView | null> {
  return loadAlertView({ db: tx } as unknown as Database, alertId);
}

export const alertSource = (alertId: number) => ({ type: 'alert', id: String(alertId) });

export interface ChatLook {
  locale: Locale;
  isDemo: boolean;
  /** The assignee's platform user id on this chat's platform and tenant, to @-mention natively. */
  assigneeMention?: string;
}

async function lookFor(tx: Tx, workspaceId: string, target: StoredConversationRef, assigneeUserId: string | null): Promise<ChatLook> {
  const rows = normalizeRows<{ locale: string | null; ws_locale: string; is_demo: boolean; mention: string | null }>(
    resultRows(
      await tx.execute(sql`
        select c.locale, w.locale as ws_locale, w.is_demo,
          (select ci.platform_user_id from chat_identities ci where ci.workspace_id = w.id and ci.user_id = ${assigneeUserId}
             and ci.platform = ${target.platform} and (${target.tenantKey ?? null}::text is null or ci.tenant_key = ${target.tenantKey ?? null})
             order by ci.platform_user_id limit 1) as mention
        from workspaces w
        left join chats c on c.workspace_id = w.id and c.platform = ${target.platform} and c.chat_id = ${target.chatId}
          and (${target.tenantKey ?? null}::text is null or c.tenant_key = ${target.tenantKey ?? null})
        where w.id = ${workspaceId} limit 1`),
    ),
  );
  const r = rows[0];
  const locale: Locale = (r?.locale ?? r?.ws_locale) === 'en' ? 'en' : 'zh-CN';
  return { locale, isDemo: r?.is_demo === true, ...(r?.mention ? { assigneeMention: r.mention } : {}) };
}

/** The card as one chat sees it: its language, the demo note, the assignee @-mentioned while live. */
export function cardFor(view: AlertView, look: ChatLook, extra?: (t: (s: { en: string; 'zh-CN': string }) => string) => string): OutboundMessage {
  const t = (s: { en: string; 'zh-CN': string }) => tr(look.locale, s);
  const live = view.status === 'open' || view.status === 'snoozed';
  const mentions = live && look.assigneeMention && !view.mentions.includes(look.assigneeMention) ? [...view.mentions, look.assigneeMention] : view.mentions;
  const built: Card = buildAlertCard({ ...view, mentions }, t);
  const line = extra?.(t);
  const withExtra: Card = line ? { ...built, blocks: [{ type: 'text', markdown: line }, ...built.blocks], fallbackText: `${line}\n${built.fallbackText}` } : built;
  const message: OutboundMessage = { kind: 'card', card: withExtra };
  return look.isDemo ? withDemoNote(message, look.locale) : message;
}

/** Queues an update of every copy of the alert; returns how many. */
export async function refreshAlertCards(tx: Tx, workspaceId: string, alertId: number, assigneeUserId: string | null = null): Promise<number> {
  const view = await viewIn(tx, alertId);
  if (!view) return 0;
  const copies = await tx
    .select({ id: deliveries.id, target: deliveries.target })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.workspaceId, workspaceId),
        eq(deliveries.sourceType, 'alert'),
        eq(deliveries.sourceId, String(alertId)),
        inArray(deliveries.kind, ['push', 'reply']),
        ne(deliveries.state, 'dead'),
      ),
    )
    .orderBy(deliveries.id);
  for (const c of copies) {
    const look = await lookFor(tx, workspaceId, c.target, assigneeUserId);
    await enqueueDelivery(tx, {
      workspaceId,
      target: { ...c.target, tenantKey: c.target.tenantKey ?? '' },
      kind: 'update',
      updateOf: c.id,
      message: toWire(cardFor(view, look), (id) => id),
      priority: PRIORITY.alert,
      source: alertSource(alertId),
    });
  }
  return copies.length;
}

/** A fresh push of the card into every chat that already got this alert (re-notify, wake-up). */
export async function repushAlertCard(tx: Tx, workspaceId: string, alertId: number, assigneeUserId: string | null, note: (t: (s: { en: string; 'zh-CN': string }) => string) => string): Promise<number> {
  const view = await viewIn(tx, alertId);
  if (!view) return 0;
  const rows = normalizeRows<{ target: StoredConversationRef }>(
    resultRows(
      await tx.execute(sql`
        select distinct on (target->>'platform', target->>'tenantKey', target->>'chatId') target from deliveries
        where workspace_id = ${workspaceId} and source_type = 'alert' and source_id = ${String(alertId)}
          and kind = 'push' and target->>'kind' = 'group'
        order by target->>'platform', target->>'tenantKey', target->>'chatId', id`),
    ),
  );
  for (const r of rows) {
    const look = await lookFor(tx, workspaceId, r.target, assigneeUserId);
    await enqueueDelivery(tx, {
      workspaceId,
      target: { ...r.target, tenantKey: r.target.tenantKey ?? '' },
      message: toWire(cardFor(view, look, note), (id) => id),
      priority: view.severity === 'critical' ? PRIORITY.critical : PRIORITY.alert,
      source: alertSource(alertId),
    });
  }
  return rows.length;
}
