/**
 * Comments on a goal (`goal comment <id> "…"`, shown on its progress card) and its milestones.
 * Anyone who may read the goal may comment; each comment is audited like any other change.
 */
import { asc, eq } from 'drizzle-orm';
import type { Principal } from '../access/types.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/client.ts';
import { goalComments, goalMilestones } from '../db/schema/index.ts';
import { actorOf, demand } from './access.ts';
import { inTx, type GoalDeps } from './deps.ts';
import { loadGoalFor, scopeResources } from './update.ts';
import { checkText } from './validate.ts';

export async function addComment(deps: GoalDeps, p: Principal, id: number, body: unknown) {
  const g = await loadGoalFor(deps, p, id);
  demand(p, 'goal.read', await scopeResources(deps, g));
  const text = checkText(body, 'comment', 1000);
  return inTx(deps, async (tx) => {
    const [row] = await tx.insert(goalComments).values({
      workspaceId: g.workspaceId, goalId: g.id, authorId: p.userId ?? p.kind, authorName: p.displayName ?? null, body: text,
    }).returning();
    await recordAudit(tx, { workspaceId: g.workspaceId, actor: actorOf(p), action: 'goal.comment', entity: 'goal', entityId: String(g.id), after: { commentId: row!.id, body: text } });
    return { goal: g, comment: row! };
  });
}

export async function commentsOf(db: Pick<Db, 'select'>, goalId: number) {
  const rows = await db.select().from(goalComments).where(eq(goalComments.goalId, goalId)).orderBy(asc(goalComments.id)).limit(200);
  return rows.map((r) => ({ id: r.id, author: r.authorName ?? r.authorId, authorId: r.authorId, body: r.body, at: r.createdAt }));
}

export async function milestonesOf(db: Pick<Db, 'select'>, goalId: number) {
  const rows = await db.select().from(goalMilestones).where(eq(goalMilestones.goalId, goalId)).orderBy(asc(goalMilestones.dueDate));
  return rows.map((r) => ({ id: r.id, title: r.title, due: r.dueDate, target: r.target === null ? null : Number(r.target), done: r.doneAt !== null }));
}
