/**
 * Everything a handler needs about one inbound event: the workspace the tenant is bound to, the
 * chat's binding and language, the asker's principal and the audience principal (the least
 * privilege of the chat), plus `reply`, `dm` and `update`. Built once per event by `bot.ts`.
 */
import { sql } from 'drizzle-orm';
import {
  externalPrincipal,
  groupPrincipal,
  principalForChatIdentity,
  principalForUser,
} from '../access/principal.ts';
import type { Principal } from '../access/types.ts';
import type { AppConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { resolveTenant } from '../tenancy/tenant-binding.ts';
import type { Workspace } from '../tenancy/workspaces.ts';
import type { OutboundMessage } from './card.ts';
import type { InboundEvent } from './events.ts';
import { pickLocale, tr, type Bilingual, type Locale } from './language.ts';
import type { AdapterCapabilities } from './ports.ts';
import type { Sent } from './reply.ts';

export interface ChatInfo {
  kind: 'direct' | 'group';
  /** Bound team of a group; null for DMs and unbound groups. */
  teamId: string | null;
  locale: string | null;
  /** Date labels and "today": the chat's own zone, else the workspace's. */
  timezone: string;
}

export interface BotContext {
  event: InboundEvent;
  workspace: Workspace;
  chat: ChatInfo;
  /** Who asked, at their own role. Used for DMs and for the private part of a group answer. */
  asker: Principal;
  /** What everyone in this chat may see: the asker in a DM, the group stand-in in a group. */
  audience: Principal;
  locale: Locale;
  t(s: Bilingual): string;
  /** What the adapter of this chat can do (buttons, update in place, text and button limits). */
  capabilities: AdapterCapabilities;
  /** Answers in the chat the event came from. undefined when it went to the outbox instead. */
  reply(message: OutboundMessage): Promise<Sent | undefined>;
  /** A DM to the asker (the restricted part of a group answer), recorded like replies. */
  dm(message: OutboundMessage): Promise<Sent | undefined>;
  /** Replaces a message sent by `reply` or `dm` in this context. */
  update(sent: Sent, message: OutboundMessage): Promise<void>;
}

/** What `buildContext` fills; the bot adds the sending functions and the adapter's capabilities. */
export type BaseContext = Omit<BotContext, 'reply' | 'dm' | 'update' | 'capabilities'>;

export type ContextConfig = Pick<AppConfig, 'demo' | 'defaultTimezone' | 'defaultCurrency' | 'defaultLocale'>;

function eventText(e: InboundEvent): string | undefined {
  return e.kind === 'message' || e.kind === 'command' ? e.text : undefined;
}

async function chatInfo(database: Database, e: InboundEvent, workspaceId: string, fallbackTimezone: string): Promise<ChatInfo> {
  const c = e.conversation;
  // First sight of a chat records it (unbound); binding is an org command.
  await database.query(sql`insert into chats (platform, tenant_key, chat_id, workspace_id, kind)
    values (${c.platform}, ${c.tenantKey}, ${c.chatId}, ${workspaceId}, ${c.kind}) on conflict do nothing`);
  const [row] = await database.query<{ team_id: string | null; locale: string | null; timezone: string | null }>(sql`
    select team_id, locale, timezone from chats where platform = ${c.platform} and tenant_key = ${c.tenantKey} and chat_id = ${c.chatId}`);
  return {
    kind: c.kind,
    teamId: c.kind === 'group' ? (row?.team_id ?? null) : null,
    locale: row?.locale ?? null,
    timezone: row?.timezone ?? fallbackTimezone,
  };
}

async function askerPrincipal(database: Database, e: InboundEvent, workspaceId: string): Promise<Principal> {
  if (e.user.isExternal) return externalPrincipal(workspaceId, e.user.displayName);
  if (e.platform === 'console') {
    // Console user ids are the workspace's own user ids; anyone not enrolled is a member.
    return principalForUser(database, workspaceId, e.user.id, { displayName: e.user.displayName });
  }
  return principalForChatIdentity(database, {
    workspaceId,
    platform: e.platform,
    tenantKey: e.conversation.tenantKey,
    platformUserId: e.user.id,
    displayName: e.user.displayName,
  });
}

export type ContextResult = { ok: true; ctx: BaseContext } | { ok: false; reason: string };

export async function buildContext(database: Database, config: ContextConfig, e: InboundEvent): Promise<ContextResult> {
  const tenant = await resolveTenant(database.db, config, e.platform, e.conversation.tenantKey);
  if (!tenant.ok) return { ok: false, reason: tenant.message };
  const workspace = tenant.workspace;
  const chat = await chatInfo(database, e, workspace.id, workspace.timezone);
  const asker = await askerPrincipal(database, e, workspace.id);
  const audience = chat.kind === 'direct' || asker.kind === 'external' ? asker : await groupPrincipal(database, workspace.id, chat.teamId);
  const locale = pickLocale(config.defaultLocale, chat.locale, eventText(e));
  return { ok: true, ctx: { event: e, workspace, chat, asker, audience, locale, t: (s) => tr(locale, s) } };
}
