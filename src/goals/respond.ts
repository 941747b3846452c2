/**
 * The owner's answer to a goal (目标确认) and the manager's decision on a counter-proposal. Only
 * the owner confirms or proposes; a proposal goes to the scope's manager (or an admin), never to
 * the proposer; approving changes the target (a new version, already agreed), rejecting leaves
 * it and asks the owner to confirm. Every step is audited and notified in one transaction.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Principal } from '../access/types.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { goalResponses } from '../db/schema/index.ts';
import { metricById } from '../kpi/catalogue/index.ts';
import { actorOf, demand } from './access.ts';
import { decisionCard, proposalCard } from './cards-flow.ts';
import { checkAgainstParent } from './create.ts';
import { inTx, type GoalDeps, type Tx } from './deps.ts';
import { GoalError } from './errors.ts';
import { notifyUser } from './notify.ts';
import { getGoal, goalSnapshot, numericText, updateGoal } from './repo.ts';
import { approverFor, resolveScope } from './scope.ts';
import type { Goal } from './types.ts';
import { loadGoalFor, scopeResources } from './update.ts';
import { checkTarget, checkText, targetDecimals } from './validate.ts';

export type Confirmation = { confirmed: boolean; pending: { id: number; target: number; reason: string; by: string } | null };

export async function confirmationOf(db: Pick<Tx, 'select'>, g: Goal): Promise<Confirmation> {
  const rows = await db.select().from(goalResponses).where(eq(goalResponses.goalId, g.id)).orderBy(desc(goalResponses.id));
  const confirmed = rows.some((r) => r.goalVersion === g.version && (r.status === 'confirmed' || r.status === 'approved'));
  const p = rows.find((r) => r.status === 'pending' && r.goalVersion === g.version);
  return { confirmed, pending: p ? { id: p.id, target: Number(p.proposedTarget), reason: p.reason ?? '', by: p.respondedBy } : null };
}

function ownerOnly(p: Principal, g: Goal): void {
  if (!p.userId || p.userId !== g.ownerUserId || p.kind === 'external') {
    throw new GoalError('forbidden', `only the owner (${g.ownerUserId}) confirms or proposes for goal #${g.id}`, { zh: `只有负责人（${g.ownerUserId}）可以确认或提议目标 #${g.id}` });
  }
}

/** 目标确认: the owner agrees to the current version. `version` (from a card) must still be current. */
export async function confirmGoal(deps: GoalDeps, p: Principal, id: number, version?: number) {
  const g = await loadGoalFor(deps, p, id);
  ownerOnly(p, g);
  if (version !== undefined && version !== g.version) {
    throw new GoalError('conflict', `goal #${id} changed since this card (now version ${g.version}); see goal progress ${id}`, { zh: `目标 #${id} 已更新（第 ${g.version} 版），请查看最新内容后再确认` });
  }
  return inTx(deps, async (tx) => {
    const state = await confirmationOf(tx, g);
    if (state.confirmed) return { goal: g, already: true };
    await tx.insert(goalResponses).values({ workspaceId: g.workspaceId, goalId: g.id, goalVersion: g.version, kind: 'confirm', status: 'confirmed', respondedBy: p.userId! });
    if (state.pending) await tx.update(goalResponses).set({ status: 'superseded' }).where(eq(goalResponses.id, state.pending.id));
    await recordAudit(tx, { workspaceId: g.workspaceId, actor: actorOf(p), action: 'goal.confirm', entity: 'goal', entityId: String(g.id), after: { version: g.version, target: g.target } });
    return { goal: g, already: false };
  });
}

/** The owner proposes another target, with a reason; the approver gets a 批准 / 驳回 card. */
export async function proposeTarget(deps: GoalDeps, p: Principal, id: number, target: unknown, reasonText: unknown) {
  const g = await loadGoalFor(deps, p, id);
  ownerOnly(p, g);
  const def = metricById(g.metricId)!;
  if (g.band) throw new GoalError('invalid_argument', 'band goals take a band, not a single target', { field: 'target', zh: '区间目标不能只提议一个值' });
  const d = targetDecimals(def, g.currency);
  const proposed = Math.round(checkTarget(def, target) * 10 ** d) / 10 ** d;
  const reason = checkText(reasonText, 'reason', 500);
  const scope = await resolveScope(deps.database, g.workspaceId, g.scope, g.period.start);
  const approver = await approverFor(deps.database, g.workspaceId, scope.teamId, g.ownerUserId);
  return inTx(deps, async (tx) => {
    await tx.update(goalResponses).set({ status: 'superseded' }).where(and(eq(goalResponses.goalId, g.id), eq(goalResponses.status, 'pending')));
    const [row] = await tx.insert(goalResponses).values({
      workspaceId: g.workspaceId, goalId: g.id, goalVersion: g.version, kind: 'propose', proposedTarget: numericText(proposed), reason, status: 'pending', respondedBy: p.userId!,
    }).returning({ id: goalResponses.id });
    await recordAudit(tx, { workspaceId: g.workspaceId, actor: actorOf(p), action: 'goal.propose', entity: 'goal', entityId: String(g.id), before: { target: g.target }, after: { proposedTarget: proposed }, reason });
    if (approver) {
      const name = p.displayName ?? p.userId!;
      await notifyUser(tx, { workspaceId: g.workspaceId, userId: approver, source: { type: 'goal_response', id: String(row!.id) }, message: (locale) => ({ kind: 'card', card: proposalCard(g, row!.id, name, proposed, reason, locale) }) });
    }
    return { goal: g, responseId: row!.id, proposed, approver: approver ?? null };
  });
}

/** 批准 / 驳回: a manager of the scope (not the proposer, not for their own goal) or an admin decides. */
export async function decideProposal(deps: GoalDeps, p: Principal, responseId: number, approve: boolean, noteText?: string | null) {
  const [resp] = await deps.database.db.select().from(goalResponses)
    .where(and(eq(goalResponses.id, responseId), eq(goalResponses.workspaceId, p.workspaceId), inArray(goalResponses.kind, ['propose'])));
  if (!resp) throw new GoalError('not_found', `no proposal #${responseId}`, { zh: `没有提议 #${responseId}` });
  const g = await loadGoalFor(deps, p, resp.goalId);
  demand(p, 'goal.approve', await scopeResources(deps, g));
  if (p.userId && p.userId === resp.respondedBy) throw new GoalError('forbidden', 'nobody approves their own proposal', { zh: '不能审批自己的提议' });
  if (resp.status !== 'pending') {
    throw new GoalError('conflict', `proposal #${responseId} was already ${resp.status}${resp.decidedBy ? ` by ${resp.decidedBy}` : ''}`, { zh: `提议 #${responseId} 已处理（${resp.status}${resp.decidedBy ? `，${resp.decidedBy}` : ''}）` });
  }
  const note = noteText ? checkText(noteText, 'note', 500) : null;
  const proposed = Number(resp.proposedTarget);
  const by = p.displayName ?? p.userId ?? p.kind;
  return inTx(deps, async (tx) => {
    // Another click may have decided meanwhile: only a still-pending row is decided here.
    const done = await tx.update(goalResponses).set({ status: approve ? 'approved' : 'rejected', decidedBy: p.userId ?? p.kind, decidedAt: new Date(), decisionNote: note })
      .where(and(eq(goalResponses.id, responseId), eq(goalResponses.status, 'pending'))).returning({ id: goalResponses.id });
    if (done.length === 0) throw new GoalError('conflict', `proposal #${responseId} was already decided`, { zh: `提议 #${responseId} 已被处理` });
    let goal = g;
    if (approve) {
      const parent = g.parentGoalId ? ((await getGoal(tx, g.workspaceId, g.parentGoalId)) ?? null) : null;
      await checkAgainstParent(tx, parent, metricById(g.metricId)!, proposed, g.id);
      goal = await updateGoal(tx, g.workspaceId, g.id, { target: numericText(proposed), version: g.version + 1 });
      // The owner proposed this target, so the new version is agreed already.
      await tx.insert(goalResponses).values({ workspaceId: g.workspaceId, goalId: g.id, goalVersion: goal.version, kind: 'confirm', status: 'confirmed', respondedBy: resp.respondedBy, reason: `approved proposal #${responseId}` });
    }
    await recordAudit(tx, {
      workspaceId: g.workspaceId, actor: actorOf(p), action: approve ? 'goal.approve' : 'goal.reject', entity: 'goal', entityId: String(g.id),
      before: goalSnapshot(g), after: goalSnapshot(goal), reason: note ?? resp.reason ?? undefined,
    });
    await notifyUser(tx, { workspaceId: g.workspaceId, userId: resp.respondedBy, source: { type: 'goal_response', id: String(responseId) }, message: (locale) => ({ kind: 'card', card: decisionCard(goal, approve, by, proposed, locale, note) }) });
    return { goal, approved: approve };
  });
}
