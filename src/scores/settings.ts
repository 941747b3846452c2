/**
 * The month-close days of a workspace (settings `score_preliminary_day`, `score_lock_day`;
 * defaults 2 and 15, glossary §3.6): admins change them, audited. Days are 1–28 (every month has
 * them) and the lock comes after the preliminary day, leaving the adjustment window between.
 */
import { eq } from 'drizzle-orm';
import { authorize } from '../access/authorize.ts';
import type { Principal } from '../access/types.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { Database } from '../db/client.ts';
import { workspaces } from '../db/schema/index.ts';
import { actorOf } from '../goals/access.ts';
import { closeDays, type CloseDays } from './close-state.ts';
import { ScoreError } from './errors.ts';

export async function setCloseDays(database: Database, p: Principal, days: { preliminaryDay: number; lockDay: number }): Promise<CloseDays> {
  if (!authorize(p, 'workspace.admin', { workspaceId: p.workspaceId }).ok) throw new ScoreError('forbidden', 'only admins change the month-close days', { zh: '只有管理员可以修改月结日期', rule: 'admin_only' });
  const ok = (d: number) => Number.isInteger(d) && d >= 1 && d <= 28;
  if (!ok(days.preliminaryDay) || !ok(days.lockDay) || days.lockDay <= days.preliminaryDay) {
    throw new ScoreError('invalid_argument', 'days are 1–28 and the lock day comes after the preliminary day, e.g. score days 2 15', { field: 'days', zh: '日期为 1–28，且锁定日晚于初步日，例如 score days 2 15', rule: 'close_days' });
  }
  return database.db.transaction(async (tx) => {
    const [row] = await tx.select().from(workspaces).where(eq(workspaces.id, p.workspaceId));
    const before = closeDays(row?.settings);
    await tx.update(workspaces).set({ settings: { ...row?.settings, score_preliminary_day: days.preliminaryDay, score_lock_day: days.lockDay }, updatedAt: new Date() }).where(eq(workspaces.id, p.workspaceId));
    await recordAudit(tx, { workspaceId: p.workspaceId, actor: actorOf(p), action: 'update', entity: 'workspace', entityId: p.workspaceId, before, after: days });
    return days;
  });
}
