/**
 * People who left: never deleted, deactivated (they lose every permission: principalForUser only
 * reads active users) and their open items handed to their manager — the nearest active manager
 * up the team tree, else an admin — so nothing they owned goes unwatched: goals not closed,
 * current and planned ownership (closed today and reopened for the manager, history kept) and open
 * follow-ups. Alerts belong to teams, not people, so they need no hand-over.
 */
import { sql } from 'drizzle-orm';
import { recordAudit, type Actor } from '../audit/audit-log.ts';
import type { TxScope } from './tx.ts';

export interface LeaverReport {
  userId: string;
  displayName: string;
  /** Who got the items; null when nobody could be found (items stay, listed for an admin). */
  managerId: string | null;
  managerName: string | null;
  goals: { id: number; metricId: string; periodId: string }[];
  ownership: string[];
  followups: { id: number; text: string }[];
}

/** The nearest active manager above the person (their own team first), else the first admin. */
export async function managerOf(t: TxScope, ws: string, userId: string): Promise<{ id: string; name: string } | null> {
  const [row] = await t.q<{ id: string; name: string }>(sql`
    with recursive up as (
      select t.id, t.parent_team_id, 0 as depth from teams t
        join users u on u.workspace_id = t.workspace_id and u.team_id = t.id
        where u.workspace_id = ${ws} and u.id = ${userId}
      union all
      select t.id, t.parent_team_id, up.depth + 1 from teams t join up on t.id = up.parent_team_id
        where t.workspace_id = ${ws} and up.depth < 50
    )
    select m.id, m.display_name as name from (
      select u.id, u.display_name, up.depth as rank from up
        join role_assignments r on r.workspace_id = ${ws} and r.role = 'manager' and r.team_id = up.id
        join users u on u.workspace_id = r.workspace_id and u.id = r.user_id
        where u.active and u.id <> ${userId}
      union all
      select u.id, u.display_name, 1000 as rank from role_assignments r
        join users u on u.workspace_id = r.workspace_id and u.id = r.user_id
        where r.workspace_id = ${ws} and r.role = 'admin' and u.active and u.id <> ${userId}
    ) m(id, display_name, rank) order by m.rank, m.id limit 1`);
  return row ?? null;
}

/** Deactivates one person and reassigns their open items, in the caller's transaction. */
export async function deactivateLeaver(t: TxScope, ws: string, userId: string, today: string, actor: Actor): Promise<LeaverReport> {
  const [me] = await t.q<{ display_name: string }>(sql`
    update users set active = false where workspace_id = ${ws} and id = ${userId} returning display_name`);
  const manager = await managerOf(t, ws, userId);
  const report: LeaverReport = {
    userId,
    displayName: me?.display_name ?? userId,
    managerId: manager?.id ?? null,
    managerName: manager?.name ?? null,
    goals: [],
    ownership: [],
    followups: [],
  };
  if (manager) {
    const goals = await t.q<{ id: number; metric_id: string; period_id: string }>(sql`
      update goals set owner_user_id = ${manager.id}, updated_at = now()
      where workspace_id = ${ws} and owner_user_id = ${userId} and status <> 'closed'
      returning id, metric_id, period_id`);
    report.goals = goals.map((g) => ({ id: g.id, metricId: g.metric_id, periodId: g.period_id })).sort((a, b) => a.id - b.id);
    const owned = await t.q<{ id: number; scope_type: string; scope_id: string; valid_from: string }>(sql`
      select id, scope_type, scope_id, valid_from::text as valid_from from ownership
      where workspace_id = ${ws} and user_id = ${userId} and (valid_to is null or valid_to > ${today}) order by scope_type, scope_id`);
    for (const o of owned) {
      if (o.valid_from >= today) {
        await t.q(sql`update ownership set user_id = ${manager.id} where id = ${o.id}`);
      } else {
        // Hand-over today: the leaver keeps the history up to yesterday (valid_to is exclusive).
        await t.q(sql`insert into ownership (workspace_id, scope_type, scope_id, user_id, share, valid_from, valid_to, created_by)
          select workspace_id, scope_type, scope_id, ${manager.id}, share, ${today}, valid_to, ${actor.id ?? actor.kind} from ownership where id = ${o.id}`);
        await t.q(sql`update ownership set valid_to = ${today} where id = ${o.id}`);
      }
      report.ownership.push(`${o.scope_type}:${o.scope_id}`);
    }
    const followups = await t.q<{ id: number; text: string }>(sql`
      update followups set assignee_user_id = ${manager.id}, updated_at = now()
      where workspace_id = ${ws} and assignee_user_id = ${userId} and status = 'open' returning id, text`);
    report.followups = followups.sort((a, b) => a.id - b.id);
  }
  await recordAudit(t.tx, {
    workspaceId: ws,
    actor,
    action: 'deactivate',
    entity: 'user',
    entityId: userId,
    before: { active: true },
    after: { active: false, reassignedTo: report.managerId, goals: report.goals.map((g) => g.id), ownership: report.ownership, followups: report.followups.map((f) => f.id) },
    reason: 'no longer in the company directory',
  });
  return report;
}
