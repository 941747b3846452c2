/**
 * The console "platform": messages are rows of `console_messages`, read by the web page through
 * `GET /console/api/messages?after=<seq>`. Sending inserts, updating rewrites the row (and the
 * UPDATE trigger draws a new seq, so pollers see the edit). Same port as the real platforms.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { toWire, type OutboundMessage } from '../../bot/card.ts';
import { AdapterError } from '../../bot/errors.ts';
import type { ConversationRef, InboundEvent, MessageRef } from '../../bot/events.ts';
import { imageUrl } from '../../bot/images.ts';
import type { AdapterCapabilities, ChatAdapter, SendOptions } from '../../bot/ports.ts';

export const CONSOLE_TENANT = 'console';

/** The page shows long texts fine; this only stops a runaway message from bloating the table. */
export const CONSOLE_MAX_TEXT = 20_000;

export const CONSOLE_CAPABILITIES: AdapterCapabilities = {
  buttons: true,
  inlineImages: true,
  updateInPlace: true,
  ephemeral: false,
  // The idempotency key becomes the row id, so a retried send cannot insert twice.
  idempotentSends: true,
  maxTextLength: CONSOLE_MAX_TEXT,
  maxButtons: 10,
};

/** The DM with a user (`user:dave`, ports.ts) is the console chat `@dave`. */
export function consoleChatId(to: ConversationRef): string {
  return to.kind === 'direct' && to.chatId.startsWith('user:') ? `@${to.chatId.slice('user:'.length)}` : to.chatId;
}

export function newMessageId(): string {
  return `m_${randomBytes(9).toString('base64url')}`;
}

export function createConsoleAdapter(deps: { database: Database; publicUrl: string }): ChatAdapter {
  const { database } = deps;
  // Only the console page, served from this very origin, shows these rows: a path is always right,
  // whereas PUBLIC_URL's default (`http://localhost:<PORT>`) is wrong on PORT=0, behind a proxy or
  // a Docker port mapping, and the chart never loads.
  const wire = (m: OutboundMessage) => toWire(m, (id) => imageUrl('', id));
  const columns = (m: OutboundMessage) => {
    const w = wire(m);
    return w.kind === 'text'
      ? { text: w.markdown.slice(0, CONSOLE_MAX_TEXT), card: null }
      : { text: null, card: JSON.stringify(w.card) };
  };

  async function send(to: ConversationRef, message: OutboundMessage, opts: SendOptions = {}): Promise<MessageRef> {
    const id = opts.idempotencyKey ? `m_${opts.idempotencyKey}`.slice(0, 120) : newMessageId();
    const c = columns(message);
    const chatId = consoleChatId(to);
    await database.query(sql`
      insert into console_messages (id, workspace_id, chat_id, text, card)
      values (${id}, (select workspace_id from chats where platform = 'console' and tenant_key = ${CONSOLE_TENANT}
                      and chat_id = ${chatId}), ${chatId}, ${c.text}, ${c.card}::jsonb)
      on conflict (id) do nothing`);
    return { platform: 'console', chatId, messageId: id };
  }

  return {
    platform: 'console',
    capabilities: CONSOLE_CAPABILITIES,
    send,
    async reply(to: InboundEvent, message: OutboundMessage) {
      return send(to.conversation, message);
    },
    async update(ref: MessageRef, message: OutboundMessage) {
      const c = columns(message);
      const rows = await database.query(sql`
        update console_messages set text = ${c.text}, card = ${c.card}::jsonb, updated_at = clock_timestamp()
        where id = ${ref.messageId} returning id`);
      if (rows.length === 0) throw new AdapterError('console', 'not_found', `no console message ${ref.messageId}`);
    },
  };
}
