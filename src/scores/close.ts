/**
 * Month close (glossary §3.6): preliminary scores on the preliminary day (default 2) with a DM to
 * each person, the adjustment window until the lock day (default 15), then final and frozen with
 * a sign-off card to each team's manager; the month is `locked` once every scored team signed
 * off. An admin `reopen` (reason required, audited) thaws it; `lock` freezes it again.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { authorize } from '../access/authorize.ts';
import type { Principal } from '../access/types.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { Database } from '../db/client.ts';
import { monthCloses, scores, type TeamSignOff } from '../db/schema/index.ts';
import { actorOf } from '../goals/access.ts';
import { inTx, type GoalDeps } from '../goals/deps.ts';
import { notifyUser } from '../goals/notify.ts';
import { approverFor } from '../goals/scope.ts';
import { checkText } from '../goals/validate.ts';
import { personalScoreCard, signOffCard } from './cards.ts';
import { closeRow, isFrozen, type MonthState } from './close-state.ts';
import { ScoreError } from './errors.ts';
import { refreshScore, type ScoreRecord } from './store.ts';
import { loadTemplates } from './template-repo.ts';

const nowOf = (deps: GoalDeps) => deps.now?.() ?? new Date();

/** Active people whose position has a template, with their team. */
export async function scoredPeople(database: Database, workspaceId: string, teamIds?: string[]): Promise<{ id: string; teamId: string | null }[]> {
  const positions = (await loadTemplates(database, workspaceId)).map((t) => t.position);
  if (positions.length === 0) return [];
  const rows = await database.query<{ id: string; team_id: string | null }>(sql`
    select id, team_id from users where workspace_id = ${workspaceId} and active and position in ${positions}
      ${teamIds ? (teamIds.length ? sql`and team_id in ${teamIds}` : sql`and false`) : sql``}
    order by id`);
  return rows.map((r) => ({ id: r.id, teamId: r.team_id }));
}

async function setState(tx: Parameters<Parameters<Database['db']['transaction']>[0]>[0], workspaceId: string, month: string, set: Partial<typeof monthCloses.$inferInsert> & { state: MonthState }) {
  const { state, ...rest } = set;
  const row = { state: state as Exclude<MonthState, 'open'>, ...rest, updatedAt: new Date() };
  await tx.insert(monthCloses).values({ workspaceId, month, ...row }).onConflictDoUpdate({ target: [monthCloses.workspaceId, monthCloses.month], set: row });
}

async function refreshAll(deps: GoalDeps, workspaceId: string, month: string, freezeAs?: 'final'): Promise<ScoreRecord[]> {
  const out: ScoreRecord[] = [];
  for (const u of await scoredPeople(deps.database, workspaceId)) {
    out.push(await refreshScore(deps.database, { workspaceId, userId: u.id, month, now: nowOf(deps), ...(freezeAs ? { freezeAs } : {}) }));
  }
  return out;
}

/** Day 2: everyone's preliminary score, each told by DM. A frozen month is left alone. */
export async function runPreliminary(deps: GoalDeps, workspaceId: string, month: string): Promise<{ state: MonthState; scored: number }> {
  const close = await closeRow(deps.database.db, workspaceId, month);
  if (close.state !== 'open') return { state: close.state, scored: 0 };
  const records = await refreshAll(deps, workspaceId, month);
  await inTx(deps, async (tx) => {
    // Never over a close that moved on meanwhile (a lock caught up in the same tick).
    await tx.insert(monthCloses).values({ workspaceId, month, state: 'preliminary' }).onConflictDoNothing();
    for (const r of records) {
      await notifyUser(tx, { workspaceId, userId: r.userId, source: { type: 'score', id: `${month}:${r.userId}:preliminary` }, idempotencyKey: `score:${workspaceId}:${month}:${r.userId}:preliminary`, message: (locale) => ({ kind: 'card', card: personalScoreCard({ ...r, monthState: 'preliminary' }, locale) }) });
    }
    await recordAudit(tx, { workspaceId, actor: { kind: 'system', name: 'month-close' }, action: 'score.preliminary', entity: 'month_close', entityId: month, after: { scored: records.length } });
  });
  return { state: 'preliminary', scored: records.length };
}

/** The lock day (or an admin `lock` after a reopen): final scores, frozen, sign-off cards to managers. */
export async function runFinal(deps: GoalDeps, workspaceId: string, month: string, p?: Principal): Promise<{ state: MonthState; scored: number }> {
  const close = await closeRow(deps.database.db, workspaceId, month);
  if (isFrozen(close.state)) return { state: close.state, scored: 0 };
  const records = await refreshAll(deps, workspaceId, month, 'final');
  const teams = [...new Set(records.map((r) => r.teamId).filter((t): t is string => t !== null))];
  const managers = new Map<string, string>();
  for (const t of teams) {
    const m = await approverFor(deps.database, workspaceId, t);
    if (m) managers.set(t, m);
  }
  await inTx(deps, async (tx) => {
    await setState(tx, workspaceId, month, { state: 'final', finalAt: nowOf(deps), teamSignOffs: {}, signedOffBy: null, lockedAt: null });
    for (const [team, manager] of managers) {
      const list = records.filter((r) => r.teamId === team).map((r) => ({ ...r, monthState: 'final' as const }));
      await notifyUser(tx, { workspaceId, userId: manager, source: { type: 'month_close', id: `${month}:${team}` }, message: (locale) => ({ kind: 'card', card: signOffCard(team, month, list, locale) }) });
    }
    await recordAudit(tx, { workspaceId, actor: p ? actorOf(p) : { kind: 'system', name: 'month-close' }, action: 'score.final', entity: 'month_close', entityId: month, after: { scored: records.length, teams } });
  });
  return { state: 'final', scored: records.length };
}

/** A manager signs off their team's final scores (an admin may for any team). */
export async function signOff(deps: GoalDeps, p: Principal, month: string, teamId: string): Promise<{ state: MonthState; pending: string[] }> {
  const d = authorize(p, 'goal.approve', { workspaceId: p.workspaceId, teamId });
  if (!d.ok || p.kind === 'group') throw new ScoreError('forbidden', `only the manager of ${teamId} or an admin signs off its scores`, { zh: `只有 ${teamId} 的主管或管理员可以签字确认`, rule: 'sign_off_role' });
  const close = await closeRow(deps.database.db, p.workspaceId, month);
  if (!isFrozen(close.state)) {
    throw new ScoreError('conflict', `${month} is ${close.state}: scores are signed off once final (day of the lock)`, { zh: `${month} 当前为 ${close.state}，定稿后才能签字确认`, rule: 'not_final' });
  }
  const teams = [...new Set((await scoredPeople(deps.database, p.workspaceId)).map((u) => u.teamId).filter((t): t is string => t !== null))].sort();
  if (!teams.includes(teamId)) throw new ScoreError('not_found', `team ${teamId} has no scored people`, { zh: `团队 ${teamId} 没有考核人员`, field: 'team' });
  const signed: Record<string, TeamSignOff> = { ...close.teamSignOffs, [teamId]: { by: p.userId ?? p.kind, at: nowOf(deps).toISOString() } };
  const pending = teams.filter((t) => !signed[t]);
  const state: MonthState = pending.length === 0 ? 'locked' : 'final';
  // Read before the transaction: PGlite has one connection, which the transaction holds.
  const members = (await scoredPeople(deps.database, p.workspaceId, [teamId])).map((u) => u.id);
  await inTx(deps, async (tx) => {
    await setState(tx, p.workspaceId, month, { state, teamSignOffs: signed, signedOffBy: p.userId ?? p.kind, ...(state === 'locked' ? { lockedAt: nowOf(deps) } : {}) });
    if (members.length) await tx.update(scores).set({ status: 'locked', updatedAt: new Date() }).where(and(eq(scores.workspaceId, p.workspaceId), eq(scores.month, month), inArray(scores.userId, members)));
    await recordAudit(tx, { workspaceId: p.workspaceId, actor: actorOf(p), action: 'score.sign_off', entity: 'month_close', entityId: month, after: { team: teamId, state } });
  });
  return { state, pending };
}

/** Admin reopen with a reason (audited): the month thaws, sign-offs are cleared. */
export async function reopenMonth(deps: GoalDeps, p: Principal, month: string, reasonText: unknown): Promise<void> {
  if (!authorize(p, 'workspace.admin', { workspaceId: p.workspaceId }).ok) throw new ScoreError('forbidden', 'only admins reopen a closed month', { zh: '只有管理员可以重新打开已锁定的月份', rule: 'admin_only' });
  if (typeof reasonText !== 'string' || reasonText.trim() === '') throw new ScoreError('invalid_argument', 'a reopen needs a reason, e.g. score reopen 2026-11 "refund data corrected"', { field: 'reason', zh: '重新打开需要填写原因，例如：score reopen 2026-11 "退款数据更正"', rule: 'reason_required' });
  const reason = checkText(reasonText, 'reason', 500);
  const close = await closeRow(deps.database.db, p.workspaceId, month);
  if (!isFrozen(close.state)) throw new ScoreError('conflict', `${month} is ${close.state}, not final or locked: nothing to reopen`, { zh: `${month} 当前为 ${close.state}，未定稿，无需重新打开`, rule: 'not_final' });
  await inTx(deps, async (tx) => {
    await setState(tx, p.workspaceId, month, { state: 'reopened', reopenedBy: p.userId ?? p.kind, reopenReason: reason, reopenedAt: nowOf(deps), teamSignOffs: {}, lockedAt: null });
    await tx.update(scores).set({ status: 'preliminary', reopenedBy: p.userId ?? p.kind, reopenReason: reason, reopenedAt: nowOf(deps), updatedAt: new Date() })
      .where(and(eq(scores.workspaceId, p.workspaceId), eq(scores.month, month)));
    await recordAudit(tx, { workspaceId: p.workspaceId, actor: actorOf(p), action: 'score.reopen', entity: 'month_close', entityId: month, before: { state: close.state, signOffs: close.teamSignOffs }, after: { state: 'reopened' }, reason });
  });
}

/** Admin `lock` of a reopened (or not yet final) month: final again, sign-offs asked again. */
export async function lockMonth(deps: GoalDeps, p: Principal, month: string) {
  if (!authorize(p, 'workspace.admin', { workspaceId: p.workspaceId }).ok) throw new ScoreError('forbidden', 'only admins lock a month', { zh: '只有管理员可以锁定月份', rule: 'admin_only' });
  return runFinal(deps, p.workspaceId, month, p);
}

/** Refuses changes to a frozen month (adjustments, vetoes) until an admin reopens it. */
export async function assertOpen(database: Database, workspaceId: string, month: string): Promise<void> {
  const state = (await closeRow(database.db, workspaceId, month)).state;
  if (isFrozen(state)) {
    throw new ScoreError('conflict', `${month} is ${state}: scores are final; an admin must reopen it first (score reopen ${month} "reason")`, { zh: `${month} 已${state === 'locked' ? '锁定' : '定稿'}，需管理员先重新打开（score reopen ${month} "原因"）`, rule: 'locked' });
  }
}
