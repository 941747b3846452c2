/**
 * The Feishu side of the bot's port. Everything goes out as a card JSON 2.0 (texts too: only
 * cards can be edited in place). Charts are uploaded once per image (im/v1/images) and their
 * `image_key` cached, so updates and repeats never re-upload; a failed upload leaves a one-line
 * note in the card. `{kind:'direct', chatId:'user:<open_id>'}` sends with receive_id_type=open_id
 * and the ref carries the DM's chat id; a ConversationRef with a `threadId` replies in that thread.
 * Sends carry Feishu's `uuid` (the delivery's idempotency key), so a timed-out send may be retried.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { plainText, type CardBlock, type OutboundMessage } from '../../bot/card.ts';
import type { DirectoryPort, DirectorySource } from '../../bot/directory.ts';
import { isAdapterError } from '../../bot/errors.ts';
import type { ConversationRef, InboundEvent, MessageRef } from '../../bot/events.ts';
import type { AdapterCapabilities, ChatAdapter, SendOptions } from '../../bot/ports.ts';
import { FEISHU_LIMITS, renderMessage, type ImageAsset } from './card-json.ts';
import type { FeishuClient, SentMessage } from './client.ts';
import type { PendingClicks } from './clicks.ts';

/** The DM convention of src/bot/ports.ts: `user:<platform user id>`. */
export const USER_TARGET_PREFIX = 'user:';
/** image_keys remembered (per image id or PNG digest); a key stays valid on Feishu's side. */
const IMAGE_CACHE_MAX = 1000;
/** A toast shows one short line. */
const TOAST_MAX = 200;

export interface FeishuAdapterDeps {
  client: FeishuClient;
  clicks: PendingClicks;
  loadImage(id: string): Promise<Uint8Array | null>;
  logger: Logger;
  directory(tenantKey: string): DirectoryPort;
}

type ImageBlock = Extract<CardBlock, { type: 'image' }>;

export function createFeishuAdapter(deps: FeishuAdapterDeps): ChatAdapter & DirectorySource {
  const { client, clicks, logger } = deps;
  const capabilities: AdapterCapabilities = {
    buttons: true,
    inlineImages: true,
    updateInPlace: true,
    // Feishu has no "only visible to you" message for bots in chats; DMs are the private answer.
    ephemeral: false,
    idempotentSends: true,
    maxTextLength: FEISHU_LIMITS.markdown,
    maxButtons: FEISHU_LIMITS.buttons,
  };
  const imageKeys = new Map<string, string>();

  function cacheKey(b: ImageBlock): string {
    return 'imageId' in b.source ? `id:${b.source.imageId}` : `png:${createHash('sha256').update(b.source.png).digest('hex')}`;
  }

  async function imageKey(b: ImageBlock): Promise<string | null> {
    const key = cacheKey(b);
    const known = imageKeys.get(key);
    if (known) return known;
    const bytes = 'png' in b.source ? b.source.png : await deps.loadImage(b.source.imageId);
    if (!bytes) return null;
    const uploaded = await client.uploadImage(bytes);
    if (imageKeys.size >= IMAGE_CACHE_MAX) imageKeys.delete(imageKeys.keys().next().value!);
    imageKeys.set(key, uploaded);
    return uploaded;
  }

  /** Uploads (or recalls) each chart; a failure degrades to a note instead of failing the send. */
  async function assets(m: OutboundMessage): Promise<Map<number, ImageAsset>> {
    const out = new Map<number, ImageAsset>();
    if (m.kind !== 'card') return out;
    for (const [i, b] of m.card.blocks.entries()) {
      if (b.type !== 'image') continue;
      try {
        const key = await imageKey(b);
        out.set(i, key ? { kind: 'image', key } : { kind: 'note', text: `📈 ${b.alt}` });
      } catch (err) {
        logger.warn({ code: isAdapterError(err) ? err.code : 'unknown' }, 'feishu: image upload failed, the card shows a note');
        out.set(i, { kind: 'note', text: `📈 ${b.alt}` });
      }
    }
    return out;
  }

  const ref = (s: SentMessage): MessageRef => ({ platform: 'feishu', chatId: s.chatId, messageId: s.messageId });

  async function send(to: ConversationRef, message: OutboundMessage, opts?: SendOptions): Promise<MessageRef> {
    const card = renderMessage(message, await assets(message));
    const uuid = opts?.idempotencyKey;
    if (to.chatId.startsWith(USER_TARGET_PREFIX)) {
      return ref(await client.send({ receiveIdType: 'open_id', receiveId: to.chatId.slice(USER_TARGET_PREFIX.length), card, uuid }));
    }
    // A thread is answered by replying to its root message, in the thread.
    if (to.threadId) return ref(await client.reply({ messageId: to.threadId, card, uuid, inThread: true }));
    return ref(await client.send({ receiveIdType: 'chat_id', receiveId: to.chatId, card, uuid }));
  }

  const directories = new Map<string, DirectoryPort>();

  return {
    platform: 'feishu',
    capabilities,
    send,

    async reply(event: InboundEvent, message: OutboundMessage): Promise<MessageRef | undefined> {
      // A short text answer to a click becomes its toast while Feishu still waits for the answer.
      if (event.kind === 'action' && message.kind === 'text' && clicks.offerToast(event.eventId, plainText(message.markdown).slice(0, TOAST_MAX))) {
        return undefined;
      }
      const quoted = event.kind === 'action' ? event.message.messageId : event.replyHandle;
      if (!quoted) return send(event.conversation, message);
      const card = renderMessage(message, await assets(message));
      try {
        return ref(await client.reply({ messageId: quoted, card, inThread: event.conversation.threadId !== undefined }));
      } catch (err) {
        // The message asked about was recalled: answer in the chat instead.
        if (!isAdapterError(err) || err.code !== 'not_found') throw err;
        return send({ ...event.conversation, threadId: undefined }, message);
      }
    },

    async update(target: MessageRef, message: OutboundMessage): Promise<void> {
      const card = renderMessage(message, await assets(message));
      if (clicks.offerCard(target.messageId, card)) return;
      // Never PATCH while the click's own answer is still on its way out (the card could snap back).
      await clicks.afterAck(target.messageId);
      await client.patch(target.messageId, card);
    },

    directoryFor(tenantKey: string): DirectoryPort | undefined {
      if (!tenantKey) return undefined;
      let d = directories.get(tenantKey);
      if (!d) directories.set(tenantKey, (d = deps.directory(tenantKey)));
      return d;
    },
  };
}
