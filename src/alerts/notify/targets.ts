/**
 * Where an alert card goes (issue #29 noise control): the bound group chats of the alert's team
 * (the `chats` bindings digests use too), or the owners' DMs when the rule routes there (or the
 * team has no bound chat), or only the admins' DMs while the rule is in trial mode (试运行) and
 * for workspace-wide data alerts (FX gaps). A DM is `user:<platform user id>` (src/bot/ports.ts).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { ConversationRef, Platform } from '../../bot/events.ts';
import type { Db } from '../../db/client.ts';
import { normalizeRows, resultRows } from '../../db/normalize.ts';

type Reader = Pick<Db, 'execute'>;

export interface AlertTarget {
  conversation: ConversationRef;
  locale: 'en' | 'zh-CN';
  /** Quiet hours and the daily cap count in this zone. */
  timezone: string;
  /** For DMs: whose. */
  userId?: string;
}

async function rows<T>(tx: Reader, q: SQL): Promise<T[]> {
  return normalizeRows<T>(resultRows(await tx.execute(q)));
}

const asLocale = (...c: (string | null | undefined)[]): 'en' | 'zh-CN' => {
  for (const x of c) if (x === 'en' || x === 'zh-CN') return x;
  return 'zh-CN';
};

export async function groupTargets(tx: Reader, workspaceId: string, teamId: string): Promise<AlertTarget[]> {
  const list = await rows<{ platform: Platform; tenant_key: string; chat_id: string; locale: string | null; ws_locale: string; tz: string }>(tx, sql`
    select c.platform, c.tenant_key, c.chat_id, c.locale, w.locale as ws_locale, coalesce(c.timezone, t.timezone, w.timezone) as tz
    from chats c join workspaces w on w.id = c.workspace_id left join teams t on t.workspace_id = c.workspace_id and t.id = c.team_id
    where c.workspace_id = ${workspaceId} and c.team_id = ${teamId} and c.kind = 'group' and c.active
    order by c.platform, c.tenant_key, c.chat_id`);
  return list.map((r) => ({ conversation: { platform: r.platform, tenantKey: r.tenant_key, kind: 'group', chatId: r.chat_id }, locale: asLocale(r.locale, r.ws_locale), timezone: r.tz }));
}

/** Every chat identity of these users (enrolled, active, not external). */
export async function dmTargets(tx: Reader, workspaceId: string, userIds: string[]): Promise<AlertTarget[]> {
  if (!userIds.length) return [];
  const list = await rows<{ user_id: string; platform: Platform; tenant_key: string; platform_user_id: string; locale: string | null; ws_locale: string; tz: string }>(tx, sql`
    select ci.user_id, ci.platform, ci.tenant_key, ci.platform_user_id, u.locale, w.locale as ws_locale, coalesce(u.timezone, w.timezone) as tz
    from chat_identities ci join users u on u.workspace_id = ci.workspace_id and u.id = ci.user_id join workspaces w on w.id = ci.workspace_id
    where ci.workspace_id = ${workspaceId} and ci.user_id in ${userIds} and u.active and not ci.is_external
    order by ci.user_id, ci.platform, ci.tenant_key`);
  return list.map((r) => ({
    conversation: { platform: r.platform, tenantKey: r.tenant_key, kind: 'direct', chatId: `user:${r.platform_user_id}` },
    locale: asLocale(r.locale, r.ws_locale),
    timezone: r.tz,
    userId: r.user_id,
  }));
}

export async function adminIds(tx: Reader, workspaceId: string): Promise<string[]> {
  const list = await rows<{ user_id: string }>(tx, sql`
    select distinct user_id from role_assignments where workspace_id = ${workspaceId} and role = 'admin' order by user_id`);
  return list.map((r) => r.user_id);
}

/** Platform user ids of these users on one platform and tenant, for native @-mentions. */
export async function mentionIds(tx: Reader, workspaceId: string, userIds: string[], c: ConversationRef): Promise<string[]> {
  if (!userIds.length) return [];
  const list = await rows<{ platform_user_id: string }>(tx, sql`
    select platform_user_id from chat_identities where workspace_id = ${workspaceId} and user_id in ${userIds}
      and platform = ${c.platform} and (${c.tenantKey ?? null}::text is null or tenant_key = ${c.tenantKey ?? null}) and not is_external
    order by platform_user_id`);
  return list.map((r) => r.platform_user_id);
}

export interface RouteInput {
  workspaceId: string;
  teamId: string | null;
  ownerUserIds: string[];
  route: 'group' | 'owner';
  trial: boolean;
}

export async function targetsFor(tx: Reader, r: RouteInput): Promise<AlertTarget[]> {
  if (r.trial || !r.teamId && r.route === 'group' && !r.ownerUserIds.length) return dmTargets(tx, r.workspaceId, await adminIds(tx, r.workspaceId));
  if (r.route === 'owner' && r.ownerUserIds.length) return dmTargets(tx, r.workspaceId, r.ownerUserIds);
  const groups = r.teamId ? await groupTargets(tx, r.workspaceId, r.teamId) : [];
  if (groups.length) return groups;
  // No bound chat for the team: the owners, else the admins, so the alert is never silent.
  const owners = await dmTargets(tx, r.workspaceId, r.ownerUserIds);
  return owners.length ? owners : dmTargets(tx, r.workspaceId, await adminIds(tx, r.workspaceId));
}
