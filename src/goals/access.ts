/**
 * Who may do what with a goal (glossary §3.8 roles table): admins everything; managers within
 * their team subtree (never approving their own goal); operators read their own goals and the
 * scopes they own, and only confirm or propose; finance reads; members nothing. The resource of
 * a goal is derived from its scope with one lookup of stores, SKUs and users per call.
 */
import { sql } from 'drizzle-orm';
import { authorize } from '../access/authorize.ts';
import type { Action, Decision, Principal, Resource } from '../access/types.ts';
import type { Actor } from '../audit/audit-log.ts';
import type { Database } from '../db/client.ts';
import { GoalError } from './errors.ts';
import type { Goal } from './types.ts';

/** Scope id → the resources it touches (a marketplace touches each of its stores). */
export interface ResourceIndex {
  /** SKU → store, filled by `withSkus` for the goals at hand (the SKU table is large). */
  skuStore: Map<string, string>;
  resourcesOf(g: Pick<Goal, 'scope' | 'ownerUserId' | 'workspaceId'>): Resource[];
}

export async function loadResourceIndex(database: Database, workspaceId: string): Promise<ResourceIndex> {
  const stores = await database.query<{ id: string; team_id: string | null; marketplace: string }>(sql`
    select id, team_id, marketplace from stores where workspace_id = ${workspaceId}`);
  const users = await database.query<{ id: string; team_id: string | null }>(sql`select id, team_id from users where workspace_id = ${workspaceId}`);
  const storeTeam = new Map(stores.map((s) => [s.id, s.team_id]));
  const userTeam = new Map(users.map((u) => [u.id, u.team_id]));
  const skuStore = new Map<string, string>();
  return {
    skuStore,
    resourcesOf(g) {
      const base = { workspaceId: g.workspaceId, ownerUserId: g.ownerUserId };
      const id = g.scope.id ?? '';
      const withTeam = (teamId: string | null | undefined) => (teamId ? { teamId } : {});
      switch (g.scope.level) {
        case 'team':
          return [{ ...base, teamId: id }];
        case 'store':
          return [{ ...base, storeId: id, ...withTeam(storeTeam.get(id)) }];
        case 'sku': {
          const store = skuStore.get(id);
          return [{ ...base, skuId: id, ...(store ? { storeId: store, ...withTeam(storeTeam.get(store)) } : {}) }];
        }
        case 'marketplace': {
          const list = stores.filter((s) => s.marketplace === id);
          return list.length ? list.map((s) => ({ ...base, storeId: s.id, ...withTeam(s.team_id) })) : [base];
        }
        case 'person':
          return [{ ...base, ...withTeam(userTeam.get(id)) }];
        default:
          return [base];
      }
    },
  };
}

/** Fills the SKU → store map for SKU-scoped goals. */
export async function withSkus(database: Database, index: ResourceIndex, workspaceId: string, goals: Pick<Goal, 'scope'>[]): Promise<void> {
  const ids = [...new Set(goals.filter((g) => g.scope.level === 'sku' && g.scope.id).map((g) => g.scope.id!))];
  if (ids.length === 0) return;
  const rows = await database.query<{ id: string; store_id: string }>(sql`select id, store_id from skus where workspace_id = ${workspaceId} and id in ${ids}`);
  for (const r of rows) index.skuStore.set(r.id, r.store_id);
}

/** Every resource of the goal must be allowed. */
export function decide(p: Principal, action: Action, resources: Resource[]): Decision {
  for (const r of resources) {
    const d = authorize(p, action, r);
    if (!d.ok) return d;
  }
  return { ok: true };
}

const ZH_ACTION: Partial<Record<Action, string>> = {
  'goal.read': '查看这个目标',
  'goal.write': '设定或修改这个目标',
  'goal.approve': '审批这个目标',
};

export function demand(p: Principal, action: Action, resources: Resource[]): void {
  const d = decide(p, action, resources);
  if (!d.ok) {
    throw new GoalError('forbidden', `not permitted: ${d.reason}`, {
      zh: `没有权限${ZH_ACTION[action] ?? ''}（${d.code === 'out_of_scope' ? '超出你管理的团队或店铺' : '你的角色不允许'}）`,
    });
  }
}

/** The audit trail's "who" for a principal. */
export function actorOf(p: Principal): Actor {
  const kind: Actor['kind'] =
    p.kind === 'api_token' ? 'api_token' : p.kind === 'admin_token' || p.kind === 'loopback' ? 'admin_token' : p.kind === 'cli' ? 'cli' : p.kind === 'system' ? 'system' : 'user';
  return { kind, ...(p.userId ? { id: p.userId } : {}), ...(p.displayName ? { name: p.displayName } : {}) };
}
