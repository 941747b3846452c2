/** `kpibot token create|list|revoke`: REST bearer tokens, printed once and stored hashed. */
import { and, eq } from 'drizzle-orm';
import { createToken, listTokens, revokeToken } from '../../access/tokens.ts';
import { ENROLLED_ROLES, type EnrolledRole } from '../../access/types.ts';
import { recordAudit } from '../../audit/audit-log.ts';
import { teams, users } from '../../db/schema/index.ts';
import { getWorkspace } from '../../tenancy/workspaces.ts';
import type { CliContext } from '../context.ts';
import { UsageError } from '../usage.ts';
import type { WorkspaceArgs } from './workspace.ts';

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export async function tokenCommand(ctx: CliContext, a: WorkspaceArgs): Promise<void> {
  const db = ctx.database.db;
  switch (a.sub) {
    case 'create': {
      const workspace = str(a.options.workspace);
      const role = str(a.options.role);
      if (!workspace || !role) throw new UsageError('usage: kpibot token create --workspace W --role R [--team T] [--user U]');
      if (!(ENROLLED_ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${ENROLLED_ROLES.join(', ')}`);
      if (!(await getWorkspace(db, workspace))) throw new UsageError(`no workspace "${workspace}" (see: kpibot workspace list)`);
      const team = str(a.options.team);
      const user = str(a.options.user);
      if (team && !(await db.select().from(teams).where(and(eq(teams.workspaceId, workspace), eq(teams.id, team)))).length) {
        throw new UsageError(`no team "${team}" in workspace ${workspace}`);
      }
      if (user && !(await db.select().from(users).where(and(eq(users.workspaceId, workspace), eq(users.id, user)))).length) {
        throw new UsageError(`no user "${user}" in workspace ${workspace}`);
      }
      const created = await db.transaction(async (tx) => {
        const t = await createToken(tx as never, {
          workspaceId: workspace,
          role: role as EnrolledRole,
          teamId: team,
          userId: user,
          name: str(a.options.name),
          createdBy: ctx.actor.name ?? 'cli',
        });
        await recordAudit(tx, {
          workspaceId: workspace,
          actor: ctx.actor,
          action: 'create',
          entity: 'api_token',
          entityId: t.id,
          after: { role, team: team ?? null, user: user ?? null },
        });
        return t;
      });
      if (a.json) return ctx.out(JSON.stringify(created));
      ctx.out(`token ${created.id} (${role}${team ? ` of ${team}` : ''}) for workspace ${workspace}:`);
      ctx.out(created.token);
      ctx.out('This is the only time it is shown. Send it as "Authorization: Bearer <token>".');
      return;
    }
    case 'list': {
      const rows = await listTokens(db, str(a.options.workspace));
      if (a.json) return ctx.out(JSON.stringify(rows));
      if (rows.length === 0) return ctx.out('no tokens');
      for (const t of rows) {
        const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : t.lastUsedAt ? `last used ${t.lastUsedAt.toISOString()}` : 'never used';
        ctx.out(`${t.id}\t${t.workspaceId}\t${t.role}${t.teamId ? `:${t.teamId}` : ''}${t.userId ? `@${t.userId}` : ''}\t${t.name ?? ''}\t${state}`);
      }
      return;
    }
    case 'revoke': {
      const id = a.positionals[0];
      if (!id) throw new UsageError('usage: kpibot token revoke <id>');
      const row = await db.transaction(async (tx) => {
        const r = await revokeToken(tx as never, id);
        if (r) await recordAudit(tx, { workspaceId: r.workspaceId, actor: ctx.actor, action: 'revoke', entity: 'api_token', entityId: id });
        return r;
      });
      if (!row) throw new UsageError(`no active token "${id}" (see: kpibot token list)`);
      return ctx.out(a.json ? JSON.stringify({ revoked: id }) : `revoked token ${id}`);
    }
    default:
      throw new UsageError('usage: kpibot token create|list|revoke …');
  }
}
