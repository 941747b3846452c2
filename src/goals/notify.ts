/**
 * Notices to people about goals (assigned, changed, a proposal to decide, a decision, a RAG
 * transition) as DM cards through the outbox, written in the transaction of the change so a
 * committed change always notifies and a rolled-back one never does. A person is reached on
 * every chat platform they have an identity on, at `user:<platform user id>` (the DM convention
 * of src/bot/ports.ts), in their own language.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { toWire, type OutboundMessage } from '../bot/card.ts';
import type { ConversationRef, Platform } from '../bot/events.ts';
import { enqueueDelivery, PRIORITY } from '../bot/outbox/enqueue.ts';
import { normalizeRows, resultRows } from '../db/normalize.ts';

type Locale = 'zh-CN' | 'en';
type Tx = Pick<Db, 'insert' | 'execute'>;

export interface Notice {
  workspaceId: string;
  userId: string;
  message: (locale: Locale) => OutboundMessage;
  source: { type: string; id: string };
  priority?: number;
  /** Stops a retried request from notifying twice. */
  idempotencyKey?: string;
}

async function recipients(tx: Tx, workspaceId: string, userId: string) {
  return normalizeRows<{ platform: Platform; tenant_key: string; platform_user_id: string; locale: string | null; ws_locale: string }>(
    resultRows(
      await tx.execute(sql`
        select ci.platform, ci.tenant_key, ci.platform_user_id, u.locale, w.locale as ws_locale
        from chat_identities ci
        join users u on u.workspace_id = ci.workspace_id and u.id = ci.user_id
        join workspaces w on w.id = ci.workspace_id
        where ci.workspace_id = ${workspaceId} and ci.user_id = ${userId} and u.active and not ci.is_external
        order by ci.platform, ci.tenant_key`),
    ),
  );
}

/** Enqueues the notice for each of the user's chat identities; returns how many were queued. */
export async function notifyUser(tx: Tx, n: Notice): Promise<number> {
  const list = await recipients(tx, n.workspaceId, n.userId);
  for (const r of list) {
    const locale: Locale = (r.locale ?? r.ws_locale) === 'en' ? 'en' : 'zh-CN';
    const target: ConversationRef = { platform: r.platform, tenantKey: r.tenant_key, kind: 'direct', chatId: `user:${r.platform_user_id}` };
    // Goal notices carry no images, so the wire form needs no image URLs.
    const wire = toWire(n.message(locale), (id) => id);
    await enqueueDelivery(tx, {
      workspaceId: n.workspaceId,
      target,
      message: wire,
      priority: n.priority ?? PRIORITY.notice,
      source: n.source,
      ...(n.idempotencyKey ? { idempotencyKey: `${n.idempotencyKey}:${r.platform}:${r.platform_user_id}` } : {}),
    });
  }
  return list.length;
}
