/**
 * The DingTalk side of the bot's three-method port (plus the directory port).
 * - With DINGTALK_CARD_TEMPLATE_ID every `send` is an advanced card (`createAndDeliver`,
 *   `callbackType: STREAM`): buttons call back over Stream and `update` is a real in-place edit
 *   (`PUT /v1.0/card/instances`).
 * - Without it, sends are robot messages (markdown / actionCard); buttons are signed, expiring
 *   links to `${PUBLIC_URL}/links/<token>`, and `update` posts the new version as a new message
 *   (robot messages cannot be edited) — `updateInPlace: false` says so.
 * - Replies use the event's session webhook while it is valid (not an OpenAPI call, so it spares
 *   the org's monthly quota); a card with buttons in template mode goes out as an advanced card.
 * - Charts: `${PUBLIC_URL}/images/<id>.png` when DingTalk can fetch it, else uploaded with
 *   `media/upload` and shown by media id; a failed upload leaves "📈 <alt>" (degrade, not fail).
 * Message ids are ours (random), minted before sending so signed links can name the message.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { CardBlock, OutboundMessage } from '../../bot/card.ts';
import { AdapterError, isAdapterError } from '../../bot/errors.ts';
import type { ConversationRef, InboundEvent, MessageRef } from '../../bot/events.ts';
import type { AdapterCapabilities, ChatAdapter } from '../../bot/ports.ts';
import type { DirectoryPort, DirectorySource } from '../../bot/directory.ts';
import type { DingTalkClient } from './client.ts';
import { createDirectoryPort } from './directory.ts';
import { signLink } from './links.ts';
import { decodeReplyHandle, USER_TARGET_PREFIX } from './normalize.ts';
import { cardParams, robotMessage, webhookMessage, type LinkButton } from './payloads.ts';
import { MAX_BUTTONS, MAX_TEXT_CHARS, fallbackOf, renderMarkdown, type ImageAsset, type RenderedMarkdown } from './render.ts';
import { isPublicUrl } from '../public-url.ts';

/** A session webhook this close to its expiry is not used (the reply could arrive after it). */
export const WEBHOOK_MARGIN_MS = 60_000;

export interface DingTalkAdapterDeps {
  client: DingTalkClient;
  robotCode: string;
  cardTemplateId?: string;
  publicUrl: string;
  loadImage(id: string): Promise<Uint8Array | null>;
  linkKey: Buffer;
  logger: Logger;
  /** The tenant calls without a conversation are counted against (updates, uploads). */
  homeTenant(): string;
  now?: () => number;
}

export const newMessageId = () => `kpi-${randomBytes(12).toString('base64url')}`;

type ImageBlock = Extract<CardBlock, { type: 'image' }>;

export function createDingTalkAdapter(deps: DingTalkAdapterDeps): ChatAdapter & DirectorySource {
  const { client, logger } = deps;
  const now = deps.now ?? Date.now;
  const template = deps.cardTemplateId;
  const publicImages = isPublicUrl(deps.publicUrl);
  const capabilities: AdapterCapabilities = {
    // Clicks come back either way: Stream card callbacks, or the signed links' GET /links/:token.
    buttons: true,
    inlineImages: true,
    updateInPlace: template !== undefined,
    ephemeral: false,
    idempotentSends: false,
    maxTextLength: MAX_TEXT_CHARS,
    maxButtons: MAX_BUTTONS,
  };

  async function uploadImage(b: ImageBlock, tenant: string): Promise<string | null> {
    const bytes = 'png' in b.source ? b.source.png : await deps.loadImage(b.source.imageId);
    if (!bytes) return null;
    const form = new FormData();
    form.append('media', new Blob([bytes], { type: 'image/png' }), 'chart.png');
    const res = await client.oapi<{ media_id?: string }>('/media/upload?type=image', form, 'media/upload', tenant);
    return typeof res.media_id === 'string' ? res.media_id : null;
  }

  /** Public URL, else an uploaded media id, else a note. `upload: false` (updates) never re-uploads. */
  async function assetsFor(m: OutboundMessage, tenant: string, upload = true): Promise<Map<number, ImageAsset>> {
    const assets = new Map<number, ImageAsset>();
    if (m.kind !== 'card') return assets;
    for (const [i, b] of m.card.blocks.entries()) {
      if (b.type !== 'image') continue;
      if (publicImages && 'imageId' in b.source) {
        assets.set(i, { kind: 'url', url: `${deps.publicUrl}/images/${b.source.imageId}.png` });
        continue;
      }
      let id: string | null = null;
      if (upload) {
        try {
          id = await uploadImage(b, tenant);
        } catch (err) {
          if (isAdapterError(err) && err.code === 'rate_limited') throw err;
          logger.warn({ code: isAdapterError(err) ? err.code : 'unknown' }, 'dingtalk: chart upload failed, the card shows its note');
        }
      }
      assets.set(i, id ? { kind: 'url', url: id } : { kind: 'note', text: `📈 ${b.alt}` });
    }
    return assets;
  }

  function links(m: RenderedMarkdown, to: { tenantKey: string; chatId: string }, messageId: string): LinkButton[] {
    return m.buttons.map((b) => ({
      label: b.label,
      url: `${deps.publicUrl}/links/${signLink(deps.linkKey, { actionId: b.actionId, value: b.value, tenantKey: to.tenantKey, chatId: to.chatId, messageId }, now())}`,
    }));
  }

  async function sendRobot(to: ConversationRef, message: OutboundMessage): Promise<MessageRef> {
    const messageId = newMessageId();
    const rendered = renderMarkdown(message, await assetsFor(message, to.tenantKey));
    const { msgKey, msgParam } = robotMessage(rendered, links(rendered, to, messageId));
    if (to.chatId.startsWith(USER_TARGET_PREFIX)) {
      const userId = to.chatId.slice(USER_TARGET_PREFIX.length);
      const res = await client.api<{ invalidStaffIdList?: string[]; flowControlledStaffIdList?: string[] }>(
        'POST', '/v1.0/robot/oToMessages/batchSend', { robotCode: deps.robotCode, userIds: [userId], msgKey, msgParam }, 'oToMessages/batchSend', to.tenantKey);
      if (res.flowControlledStaffIdList?.includes(userId)) throw new AdapterError('dingtalk', 'rate_limited', 'oToMessages/batchSend: flow controlled', { retryAfterSeconds: 60 });
      if (res.invalidStaffIdList?.includes(userId)) throw new AdapterError('dingtalk', 'not_found', 'oToMessages/batchSend: unknown user');
    } else {
      await client.api('POST', '/v1.0/robot/groupMessages/send', { robotCode: deps.robotCode, openConversationId: to.chatId, msgKey, msgParam }, 'groupMessages/send', to.tenantKey);
    }
    return { platform: 'dingtalk', chatId: to.chatId, messageId };
  }

  async function sendCard(to: ConversationRef, message: OutboundMessage): Promise<MessageRef> {
    const outTrackId = newMessageId();
    const rendered = renderMarkdown(message, await assetsFor(message, to.tenantKey), { imagesInline: false });
    const mentions = message.kind === 'card' ? (message.card.mentions ?? []) : [];
    const direct = to.chatId.startsWith(USER_TARGET_PREFIX);
    const space = direct
      ? { openSpaceId: `dtv1.card//IM_ROBOT.${to.chatId.slice(USER_TARGET_PREFIX.length)}`, imRobotOpenSpaceModel: { supportForward: true }, imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: deps.robotCode } }
      : {
          openSpaceId: `dtv1.card//IM_GROUP.${to.chatId}`,
          imGroupOpenSpaceModel: { supportForward: true },
          // Alert owners are @-mentioned by the delivery itself (platforms.md §4b).
          imGroupOpenDeliverModel: { robotCode: deps.robotCode, ...(mentions.length ? { atUserIds: Object.fromEntries(mentions.map((id) => [id, id])) } : {}) },
        };
    const res = await client.api<{ result?: { deliverResults?: { success?: boolean; errorMsg?: string }[] } }>('POST', '/v1.0/card/instances/createAndDeliver', {
      cardTemplateId: template,
      outTrackId,
      callbackType: 'STREAM',
      cardData: { cardParamMap: cardParams(rendered, message.kind === 'card' ? message.card.tone : undefined, fallbackOf(message)) },
      userIdType: 1,
      ...space,
    }, 'card/createAndDeliver', to.tenantKey);
    const failed = res.result?.deliverResults?.find((r) => r.success === false);
    if (failed) throw new AdapterError('dingtalk', 'permission', `card/createAndDeliver: not delivered (${String(failed.errorMsg ?? '').slice(0, 120)})`);
    return { platform: 'dingtalk', chatId: to.chatId, messageId: outTrackId };
  }

  const send = (to: ConversationRef, message: OutboundMessage) => (template ? sendCard(to, message) : sendRobot(to, message));

  async function viaWebhook(event: InboundEvent, message: OutboundMessage, url: string): Promise<MessageRef> {
    const messageId = newMessageId();
    const rendered = renderMarkdown(message, await assetsFor(message, event.conversation.tenantKey));
    const mentions = message.kind === 'card' ? (message.card.mentions ?? []) : [];
    await client.webhook(url, webhookMessage(rendered, links(rendered, event.conversation, messageId), mentions), 'sessionWebhook');
    return { platform: 'dingtalk', chatId: event.conversation.chatId, messageId };
  }

  const hasButtons = (m: OutboundMessage) => m.kind === 'card' && m.card.blocks.some((b) => b.type === 'actions' && b.buttons.length > 0);
  const directories = new Map<string, DirectoryPort>();

  return {
    platform: 'dingtalk',
    capabilities,
    send: (to, message) => send(to, message),

    async reply(event, message) {
      const hook = decodeReplyHandle(event.replyHandle);
      const usable = hook && hook.expiresAt - WEBHOOK_MARGIN_MS > now();
      if (!usable || (template && hasButtons(message))) return send(event.conversation, message);
      try {
        const ref = await viaWebhook(event, message, hook.url);
        // Template mode: a webhook message cannot be edited, so it has no ref to update later.
        return template ? undefined : ref;
      } catch (err) {
        // An expired or revoked session: the robot API still reaches the chat.
        if (!isAdapterError(err) || (err.code !== 'not_found' && err.code !== 'auth' && err.code !== 'permission')) throw err;
        logger.info({ code: err.code }, 'dingtalk: session webhook refused, sending through the robot API');
        return send(event.conversation, message);
      }
    },

    async update(ref, message) {
      const tenant = deps.homeTenant();
      if (!template) {
        // Robot messages cannot be edited: the new version goes out as a new message in the same chat.
        const direct = ref.chatId.startsWith(USER_TARGET_PREFIX);
        await sendRobot({ platform: 'dingtalk', tenantKey: tenant, chatId: ref.chatId, kind: direct ? 'direct' : 'group' }, message);
        return;
      }
      const rendered = renderMarkdown(message, await assetsFor(message, tenant, false), { imagesInline: false });
      await client.api('PUT', '/v1.0/card/instances', {
        outTrackId: ref.messageId,
        cardData: { cardParamMap: cardParams(rendered, message.kind === 'card' ? message.card.tone : undefined, fallbackOf(message)) },
        cardUpdateOptions: { updateCardDataByKey: true },
      }, 'card/update', tenant);
    },

    directoryFor(tenantKey) {
      let port = directories.get(tenantKey);
      if (!port) directories.set(tenantKey, (port = createDirectoryPort(client, tenantKey)));
      return port;
    },
  };
}
