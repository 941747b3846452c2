/**
 * Turns "who is asking" into a `Principal`: an enrolled user (roles + effective-dated ownership),
 * a never-enrolled member, an API token, the admin token, or the least-privilege stand-in for a
 * group chat. Scopes are resolved here so `authorize` stays pure.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { getWorkspace } from '../tenancy/workspaces.ts';
import { AppError } from '../errors.ts';
import type { DataScope, EnrolledRole, Principal, PrincipalKind, Role } from './types.ts';

const ROLE_PRECEDENCE: EnrolledRole[] = ['admin', 'manager', 'finance', 'operator'];
const NO_SCOPE: DataScope = { all: false, teamIds: [], storeIds: [], skuIds: [] };

interface WorkspaceFlags {
  memberAccess: 'sales' | 'none';
  operatorSeesMargins: boolean;
  operatorSeesCogs: boolean;
}

async function workspaceFlags(database: Database, workspaceId: string): Promise<WorkspaceFlags> {
  const ws = await getWorkspace(database.db, workspaceId);
  if (!ws) throw new AppError('not_found', `no workspace "${workspaceId}"`);
  const s = ws.settings ?? {};
  return {
    memberAccess: s.member_access ?? 'sales',
    operatorSeesMargins: s.operator_sees_margins ?? true,
    operatorSeesCogs: s.operator_sees_cogs ?? false,
  };
}

/** The team and all teams below it. */
export async function teamSubtree(database: Database, workspaceId: string, teamIds: string[]): Promise<string[]> {
  if (teamIds.length === 0) return [];
  const rows = await database.query<{ id: string }>(sql`
    with recursive sub as (
      select id from teams where workspace_id = ${workspaceId} and id in ${teamIds}
      union
      select t.id from teams t join sub on t.parent_team_id = sub.id where t.workspace_id = ${workspaceId}
    )
    select id from sub order by id`);
  return rows.map((r) => r.id);
}

/** Stores, SKUs and campaigns a user owns on `day` (ownership is effective-dated, trap 16). */
export async function ownedScopes(
  database: Database,
  workspaceId: string,
  userId: string,
  day: string,
): Promise<{ storeIds: string[]; skuIds: string[] }> {
  const rows = await database.query<{ scope_type: string; scope_id: string }>(sql`
    select scope_type, scope_id from ownership
    where workspace_id = ${workspaceId} and user_id = ${userId}
      and valid_from <= ${day} and (valid_to is null or valid_to > ${day})`);
  return {
    storeIds: rows.filter((r) => r.scope_type === 'store').map((r) => r.scope_id),
    skuIds: rows.filter((r) => r.scope_type === 'sku').map((r) => r.scope_id),
  };
}

/** Stores that belong to the given teams. */
async function teamStores(database: Database, workspaceId: string, teamIds: string[]): Promise<string[]> {
  if (teamIds.length === 0) return [];
  const rows = await database.query<{ id: string }>(sql`
    select id from stores where workspace_id = ${workspaceId} and team_id in ${teamIds} order by id`);
  return rows.map((r) => r.id);
}

async function scopeFor(
  database: Database,
  workspaceId: string,
  role: Role,
  opts: { teamIds?: string[]; userId?: string; day: string },
): Promise<DataScope> {
  if (role === 'admin' || role === 'finance') return { all: true };
  if (role === 'member') return NO_SCOPE;
  const teamIds = role === 'manager' ? await teamSubtree(database, workspaceId, opts.teamIds ?? []) : (opts.teamIds ?? []);
  const owned = opts.userId ? await ownedScopes(database, workspaceId, opts.userId, opts.day) : { storeIds: [], skuIds: [] };
  const storeIds = [...new Set([...owned.storeIds, ...(await teamStores(database, workspaceId, teamIds))])].sort();
  return { all: false, teamIds, storeIds, skuIds: owned.skuIds };
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * An enrolled user's principal: their strongest role (admin > manager > finance > operator), a
 * manager's scope being the union of their teams' subtrees. `userId` null or unknown → member.
 */
export async function principalForUser(
  database: Database,
  workspaceId: string,
  userId: string | null,
  opts: { kind?: PrincipalKind; displayName?: string; day?: string } = {},
): Promise<Principal> {
  const flags = await workspaceFlags(database, workspaceId);
  const day = opts.day ?? today();
  let role: Role = 'member';
  let teamIds: string[] = [];
  let displayName = opts.displayName;
  if (userId) {
    const rows = await database.query<{ role: EnrolledRole; team_id: string | null; display_name: string }>(sql`
      select r.role, r.team_id, u.display_name from users u
      left join role_assignments r on r.workspace_id = u.workspace_id and r.user_id = u.id
      where u.workspace_id = ${workspaceId} and u.id = ${userId} and u.active`);
    displayName = rows[0]?.display_name ?? displayName;
    const roles = rows.filter((r) => r.role);
    role = ROLE_PRECEDENCE.find((p) => roles.some((r) => r.role === p)) ?? 'member';
    teamIds = roles.filter((r) => r.role === role && r.team_id).map((r) => r.team_id!);
  }
  const scope = await scopeFor(database, workspaceId, role, { teamIds, userId: userId ?? undefined, day });
  return {
    kind: opts.kind ?? 'user',
    workspaceId,
    role,
    userId: userId ?? undefined,
    displayName,
    scope,
    ...flags,
  };
}

/** A REST token's principal: its role, team and (for operators) the user it acts as. */
export async function principalForToken(
  database: Database,
  token: { id: string; workspaceId: string; role: EnrolledRole; teamId: string | null; userId: string | null },
): Promise<Principal> {
  const flags = await workspaceFlags(database, token.workspaceId);
  const scope = await scopeFor(database, token.workspaceId, token.role, {
    teamIds: token.teamId ? [token.teamId] : [],
    userId: token.userId ?? undefined,
    day: today(),
  });
  return {
    kind: 'api_token',
    workspaceId: token.workspaceId,
    role: token.role,
    userId: token.userId ?? undefined,
    displayName: `token ${token.id}`,
    scope,
    ...flags,
  };
}

/** Admin of one workspace: the API_TOKEN holder, a loopback caller without API_TOKEN, the CLI. */
export async function adminPrincipal(
  database: Database,
  workspaceId: string,
  kind: 'admin_token' | 'loopback' | 'cli' | 'system',
): Promise<Principal> {
  const flags = await workspaceFlags(database, workspaceId);
  return { kind, workspaceId, role: 'admin', displayName: kind, scope: { all: true }, ...flags };
}

/** A person outside the organisation: every action but help is refused. */
export function externalPrincipal(workspaceId: string, displayName?: string): Principal {
  return {
    kind: 'external',
    workspaceId,
    role: 'member',
    displayName,
    scope: NO_SCOPE,
    memberAccess: 'none',
    operatorSeesMargins: false,
    operatorSeesCogs: false,
  };
}

/**
 * What everyone in a group may see: a group bound to a team answers at operator level within
 * that team's subtree; an unbound group at member level (ARCHITECTURE.md "who sees what").
 * The asker's own principal is used only for the DM that carries a restricted part.
 */
export async function groupPrincipal(
  database: Database,
  workspaceId: string,
  boundTeamId: string | null,
): Promise<Principal> {
  const flags = await workspaceFlags(database, workspaceId);
  if (!boundTeamId) {
    return { kind: 'group', workspaceId, role: 'member', displayName: 'group', scope: NO_SCOPE, ...flags };
  }
  const teamIds = await teamSubtree(database, workspaceId, [boundTeamId]);
  const storeIds = await teamStores(database, workspaceId, teamIds);
  return {
    kind: 'group',
    workspaceId,
    role: 'operator',
    displayName: `group of ${boundTeamId}`,
    scope: { all: false, teamIds, storeIds, skuIds: [] },
    ...flags,
    // A group may include people who must not see cogs; margins and profit are fine (glossary §3.8).
    operatorSeesCogs: false,
  };
}

/**
 * A chat sender's principal. Adapters report `isExternal` from the platform (Slack guests and
 * Connect users, Feishu users of another tenant, DingTalk external contacts); a stored identity
 * marked external stays external. Unknown or unlinked identities are members.
 */
export async function principalForChatIdentity(
  database: Database,
  who: { workspaceId: string; platform: string; tenantKey: string; platformUserId: string; isExternal?: boolean; displayName?: string },
): Promise<Principal> {
  const rows = await database.query<{ user_id: string | null; is_external: boolean; display_name: string | null }>(sql`
    select user_id, is_external, display_name from chat_identities
    where platform = ${who.platform} and tenant_key = ${who.tenantKey} and platform_user_id = ${who.platformUserId}
      and workspace_id = ${who.workspaceId}`);
  const row = rows[0];
  const displayName = who.displayName ?? row?.display_name ?? undefined;
  if (who.isExternal || row?.is_external) return externalPrincipal(who.workspaceId, displayName);
  return principalForUser(database, who.workspaceId, row?.user_id ?? null, { displayName });
}
