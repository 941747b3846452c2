/**
 * Changing a goal (`PATCH /api/v1/goals/:id`, `goal close`): target or band, owner, status,
 * seasonality. Every change is checked like a new goal, bumps the version when it changes what
 * the owner agreed to (target, band, owner), is audited with before/after and reason, and tells
 * the owner (who confirms again). A changed child reports the gap to its parent; overshooting
 * the parent is refused.
 */
import type { Principal } from '../access/types.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { metricById } from '../kpi/catalogue/index.ts';
import { actorOf, demand } from './access.ts';
import { assignedCard } from './cards-flow.ts';
import { targetText } from './cards.ts';
import { checkAgainstParent } from './create.ts';
import { inTx, type GoalDeps } from './deps.ts';
import { GoalError } from './errors.ts';
import { notifyUser } from './notify.ts';
import { getGoal, goalSnapshot, numericText, updateGoal, type GoalInsert } from './repo.ts';
import { findUser, resolveScope } from './scope.ts';
import type { Goal, GoalStatus, SeasonalityProfile } from './types.ts';
import { checkBand, checkTarget, checkText, targetDecimals } from './validate.ts';

export interface GoalPatch {
  target?: number | string | null;
  band?: { lo: number; hi: number } | null;
  owner?: string;
  status?: GoalStatus;
  seasonality?: SeasonalityProfile;
  reason?: string | null;
}

const STATUS_MOVES: Record<GoalStatus, GoalStatus[]> = { draft: ['active', 'closed'], active: ['closed', 'draft'], closed: ['active'] };

export async function loadGoalFor(deps: GoalDeps, p: Principal, id: number): Promise<Goal> {
  const g = await getGoal(deps.database.db, p.workspaceId, id);
  if (!g) throw new GoalError('not_found', `no goal #${id}`, { field: 'id', zh: `没有目标 #${id}` });
  return g;
}

export async function scopeResources(deps: GoalDeps, g: Goal) {
  const scope = await resolveScope(deps.database, g.workspaceId, g.scope, g.period.start);
  return scope.resources.map((r) => ({ ...r, workspaceId: g.workspaceId, ownerUserId: g.ownerUserId }));
}

export async function patchGoal(deps: GoalDeps, p: Principal, id: number, patch: GoalPatch) {
  const before = await loadGoalFor(deps, p, id);
  demand(p, 'goal.write', await scopeResources(deps, before));
  const def = metricById(before.metricId)!;
  const reason = patch.reason ? checkText(patch.reason, 'reason') : null;
  const set: Partial<GoalInsert> = {};
  let agreed = false;
  let newTarget = before.target;
  if (patch.target !== undefined && patch.target !== null) {
    if (def.direction === 'band') throw new GoalError('invalid_argument', `${def.id} takes a band`, { field: 'target', zh: '该指标需要区间目标' });
    const d = targetDecimals(def, before.currency);
    newTarget = Math.round(checkTarget(def, patch.target) * 10 ** d) / 10 ** d;
    if (newTarget !== before.target) {
      set.target = numericText(newTarget);
      agreed = true;
    }
  }
  if (patch.band) {
    const b = checkBand(def, patch.band);
    set.bandLo = numericText(b.lo);
    set.bandHi = numericText(b.hi);
    agreed = true;
  }
  let newOwner: { id: string; name: string } | undefined;
  if (patch.owner !== undefined && patch.owner !== before.ownerUserId) {
    newOwner = await findUser(deps.database, p.workspaceId, String(patch.owner));
    if (!newOwner) throw new GoalError('invalid_argument', `no enrolled user "${String(patch.owner).slice(0, 40)}"`, { field: 'owner', zh: `找不到负责人“${String(patch.owner).slice(0, 40)}”` });
    set.ownerUserId = newOwner.id;
    agreed = true;
  }
  if (patch.status !== undefined && patch.status !== before.status) {
    if (!STATUS_MOVES[before.status].includes(patch.status)) {
      throw new GoalError('invalid_argument', `a ${before.status} goal cannot become ${patch.status}`, { field: 'status', zh: `目标状态不能从 ${before.status} 改为 ${patch.status}` });
    }
    set.status = patch.status;
  }
  if (patch.seasonality !== undefined) set.seasonalityProfile = patch.seasonality;
  if (Object.keys(set).length === 0) return { goal: before, siblings: null, changed: false };
  if (agreed) set.version = before.version + 1;
  return inTx(deps, async (tx) => {
    const parent = before.parentGoalId ? ((await getGoal(tx, p.workspaceId, before.parentGoalId)) ?? null) : null;
    const siblings = set.target !== undefined ? await checkAgainstParent(tx, parent, def, newTarget, before.id) : null;
    const goal = await updateGoal(tx, p.workspaceId, id, set);
    await recordAudit(tx, {
      workspaceId: p.workspaceId, actor: actorOf(p), action: set.status === 'closed' ? 'goal.close' : 'goal.update', entity: 'goal', entityId: String(id),
      before: goalSnapshot(before), after: goalSnapshot(goal), ...(reason ? { reason } : {}),
    });
    if (agreed && goal.ownerUserId !== p.userId) {
      const by = p.displayName ?? p.userId ?? p.kind;
      await notifyUser(tx, {
        workspaceId: p.workspaceId, userId: goal.ownerUserId, source: { type: 'goal', id: String(id) },
        message: (locale) => ({ kind: 'card', card: assignedCard(goal, by, locale, newOwner ? null : { target: targetText(before) }, reason) }),
      });
    }
    return { goal, siblings, changed: true };
  });
}

export async function closeGoal(deps: GoalDeps, p: Principal, id: number, reason?: string | null) {
  return patchGoal(deps, p, id, { status: 'closed', reason: reason ?? null });
}
