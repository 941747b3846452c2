/**
 * One person's score for one month, from their month goals (the goal engine's actuals and
 * adjusted targets): each template KPI is matched to the goal the person owns for that metric
 * and month (a person goal first, then the narrowest scope), its achievement is taken against
 * the adjusted target, and confirmed veto findings plus breached red lines apply the veto.
 * Reads only; `store.ts` decides what is saved.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { goalAdjustments, goals, scoreVetoes, type ScoreLine, type VetoCode } from '../db/schema/index.ts';
import { achievement, bandAchievement } from '../goals/achievement.ts';
import { computeProgress, type Progress } from '../goals/progress.ts';
import { toGoal } from '../goals/repo.ts';
import type { Goal } from '../goals/types.ts';
import { ScoreError } from './errors.ts';
import { computeScore, type Grade, type LineInput } from './scorecard.ts';
import { templateForPosition } from './template-repo.ts';
import { capOf, type ScoreTemplate } from './templates.ts';

/** An approved adjustment as the card and the export show it. */
export interface AppliedAdjustment {
  id: number;
  action: 'change_target' | 'exclude_dates' | 'exclude_kpi';
  reasonCode: string;
  note: string | null;
  /** `from..to` for exclude_dates. */
  range?: string;
}

/** A KPI line with what people check: original and adjusted target, actual, the reasons. */
export interface CardLine extends ScoreLine {
  target: number | null;
  originalTarget: number | null;
  actual: number | null;
  currency: string | null;
  adjustments: AppliedAdjustment[];
  /** This KPI's red line is breached (a veto when the template has red_line on it). */
  redLine?: boolean;
}

export interface ComputedScore {
  userId: string;
  month: string;
  template: ScoreTemplate;
  score: number | null;
  uncapped: number | null;
  grade: Grade | null;
  veto: boolean;
  vetoReasons: VetoCode[];
  lines: CardLine[];
  manualReview: boolean;
}

const LEVEL_ORDER: Record<string, number> = { person: 0, sku: 1, store: 2, category: 3, marketplace: 4, team: 5, company: 6 };

interface GoalWithFlag {
  goal: Goal;
  excludedFromScore: boolean;
}

async function monthGoals(database: Database, workspaceId: string, userId: string, month: string): Promise<Map<string, GoalWithFlag>> {
  const rows = await database.db.select().from(goals)
    .where(and(eq(goals.workspaceId, workspaceId), eq(goals.ownerUserId, userId), eq(goals.periodId, `month:${month}`), inArray(goals.status, ['active', 'closed'])));
  const best = new Map<string, GoalWithFlag>();
  for (const r of rows.sort((a, b) => (LEVEL_ORDER[a.scopeLevel] ?? 9) - (LEVEL_ORDER[b.scopeLevel] ?? 9) || a.id - b.id)) {
    if (!best.has(r.metricId)) best.set(r.metricId, { goal: toGoal(r), excludedFromScore: r.excludedFromScore });
  }
  return best;
}

/** Approved adjustments per goal, oldest first, with the target before the first change. */
export async function approvedAdjustments(database: Database, goalIds: number[]): Promise<Map<number, { list: AppliedAdjustment[]; originalTarget?: number | null }>> {
  const out = new Map<number, { list: AppliedAdjustment[]; originalTarget?: number | null }>();
  if (goalIds.length === 0) return out;
  const rows = await database.db.select().from(goalAdjustments).where(inArray(goalAdjustments.goalId, goalIds)).orderBy(goalAdjustments.id);
  const requests = new Map(rows.filter((r) => r.requestId === null).map((r) => [r.id, r]));
  for (const d of rows) {
    if (d.status !== 'approved' || d.requestId === null) continue;
    const req = requests.get(d.requestId);
    if (!req) continue;
    const entry = out.get(req.goalId) ?? { list: [] };
    const after = (req.after ?? {}) as { from?: string; to?: string };
    entry.list.push({ id: req.id, action: req.action, reasonCode: req.reasonCode, note: req.note, ...(req.action === 'exclude_dates' && after.from ? { range: `${after.from}..${after.to}` } : {}) });
    if (req.action === 'change_target' && entry.originalTarget === undefined) {
      const t = (req.before ?? {}).target;
      entry.originalTarget = t === null || t === undefined ? null : Number(t);
    }
    out.set(req.goalId, entry);
  }
  return out;
}

/** Achievement of a closed month vs the adjusted target (§3.2); null when not measurable. */
function achievementOf(p: Progress): number | null {
  const actual = p.pacing.actualToDate;
  if (actual === null) return null;
  if (p.goal.band) return bandAchievement(actual, p.goal.band);
  const target = p.pacing.effectiveTarget;
  if (target === null) return null;
  return achievement(actual, target, p.def.direction === 'lower' ? 'lower' : 'higher');
}

/** Grey for scoring: nothing to measure, or below the minimum sample (§3.4). */
const tooLittle = (p: Progress) => p.rag.greyReason === 'no_data' || p.rag.greyReason === 'min_sample';

async function activeVetoes(database: Database, workspaceId: string, userId: string, month: string): Promise<VetoCode[]> {
  const rows = await database.db.select({ code: scoreVetoes.code }).from(scoreVetoes)
    .where(and(eq(scoreVetoes.workspaceId, workspaceId), eq(scoreVetoes.userId, userId), eq(scoreVetoes.month, month), isNull(scoreVetoes.withdrawnBy)));
  return rows.map((r) => r.code);
}

export async function computeUserScore(database: Database, o: { workspaceId: string; userId: string; month: string; now: Date }): Promise<ComputedScore> {
  const [user] = await database.query<{ id: string; position: string | null }>(sql`
    select id, position from users where workspace_id = ${o.workspaceId} and id = ${o.userId}`);
  if (!user) throw new ScoreError('not_found', `no enrolled person "${o.userId.slice(0, 40)}"`, { field: 'user', zh: `找不到成员“${o.userId.slice(0, 40)}”` });
  const template = await templateForPosition(database, o.workspaceId, user.position);
  if (!template) {
    throw new ScoreError('not_found', `${o.userId} has no position with a score template (set one: user position @${o.userId} 运营)`, { field: 'user', zh: `${o.userId} 没有对应考核模板的岗位（请设置：用户 岗位 @${o.userId} 运营）`, rule: 'no_template' });
  }
  const byMetric = await monthGoals(database, o.workspaceId, o.userId, o.month);
  const adjustments = await approvedAdjustments(database, [...byMetric.values()].map((g) => g.goal.id));
  const lines: CardLine[] = [];
  const inputs: LineInput[] = [];
  const redLines = new Set<string>();
  for (const item of template.items) {
    const cap = capOf(item, template);
    const hit = byMetric.get(item.metricId);
    const base = { metricId: item.metricId, weight: item.weight, cap };
    if (!hit) {
      inputs.push({ ...base, achievement: null, excluded: 'grey' });
      lines.push({ ...base, effectiveWeight: 0, achievement: null, points: 0, target: null, originalTarget: null, actual: null, currency: null, adjustments: [] });
      continue;
    }
    const p = await computeProgress({ database, now: o.now }, hit.goal);
    const a = tooLittle(p) ? null : achievementOf(p);
    const breached = Boolean(p.rag.redLine) && p.rag.rag === 'red';
    if (breached) redLines.add(item.metricId);
    const adj = adjustments.get(hit.goal.id);
    const excluded = hit.excludedFromScore ? 'adjustment' : a === null ? 'grey' : undefined;
    inputs.push({ ...base, achievement: a, ...(excluded ? { excluded } : {}) });
    lines.push({
      ...base, goalId: hit.goal.id, effectiveWeight: 0, achievement: a, points: 0,
      target: p.pacing.effectiveTarget ?? hit.goal.target, originalTarget: adj?.originalTarget !== undefined ? adj.originalTarget : hit.goal.target,
      actual: p.pacing.actualToDate, currency: hit.goal.currency, adjustments: adj?.list ?? [], ...(breached ? { redLine: true } : {}),
    });
  }
  const allowed = new Set(template.vetoes.map((v) => v.code));
  const vetoReasons = new Set<VetoCode>((await activeVetoes(database, o.workspaceId, o.userId, o.month)).filter((c) => allowed.has(c)));
  if (template.vetoes.some((v) => v.code === 'red_line' && v.metricId && redLines.has(v.metricId))) vetoReasons.add('red_line');
  const r = computeScore(inputs, { veto: vetoReasons.size > 0, vetoCap: template.vetoCap });
  r.lines.forEach((l, i) => Object.assign(lines[i]!, { effectiveWeight: l.effectiveWeight, points: l.points, achievement: l.achievement, ...(l.excluded ? { excluded: l.excluded } : {}) }));
  return {
    userId: o.userId, month: o.month, template, score: r.score, uncapped: r.uncapped, grade: r.grade,
    veto: r.veto, vetoReasons: [...vetoReasons], lines, manualReview: r.manualReview,
  };
}
