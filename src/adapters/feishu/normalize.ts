/**
 * Feishu events → InboundEvent, or null when a required field is missing or the event is not
 * for us (Lark's style: tolerate, never throw). Pure: no network, no clock but `receivedAt`.
 * Inputs are the SDK's flattened shapes (raw-types.ts). In message text, mentions are
 * placeholders `@_user_N` resolved through `mentions[].key` (platforms.md §2 b): the bot's own is
 * removed, other people become `@Name`. Groups deliver only @bot messages unless the app holds
 * the read-all scope, so when the bot's open_id is not known yet a group message counts as
 * addressed to it.
 */
import type { ConversationRef, InboundEvent, UserRef } from '../../bot/events.ts';
import { parseButtonValue } from './card-json.ts';
import type { RawBotMembership, RawCardAction, RawMention, RawMessageEvent } from './raw-types.ts';

/** Longest inbound text handed to the parser; longer is cut, not rejected. */
export const MAX_INBOUND_TEXT = 4000;

export interface NormalizeContext {
  /** The bot's open_id (bot/v3/info), when known. */
  botOpenId?: string;
  receivedAt: Date;
}

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function json(content: unknown): Record<string, unknown> | null {
  if (typeof content !== 'string' || content.length > 1_000_000) return null;
  try {
    const v: unknown = JSON.parse(content);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function user(openId: string, userTenant: string | undefined, tenant: string, displayName?: string): UserRef {
  return {
    platform: 'feishu',
    id: openId,
    ...(displayName ? { displayName } : {}),
    // Someone of another organisation (external contact in a shared chat).
    ...(str(userTenant) && userTenant !== tenant ? { isExternal: true } : {}),
  };
}

/** `@_user_1 gmv` → text with the bot's mention removed and others as `@Name`. */
export function resolveMentions(text: string, mentions: RawMention[] | undefined, botOpenId: string | undefined, group: boolean): { text: string; mentionedBot: boolean } {
  let mentionedBot = false;
  let out = text.slice(0, MAX_INBOUND_TEXT * 2);
  const list = Array.isArray(mentions) ? mentions : [];
  // Longest keys first so `@_user_1` does not eat the start of `@_user_10`.
  for (const m of [...list].sort((a, b) => String(b.key ?? '').length - String(a.key ?? '').length)) {
    if (!str(m.key)) continue;
    const isBot = botOpenId ? m.id?.open_id === botOpenId : group && out.trimStart().startsWith(m.key) && !mentionedBot;
    if (isBot) mentionedBot = true;
    out = out.split(m.key).join(isBot ? ' ' : `@${m.name ?? m.id?.open_id ?? ''}`);
  }
  if (!botOpenId && group) mentionedBot = true;
  return { text: out.replace(/[ \t]+/g, ' ').trim().slice(0, MAX_INBOUND_TEXT), mentionedBot };
}

/** Text of a rich-text (`post`) message: its text and link runs, `at` runs as mentions. */
function postText(content: Record<string, unknown>): { text: string; atIds: string[] } {
  const body = (content.content ?? (Object.values(content)[0] as Record<string, unknown> | undefined)?.content) as unknown;
  const atIds: string[] = [];
  if (!Array.isArray(body)) return { text: '', atIds };
  const lines = body.map((line) =>
    Array.isArray(line)
      ? line
          .map((run: Record<string, unknown>) => {
            if (run.tag === 'at') {
              if (str(run.user_id)) atIds.push(run.user_id);
              return ` @${String(run.user_name ?? '')} `;
            }
            return typeof run.text === 'string' ? run.text : '';
          })
          .join('')
      : '',
  );
  return { text: lines.join('\n'), atIds };
}

function conversation(tenant: string, chatId: string, kind: ConversationRef['kind'], threadId?: string): ConversationRef {
  return { platform: 'feishu', tenantKey: tenant, chatId, kind, ...(str(threadId) ? { threadId } : {}) };
}

export function normalizeMessage(e: RawMessageEvent, ctx: NormalizeContext): InboundEvent | null {
  const m = e.message;
  const senderId = e.sender?.sender_id?.open_id;
  if (!m || !str(e.event_id) || !str(e.tenant_key) || !str(m.message_id) || !str(m.chat_id) || !str(senderId)) return null;
  // Only people: the bot's own and other apps' messages never reach the parser.
  if (e.sender?.sender_type !== 'user' || (ctx.botOpenId && senderId === ctx.botOpenId)) return null;
  const group = m.chat_type !== 'p2p';
  const content = json(m.content);
  if (!content) return null;
  const base = {
    platform: 'feishu' as const,
    eventId: e.event_id,
    user: user(senderId, e.sender?.tenant_key, e.tenant_key),
    // root_id is the thread's first message: replies go to it (thread_id is no message id).
    conversation: conversation(e.tenant_key, m.chat_id, group ? 'group' : 'direct', m.root_id),
    receivedAt: ctx.receivedAt,
    // A reply quotes the message that asked (im/v1/messages/:id/reply).
    replyHandle: m.message_id,
  };
  switch (m.message_type) {
    case 'text': {
      if (typeof content.text !== 'string') return null;
      const { text, mentionedBot } = resolveMentions(content.text, m.mentions, ctx.botOpenId, group);
      return { ...base, kind: 'message', text, mentionedBot };
    }
    case 'post': {
      const p = postText(content);
      const botAt = ctx.botOpenId ? p.atIds.includes(ctx.botOpenId) : false;
      const { text, mentionedBot } = resolveMentions(p.text, m.mentions, ctx.botOpenId, group);
      return { ...base, kind: 'message', text, mentionedBot: mentionedBot || botAt };
    }
    case 'file': {
      if (!str(content.file_key) || !str(content.file_name)) return null;
      const mentionedBot = (m.mentions ?? []).some((x) => ctx.botOpenId !== undefined && x.id?.open_id === ctx.botOpenId);
      // In a group a file is for the bot only when it mentions it (data import reads DMs and mentions).
      if (group && !mentionedBot) return null;
      return {
        ...base,
        kind: 'file',
        file: { id: content.file_key, name: content.file_name.slice(0, 255), extra: { messageId: m.message_id } },
        text: '',
        mentionedBot,
      };
    }
    default:
      return null;
  }
}

export function normalizeCardAction(e: RawCardAction, ctx: NormalizeContext): InboundEvent | null {
  const op = e.operator;
  const msgId = e.context?.open_message_id;
  const chatId = e.context?.open_chat_id;
  const tenant = e.tenant_key ?? op?.tenant_key;
  if (!str(e.event_id) || !str(op?.open_id) || !str(msgId) || !str(chatId) || !str(tenant)) return null;
  const value = parseButtonValue(e.action?.value);
  if (!value) return null;
  return {
    kind: 'action',
    platform: 'feishu',
    eventId: e.event_id,
    user: user(op.open_id, op.tenant_key, tenant),
    // The callback does not say p2p or group; the receiver fills kind in from the chat (chats.ts).
    conversation: conversation(tenant, chatId, 'group'),
    receivedAt: ctx.receivedAt,
    actionId: value.a,
    ...(value.v !== undefined ? { value: value.v } : {}),
    message: { platform: 'feishu', chatId, messageId: msgId },
  };
}

export function normalizeBotMembership(e: RawBotMembership, change: 'added' | 'removed', ctx: NormalizeContext): InboundEvent | null {
  const who = e.operator_id?.open_id;
  if (!str(e.event_id) || !str(e.tenant_key) || !str(e.chat_id) || !str(who)) return null;
  return {
    kind: 'membership',
    platform: 'feishu',
    eventId: e.event_id,
    user: user(who, e.operator_tenant_key, e.tenant_key),
    conversation: { ...conversation(e.tenant_key, e.chat_id, 'group'), ...(e.external ? { isExternal: true } : {}) },
    receivedAt: ctx.receivedAt,
    change,
  };
}
