/**
 * Interactive replies: sent directly through the adapter and recorded as `sent` deliveries (so
 * later updates can find them); a reply that hits a rate limit or a transient error is handed
 * to the outbox instead, which does all retrying. Demo workspaces get a "demo data" note.
 */
import type { Logger } from 'pino';
import type { Database } from '../db/client.ts';
import { toWire, type OutboundMessage } from './card.ts';
import { isAdapterError } from './errors.ts';
import type { InboundEvent } from './events.ts';
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

export async function sendReply(
  deps: ReplyDeps,
  event: InboundEvent,
  workspace: { id: string; isDemo: boolean },
  locale: Locale,
  message: OutboundMessage,
): Promise<void> {
  const decorated = workspace.isDemo ? withDemoNote(message, locale) : message;
  const stored = await storeCardImages(deps.database, decorated, workspace.id);
  const wire = toWire(stored, (id) => imageUrl(deps.publicUrl, id));
  try {
    const ref = await deps.adapter.reply(event, stored);
    if (ref) {
      await recordSentReply(deps.database.db, {
        workspaceId: workspace.id,
        platform: event.platform,
        target: event.conversation,
        message: wire,
        ref,
      });
    }
  } catch (err) {
    if (!isAdapterError(err) || !err.retryable) throw err;
    deps.logger.info({ code: err.code, platform: event.platform }, 'reply deferred to the outbox');
    await enqueueDelivery(deps.database.db, {
      workspaceId: workspace.id,
      target: event.conversation,
      message: wire,
      priority: PRIORITY.alert,
    });
    deps.wakeOutbox?.();
  }
}
