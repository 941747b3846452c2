/**
 * Evaluating goals: progress now, a goal_evaluations row, goals.rag and the hysteresis state
 * updated, and the transitions worth announcing (into red, recovered to green, after 2
 * consecutive evaluations, at most once a day) sent to the owner as a DM card, all in one
 * transaction per goal. A goal whose period is over and fully reported is closed, rated on its
 * final achievement. Run by the scheduler, after imports, and lazily before goals are listed.
 */
import { and, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import { recordAudit } from '../audit/audit-log.ts';
import { goalEvaluations, goals } from '../db/schema/index.ts';
import { announcementCard } from './cards-flow.ts';
import { inTx, nowOf, type GoalDeps } from './deps.ts';
import { stepHysteresis } from './hysteresis.ts';
import { notifyUser } from './notify.ts';
import { computeProgress, type Progress } from './progress.ts';
import { goalSnapshot, numericText, toGoal, updateGoal } from './repo.ts';
import type { Goal, Rag } from './types.ts';
import { PRIORITY } from '../bot/outbox/enqueue.ts';

export interface Evaluation {
  goal: Goal;
  progress: Progress;
  announced: { from: Rag | null; to: 'red' | 'green' } | null;
}

const clean = (x: number | null) => (x === null || !Number.isFinite(x) ? null : numericText(x));

export async function evaluateGoal(deps: GoalDeps, g: Goal): Promise<Evaluation> {
  const now = nowOf(deps);
  const progress = await computeProgress({ database: deps.database, now }, g);
  const rag = progress.rag.rag;
  const step = stepHysteresis(
    { pendingRag: g.pendingRag, pendingCount: g.pendingCount, lastAnnouncedRag: g.lastAnnouncedRag, lastAnnouncedAt: g.lastAnnouncedAt },
    rag,
    now,
  );
  const p = progress.pacing;
  const close = g.status === 'active' && p.closed && !progress.stale && p.asOf >= g.period.end;
  return inTx(deps, async (tx) => {
    await tx.insert(goalEvaluations).values({
      workspaceId: g.workspaceId, goalId: g.id, evaluatedAt: now, asOf: p.asOf, actual: clean(p.actualToDate), expected: clean(p.expectedToDate),
      elapsedShare: p.elapsedShare.toFixed(6), achievement: clean(p.closed ? p.pace : null), pace: clean(p.pace), projection: clean(p.projection),
      rag, greyReason: progress.rag.greyReason,
    });
    const updated = await updateGoal(tx, g.workspaceId, g.id, {
      rag, pendingRag: step.state.pendingRag, pendingCount: step.state.pendingCount, lastAnnouncedRag: step.state.lastAnnouncedRag,
      lastAnnouncedAt: step.state.lastAnnouncedAt, lastEvaluatedAt: now, ...(close ? { status: 'closed' as const } : {}),
    });
    if (close) {
      await recordAudit(tx, { workspaceId: g.workspaceId, actor: { kind: 'system', name: 'goals' }, action: 'goal.close', entity: 'goal', entityId: String(g.id), before: goalSnapshot(g), after: goalSnapshot(updated), reason: 'period over' });
    }
    if (step.announce) {
      const to = step.announce.to;
      await notifyUser(tx, {
        workspaceId: g.workspaceId, userId: g.ownerUserId, source: { type: 'goal_rag', id: String(g.id) }, priority: PRIORITY.alert,
        message: (locale) => ({ kind: 'card', card: announcementCard(updated, to, progress.reason[locale], locale, progress.scope.label) }),
      });
    }
    return { goal: updated, progress, announced: step.announce };
  });
}

/**
 * Evaluates the active goals of a workspace (or the given ids). `staleOnly`: only goals not yet
 * evaluated today (UTC), so a lazy call before a listing is cheap after the first.
 */
export async function evaluateGoals(deps: GoalDeps, workspaceId: string, o: { ids?: number[]; staleOnly?: boolean; limit?: number } = {}): Promise<Evaluation[]> {
  const now = nowOf(deps);
  const dayStart = new Date(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  const where = [eq(goals.workspaceId, workspaceId), eq(goals.status, 'active')];
  if (o.ids?.length) where.push(inArray(goals.id, o.ids));
  if (o.staleOnly) where.push(or(isNull(goals.lastEvaluatedAt), lt(goals.lastEvaluatedAt, dayStart))!);
  const rows = await deps.database.db.select().from(goals).where(and(...where)).orderBy(goals.id).limit(o.limit ?? 500);
  const out: Evaluation[] = [];
  for (const row of rows) out.push(await evaluateGoal(deps, toGoal(row)));
  return out;
}
