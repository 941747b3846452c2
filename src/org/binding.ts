/**
 * Binding a group chat to a team (chats.team_id). A bound group answers at operator level within
 * the team's subtree, gets the team's digest and time zone (src/bot/context.ts, groupPrincipal).
 * A group bound to another team is refused unless an admin asks for an explicit rebind.
 */
import { sql } from 'drizzle-orm';
import type { ConversationRef } from '../bot/events.ts';
import type { Database } from '../db/client.ts';
import { recordAudit, type Actor } from '../audit/audit-log.ts';
import { OrgError } from './errors.ts';
import { inTransaction } from './tx.ts';

export type BindResult = { changed: boolean; before: string | null; after: string | null };

export async function boundTeam(database: Database, c: ConversationRef): Promise<string | null> {
  const [row] = await database.query<{ team_id: string | null }>(sql`
    select team_id from chats where platform = ${c.platform} and tenant_key = ${c.tenantKey} and chat_id = ${c.chatId}`);
  return row?.team_id ?? null;
}

export async function bindChat(
  database: Database,
  input: { workspaceId: string; conversation: ConversationRef; teamId: string | null; rebind: boolean; actor: Actor },
): Promise<BindResult> {
  const c = input.conversation;
  if (c.kind !== 'group') {
    throw new OrgError('invalid_argument', { en: 'Only group chats can be bound to a team.', 'zh-CN': '只有群聊可以绑定到团队。' });
  }
  return inTransaction(database, async ({ tx, q }) => {
    if (input.teamId) {
      const [t] = await q(sql`select 1 from teams where workspace_id = ${input.workspaceId} and id = ${input.teamId}`);
      if (!t) throw new OrgError('not_found', { en: `No team "${input.teamId}".`, 'zh-CN': `没有团队“${input.teamId}”。` }, 'team');
    }
    await q(sql`insert into chats (platform, tenant_key, chat_id, workspace_id, kind)
      values (${c.platform}, ${c.tenantKey}, ${c.chatId}, ${input.workspaceId}, 'group') on conflict do nothing`);
    const [row] = await q<{ team_id: string | null; workspace_id: string }>(sql`
      select team_id, workspace_id from chats where platform = ${c.platform} and tenant_key = ${c.tenantKey} and chat_id = ${c.chatId} for update`);
    if (row!.workspace_id !== input.workspaceId) {
      throw new OrgError('forbidden', { en: 'This group belongs to another workspace.', 'zh-CN': '这个群属于另一个工作区。' });
    }
    const before = row!.team_id;
    if (before === input.teamId) return { changed: false, before, after: before };
    if (before && input.teamId && !input.rebind) {
      throw new OrgError('conflict', {
        en: `This group is already bound to team ${before}. An admin can move it with \`bind team:${input.teamId} rebind\`.`,
        'zh-CN': `这个群已绑定到团队 ${before}。管理员可用 \`绑定 团队:${input.teamId} 重新绑定\` 改绑。`,
      }, 'team');
    }
    await q(sql`update chats set team_id = ${input.teamId}
      where platform = ${c.platform} and tenant_key = ${c.tenantKey} and chat_id = ${c.chatId}`);
    await recordAudit(tx, {
      workspaceId: input.workspaceId, actor: input.actor, action: input.teamId ? 'bind' : 'unbind', entity: 'chat',
      entityId: `${c.platform}:${c.chatId}`, before: { team: before }, after: { team: input.teamId },
    });
    return { changed: true, before, after: input.teamId };
  });
}
