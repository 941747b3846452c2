/**
 * DingTalk payload → InboundEvent, or null when a required field is missing (never throws).
 * Pure: no network, no clock beyond the `receivedAt` passed in. DingTalk has no slash commands:
 * @-mentions and DMs become `message` events for the bot's one parser (which also strips `/kpi`).
 * Field meanings: platforms.md §3 b (robot messages) and §3 a (card callbacks).
 */
import type { ConversationRef, InboundEvent, UserRef } from '../../bot/events.ts';
import type { RawCardCallback, RawCardCallbackContent, RawChatMemberEvent, RawRobotMessage } from './raw-types.ts';

/** Longest inbound text handed to the parser; longer text is cut (the bot answers with a hint). */
export const MAX_INBOUND_TEXT = 4000;
/** The DM convention of src/bot/ports.ts; DingTalk sends 1:1 robot messages by userId. */
export const USER_TARGET_PREFIX = 'user:';
/** Prefixes DingTalk puts in front of open space ids (createAndDeliver `openSpaceId`). */
const GROUP_SPACE = 'dtv1.card//IM_GROUP.';
const ROBOT_SPACE = 'dtv1.card//IM_ROBOT.';

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** The reply handle carries the session webhook and its expiry (ms epoch), as `<expiry>|<url>`. */
export function encodeReplyHandle(url: string, expiresAt: number): string {
  return `${expiresAt}|${url}`;
}

export function decodeReplyHandle(handle: string | undefined): { url: string; expiresAt: number } | null {
  if (!handle) return null;
  const bar = handle.indexOf('|');
  const expiresAt = Number(handle.slice(0, bar));
  const url = handle.slice(bar + 1);
  if (bar < 1 || !Number.isFinite(expiresAt) || !URL.canParse(url)) return null;
  return { url, expiresAt };
}

function sender(raw: RawRobotMessage): UserRef | null {
  // People of another organisation have no staffId in ours; their corp id differs from the bot's.
  const foreign = str(raw.senderCorpId) && str(raw.chatbotCorpId) && raw.senderCorpId !== raw.chatbotCorpId;
  const id = raw.senderStaffId ?? raw.senderId;
  if (!str(id)) return null;
  return {
    platform: 'dingtalk',
    id,
    ...(str(raw.senderNick) ? { displayName: raw.senderNick } : {}),
    ...(foreign || !str(raw.senderStaffId) ? { isExternal: true } : {}),
  };
}

function conversationOf(raw: RawRobotMessage, user: UserRef): ConversationRef | null {
  if (!str(raw.conversationId) || !str(raw.chatbotCorpId)) return null;
  const direct = raw.conversationType === '1';
  return {
    platform: 'dingtalk',
    tenantKey: raw.chatbotCorpId,
    // A DM is addressed by user (oToMessages/batchSend takes userIds, not the 1:1 conversation id).
    chatId: direct ? `${USER_TARGET_PREFIX}${user.id}` : raw.conversationId,
    kind: direct ? 'direct' : 'group',
    // A group with members of another organisation (外部群): no data, ever.
    ...(!direct && user.isExternal ? { isExternal: true } : {}),
  };
}

/** A robot message (Stream CALLBACK data, or an outgoing-robot POST body). */
export function normalizeRobotMessage(raw: RawRobotMessage, receivedAt: Date): InboundEvent | null {
  if (!raw || typeof raw !== 'object' || !str(raw.msgId)) return null;
  // The bot never receives its own messages, but a misconfigured outgoing robot could loop.
  if (str(raw.chatbotUserId) && raw.senderId === raw.chatbotUserId) return null;
  const user = sender(raw);
  if (!user) return null;
  const conversation = conversationOf(raw, user);
  if (!conversation) return null;
  const webhook = str(raw.sessionWebhook) && typeof raw.sessionWebhookExpiredTime === 'number' ? encodeReplyHandle(raw.sessionWebhook, raw.sessionWebhookExpiredTime) : undefined;
  // In groups only @-messages reach the bot (learn/bot/appbot/receive.md), so a group message is a mention.
  const mentionedBot = conversation.kind === 'group';
  const base = { platform: 'dingtalk' as const, eventId: raw.msgId, user, conversation, receivedAt, ...(webhook ? { replyHandle: webhook } : {}) };
  if (raw.msgtype === 'file') {
    const c = raw.content;
    if (!c || !str(c.downloadCode) || !str(c.fileName)) return null;
    const size = Number(c.fileSize);
    return {
      ...base,
      kind: 'file',
      file: {
        id: c.downloadCode,
        name: c.fileName,
        ...(Number.isFinite(size) && size > 0 ? { size } : {}),
        ...(str(raw.robotCode) ? { extra: { robotCode: raw.robotCode } } : {}),
      },
      text: '',
      mentionedBot,
    };
  }
  if (raw.msgtype !== 'text' || typeof raw.text?.content !== 'string') return null;
  // A mention arrives with the bot's name removed and a leading space left behind.
  const text = raw.text.content.replace(/\s+/g, ' ').trim().slice(0, MAX_INBOUND_TEXT);
  return { ...base, kind: 'message', text, mentionedBot };
}

function parseContent(content: string | undefined): RawCardCallbackContent | null {
  if (!str(content)) return null;
  try {
    const v = JSON.parse(content) as unknown;
    return v && typeof v === 'object' ? (v as RawCardCallbackContent) : null;
  } catch {
    return null;
  }
}

/** The chat a card lives in, from the callback's space (same form `send` returned in the ref). */
export function chatIdOfSpace(spaceType: string | undefined, spaceId: string | undefined, userId: string): string | null {
  if (spaceType === 'IM_ROBOT' || spaceId?.startsWith(ROBOT_SPACE)) return `${USER_TARGET_PREFIX}${userId}`;
  if (!str(spaceId)) return null;
  return spaceId.startsWith(GROUP_SPACE) ? spaceId.slice(GROUP_SPACE.length) : spaceId;
}

/** A click on one of our advanced cards (Stream CALLBACK on `/v1.0/card/instances/callback`). */
export function normalizeCardCallback(raw: RawCardCallback, frameId: string, receivedAt: Date): InboundEvent | null {
  if (!raw || typeof raw !== 'object' || !str(raw.outTrackId) || !str(raw.userId) || !str(raw.corpId) || !str(frameId)) return null;
  const params = parseContent(raw.content)?.cardPrivateData?.params;
  const actionId = params?.actionId;
  if (!str(actionId)) return null;
  const chatId = chatIdOfSpace(raw.spaceType, raw.spaceId, raw.userId);
  if (!chatId) return null;
  const direct = chatId.startsWith(USER_TARGET_PREFIX);
  return {
    kind: 'action',
    platform: 'dingtalk',
    eventId: `card:${frameId}`,
    user: { platform: 'dingtalk', id: raw.userId },
    conversation: { platform: 'dingtalk', tenantKey: raw.corpId, chatId, kind: direct ? 'direct' : 'group' },
    receivedAt,
    actionId,
    ...(typeof params?.value === 'string' && params.value !== '' ? { value: params.value } : {}),
    message: { platform: 'dingtalk', chatId, messageId: raw.outTrackId },
  };
}

/**
 * 群会话事件 (EVENT frames): `chat_add_member` / `chat_remove_member` that list the robot itself
 * become membership changes of that group. Anything else is not ours (null).
 */
export function normalizeMemberEvent(
  eventType: string | undefined,
  eventId: string | undefined,
  corpId: string | undefined,
  raw: RawChatMemberEvent,
  robot: { robotCode: string; botUserIds: ReadonlySet<string> },
  receivedAt: Date,
): InboundEvent | null {
  if ((eventType !== 'chat_add_member' && eventType !== 'chat_remove_member') || !str(eventId) || !raw || typeof raw !== 'object') return null;
  const chatId = raw.OpenConversationId ?? raw.openConversationId ?? raw.ChatId;
  const tenant = corpId ?? raw.CorpId;
  if (!str(chatId) || !str(tenant) || !Array.isArray(raw.UserId)) return null;
  if (!raw.UserId.some((u) => u === robot.robotCode || robot.botUserIds.has(u))) return null;
  return {
    kind: 'membership',
    platform: 'dingtalk',
    eventId: `evt:${eventId}`,
    user: { platform: 'dingtalk', id: str(raw.Operator) ? raw.Operator : 'unknown' },
    conversation: { platform: 'dingtalk', tenantKey: tenant, chatId, kind: 'group' },
    receivedAt,
    change: eventType === 'chat_add_member' ? 'added' : 'removed',
  };
}
