/**
 * `goal split <id> by store|team|person|sku|month [method] [weights]`: a preview first (kept in
 * goal_split_previews, nothing else written), then 确认 writes every child in one transaction,
 * re-checking that the parent did not change and that the children still fit under it.
 */
import { and, eq } from 'drizzle-orm';
import type { Principal } from '../access/types.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { goalSplitPreviews, type SplitPreviewChild } from '../db/schema/index.ts';
import { metricById } from '../kpi/catalogue/index.ts';
import { actorOf, demand } from './access.ts';
import { insertChecked, type CheckedGoal } from './create.ts';
import { SPLIT_METHODS, splitTargets, type SplitMethod } from './decompose.ts';
import { inTx, nowOf, workspaceInfo, type GoalDeps } from './deps.ts';
import { GoalError } from './errors.ts';
import { numericText } from './repo.ts';
import { findUser, resolveScope, type ScopeInfo } from './scope.ts';
import { splitMembers, type SplitBy } from './split-members.ts';
import type { Goal } from './types.ts';
import { loadGoalFor, scopeResources } from './update.ts';
import { paceKind, targetDecimals } from './validate.ts';

export interface SplitRequest {
  by: SplitBy;
  method?: SplitMethod;
  /** Member id → weight, for `weights`. */
  weights?: Record<string, number>;
}

export interface SplitPreview {
  id: number;
  parent: Goal;
  by: SplitBy;
  method: SplitMethod;
  children: (SplitPreviewChild & { label: string })[];
  sum: number | null;
  gap: number | null;
  warnings: string[];
}

export async function previewSplit(deps: GoalDeps, p: Principal, id: number, req: SplitRequest): Promise<SplitPreview> {
  const parent = await loadGoalFor(deps, p, id);
  demand(p, 'goal.write', await scopeResources(deps, parent));
  if (parent.status === 'closed') throw new GoalError('conflict', `goal #${id} is closed`, { zh: `目标 #${id} 已关闭` });
  const def = metricById(parent.metricId)!;
  const method: SplitMethod = req.weights && Object.keys(req.weights).length ? 'weights' : (req.method ?? (req.by === 'month' ? 'yoy' : 'trailing'));
  if (!SPLIT_METHODS.includes(method)) throw new GoalError('invalid_argument', `method must be one of ${SPLIT_METHODS.join(', ')}`, { field: 'method', zh: '拆解方式必须是 trailing、yoy、even 或 weights' });
  const ws = await workspaceInfo(deps, p.workspaceId);
  const scope = await resolveScope(deps.database, p.workspaceId, parent.scope, parent.period.start);
  const principal = p;
  const members = await splitMembers({ database: deps.database, parent, def, scope, method, today: ws.today, now: nowOf(deps), principal }, req.by);
  if (members.length === 0) throw new GoalError('invalid_argument', `goal #${id} has nothing to split by ${req.by}`, { field: 'by', zh: `目标 #${id} 没有可按${req.by}拆解的对象` });
  if (method === 'weights') {
    const unknown = Object.keys(req.weights ?? {}).filter((k) => !members.some((m) => m.id === k));
    if (unknown.length) throw new GoalError('invalid_argument', `no ${req.by} "${unknown[0]!.slice(0, 40)}" under goal #${id}`, { field: 'weights', zh: `目标 #${id} 下没有“${unknown[0]!.slice(0, 40)}”` });
    for (const m of members) m.weight = req.weights?.[m.id] ?? 0;
  }
  const decimals = targetDecimals(def, parent.currency);
  const result = splitTargets({ additive: paceKind(def) === 'additive', metricId: def.id, target: parent.target, band: parent.band, method, decimals, period: parent.period, members });
  const children = result.children.map((c, i): SplitPreviewChild & { label: string } => {
    const m = members[i]!;
    return {
      scopeLevel: m.scope.level, scopeId: m.scope.id, periodId: m.period.id, periodStart: m.period.start, periodEnd: m.period.end, ownerUserId: m.owner,
      target: numericText(c.target), bandLo: numericText(c.band?.lo), bandHi: numericText(c.band?.hi), share: c.share, basis: c.basis,
      currency: parent.currency, stage: m.stage ?? null, label: c.label,
    };
  });
  const [row] = await deps.database.db.insert(goalSplitPreviews).values({
    workspaceId: p.workspaceId, parentGoalId: parent.id, parentVersion: parent.version, by: req.by, method, children, createdBy: p.userId ?? p.kind,
  }).returning({ id: goalSplitPreviews.id });
  return { id: row!.id, parent, by: req.by, method, children, sum: result.sum, gap: result.gap, warnings: result.warnings };
}

export async function confirmSplit(deps: GoalDeps, p: Principal, previewId: number) {
  const [preview] = await deps.database.db.select().from(goalSplitPreviews)
    .where(and(eq(goalSplitPreviews.id, previewId), eq(goalSplitPreviews.workspaceId, p.workspaceId)));
  if (!preview) throw new GoalError('not_found', `no split preview #${previewId}`, { zh: `没有拆解预览 #${previewId}` });
  const parent = await loadGoalFor(deps, p, preview.parentGoalId);
  demand(p, 'goal.write', await scopeResources(deps, parent));
  if (preview.status !== 'pending') throw new GoalError('conflict', `this split was already ${preview.status}`, { zh: '这个拆解已经处理过了' });
  if (parent.version !== preview.parentVersion) {
    throw new GoalError('conflict', `goal #${parent.id} changed since the preview; split it again`, { zh: `目标 #${parent.id} 在预览后有改动，请重新拆解` });
  }
  const def = metricById(parent.metricId)!;
  const checked: CheckedGoal[] = [];
  for (const c of preview.children) {
    const owner = (await findUser(deps.database, p.workspaceId, c.ownerUserId)) ?? { id: parent.ownerUserId, name: parent.ownerUserId };
    const scope: ScopeInfo = await resolveScope(deps.database, p.workspaceId, { level: c.scopeLevel as Goal['scope']['level'], id: c.scopeId }, c.periodStart);
    demand(p, 'goal.write', scope.resources.map((r) => ({ ...r, workspaceId: p.workspaceId, ownerUserId: owner.id })));
    checked.push({
      def, scope, owner, parent, currency: c.currency, fxMode: parent.fxMode,
      period: { id: c.periodId, unit: c.periodId.startsWith('month:') ? 'month' : 'custom', start: c.periodStart, end: c.periodEnd },
      target: c.target === null ? null : Number(c.target),
      band: c.bandLo !== null && c.bandLo !== undefined && c.bandHi !== null && c.bandHi !== undefined ? { lo: Number(c.bandLo), hi: Number(c.bandHi) } : null,
      input: { metric: def.id, period: c.periodId, scope: { level: c.scopeLevel, id: c.scopeId }, owner: owner.id, stage: (c.stage as Goal['stage']) ?? null, seasonality: parent.seasonalityProfile },
    });
  }
  const by = p.displayName ?? p.userId ?? p.kind;
  return inTx(deps, async (tx) => {
    const claimed = await tx.update(goalSplitPreviews).set({ status: 'applied', appliedAt: new Date() })
      .where(and(eq(goalSplitPreviews.id, previewId), eq(goalSplitPreviews.status, 'pending'))).returning({ id: goalSplitPreviews.id });
    if (claimed.length === 0) throw new GoalError('conflict', 'this split was already confirmed', { zh: '这个拆解已经确认过了' });
    const created: Goal[] = [];
    for (const c of checked) created.push((await insertChecked(tx, p, c, { by, reason: `split of goal #${parent.id} by ${preview.by}`, action: 'goal.create' })).goal);
    await recordAudit(tx, {
      workspaceId: p.workspaceId, actor: actorOf(p), action: 'goal.split', entity: 'goal', entityId: String(parent.id),
      after: { by: preview.by, method: preview.method, children: created.map((g) => ({ id: g.id, scope: g.scope, period: g.period.id, target: g.target })) },
    });
    return { parent, children: created };
  });
}
