/**
 * Who a digest is for: the chat (or a person's DM), its workspace, the team it is bound to, its
 * language and time zone, and the audience principal the numbers are computed for. A group sees
 * what every member may see (bound team at operator level, unbound at member level); a DM sees
 * what its person may see (ARCHITECTURE.md "who sees what").
 */
import { sql } from 'drizzle-orm';
import { groupPrincipal, principalForUser } from '../access/principal.ts';
import type { Principal } from '../access/types.ts';
import type { ConversationRef, Platform } from '../bot/events.ts';
import type { Locale } from '../bot/language.ts';
import type { Database } from '../db/client.ts';

export interface DigestTarget {
  workspace: { id: string; name: string; isDemo: boolean; timezone: string; currency: string };
  conversation: ConversationRef;
  /** Whether the bot is still in the chat (false after bot_removed). */
  active: boolean;
  teamId: string | null;
  teamName: string | null;
  locale: Locale;
  /** Date labels and schedules: chat → team → user → workspace zone. */
  timezone: string;
  principal: Principal;
  /** The enrolled person of a DM target. */
  userId?: string;
}

interface WorkspaceRow {
  id: string;
  name: string;
  is_demo: boolean;
  timezone: string;
  currency: string;
  locale: string;
}

const asLocale = (...candidates: (string | null | undefined)[]): Locale => {
  for (const c of candidates) {
    if (c === 'en' || c === 'zh-CN') return c;
    if (c === 'zh') return 'zh-CN';
  }
  return 'zh-CN';
};

async function workspaceOf(database: Database, id: string): Promise<WorkspaceRow | undefined> {
  const [ws] = await database.query<WorkspaceRow & Record<string, unknown>>(sql`
    select id, name, is_demo, timezone, currency, locale from workspaces where id = ${id}`);
  return ws;
}

async function team(database: Database, workspaceId: string, teamId: string | null, locale: Locale) {
  if (!teamId) return { name: null, timezone: null };
  const [t] = await database.query<{ name: string; name_en: string | null; timezone: string | null }>(sql`
    select name, name_en, timezone from teams where workspace_id = ${workspaceId} and id = ${teamId}`);
  return { name: (locale === 'en' ? t?.name_en : t?.name) ?? t?.name ?? teamId, timezone: t?.timezone ?? null };
}

/** A chat the bot knows (`chats` row), or null. */
export async function targetForChat(
  database: Database,
  ref: { platform: Platform; tenantKey: string; chatId: string },
  opts: { defaultLocale?: Locale } = {},
): Promise<DigestTarget | null> {
  const [chat] = await database.query<{ workspace_id: string; kind: 'group' | 'direct'; team_id: string | null; locale: string | null; timezone: string | null; active: boolean }>(sql`
    select workspace_id, kind, team_id, locale, timezone, active from chats
    where platform = ${ref.platform} and tenant_key = ${ref.tenantKey} and chat_id = ${ref.chatId}`);
  if (!chat) return null;
  const ws = await workspaceOf(database, chat.workspace_id);
  if (!ws) return null;
  const locale = asLocale(chat.locale, ws.locale, opts.defaultLocale);
  const teamId = chat.kind === 'group' ? chat.team_id : null;
  const t = await team(database, ws.id, teamId, locale);
  return {
    workspace: { id: ws.id, name: ws.name, isDemo: ws.is_demo, timezone: ws.timezone, currency: ws.currency.trim() },
    conversation: { platform: ref.platform, tenantKey: ref.tenantKey, chatId: ref.chatId, kind: chat.kind },
    active: chat.active,
    teamId,
    teamName: t.name,
    locale,
    timezone: chat.timezone ?? t.timezone ?? ws.timezone,
    principal: await groupPrincipal(database, ws.id, teamId),
  };
}

/** One person's DM (`user:<platform user id>`, ports.ts), computed at that person's own role. */
export async function targetForPerson(
  database: Database,
  who: { workspaceId: string; platform: Platform; tenantKey: string; platformUserId: string; userId: string },
  opts: { defaultLocale?: Locale; timezone?: string | null } = {},
): Promise<DigestTarget | null> {
  const ws = await workspaceOf(database, who.workspaceId);
  if (!ws) return null;
  const [user] = await database.query<{ team_id: string | null; timezone: string | null; locale: string | null; active: boolean }>(sql`
    select team_id, timezone, locale, active from users where workspace_id = ${ws.id} and id = ${who.userId}`);
  if (!user) return null;
  const locale = asLocale(user.locale, ws.locale, opts.defaultLocale);
  const t = await team(database, ws.id, user.team_id, locale);
  return {
    workspace: { id: ws.id, name: ws.name, isDemo: ws.is_demo, timezone: ws.timezone, currency: ws.currency.trim() },
    conversation: { platform: who.platform, tenantKey: who.tenantKey, chatId: `user:${who.platformUserId}`, kind: 'direct' },
    active: user.active,
    teamId: user.team_id,
    teamName: t.name,
    locale,
    timezone: opts.timezone ?? user.timezone ?? t.timezone ?? ws.timezone,
    principal: await principalForUser(database, ws.id, who.userId),
    userId: who.userId,
  };
}
