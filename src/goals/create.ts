/**
 * Setting a goal (chat `goal set`, `POST /api/v1/goals`, the plan import): every input checked
 * before anything is written (metric, target, period, scope, owner, parent), permission on the
 * scope, then the goal, its milestones, its audit entry and the owner's DM card in one
 * transaction. Children of an additive parent may not add up to more than the parent.
 */
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Principal } from '../access/types.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { goalMilestones, goalResponses, goals } from '../db/schema/index.ts';
import type { MetricDef } from '../kpi/types.ts';
import { actorOf, demand } from './access.ts';
import { assignedCard } from './cards-flow.ts';
import { childrenCheck } from './decompose.ts';
import { inTx, workspaceInfo, type GoalDeps, type Tx } from './deps.ts';
import { GoalError } from './errors.ts';
import { notifyUser } from './notify.ts';
import { goalPeriod } from './period.ts';
import { getGoal, goalSnapshot, insertGoal, listGoals, numericText } from './repo.ts';
import { findUser, resolveScope, type ScopeInfo } from './scope.ts';
import type { Band, FxMode, Goal, GoalPeriod, GoalScope, SeasonalityProfile, Stage } from './types.ts';
import { checkBand, checkCurrency, checkMetric, checkScopeLevel, checkTarget, checkText, paceKind, targetDecimals } from './validate.ts';

export interface GoalInput {
  metric: string;
  target?: number | string | null;
  band?: { lo: number; hi: number } | null;
  period: string;
  scope: { level: string; id?: string | null };
  owner: string;
  currency?: string | null;
  fxMode?: FxMode;
  parentId?: number | null;
  seasonality?: SeasonalityProfile;
  stage?: Stage | null;
  status?: 'draft' | 'active';
  milestones?: { title: string; due: string; target?: number | null }[];
  reason?: string | null;
}

/** An input after every check, ready to insert. */
export interface CheckedGoal {
  def: MetricDef;
  period: GoalPeriod;
  scope: ScopeInfo;
  owner: { id: string; name: string };
  target: number | null;
  band: Band | null;
  currency: string | null;
  fxMode: FxMode;
  parent: Goal | null;
  input: GoalInput;
}

/** Targets are kept to the metric's decimals so children add up to the cent. */
function rounded(def: MetricDef, currency: string | null, x: number): number {
  const d = targetDecimals(def, currency);
  return Math.round(x * 10 ** d) / 10 ** d;
}

export async function checkGoalInput(deps: GoalDeps, p: Principal, input: GoalInput): Promise<CheckedGoal> {
  const ws = await workspaceInfo(deps, p.workspaceId);
  const def = checkMetric(input.metric);
  const period = goalPeriod(String(input.period ?? ''), ws.today);
  const level = checkScopeLevel(String(input.scope?.level ?? ''));
  const scopeId = level === 'company' ? null : String(input.scope?.id ?? '').trim();
  if (level !== 'company' && !scopeId) throw new GoalError('invalid_argument', `scope.${level} needs an id`, { field: 'scope', zh: '请写明范围，例如 团队:亚马逊美国' });
  const scope = await resolveScope(deps.database, p.workspaceId, { level, id: scopeId } as GoalScope, period.start);
  const owner = await findUser(deps.database, p.workspaceId, String(input.owner ?? '').trim());
  if (!owner) throw new GoalError('invalid_argument', `no enrolled user "${String(input.owner ?? '').slice(0, 40)}" to own the goal`, { field: 'owner', zh: `找不到负责人“${String(input.owner ?? '').slice(0, 40)}”` });
  let currency: string | null = null;
  let fxMode: FxMode = 'store';
  if (def.unit === 'money') {
    const storeCcys = [...new Set(scope.stores.map((s) => s.currency))];
    currency = input.currency ? checkCurrency(input.currency) : storeCcys.length === 1 ? storeCcys[0]! : ws.currency;
    // A goal in another currency than its stores' is held at the budget rate (预算汇率, glossary §2.3).
    fxMode = input.fxMode ?? (storeCcys.every((c) => c === currency) ? 'store' : 'fixed_budget');
  }
  let target: number | null = null;
  let band: Band | null = null;
  if (input.band) band = checkBand(def, input.band);
  else if (input.target !== undefined && input.target !== null) target = rounded(def, currency, checkTarget(def, input.target));
  else throw new GoalError('invalid_argument', 'target is required', { field: 'target', zh: '请给出目标值' });
  if (def.direction === 'band' && target !== null) {
    // A single number for a band metric (an ad budget, days of cover) reads as "up to it, not far below".
    band = { lo: rounded(def, currency, target * 0.9), hi: target };
    target = null;
  }
  let parent: Goal | null = null;
  if (input.parentId !== undefined && input.parentId !== null) {
    parent = (await getGoal(deps.database.db, p.workspaceId, Number(input.parentId))) ?? null;
    if (!parent) throw new GoalError('not_found', `no goal #${input.parentId}`, { field: 'parentId', zh: `没有目标 #${input.parentId}` });
    if (parent.metricId !== def.id) throw new GoalError('invalid_argument', `the parent goal is for ${parent.metricId}, not ${def.id}`, { field: 'parentId', zh: `上级目标的指标是 ${parent.metricId}` });
    if (period.start < parent.period.start || period.end > parent.period.end) {
      throw new GoalError('invalid_argument', `period ${period.id} is outside the parent's ${parent.period.id}`, { field: 'period', zh: `周期超出上级目标的 ${parent.period.id}` });
    }
  }
  for (const m of input.milestones ?? []) {
    checkText(m.title, 'milestones.title', 200);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(String(m.due)) || m.due < period.start || m.due > period.end) {
      throw new GoalError('invalid_argument', `milestone due date ${String(m.due).slice(0, 20)} must lie in ${period.start}..${period.end}`, { field: 'milestones.due', zh: '里程碑日期必须在目标周期内' });
    }
    if (m.target !== undefined && m.target !== null) checkTarget(def, m.target, 'milestones.target');
  }
  return { def, period, scope, owner, target, band, currency, fxMode, parent, input };
}

/** Σ of the other active children plus this one must not exceed an additive parent. */
export async function checkAgainstParent(tx: Pick<Tx, 'select' | 'execute'>, parent: Goal | null, def: MetricDef, target: number | null, excludeId?: number) {
  if (!parent || parent.target === null || target === null || paceKind(def) !== 'additive') return null;
  // Two children written at once must not both fit: the parent row serialises them.
  await tx.execute(sql`select id from goals where id = ${parent.id} for update`);
  const siblings = (await listGoals(tx, parent.workspaceId, { parentId: parent.id, status: ['draft', 'active'] })).filter((g) => g.id !== excludeId);
  const check = childrenCheck(parent.target, [...siblings.map((g) => g.target ?? 0), target]);
  if (check.overshoot) {
    throw new GoalError('conflict', `children of goal #${parent.id} would add up to ${check.sum}, more than its ${parent.target}`, {
      field: 'target',
      zh: `子目标合计 ${check.sum} 将超过上级目标 #${parent.id} 的 ${parent.target}`,
    });
  }
  return { parentId: parent.id, parentTarget: parent.target, sum: check.sum, gap: check.gap, warn: check.warn };
}

/** Inserts a checked goal inside `tx`: row, milestones, self-confirmation, audit, owner's notice. */
export async function insertChecked(tx: Tx, p: Principal, c: CheckedGoal, opts: { by: string; reason?: string | null; action?: string }) {
  const dup = await tx.select({ id: goals.id }).from(goals).where(and(
    eq(goals.workspaceId, p.workspaceId), eq(goals.metricId, c.def.id), eq(goals.scopeLevel, c.scope.scope.level),
    c.scope.scope.id === null ? eq(goals.scopeLevel, 'company') : eq(goals.scopeId, c.scope.scope.id), eq(goals.periodId, c.period.id), ne(goals.status, 'closed'),
  ));
  if (dup[0]) {
    throw new GoalError('conflict', `goal #${dup[0].id} already covers ${c.def.id} for this scope and period; change it instead`, { field: 'period', zh: `目标 #${dup[0].id} 已覆盖同一指标、范围和周期，请修改它` });
  }
  const siblings = await checkAgainstParent(tx, c.parent, c.def, c.target);
  const goal = await insertGoal(tx, {
    workspaceId: p.workspaceId, metricId: c.def.id, scopeLevel: c.scope.scope.level, scopeId: c.scope.scope.id, parentGoalId: c.parent?.id ?? null,
    ownerUserId: c.owner.id, periodId: c.period.id, periodStart: c.period.start, periodEnd: c.period.end,
    target: numericText(c.target), bandLo: numericText(c.band?.lo), bandHi: numericText(c.band?.hi), currency: c.currency, fxMode: c.fxMode,
    stage: c.input.stage ?? null, seasonalityProfile: c.input.seasonality ?? 'flat', derived: c.scope.scope.level === 'person' && c.def.source === 'daily',
    status: c.input.status ?? 'active', createdBy: p.userId ?? actorOf(p).name ?? p.kind,
  });
  for (const m of c.input.milestones ?? []) {
    await tx.insert(goalMilestones).values({ workspaceId: p.workspaceId, goalId: goal.id, title: checkText(m.title, 'milestones.title', 200), dueDate: m.due, target: numericText(m.target ?? null), createdBy: p.userId ?? p.kind });
  }
  if (p.userId === goal.ownerUserId) {
    await tx.insert(goalResponses).values({ workspaceId: p.workspaceId, goalId: goal.id, goalVersion: goal.version, kind: 'confirm', status: 'confirmed', respondedBy: p.userId });
  }
  await recordAudit(tx, { workspaceId: p.workspaceId, actor: actorOf(p), action: opts.action ?? 'goal.create', entity: 'goal', entityId: String(goal.id), after: goalSnapshot(goal), ...(opts.reason ? { reason: opts.reason } : {}) });
  if (p.userId !== goal.ownerUserId) {
    await notifyUser(tx, { workspaceId: p.workspaceId, userId: goal.ownerUserId, source: { type: 'goal', id: String(goal.id) }, message: (locale) => ({ kind: 'card', card: assignedCard(goal, opts.by, locale, null, opts.reason) }) });
  }
  return { goal, siblings };
}

export async function createGoal(deps: GoalDeps, p: Principal, input: GoalInput) {
  const c = await checkGoalInput(deps, p, input);
  demand(p, 'goal.write', c.scope.resources.map((r) => ({ ...r, ownerUserId: c.owner.id, workspaceId: p.workspaceId })));
  const reason = input.reason ? checkText(input.reason, 'reason') : null;
  return inTx(deps, (tx) => insertChecked(tx, p, c, { by: p.displayName ?? p.userId ?? p.kind, reason }));
}
