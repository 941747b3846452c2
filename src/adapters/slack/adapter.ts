/**
 * The Slack side of the bot's three-method port. Cards go out as Block Kit; a chart is an
 * `image_url` pointing at our `/images/<id>.png` when PUBLIC_URL is reachable from the internet
 * (Slack must fetch it), else the PNG is uploaded (files upload v2) and shared into the same
 * channel right after the card, which shows a one-line note in its place. Replies to a slash
 * command or a click that carry no data (help, usage hints, errors, refusals) are ephemeral.
 * A ConversationRef `{kind: 'direct', chatId: 'user:<U…>'}` means "DM this user": Slack accepts a
 * user id as `channel` and answers with the DM's D… id, which the returned ref carries.
 */
import type { Logger } from 'pino';
import type { CardBlock, OutboundMessage } from '../../bot/card.ts';
import { isAdapterError } from '../../bot/errors.ts';
import type { ConversationRef, InboundEvent, MessageRef } from '../../bot/events.ts';
import type { AdapterCapabilities, ChatAdapter } from '../../bot/ports.ts';
import { renderMessage, SLACK_LIMITS, type ImageAsset } from './block-kit.ts';
import type { SlackClient } from './client.ts';
import { isPublicUrl } from '../public-url.ts';

/** The DM convention of src/bot/ports.ts: `user:<platform user id>`. */
export const USER_TARGET_PREFIX = 'user:';

export interface SlackAdapterDeps {
  client: SlackClient;
  /** Base of `/images/<id>.png`; used as `image_url` only when Slack can fetch it. */
  publicUrl: string;
  /** Stored chart bytes by image id (src/bot/images.ts). */
  loadImage(id: string): Promise<Uint8Array | null>;
  logger: Logger;
}

/** A reply that answers nothing but "how to use me" or "that went wrong": only the asker sees it. */
export function carriesNoData(message: OutboundMessage): boolean {
  if (message.kind === 'text') return true;
  return !message.card.blocks.some((b) => b.type === 'fields' || b.type === 'image' || b.type === 'actions');
}

export function createSlackAdapter(deps: SlackAdapterDeps): ChatAdapter {
  const { client, logger } = deps;
  const publicImages = isPublicUrl(deps.publicUrl);
  const capabilities: AdapterCapabilities = {
    buttons: true,
    inlineImages: publicImages,
    updateInPlace: true,
    ephemeral: true,
    // chat.postMessage takes no idempotency key: a timed-out send is never retried blindly.
    idempotentSends: false,
    maxTextLength: SLACK_LIMITS.messageText,
    maxButtons: SLACK_LIMITS.actionsElements,
  };

  const images = (m: OutboundMessage) =>
    m.kind === 'card' ? m.card.blocks.flatMap((b, i) => (b.type === 'image' ? [{ b, i }] : [])) : [];

  /** Inline URLs when public; otherwise a note, and the bytes to upload after the post. */
  function plan(m: OutboundMessage): { assets: Map<number, ImageAsset>; uploads: Extract<CardBlock, { type: 'image' }>[] } {
    const assets = new Map<number, ImageAsset>();
    const uploads: Extract<CardBlock, { type: 'image' }>[] = [];
    for (const { b, i } of images(m)) {
      if (publicImages && 'imageId' in b.source) {
        assets.set(i, { kind: 'url', url: `${deps.publicUrl}/images/${b.source.imageId}.png` });
      } else {
        assets.set(i, { kind: 'note', text: `📈 ${b.alt}` });
        uploads.push(b);
      }
    }
    return { assets, uploads };
  }

  async function bytesOf(b: Extract<CardBlock, { type: 'image' }>): Promise<Uint8Array | null> {
    return 'png' in b.source ? b.source.png : deps.loadImage(b.source.imageId);
  }

  /** Shares each chart into the channel after the card; a failed upload leaves the note (degrade, not fail). */
  async function uploadCharts(uploads: Extract<CardBlock, { type: 'image' }>[], channel: string, threadTs?: string): Promise<void> {
    for (const b of uploads) {
      try {
        const bytes = await bytesOf(b);
        if (!bytes) continue;
        await client.uploadImage({ bytes, filename: 'chart.png', title: b.alt.slice(0, 250) || 'chart', alt: b.alt, channel, threadTs });
      } catch (err) {
        logger.warn({ code: isAdapterError(err) ? err.code : 'unknown', channel }, 'slack: chart upload failed, the card keeps its note');
      }
    }
  }

  async function send(to: ConversationRef, message: OutboundMessage): Promise<MessageRef> {
    const channel = to.chatId.startsWith(USER_TARGET_PREFIX) ? to.chatId.slice(USER_TARGET_PREFIX.length) : to.chatId;
    const threadTs = to.chatId.startsWith(USER_TARGET_PREFIX) ? undefined : to.threadId;
    const { assets, uploads } = plan(message);
    const m = renderMessage(message, assets);
    const res = await client.postMessage({ channel, text: m.text, blocks: m.blocks, threadTs });
    if (uploads.length > 0) await uploadCharts(uploads, res.channel, threadTs);
    return { platform: 'slack', chatId: res.channel, messageId: res.ts };
  }

  /** Without a public URL, updates keep the note: re-uploading on every edit would spam the channel. */
  function renderWithoutUpload(message: OutboundMessage): ReturnType<typeof renderMessage> {
    return renderMessage(message, plan(message).assets);
  }

  return {
    platform: 'slack',
    capabilities,
    send: (to, message) => send(to, message),

    async reply(event: InboundEvent, message: OutboundMessage): Promise<MessageRef | undefined> {
      const url = event.replyHandle;
      if (!url) return send(event.conversation, message);
      if (carriesNoData(message)) {
        await client.respond(url, { ...renderWithoutUpload(message), response_type: 'ephemeral', replace_original: false });
        return undefined;
      }
      try {
        // A real post has a ts, so the answer can be updated later (response_url posts have none).
        return await send(event.conversation, message);
      } catch (err) {
        // Not a member of that channel (or a DM Slack won't let us post into): answer through the command.
        if (!isAdapterError(err) || (err.code !== 'permission' && err.code !== 'not_found')) throw err;
        await client.respond(url, { ...renderWithoutUpload(message), response_type: 'in_channel', replace_original: false });
        return undefined;
      }
    },

    async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
      const m = renderWithoutUpload(message);
      await client.update({ channel: ref.chatId, ts: ref.messageId, text: m.text, blocks: m.blocks ?? [] });
    },
  };
}
