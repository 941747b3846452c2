/**
 * The team tree: add, rename, move. Ids are short lowercase keys (`amazon-us`); names are what
 * people type (团队:亚马逊美国). A move that would put a team under itself is refused.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { recordAudit, type Actor } from '../audit/audit-log.ts';
import { teamSubtree } from '../access/principal.ts';
import { OrgError } from './errors.ts';
import { inTransaction } from './tx.ts';

export const TEAM_ID_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface TeamRow {
  id: string;
  name: string;
  parentTeamId: string | null;
}

const noTeam = (id: string) =>
  new OrgError('not_found', { en: `No team "${id.slice(0, 40)}".`, 'zh-CN': `没有团队“${id.slice(0, 40)}”。` }, 'team');

export async function listTeams(database: Database, workspaceId: string): Promise<TeamRow[]> {
  const rows = await database.query<{ id: string; name: string; parent_team_id: string | null }>(sql`
    select id, name, parent_team_id from teams where workspace_id = ${workspaceId} order by id`);
  return rows.map((r) => ({ id: r.id, name: r.name, parentTeamId: r.parent_team_id }));
}

export async function addTeam(
  database: Database,
  input: { workspaceId: string; id: string; name: string; parentId: string | null; actor: Actor },
): Promise<TeamRow> {
  if (!TEAM_ID_RE.test(input.id)) {
    throw new OrgError('invalid_argument', {
      en: `Team id "${input.id.slice(0, 40)}" must be lowercase letters, digits and dashes (e.g. amazon-jp).`,
      'zh-CN': `团队 id “${input.id.slice(0, 40)}” 只能用小写字母、数字和连字符（例如 amazon-jp）。`,
    }, 'id');
  }
  const name = input.name.trim().slice(0, 100);
  if (!name) throw new OrgError('invalid_argument', { en: 'The team needs a name.', 'zh-CN': '团队需要一个名称。' }, 'name');
  return inTransaction(database, async ({ tx, q }) => {
    if (input.parentId) {
      const [p] = await q(sql`select 1 from teams where workspace_id = ${input.workspaceId} and id = ${input.parentId}`);
      if (!p) throw noTeam(input.parentId);
    }
    const inserted = await q(sql`insert into teams (workspace_id, id, name, parent_team_id)
      values (${input.workspaceId}, ${input.id}, ${name}, ${input.parentId}) on conflict do nothing returning id`);
    if (inserted.length === 0) {
      throw new OrgError('conflict', { en: `Team "${input.id}" already exists.`, 'zh-CN': `团队“${input.id}”已存在。` }, 'id');
    }
    const row = { id: input.id, name, parentTeamId: input.parentId };
    await recordAudit(tx, { workspaceId: input.workspaceId, actor: input.actor, action: 'create', entity: 'team', entityId: input.id, after: row });
    return row;
  });
}

export async function renameTeam(
  database: Database,
  input: { workspaceId: string; id: string; name: string; actor: Actor },
): Promise<{ before: string; after: string }> {
  const name = input.name.trim().slice(0, 100);
  if (!name) throw new OrgError('invalid_argument', { en: 'The team needs a name.', 'zh-CN': '团队需要一个名称。' }, 'name');
  return inTransaction(database, async ({ tx, q }) => {
    const [row] = await q<{ name: string }>(sql`select name from teams where workspace_id = ${input.workspaceId} and id = ${input.id} for update`);
    if (!row) throw noTeam(input.id);
    await q(sql`update teams set name = ${name} where workspace_id = ${input.workspaceId} and id = ${input.id}`);
    await recordAudit(tx, {
      workspaceId: input.workspaceId, actor: input.actor, action: 'update', entity: 'team', entityId: input.id,
      before: { name: row.name }, after: { name },
    });
    return { before: row.name, after: name };
  });
}

/** Puts a team under another (or at the top with `parentId` null). */
export async function moveTeam(
  database: Database,
  input: { workspaceId: string; id: string; parentId: string | null; actor: Actor },
): Promise<{ before: string | null; after: string | null }> {
  const below = await teamSubtree(database, input.workspaceId, [input.id]);
  if (below.length === 0) throw noTeam(input.id);
  if (input.parentId && below.includes(input.parentId)) {
    throw new OrgError('invalid_argument', {
      en: `Team ${input.id} cannot go under ${input.parentId}: that team is inside it.`,
      'zh-CN': `团队 ${input.id} 不能移到 ${input.parentId} 下：后者就在它里面。`,
    }, 'parent');
  }
  return inTransaction(database, async ({ tx, q }) => {
    const [row] = await q<{ parent_team_id: string | null }>(sql`
      select parent_team_id from teams where workspace_id = ${input.workspaceId} and id = ${input.id} for update`);
    if (!row) throw noTeam(input.id);
    if (input.parentId) {
      const [p] = await q(sql`select 1 from teams where workspace_id = ${input.workspaceId} and id = ${input.parentId}`);
      if (!p) throw noTeam(input.parentId);
    }
    await q(sql`update teams set parent_team_id = ${input.parentId} where workspace_id = ${input.workspaceId} and id = ${input.id}`);
    await recordAudit(tx, {
      workspaceId: input.workspaceId, actor: input.actor, action: 'update', entity: 'team', entityId: input.id,
      before: { parent: row.parent_team_id }, after: { parent: input.parentId },
    });
    return { before: row.parent_team_id, after: input.parentId };
  });
}
