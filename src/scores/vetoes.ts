/**
 * Confirmed veto findings (否决项, glossary §3.6): a manager of the person's team or an admin
 * records 刷单, review manipulation or a platform violation for a month, with a note, audited;
 * the score of that month is then capped at the template's veto cap. Red-line vetoes are not
 * recorded by hand: they follow the KPI's platform red line.
 */
import { sql } from 'drizzle-orm';
import { authorize } from '../access/authorize.ts';
import type { Principal } from '../access/types.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { scoreVetoes, type VetoCode } from '../db/schema/index.ts';
import { actorOf } from '../goals/access.ts';
import { inTx, type GoalDeps } from '../goals/deps.ts';
import { checkText } from '../goals/validate.ts';
import { assertOpen } from './close.ts';
import { ScoreError } from './errors.ts';
import { templateForPosition } from './template-repo.ts';
import { VETO_CODES } from './templates.ts';

export async function recordVeto(deps: GoalDeps, p: Principal, o: { userId: string; month: string; code: string; note: unknown }): Promise<{ id: number }> {
  const [u] = await deps.database.query<{ team_id: string | null; position: string | null }>(sql`
    select team_id, position from users where workspace_id = ${p.workspaceId} and id = ${o.userId}`);
  if (!u) throw new ScoreError('not_found', `no enrolled person "${o.userId.slice(0, 40)}"`, { field: 'user', zh: `找不到成员“${o.userId.slice(0, 40)}”` });
  const d = authorize(p, 'goal.approve', { workspaceId: p.workspaceId, ownerUserId: o.userId, ...(u.team_id ? { teamId: u.team_id } : {}) });
  if (!d.ok || p.kind === 'group' || p.userId === o.userId) {
    throw new ScoreError('forbidden', 'a veto is recorded by the person’s manager or an admin, never by themselves', { zh: '否决项由该成员的主管或管理员记录，不能自己记录', rule: 'veto_role' });
  }
  if (!VETO_CODES.includes(o.code as VetoCode) || o.code === 'red_line') {
    throw new ScoreError('invalid_argument', 'veto is fake_orders, review_manipulation or confirmed_violation (red lines apply by themselves)', { field: 'code', zh: '否决项为 fake_orders、review_manipulation 或 confirmed_violation（红线自动生效）', rule: 'veto_code' });
  }
  const template = await templateForPosition(deps.database, p.workspaceId, u.position);
  if (!template?.vetoes.some((v) => v.code === o.code)) {
    throw new ScoreError('invalid_argument', `${o.code} is not a veto item of ${o.userId}'s scorecard`, { field: 'code', zh: `${o.code} 不是 ${o.userId} 考核表中的否决项`, rule: 'veto_not_in_card' });
  }
  if (typeof o.note !== 'string' || !o.note.trim()) throw new ScoreError('invalid_argument', 'a veto needs a note with the evidence', { field: 'note', zh: '否决项需要填写说明和证据', rule: 'note_required' });
  const note = checkText(o.note, 'note', 500);
  await assertOpen(deps.database, p.workspaceId, o.month);
  return inTx(deps, async (tx) => {
    const [row] = await tx.insert(scoreVetoes).values({ workspaceId: p.workspaceId, userId: o.userId, month: o.month, code: o.code as VetoCode, note, recordedBy: p.userId ?? p.kind }).returning({ id: scoreVetoes.id });
    await recordAudit(tx, { workspaceId: p.workspaceId, actor: actorOf(p), action: 'score.veto', entity: 'score', entityId: `${o.userId}:${o.month}`, after: { code: o.code }, reason: note });
    return { id: row!.id };
  });
}
