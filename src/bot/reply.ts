/**
 * Interactive replies and DMs: sent directly through the adapter and recorded as `sent`
 * deliveries (so later updates can find them); one that hits a rate limit or a transient error
 * is handed to the outbox instead, which does all retrying. Demo workspaces get a "demo data"
 * note. A DM goes to `user:<platform user id>` (see ports.ts): the adapter finds the chat.
 */
import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '../db/client.ts';
import { deliveries } from '../db/schema/index.ts';
import { toWire, type OutboundMessage } from './card.ts';
import { isAdapterError } from './errors.ts';
import type { ConversationRef, InboundEvent, MessageRef } from './events.ts';
import { imageUrl, storeCardImages } from './images.ts';
import { enqueueDelivery, PRIORITY, recordSentReply } from './outbox/enqueue.ts';
import type { ChatAdapter } from './ports.ts';
import type { Locale } from './language.ts';

export const DEMO_NOTE: Record<Locale, string> = {
  'zh-CN': '演示数据 · 连接真实数据后此提示消失',
  en: 'Demo data · this note goes away once real data is connected',
};

export function withDemoNote(message: OutboundMessage, locale: Locale): OutboundMessage {
  if (message.kind === 'text') return { kind: 'text', markdown: `${message.markdown}\n\n_${DEMO_NOTE[locale]}_` };
  return { kind: 'card', card: { ...message.card, blocks: [...message.card.blocks, { type: 'note', text: DEMO_NOTE[locale] }] } };
}

export interface ReplyDeps {
  database: Database;
  adapter: ChatAdapter;
  publicUrl: string;
  logger: Logger;
  wakeOutbox?: () => void;
}

type WorkspaceRef = { id: string; isDemo: boolean };

/** The DM with a user, by the convention documented in ports.ts (`user:<platform user id>`). */
export function directTo(from: ConversationRef, platformUserId: string): ConversationRef {
  return { platform: from.platform, tenantKey: from.tenantKey, chatId: `user:${platformUserId}`, kind: 'direct' };
}

/** What went out: the platform's ref (to edit it later) and our delivery row. */
export interface Sent {
  ref: MessageRef;
  deliveryId: number;
}

async function prepare(deps: ReplyDeps, workspace: WorkspaceRef, locale: Locale, message: OutboundMessage) {
  const decorated = workspace.isDemo ? withDemoNote(message, locale) : message;
  const stored = await storeCardImages(deps.database, decorated, workspace.id);
  return { stored, wire: toWire(stored, (id) => imageUrl(deps.publicUrl, id)) };
}

/** Sends through `send` (reply or a DM); a retryable failure becomes an outbox push. */
async function deliver(
  deps: ReplyDeps,
  workspace: WorkspaceRef,
  target: ConversationRef,
  locale: Locale,
  message: OutboundMessage,
  send: (m: OutboundMessage) => Promise<MessageRef | undefined>,
): Promise<Sent | undefined> {
  const { stored, wire } = await prepare(deps, workspace, locale, message);
  try {
    const ref = await send(stored);
    if (!ref) return undefined;
    const deliveryId = await recordSentReply(deps.database.db, { workspaceId: workspace.id, platform: target.platform, target, message: wire, ref });
    return { ref, deliveryId };
  } catch (err) {
    if (!isAdapterError(err) || !err.retryable) throw err;
    deps.logger.info({ code: err.code, platform: target.platform }, 'reply deferred to the outbox');
    await enqueueDelivery(deps.database.db, { workspaceId: workspace.id, target, message: wire, priority: PRIORITY.alert });
    deps.wakeOutbox?.();
    return undefined;
  }
}

export async function sendReply(
  deps: ReplyDeps,
  event: InboundEvent,
  workspace: WorkspaceRef,
  locale: Locale,
  message: OutboundMessage,
): Promise<Sent | undefined> {
  return deliver(deps, workspace, event.conversation, locale, message, (m) => deps.adapter.reply(event, m));
}

/** A DM to the person behind `event` (the restricted part of a group answer). */
export async function sendDirect(
  deps: ReplyDeps,
  event: InboundEvent,
  workspace: WorkspaceRef,
  locale: Locale,
  message: OutboundMessage,
): Promise<Sent | undefined> {
  const target = directTo(event.conversation, event.user.id);
  return deliver(deps, workspace, target, locale, message, (m) => deps.adapter.send(target, m));
}

/**
 * Replaces a message sent earlier ("working on it" → the answer). The recorded delivery gets
 * the new payload too, so a later update of that message starts from what people see.
 */
export async function updateSent(
  deps: ReplyDeps,
  workspace: WorkspaceRef,
  locale: Locale,
  sent: Sent,
  message: OutboundMessage,
): Promise<void> {
  const { stored, wire } = await prepare(deps, workspace, locale, message);
  await deps.adapter.update(sent.ref, stored);
  await deps.database.db.update(deliveries).set({ payload: wire }).where(eq(deliveries.id, sent.deliveryId));
}
