/**
 * People: permission roles (with a manager's team), position (岗位) and time zone. Every change is
 * one transaction with its audit entry; a refusal changes nothing. Permission checks live in the
 * chat layer (permissions.ts); these functions guard only the invariants (last admin, known team).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { recordAudit, type Actor } from '../audit/audit-log.ts';
import type { EnrolledRole } from '../access/types.ts';
import { OrgError } from './errors.ts';
import { inTransaction } from './tx.ts';

export interface OrgUser {
  id: string;
  displayName: string;
  teamId: string | null;
  position: string | null;
  timezone: string | null;
  active: boolean;
  roles: { role: EnrolledRole; teamId: string | null }[];
}

/** The role a person is given; `member` removes every enrolled role. */
export type GrantRole = EnrolledRole | 'member';

export async function getUser(database: Database, workspaceId: string, userId: string): Promise<OrgUser | undefined> {
  const rows = await database.query<{ id: string; display_name: string; team_id: string | null; position: string | null; timezone: string | null; active: boolean; role: EnrolledRole | null; role_team: string | null }>(sql`
    select u.id, u.display_name, u.team_id, u.position, u.timezone, u.active, r.role, r.team_id as role_team
    from users u left join role_assignments r on r.workspace_id = u.workspace_id and r.user_id = u.id
    where u.workspace_id = ${workspaceId} and u.id = ${userId} order by r.role, r.team_id`);
  const first = rows[0];
  if (!first) return undefined;
  return {
    id: first.id,
    displayName: first.display_name,
    teamId: first.team_id,
    position: first.position,
    timezone: first.timezone,
    active: first.active,
    roles: rows.filter((r) => r.role).map((r) => ({ role: r.role!, teamId: r.role_team })),
  };
}

export async function teamExists(database: Database, workspaceId: string, teamId: string): Promise<boolean> {
  const rows = await database.query(sql`select 1 from teams where workspace_id = ${workspaceId} and id = ${teamId}`);
  return rows.length === 1;
}

const roleText = (r: { role: string; teamId: string | null }) => (r.teamId ? `${r.role} (${r.teamId})` : r.role);

/**
 * Replaces a person's roles with one role. A manager role needs a team; for other roles a team
 * moves the person to that team. The last active admin cannot stop being admin.
 */
export async function setUserRole(
  database: Database,
  input: { workspaceId: string; userId: string; role: GrantRole; teamId: string | null; actor: Actor },
): Promise<{ before: string[]; after: string[] }> {
  const { workspaceId: ws, userId } = input;
  if (input.role === 'manager' && !input.teamId) {
    throw new OrgError('invalid_argument', { en: 'A manager needs a team: add team:<id>.', 'zh-CN': '经理需要指定团队：加上 团队:<id>。' }, 'team');
  }
  return inTransaction(database, async ({ tx, q }) => {
    const current = await q<{ role: EnrolledRole; team_id: string | null }>(sql`
      select role, team_id from role_assignments where workspace_id = ${ws} and user_id = ${userId} order by role, team_id for update`);
    const before = current.map((r) => roleText({ role: r.role, teamId: r.team_id }));
    if (current.some((r) => r.role === 'admin') && input.role !== 'admin') {
      const [other] = await q<{ n: number }>(sql`
        select count(*) as n from role_assignments r join users u on u.workspace_id = r.workspace_id and u.id = r.user_id
        where r.workspace_id = ${ws} and r.role = 'admin' and r.user_id <> ${userId} and u.active`);
      if (!other || other.n === 0) {
        throw new OrgError('conflict', { en: 'That is the last admin: make someone else admin first.', 'zh-CN': '这是最后一位管理员：请先让另一个人成为管理员。' });
      }
    }
    await q(sql`delete from role_assignments where workspace_id = ${ws} and user_id = ${userId}`);
    const roleTeam = input.role === 'manager' ? input.teamId : null;
    if (input.role !== 'member') {
      await q(sql`insert into role_assignments (workspace_id, user_id, role, team_id) values (${ws}, ${userId}, ${input.role}, ${roleTeam})`);
    }
    if (input.teamId) await q(sql`update users set team_id = ${input.teamId} where workspace_id = ${ws} and id = ${userId}`);
    const after = input.role === 'member' ? [] : [roleText({ role: input.role, teamId: roleTeam })];
    await recordAudit(tx, { workspaceId: ws, actor: input.actor, action: 'update', entity: 'user_role', entityId: userId, before, after });
    return { before, after };
  });
}

export type UserField = 'position' | 'timezone';

/** Sets a person's position (岗位) or time zone; the value is stored as given (validated by callers). */
export async function setUserField(
  database: Database,
  input: { workspaceId: string; userId: string; field: UserField; value: string; actor: Actor },
): Promise<{ before: string | null; after: string }> {
  const column = sql.raw(input.field);
  return inTransaction(database, async ({ tx, q }) => {
    const [row] = await q<{ v: string | null }>(sql`
      select ${column} as v from users where workspace_id = ${input.workspaceId} and id = ${input.userId} for update`);
    if (!row) throw new OrgError('not_found', { en: `No person "${input.userId}".`, 'zh-CN': `没有找到用户“${input.userId}”。` }, 'user');
    await q(sql`update users set ${column} = ${input.value} where workspace_id = ${input.workspaceId} and id = ${input.userId}`);
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'update',
      entity: 'user',
      entityId: input.userId,
      before: { [input.field]: row.v },
      after: { [input.field]: input.value },
    });
    return { before: row.v, after: input.value };
  });
}
