/**
 * Slack payload → InboundEvent, or null when a required field is missing (Lark's style: tolerate,
 * never throw). Pure: no network, no clock except the `receivedAt` passed in. App mentions and
 * DMs become `message` events for the one shared parser; `/kpi` becomes a `command`; a button
 * click becomes an `action` whose `message` is the same ref `send` returned (channel + ts).
 */
import type { ConversationRef, InboundEvent, UserRef } from '../../bot/events.ts';
import type { RawBlockActions, RawEventEnvelope, RawMessageEvent, RawSlashCommand } from './raw-types.ts';

/** Longest inbound text handed to the parser; a 10 kB command is cut, not rejected (the bot answers it). */
export const MAX_INBOUND_TEXT = 4000;

/** What the app knows about itself (auth.test), when it knows it. */
export interface SlackIdentity {
  botUserId?: string;
  botId?: string;
  teamId?: string;
}

/** Marks duplicate action ids in one message (Slack wants them unique); stripped on the way back. */
export const ACTION_SUFFIX = '#';

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/**
 * Slack mrkdwn → the plain words the parser reads: the bot's own mention removed, other people as
 * `@U123`, channels as `#name`, links as their label, HTML entities decoded.
 * https://api.slack.com/reference/surfaces/formatting#retrieving-messages
 */
export function cleanSlackText(raw: string, botUserId?: string): { text: string; mentionedBot: boolean } {
  let mentionedBot = false;
  const text = raw
    .slice(0, MAX_INBOUND_TEXT * 2)
    .replace(/<([^<>]*)>/g, (_all, inner: string) => {
      const [target = '', label] = inner.split('|', 2);
      if (target.startsWith('@')) {
        const id = target.slice(1);
        if (botUserId && id === botUserId) {
          mentionedBot = true;
          return ' ';
        }
        return `@${id}`;
      }
      if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
      if (target.startsWith('!')) return `@${label ?? target.slice(1).split('^')[0]}`;
      return label ?? target;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .trim()
    .slice(0, MAX_INBOUND_TEXT);
  return { text, mentionedBot };
}

/** A D… channel is a DM with the bot (https://api.slack.com/types/conversation). */
function kindOf(channel: string, channelType?: string): ConversationRef['kind'] {
  return channelType === 'im' || channel.startsWith('D') ? 'direct' : 'group';
}

function user(id: string, team: string | undefined, tenant: string, displayName?: string): UserRef {
  return {
    platform: 'slack',
    id,
    ...(displayName ? { displayName } : {}),
    // A Slack Connect user belongs to another workspace than the one that installed the app.
    ...(team && team !== tenant ? { isExternal: true } : {}),
  };
}

type Envelope = { e: RawMessageEvent; eventId: string; tenant: string; botUserId?: string; conversation: ConversationRef; user: UserRef };

/** The checks every message-like event passes: our own posts and other bots are dropped. */
function envelope(body: RawEventEnvelope, identity: SlackIdentity): Envelope | null {
  const e = body.event;
  if (body.type !== 'event_callback' || !e || typeof e !== 'object' || !str(body.event_id)) return null;
  if (e.type !== 'app_mention' && e.type !== 'message') return null;
  // The bot's own posts (and other bots') come back as message events: never answer them.
  if (str(e.bot_id) || e.subtype === 'bot_message') return null;
  if (!str(e.user) || !str(e.channel) || typeof e.text !== 'string') return null;
  if (identity.botUserId && e.user === identity.botUserId) return null;
  // Only DMs arrive as plain `message` events (message.im); channel chatter is not subscribed.
  if (e.type === 'message' && e.channel_type !== 'im') return null;
  const botUserId = identity.botUserId ?? body.authorizations?.find((a) => a.is_bot)?.user_id;
  const tenant = identity.teamId ?? body.authorizations?.[0]?.team_id ?? body.team_id ?? body.enterprise_id;
  if (!str(tenant)) return null;
  return {
    e,
    eventId: body.event_id,
    tenant,
    ...(botUserId ? { botUserId } : {}),
    user: user(e.user, e.user_team ?? e.team, tenant),
    conversation: {
      platform: 'slack',
      tenantKey: tenant,
      chatId: e.channel,
      kind: kindOf(e.channel, e.channel_type),
      ...(str(e.thread_ts) ? { threadId: e.thread_ts } : {}),
      // Slack Connect channel: other organisations read it (org setup refuses to bind it).
      ...(body.is_ext_shared_channel ? { isExternal: true } : {}),
    },
  };
}

export function normalizeEventEnvelope(body: RawEventEnvelope, identity: SlackIdentity, receivedAt: Date): InboundEvent | null {
  const env = envelope(body, identity);
  if (!env || (env.e.subtype !== undefined && env.e.subtype !== 'thread_broadcast')) return null;
  const { text, mentionedBot } = cleanSlackText(env.e.text ?? '', env.botUserId);
  return {
    kind: 'message',
    platform: 'slack',
    eventId: env.eventId,
    user: env.user,
    conversation: env.conversation,
    receivedAt,
    text,
    mentionedBot: env.e.type === 'app_mention' || mentionedBot,
  };
}

/** Most files one message hands over; Slack allows 10 per message. */
const MAX_FILES = 10;

/**
 * Files shared with the bot: a DM `message` with subtype `file_share`, or an `app_mention` whose
 * message carries an upload (https://docs.slack.dev/reference/events/message/file_share). One
 * `file` event per file; the caption is the message text. Empty when the event has no files.
 */
export function normalizeFileShares(body: RawEventEnvelope, identity: SlackIdentity, receivedAt: Date): InboundEvent[] {
  const env = envelope(body, identity);
  if (!env || !Array.isArray(env.e.files) || env.e.files.length === 0) return [];
  if (env.e.type === 'message' && env.e.subtype !== 'file_share' && env.e.subtype !== undefined) return [];
  const { text, mentionedBot } = cleanSlackText(env.e.text ?? '', env.botUserId);
  const out: InboundEvent[] = [];
  for (const f of env.e.files.slice(0, MAX_FILES)) {
    if (!f || !str(f.id) || f.mode === 'tombstone' || f.mode === 'hidden_by_limit') continue;
    const url = str(f.url_private_download) ? f.url_private_download : str(f.url_private) ? f.url_private : undefined;
    out.push({
      kind: 'file',
      platform: 'slack',
      eventId: `${env.eventId}:${f.id}`,
      user: env.user,
      conversation: env.conversation,
      receivedAt,
      file: {
        id: f.id,
        name: (str(f.name) ? f.name : str(f.title) ? f.title : f.id).slice(0, 255),
        ...(typeof f.size === 'number' && f.size >= 0 ? { size: f.size } : {}),
        ...(str(f.mimetype) ? { mimeType: f.mimetype } : {}),
        // Slack Connect files come without URLs ("check_file_info"): the file source asks files.info.
        ...(url ? { extra: { url } } : {}),
      },
      text,
      mentionedBot: env.e.type === 'app_mention' || mentionedBot,
    });
  }
  return out;
}

export function normalizeSlashCommand(body: RawSlashCommand, identity: SlackIdentity, receivedAt: Date): InboundEvent | null {
  const { command, user_id, channel_id, team_id, trigger_id } = body;
  if (!str(command) || !str(user_id) || !str(channel_id) || !str(trigger_id)) return null;
  const userTeam = str(team_id) ? team_id : undefined;
  const tenant = identity.teamId ?? userTeam ?? body.enterprise_id;
  if (!str(tenant)) return null;
  const { text } = cleanSlackText(typeof body.text === 'string' ? body.text : '', identity.botUserId);
  const words = text.split(/\s+/).filter(Boolean);
  return {
    kind: 'command',
    platform: 'slack',
    // Slash commands carry no event id and are never retried by Slack; trigger_id is unique per invocation.
    eventId: `cmd:${trigger_id}`,
    user: user(user_id, userTeam, tenant, body.user_name),
    conversation: {
      platform: 'slack',
      tenantKey: tenant,
      chatId: channel_id,
      kind: body.channel_name === 'directmessage' ? 'direct' : kindOf(channel_id),
    },
    receivedAt,
    ...(str(body.response_url) ? { replyHandle: body.response_url } : {}),
    name: words[0] ?? '',
    args: words.slice(1),
    text,
  };
}

export function normalizeBlockActions(body: RawBlockActions, identity: SlackIdentity, receivedAt: Date): InboundEvent | null {
  if (body.type !== 'block_actions' || !Array.isArray(body.actions)) return null;
  const action = body.actions[0];
  const userId = body.user?.id;
  const channel = body.container?.channel_id ?? body.channel?.id;
  const ts = body.container?.message_ts ?? body.message?.ts;
  if (!action || !str(action.action_id) || !str(userId) || !str(channel) || !str(ts)) return null;
  const tenant = identity.teamId ?? body.team?.id ?? body.user?.team_id ?? body.enterprise?.id;
  if (!str(tenant)) return null;
  const actionId = action.action_id.split(ACTION_SUFFIX)[0]!;
  const threadTs = body.container?.thread_ts ?? body.message?.thread_ts;
  return {
    kind: 'action',
    platform: 'slack',
    eventId: `act:${channel}:${ts}:${userId}:${action.action_id}:${action.action_ts ?? body.trigger_id ?? ''}`,
    user: user(userId, body.user?.team_id, tenant, body.user?.username ?? body.user?.name),
    conversation: {
      platform: 'slack',
      tenantKey: tenant,
      chatId: channel,
      kind: kindOf(channel),
      ...(str(threadTs) && threadTs !== ts ? { threadId: threadTs } : {}),
    },
    receivedAt,
    ...(str(body.response_url) ? { replyHandle: body.response_url } : {}),
    actionId,
    ...(typeof action.value === 'string' ? { value: action.value } : {}),
    message: { platform: 'slack', chatId: channel, messageId: ts },
  };
}
