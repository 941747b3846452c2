/**
 * Applies one directory page inside its transaction: departments become (or are matched to)
 * teams; people become (or are matched to) users. A person is found by the platform's union id
 * first, then — for a person new to this platform — by email or mobile among people already
 * known from another platform, so one person on Feishu and DingTalk is one user. Existing teams
 * and people are never renamed or moved by the directory (chat commands own that); only missing
 * facts are filled in. Audited when something changes, silent when nothing does (idempotent).
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { recordAudit, type Actor } from '../audit/audit-log.ts';
import type { DirectoryDepartment, DirectoryPerson, DirectoryPort } from '../bot/directory.ts';
import type { TxScope } from './tx.ts';

export interface ApplyContext {
  workspaceId: string;
  port: Pick<DirectoryPort, 'platform' | 'tenantKey'>;
  runId: number;
  actor: Actor;
}

export interface PageOutcome {
  applied: number;
  skipped: number;
  teamsCreated: string[];
  usersCreated: string[];
}

/** Lowercase ASCII slug; empty for names with no Latin letters or digits. */
export function slug(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50);
}

/**
 * Feishu reports mobiles with the country code (`+8613800000003`), DingTalk mainland numbers
 * without it (`13800000003`): the +86 / 0086 prefix of an 11-digit mainland number is dropped.
 */
export function mobileHash(mobile: string | undefined): string | null {
  let digits = (mobile ?? '').replace(/\D/g, '').replace(/^00/, '');
  if (/^861\d{10}$/.test(digits)) digits = digits.slice(2);
  return digits.length >= 6 ? createHash('sha256').update(digits).digest('hex') : null;
}

async function freeId(t: TxScope, table: 'teams' | 'users', ws: string, base: string): Promise<string> {
  const tbl = sql.raw(table);
  for (let i = 1; ; i++) {
    const id = i === 1 ? base : `${base.slice(0, 58)}-${i}`;
    const [taken] = await t.q(sql`select 1 from ${tbl} where workspace_id = ${ws} and id = ${id}`);
    if (!taken) return id;
  }
}

export async function applyDepartments(t: TxScope, c: ApplyContext, items: DirectoryDepartment[]): Promise<PageOutcome> {
  const out: PageOutcome = { applied: 0, skipped: 0, teamsCreated: [], usersCreated: [] };
  const { platform, tenantKey } = c.port;
  for (const d of items) {
    if (!d.id || !d.name?.trim()) {
      out.skipped++;
      continue;
    }
    const [known] = await t.q<{ team_id: string }>(sql`select team_id from directory_departments
      where platform = ${platform} and tenant_key = ${tenantKey} and department_id = ${d.id}`);
    let teamId = known?.team_id;
    if (!teamId) {
      const [parent] = d.parentId
        ? await t.q<{ team_id: string }>(sql`select team_id from directory_departments
            where platform = ${platform} and tenant_key = ${tenantKey} and department_id = ${d.parentId}`)
        : [];
      const [byName] = await t.q<{ id: string }>(sql`select id from teams where workspace_id = ${c.workspaceId}
        and (name = ${d.name} or name_en = ${d.name}) order by id limit 1`);
      // The directory's root is the company: it maps onto the workspace's only top-level team.
      const roots = d.parentId ? [] : await t.q<{ id: string }>(sql`select id from teams where workspace_id = ${c.workspaceId} and parent_team_id is null`);
      teamId = byName?.id ?? (roots.length === 1 ? roots[0]!.id : undefined);
      if (!teamId) {
        teamId = await freeId(t, 'teams', c.workspaceId, slug(d.name) || `dept-${slug(d.id) || createHash('sha256').update(d.id).digest('hex').slice(0, 8)}`);
        await t.q(sql`insert into teams (workspace_id, id, name, parent_team_id) values (${c.workspaceId}, ${teamId}, ${d.name.trim()}, ${parent?.team_id ?? null})`);
        await recordAudit(t.tx, { workspaceId: c.workspaceId, actor: c.actor, action: 'create', entity: 'team', entityId: teamId, after: { name: d.name, parent: parent?.team_id ?? null, department: `${platform}:${d.id}` } });
        out.teamsCreated.push(teamId);
      }
    }
    await t.q(sql`insert into directory_departments (platform, tenant_key, department_id, workspace_id, team_id, parent_department_id, name, last_seen_run)
      values (${platform}, ${tenantKey}, ${d.id}, ${c.workspaceId}, ${teamId}, ${d.parentId}, ${d.name}, ${c.runId})
      on conflict (platform, tenant_key, department_id) do update set parent_department_id = excluded.parent_department_id,
        name = excluded.name, last_seen_run = excluded.last_seen_run, updated_at = now()`);
    out.applied++;
  }
  return out;
}

/** The user a directory person is: by union id, else by email or mobile from another platform. */
async function matchUser(t: TxScope, c: ApplyContext, p: DirectoryPerson, hash: string | null): Promise<string | undefined> {
  const { platform, tenantKey } = c.port;
  const [known] = await t.q<{ user_id: string }>(sql`select user_id from directory_people
    where platform = ${platform} and tenant_key = ${tenantKey} and union_id = ${p.unionId}`);
  if (known) return known.user_id;
  if (p.email) {
    const [byEmail] = await t.q<{ id: string }>(sql`select id from users where workspace_id = ${c.workspaceId}
      and lower(email) = lower(${p.email}) order by id limit 1`);
    if (byEmail) return byEmail.id;
  }
  if (hash) {
    const [byMobile] = await t.q<{ user_id: string }>(sql`select user_id from directory_people
      where workspace_id = ${c.workspaceId} and mobile_hash = ${hash} order by user_id limit 1`);
    if (byMobile) return byMobile.user_id;
  }
  return undefined;
}

export async function applyPeople(t: TxScope, c: ApplyContext, items: DirectoryPerson[]): Promise<PageOutcome> {
  const out: PageOutcome = { applied: 0, skipped: 0, teamsCreated: [], usersCreated: [] };
  const { platform, tenantKey } = c.port;
  for (const p of items) {
    if (!p.unionId || !p.name?.trim()) {
      out.skipped++;
      continue;
    }
    const hash = mobileHash(p.mobile);
    const [dept] = p.departmentId
      ? await t.q<{ team_id: string }>(sql`select team_id from directory_departments
          where platform = ${platform} and tenant_key = ${tenantKey} and department_id = ${p.departmentId}`)
      : [];
    const teamId = dept?.team_id ?? null;
    let userId = await matchUser(t, c, p, hash);
    if (!userId) {
      const base = slug(p.email?.split('@')[0] ?? '') || slug(p.name) || `u-${createHash('sha256').update(p.unionId).digest('hex').slice(0, 8)}`;
      userId = await freeId(t, 'users', c.workspaceId, base);
      await t.q(sql`insert into users (workspace_id, id, display_name, team_id, email, active)
        values (${c.workspaceId}, ${userId}, ${p.name.trim()}, ${teamId}, ${p.email ?? null}, ${p.active})`);
      await recordAudit(t.tx, { workspaceId: c.workspaceId, actor: c.actor, action: 'create', entity: 'user', entityId: userId, after: { name: p.name, team: teamId, source: `${platform} directory` } });
      out.usersCreated.push(userId);
    } else {
      // Fill what is missing; a returning person (listed active again) is reactivated.
      const changed = await t.q<{ id: string; active: boolean }>(sql`update users set
          team_id = coalesce(team_id, ${teamId}), email = coalesce(email, ${p.email ?? null}),
          active = active or ${p.active}
        where workspace_id = ${c.workspaceId} and id = ${userId}
          and ((team_id is null and ${teamId}::text is not null) or (email is null and ${p.email ?? null}::text is not null) or (not active and ${p.active}))
        returning id, active`);
      if (changed.length > 0) {
        await recordAudit(t.tx, { workspaceId: c.workspaceId, actor: c.actor, action: 'update', entity: 'user', entityId: userId, after: { team: teamId, email: p.email ?? null, active: changed[0]!.active, source: `${platform} directory` } });
      }
    }
    await t.q(sql`insert into directory_people (platform, tenant_key, union_id, workspace_id, user_id, platform_user_id, email, mobile_hash, department_id, is_leader, active, last_seen_run)
      values (${platform}, ${tenantKey}, ${p.unionId}, ${c.workspaceId}, ${userId}, ${p.platformUserId || null}, ${p.email ?? null}, ${hash}, ${p.departmentId}, ${p.isLeader}, ${p.active}, ${c.runId})
      on conflict (platform, tenant_key, union_id) do update set platform_user_id = excluded.platform_user_id, email = excluded.email,
        mobile_hash = excluded.mobile_hash, department_id = excluded.department_id, is_leader = excluded.is_leader,
        active = excluded.active, last_seen_run = excluded.last_seen_run, updated_at = now()`);
    if (p.platformUserId) {
      // The chat identity is keyed on the app-scoped id events carry; the union id ties it to the person.
      await t.q(sql`insert into chat_identities (platform, tenant_key, platform_user_id, workspace_id, user_id, union_id, display_name)
        values (${platform}, ${tenantKey}, ${p.platformUserId}, ${c.workspaceId}, ${userId}, ${p.unionId}, ${p.name})
        on conflict (platform, tenant_key, platform_user_id) do update set union_id = excluded.union_id,
          user_id = coalesce(chat_identities.user_id, excluded.user_id)`);
    }
    // Identities seen before the sync (or under an older app) with the same union id join the user.
    await t.q(sql`update chat_identities set user_id = ${userId} where platform = ${platform} and tenant_key = ${tenantKey}
      and union_id = ${p.unionId} and user_id is null`);
    if (p.isLeader && p.active && teamId) {
      const granted = await t.q(sql`insert into role_assignments (workspace_id, user_id, role, team_id)
        select ${c.workspaceId}, ${userId}, 'manager', ${teamId}
        where not exists (select 1 from role_assignments where workspace_id = ${c.workspaceId} and user_id = ${userId} and role = 'manager' and team_id = ${teamId})
        returning id`);
      if (granted.length > 0) {
        await recordAudit(t.tx, { workspaceId: c.workspaceId, actor: c.actor, action: 'update', entity: 'user_role', entityId: userId, after: [`manager (${teamId})`], reason: `leader of ${platform} department ${p.departmentId}` });
      }
    }
    out.applied++;
  }
  return out;
}
