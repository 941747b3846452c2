/**
 * What a goal's scope covers (glossary §3.1 hierarchy: company → team → store/site → category →
 * SKU → person): its stores (for KPI filters, currencies and time zones), the team it belongs to
 * (for permissions, the manager who approves, holidays) and the resources `authorize` must allow.
 */
import { sql } from 'drizzle-orm';
import { ownedScopes, teamSubtree } from '../access/principal.ts';
import type { Resource } from '../access/types.ts';
import type { Database } from '../db/client.ts';
import { FILTER_DIMENSIONS, type FilterDimension } from '../kpi/dimensions.ts';
import { GoalError } from './errors.ts';
import type { GoalScope } from './types.ts';

export interface ScopeStore {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  teamId: string | null;
  platform: string;
  marketplace: string;
  openedOn: string | null;
}

export interface ScopeInfo {
  scope: GoalScope;
  label: string;
  stores: ScopeStore[];
  teamId: string | null;
  /** KPI filters selecting exactly this scope; null = the KPI engine cannot select it yet. */
  filters: Partial<Record<FilterDimension, string[]>> | null;
  /** Every one must be allowed for a principal to act on the scope. */
  resources: Resource[];
}

type Row = Record<string, unknown>;

/** Whether the KPI engine filters by this dimension (it does for category and effective-dated owner). */
const canFilter = (dim: string) => (FILTER_DIMENSIONS as readonly string[]).includes(dim);

async function storesWhere(database: Database, workspaceId: string, where: ReturnType<typeof sql>): Promise<ScopeStore[]> {
  const rows = await database.query<{ id: string; name: string; currency: string; timezone: string; team_id: string | null; platform: string; marketplace: string; opened_on: string | null } & Row>(sql`
    select id, name, currency, timezone, team_id, platform, marketplace, opened_on::text as opened_on
    from stores where workspace_id = ${workspaceId} and ${where} order by id`);
  return rows.map((r) => ({
    id: r.id, name: r.name, currency: r.currency.trim(), timezone: r.timezone, teamId: r.team_id,
    platform: r.platform, marketplace: r.marketplace, openedOn: r.opened_on,
  }));
}

function notFound(what: string, id: string, zh: string): never {
  throw new GoalError('not_found', `no ${what} "${id.slice(0, 60)}" in this workspace`, { field: 'scope', zh: `找不到${zh}“${id.slice(0, 60)}”` });
}

export async function resolveScope(database: Database, workspaceId: string, scope: GoalScope, day: string): Promise<ScopeInfo> {
  const id = scope.id ?? '';
  switch (scope.level) {
    case 'company': {
      const stores = await storesWhere(database, workspaceId, sql`true`);
      return { scope: { level: 'company', id: null }, label: 'company', stores, teamId: null, filters: {}, resources: [{}] };
    }
    case 'team': {
      const [team] = await database.query<{ id: string; name: string }>(sql`select id, name from teams where workspace_id = ${workspaceId} and id = ${id}`);
      if (!team) notFound('team', id, '团队');
      const subtree = await teamSubtree(database, workspaceId, [id]);
      const stores = await storesWhere(database, workspaceId, sql`team_id in ${subtree}`);
      return { scope, label: team.name, stores, teamId: id, filters: { store: stores.map((s) => s.id) }, resources: [{ teamId: id }] };
    }
    case 'store': {
      const stores = await storesWhere(database, workspaceId, sql`id = ${id}`);
      if (!stores[0]) notFound('store', id, '店铺');
      const s = stores[0];
      return { scope, label: s.name, stores, teamId: s.teamId, filters: { store: [s.id] }, resources: [{ storeId: s.id, ...(s.teamId ? { teamId: s.teamId } : {}) }] };
    }
    case 'marketplace': {
      const stores = await storesWhere(database, workspaceId, sql`marketplace = ${id}`);
      if (stores.length === 0) notFound('marketplace with stores', id, '站点');
      const teams = [...new Set(stores.map((s) => s.teamId))];
      return {
        scope, label: id, stores, teamId: teams.length === 1 ? teams[0]! : null, filters: { marketplace: [id] },
        resources: stores.map((s) => ({ storeId: s.id, ...(s.teamId ? { teamId: s.teamId } : {}) })),
      };
    }
    case 'sku': {
      const [sku] = await database.query<{ id: string; store_id: string; name: string | null }>(sql`
        select id, store_id, name from skus where workspace_id = ${workspaceId} and id = ${id}`);
      if (!sku) notFound('SKU', id, 'SKU');
      const stores = await storesWhere(database, workspaceId, sql`id = ${sku.store_id}`);
      const s = stores[0];
      return {
        scope, label: sku.name ?? sku.id, stores, teamId: s?.teamId ?? null, filters: { sku: [sku.id], store: [sku.store_id] },
        resources: [{ skuId: sku.id, storeId: sku.store_id, ...(s?.teamId ? { teamId: s.teamId } : {}) }],
      };
    }
    case 'category': {
      const [cat] = await database.query<{ id: string; name: string }>(sql`select id, name from categories where workspace_id = ${workspaceId} and id = ${id}`);
      if (!cat) notFound('category', id, '品类');
      // Categories span teams: admins only. Evaluated grey while the KPI engine cannot filter by them.
      const stores = await storesWhere(database, workspaceId, sql`id in (select store_id from skus where workspace_id = ${workspaceId} and category_id = ${id})`);
      return { scope, label: cat.name, stores, teamId: null, filters: canFilter('category') ? ({ category: [id] } as ScopeInfo['filters']) : null, resources: [{}] };
    }
    case 'person': {
      const [user] = await database.query<{ id: string; display_name: string; team_id: string | null }>(sql`
        select id, display_name, team_id from users where workspace_id = ${workspaceId} and id = ${id}`);
      if (!user) notFound('user', id, '成员');
      const owned = await ownedScopes(database, workspaceId, id, day);
      const stores = owned.storeIds.length ? await storesWhere(database, workspaceId, sql`id in ${owned.storeIds}`) : [];
      return {
        scope, label: user.display_name, stores, teamId: user.team_id,
        // Derived person goals: what the person owned on each fact's day (trap 16), when the engine can say.
        filters: canFilter('owner') ? ({ owner: [id] } as ScopeInfo['filters']) : { store: stores.map((s) => s.id) },
        resources: [{ ...(user.team_id ? { teamId: user.team_id } : {}), ...(stores[0] ? { storeId: stores[0].id } : {}) }],
      };
    }
  }
}

/** The enrolled user, or undefined. */
export async function findUser(database: Database, workspaceId: string, userId: string): Promise<{ id: string; name: string; teamId: string | null } | undefined> {
  const [u] = await database.query<{ id: string; display_name: string; team_id: string | null }>(sql`
    select id, display_name, team_id from users where workspace_id = ${workspaceId} and id = ${userId} and active`);
  return u ? { id: u.id, name: u.display_name, teamId: u.team_id } : undefined;
}

/** The manager of a team, walking up the tree; else an admin of the workspace. */
export async function approverFor(database: Database, workspaceId: string, teamId: string | null, exclude?: string): Promise<string | undefined> {
  const rows = await database.query<{ user_id: string; depth: number }>(sql`
    with recursive up as (
      select id, parent_team_id, 0 as depth from teams where workspace_id = ${workspaceId} and id = ${teamId ?? ''}
      union all
      select t.id, t.parent_team_id, up.depth + 1 from teams t join up on t.id = up.parent_team_id where t.workspace_id = ${workspaceId}
    )
    select r.user_id, up.depth from up join role_assignments r on r.workspace_id = ${workspaceId} and r.team_id = up.id and r.role = 'manager'
    union all
    select r.user_id, 1000 as depth from role_assignments r where r.workspace_id = ${workspaceId} and r.role = 'admin'
    order by 2, 1`);
  return rows.find((r) => r.user_id !== exclude)?.user_id;
}
