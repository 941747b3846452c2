/**
 * Manual adjustments (不可抗力调整, glossary §3.7): the goal's owner requests a new target, a date
 * range taken out, or the KPI excluded from the score, with a reason code (force_majeure needs a
 * note) and optional evidence; the scope's manager or an admin approves or rejects from a card —
 * never the requester. Refused: outside the goal's period, overlapping an exclusion or another
 * pending request, or in a month whose scores are final. Append-only in goal_adjustments (the
 * request row, then a decision row pointing at it); actuals are never touched.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { authorize } from '../access/authorize.ts';
import type { Principal } from '../access/types.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { goalAdjustments, type AdjustmentReason } from '../db/schema/index.ts';
import { metricById } from '../kpi/catalogue/index.ts';
import { isValidDate } from '../kpi/dates.ts';
import { actorOf, demand } from '../goals/access.ts';
import { inTx, type GoalDeps } from '../goals/deps.ts';
import { notifyUser } from '../goals/notify.ts';
import { goalSnapshot, numericText, updateGoal } from '../goals/repo.ts';
import { approverFor, resolveScope } from '../goals/scope.ts';
import type { Goal } from '../goals/types.ts';
import { loadGoalFor, scopeResources } from '../goals/update.ts';
import { checkTarget, checkText, targetDecimals } from '../goals/validate.ts';
import { adjustmentDecisionCard, adjustmentRequestCard, type AdjustmentView } from './adjustment-cards.ts';
import { assertOpen } from './close.ts';
import { ScoreError } from './errors.ts';

export const REASON_CODES: readonly AdjustmentReason[] = ['stockout', 'store_suspension', 'platform_policy_change', 'logistics_delay', 'platform_review', 'force_majeure'];

export type AdjustmentAction = 'change_target' | 'exclude_dates' | 'exclude_kpi';

export interface AdjustmentInput {
  goalId: number;
  action: AdjustmentAction;
  target?: unknown;
  from?: string;
  to?: string;
  reason: string;
  note?: string | null;
  evidence?: string[];
}

/** The month a goal's score belongs to, for month goals. */
const goalMonth = (g: Goal) => (g.period.id.startsWith('month:') ? g.period.id.slice(6) : null);

const overlaps = (a: { from: string; to: string }, b: { from: string; to: string }) => a.from <= b.to && b.from <= a.to;

type Row = typeof goalAdjustments.$inferSelect;

async function pendingRequests(db: GoalDeps['database']['db'], goalId: number): Promise<Row[]> {
  const rows = await db.select().from(goalAdjustments).where(and(eq(goalAdjustments.goalId, goalId), isNull(goalAdjustments.requestId)));
  const decided = await db.select({ id: goalAdjustments.requestId }).from(goalAdjustments).where(and(eq(goalAdjustments.goalId, goalId), sql`${goalAdjustments.requestId} is not null`));
  const done = new Set(decided.map((d) => d.id));
  return rows.filter((r) => !done.has(r.id));
}

function viewOf(r: Row): AdjustmentView {
  const after = (r.after ?? {}) as { target?: number; from?: string; to?: string };
  return {
    id: r.id, action: r.action, reasonCode: r.reasonCode, note: r.note, evidence: r.evidence.map((e) => e.url ?? e.text ?? '').filter(Boolean), by: r.requestedBy,
    ...(after.target !== undefined ? { target: after.target } : {}), ...(after.from ? { from: after.from, to: after.to } : {}),
  };
}

export async function requestAdjustment(deps: GoalDeps, p: Principal, input: AdjustmentInput) {
  const g = await loadGoalFor(deps, p, input.goalId);
  if (!p.userId || p.userId !== g.ownerUserId || !authorize(p, 'adjustment.request', { workspaceId: g.workspaceId, ownerUserId: g.ownerUserId }).ok) {
    throw new ScoreError('forbidden', `only the goal's owner (${g.ownerUserId}) requests an adjustment of goal #${g.id}`, { zh: `只有目标负责人（${g.ownerUserId}）可以申请调整目标 #${g.id}`, rule: 'owner_only' });
  }
  if (!REASON_CODES.includes(input.reason as AdjustmentReason)) {
    throw new ScoreError('invalid_argument', `reason must be one of ${REASON_CODES.join(', ')}`, { field: 'reason', zh: `原因需为：${REASON_CODES.join('、')}`, rule: 'reason_code' });
  }
  const reason = input.reason as AdjustmentReason;
  const note = input.note ? checkText(input.note, 'note', 500) : null;
  if (reason === 'force_majeure' && !note) throw new ScoreError('invalid_argument', 'force_majeure needs a note saying what happened', { field: 'note', zh: '不可抗力（force_majeure）需要填写说明', rule: 'note_required' });
  const month = goalMonth(g);
  if (month) await assertOpen(deps.database, g.workspaceId, month);
  const pending = await pendingRequests(deps.database.db, g.id);
  let before: Record<string, unknown>;
  let after: Record<string, unknown>;
  if (input.action === 'exclude_dates') {
    const from = input.from ?? '';
    const to = input.to ?? from;
    if (!isValidDate(from) || !isValidDate(to) || to < from) throw new ScoreError('invalid_argument', 'dates are YYYY-MM-DD..YYYY-MM-DD', { field: 'dates', zh: '日期格式为 YYYY-MM-DD..YYYY-MM-DD', rule: 'dates' });
    if (from < g.period.start || to > g.period.end) {
      throw new ScoreError('invalid_argument', `${from}..${to} is outside goal #${g.id}'s period ${g.period.start}..${g.period.end}`, { field: 'dates', zh: `${from}..${to} 不在目标 #${g.id} 的周期 ${g.period.start}..${g.period.end} 内`, rule: 'outside_period' });
    }
    const clash = g.excludedRanges.find((r) => overlaps(r, { from, to })) ?? pending.map((r) => r.after as { from?: string; to?: string }).find((r) => r.from && overlaps({ from: r.from, to: r.to! }, { from, to }));
    if (clash) throw new ScoreError('conflict', `${from}..${to} overlaps ${clash.from}..${clash.to}, already excluded or requested`, { field: 'dates', zh: `${from}..${to} 与已剔除或已申请的 ${clash.from}..${clash.to} 重叠`, rule: 'overlap' });
    before = { excluded_ranges: g.excludedRanges };
    after = { from, to };
  } else {
    const same = pending.find((r) => r.action === input.action);
    if (same) throw new ScoreError('conflict', `request #${same.id} for goal #${g.id} is still waiting for a decision`, { zh: `目标 #${g.id} 已有待审批的申请 #${same.id}`, rule: 'overlap' });
    if (input.action === 'change_target') {
      if (g.band) throw new ScoreError('invalid_argument', 'band goals take a band, not a single target', { field: 'target', zh: '区间目标不能只调整一个值' });
      const def = metricById(g.metricId)!;
      const d = targetDecimals(def, g.currency);
      const target = Math.round(checkTarget(def, input.target) * 10 ** d) / 10 ** d;
      before = { target: g.target };
      after = { target };
    } else {
      const [row] = await deps.database.query<{ excluded_from_score: boolean }>(sql`select excluded_from_score from goals where id = ${g.id}`);
      if (row?.excluded_from_score) throw new ScoreError('conflict', `goal #${g.id} is already excluded from the score`, { zh: `目标 #${g.id} 已不计入绩效`, rule: 'overlap' });
      before = { excluded_from_score: false };
      after = { excluded_from_score: true };
    }
  }
  const scope = await resolveScope(deps.database, g.workspaceId, g.scope, g.period.start);
  const approver = await approverFor(deps.database, g.workspaceId, scope.teamId, g.ownerUserId);
  const evidence = (input.evidence ?? []).slice(0, 5).map((u) => ({ kind: /^https?:\/\//.test(u) ? ('link' as const) : ('text' as const), ...(/^https?:\/\//.test(u) ? { url: u } : { text: u.slice(0, 500) }) }));
  return inTx(deps, async (tx) => {
    const [row] = await tx.insert(goalAdjustments).values({
      workspaceId: g.workspaceId, goalId: g.id, status: 'requested', action: input.action, before, after, reasonCode: reason, note, evidence, requestedBy: p.userId!,
    }).returning();
    await recordAudit(tx, { workspaceId: g.workspaceId, actor: actorOf(p), action: 'adjustment.request', entity: 'goal', entityId: String(g.id), before, after: { ...after, action: input.action, reason }, ...(note ? { reason: note } : {}) });
    const view = viewOf(row!);
    if (approver) {
      await notifyUser(tx, { workspaceId: g.workspaceId, userId: approver, source: { type: 'goal_adjustment', id: String(row!.id) }, message: (locale) => ({ kind: 'card', card: adjustmentRequestCard(g, view, locale) }) });
    }
    return { goal: g, request: view, approver: approver ?? null };
  });
}

/** 批准 / 驳回: a manager of the goal's scope or an admin, never the requester. */
export async function decideAdjustment(deps: GoalDeps, p: Principal, requestId: number, approve: boolean) {
  const [req] = await deps.database.db.select().from(goalAdjustments)
    .where(and(eq(goalAdjustments.id, requestId), eq(goalAdjustments.workspaceId, p.workspaceId), isNull(goalAdjustments.requestId)));
  if (!req) throw new ScoreError('not_found', `no adjustment request #${requestId}`, { zh: `没有调整申请 #${requestId}` });
  if (p.userId && p.userId === req.requestedBy) throw new ScoreError('forbidden', 'nobody approves or rejects their own adjustment request', { zh: '不能审批自己的调整申请', rule: 'self_approval' });
  const g = await loadGoalFor(deps, p, req.goalId);
  demand(p, 'goal.approve', await scopeResources(deps, g));
  const month = goalMonth(g);
  if (month && approve) await assertOpen(deps.database, g.workspaceId, month);
  const view = viewOf(req);
  const by = p.displayName ?? p.userId ?? p.kind;
  return inTx(deps, async (tx) => {
    // Row lock on the request: two clicks at once decide it once.
    await tx.execute(sql`select id from goal_adjustments where id = ${requestId} for update`);
    const [done] = await tx.select({ id: goalAdjustments.id, status: goalAdjustments.status, by: goalAdjustments.approvedBy }).from(goalAdjustments).where(eq(goalAdjustments.requestId, requestId));
    if (done) throw new ScoreError('conflict', `request #${requestId} was already ${done.status} by ${done.by ?? '?'}`, { zh: `申请 #${requestId} 已由 ${done.by ?? '?'} 处理（${done.status}）`, rule: 'decided' });
    let goal = g;
    if (approve) {
      const after = (req.after ?? {}) as { target?: number; from?: string; to?: string };
      if (req.action === 'change_target') goal = await updateGoal(tx, g.workspaceId, g.id, { target: numericText(after.target!), version: g.version + 1 });
      else if (req.action === 'exclude_dates') goal = await updateGoal(tx, g.workspaceId, g.id, { excludedRanges: [...g.excludedRanges, { from: after.from!, to: after.to!, adjustmentId: req.id }], version: g.version + 1 });
      else goal = await updateGoal(tx, g.workspaceId, g.id, { excludedFromScore: true, version: g.version + 1 });
    }
    await tx.insert(goalAdjustments).values({
      workspaceId: g.workspaceId, goalId: g.id, requestId, status: approve ? 'approved' : 'rejected', action: req.action, before: req.before, after: req.after,
      reasonCode: req.reasonCode, note: req.note, evidence: req.evidence, requestedBy: req.requestedBy, approvedBy: p.userId ?? p.kind,
    });
    await recordAudit(tx, {
      workspaceId: g.workspaceId, actor: actorOf(p), action: approve ? 'adjustment.approve' : 'adjustment.reject', entity: 'goal', entityId: String(g.id),
      before: goalSnapshot(g), after: { ...goalSnapshot(goal), adjustment: requestId, excludedRanges: goal.excludedRanges }, reason: req.reasonCode,
    });
    await notifyUser(tx, { workspaceId: g.workspaceId, userId: req.requestedBy, source: { type: 'goal_adjustment', id: String(requestId) }, message: (locale) => ({ kind: 'card', card: adjustmentDecisionCard(g, view, approve, by, locale) }) });
    return { goal, approved: approve, request: view };
  });
}
