/**
 * Who sees which score (glossary §3.8 roles table): admins all; managers their team subtree, with
 * the ranking; operators only their own, no rank; finance and members none; never a group
 * principal. Chat and REST both ask here, so they refuse exactly the same requests.
 */
import { sql } from 'drizzle-orm';
import { authorize } from '../access/authorize.ts';
import type { Principal } from '../access/types.ts';
import type { GoalDeps } from '../goals/deps.ts';
import { rankRecords } from './cards.ts';
import { scoredPeople } from './close.ts';
import { ScoreError } from './errors.ts';
import { refreshScore, type ScoreRecord } from './store.ts';

const nowOf = (deps: GoalDeps) => deps.now?.() ?? new Date();

async function personTeam(deps: GoalDeps, workspaceId: string, userId: string): Promise<{ id: string; teamId: string | null } | undefined> {
  const [u] = await deps.database.query<{ id: string; team_id: string | null }>(sql`select id, team_id from users where workspace_id = ${workspaceId} and id = ${userId}`);
  return u ? { id: u.id, teamId: u.team_id } : undefined;
}

function refuse(reason: string, zh: string): never {
  throw new ScoreError('forbidden', `not permitted: ${reason}`, { zh: `没有权限：${zh}`, rule: 'privacy' });
}

const ZH_REASON: Record<string, string> = {
  'operators see only their own score': '运营只能查看自己的绩效',
  'scores are never shown in group chats': '绩效不在群里显示',
  'outside your stores or teams': '超出你管理的团队',
};

/** Throws unless `p` may see `userId`'s score. */
export async function demandScoreRead(deps: GoalDeps, p: Principal, userId: string): Promise<{ id: string; teamId: string | null }> {
  const u = await personTeam(deps, p.workspaceId, userId);
  const d = authorize(p, 'score.read', { workspaceId: p.workspaceId, ownerUserId: userId, ...(u?.teamId ? { teamId: u.teamId } : {}) });
  if (!d.ok) refuse(d.reason, ZH_REASON[d.reason] ?? `你的角色（${p.role}）不能查看绩效`);
  if (!u) throw new ScoreError('not_found', `no enrolled person "${userId.slice(0, 40)}"`, { field: 'user', zh: `找不到成员“${userId.slice(0, 40)}”` });
  return u;
}

export function mayRank(p: Principal, teamId: string | null): boolean {
  return teamId !== null && authorize(p, 'score.rank', { workspaceId: p.workspaceId, teamId }).ok;
}

/** The team's scores, refreshed, highest first (managers of the team subtree and admins). */
export async function teamScores(deps: GoalDeps, p: Principal, teamId: string, month: string): Promise<ScoreRecord[]> {
  if (!mayRank(p, teamId)) {
    const d = authorize(p, 'score.rank', { workspaceId: p.workspaceId, teamId });
    refuse(d.ok ? 'team rankings are for managers and admins' : d.reason, '只有该团队的主管或管理员可以查看团队排名');
  }
  const out: ScoreRecord[] = [];
  for (const u of await scoredPeople(deps.database, p.workspaceId, [teamId])) {
    out.push(await refreshScore(deps.database, { workspaceId: p.workspaceId, userId: u.id, month, now: nowOf(deps) }));
  }
  return rankRecords(out).map((x) => x.r);
}

export interface ScoreAnswer {
  record: ScoreRecord;
  rank?: { place: number; of: number };
}

/** One person's score, refreshed; with the team rank when the principal may see rankings. */
export async function scoreFor(deps: GoalDeps, p: Principal, userId: string, month: string): Promise<ScoreAnswer> {
  const u = await demandScoreRead(deps, p, userId);
  if (mayRank(p, u.teamId)) {
    const team = await teamScores(deps, p, u.teamId!, month);
    const ranked = rankRecords(team);
    const me = ranked.find((x) => x.r.userId === userId);
    if (me) return { record: me.r, ...(me.place !== null ? { rank: { place: me.place, of: ranked.filter((x) => x.place !== null).length } } : {}) };
  }
  return { record: await refreshScore(deps.database, { workspaceId: p.workspaceId, userId, month, now: nowOf(deps) }) };
}
