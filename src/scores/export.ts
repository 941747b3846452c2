/**
 * The HR / payroll export (glossary §3.6, §3.9 ownership): one row per person and KPI for a month,
 * with weight, original and adjusted target and the reason, actual, achievement, cap, the
 * capped points, the person's score, veto, grade and the manager's sign-off. The numbers are the
 * ones `GET /api/v1/scores` answers (the same ScoreRecords), written by the XLSX/CSV writers of
 * src/ingest/export. An admin may send the summary to named people (finance, HR) by DM.
 */
import type { Principal } from '../access/types.ts';
import { card, fields, note, text } from '../bot/card.ts';
import type { GoalDeps } from '../goals/deps.ts';
import { inTx } from '../goals/deps.ts';
import { notifyUser } from '../goals/notify.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { actorOf } from '../goals/access.ts';
import type { OutCell } from '../ingest/export/csv-write.ts';
import { csvChunks } from '../ingest/export/csv-write.ts';
import { xlsxChunks } from '../ingest/export/xlsx-write.ts';
import { authorize } from '../access/authorize.ts';
import { rankRecords, reasonText, scoreText, stateWord } from './cards.ts';
import { scoredPeople } from './close.ts';
import { ScoreError } from './errors.ts';
import { refreshScore, type ScoreRecord } from './store.ts';
import { teamScores } from './view.ts';

export const SCORE_EXPORT_HEADER = [
  'month', 'team', 'user_id', 'name', 'position', 'status', 'kpi', 'weight_pct', 'effective_weight_pct', 'target', 'adjusted_target',
  'adjustment_reason', 'actual', 'achievement', 'cap', 'capped_score', 'excluded', 'score', 'veto', 'grade', 'sign_off_by', 'sign_off_at', 'late_data_score',
] as const;

export function exportRows(records: ScoreRecord[]): OutCell[][] {
  const rows: OutCell[][] = [];
  for (const r of records) {
    const person = [r.month, r.teamId, r.userId, r.name, r.position, r.monthState] as OutCell[];
    const tail = (): OutCell[] => [r.score, r.veto ? r.vetoReasons.join('|') : '', r.grade, r.signOff?.by ?? '', r.signOff?.at ?? '', r.lateData?.recomputedScore ?? ''];
    for (const l of r.lines) {
      rows.push([
        ...person, l.metricId, l.weight, l.effectiveWeight, l.originalTarget, l.target, reasonText(l, 'en'), l.actual, l.achievement, l.cap, l.points, l.excluded ?? '', ...tail(),
      ]);
    }
  }
  return rows;
}

/** Every scored person of the workspace (or one team) for the month, refreshed. */
export async function monthRecords(deps: GoalDeps, workspaceId: string, month: string, teamId?: string): Promise<ScoreRecord[]> {
  const out: ScoreRecord[] = [];
  for (const u of await scoredPeople(deps.database, workspaceId, teamId ? [teamId] : undefined)) {
    out.push(await refreshScore(deps.database, { workspaceId, userId: u.id, month, now: deps.now?.() ?? new Date() }));
  }
  return rankRecords(out).map((x) => x.r).sort((a, b) => String(a.teamId).localeCompare(String(b.teamId)));
}

async function* listOf(rows: OutCell[][]): AsyncGenerator<OutCell[]> {
  yield* rows;
}

/** The export as bytes, for `GET /api/v1/scores/export`, `/exports/scores` and the CLI. */
export function scoreExportChunks(rows: OutCell[][], format: 'csv' | 'xlsx'): AsyncIterable<string | Uint8Array> {
  return format === 'xlsx' ? xlsxChunks([...SCORE_EXPORT_HEADER], listOf(rows), { sheetName: 'scores' }) : csvChunks([...SCORE_EXPORT_HEADER], listOf(rows));
}

/** A team's records for a principal: managers their team subtree, admins all; nobody else. */
export async function exportRecordsFor(deps: GoalDeps, p: Principal, month: string, teamId?: string): Promise<ScoreRecord[]> {
  if (teamId) return teamScores(deps, p, teamId, month);
  if (!p.scope.all || p.role !== 'admin') throw new ScoreError('forbidden', 'name a team you manage (team=…); only admins export every team', { field: 'team', zh: '请写明你管理的团队；只有管理员可以导出全部团队', rule: 'privacy' });
  return monthRecords(deps, p.workspaceId, month);
}

/** An admin sends the month's HR summary to named people by DM (finance and HR see no scores otherwise). */
export async function sendScoreExport(deps: GoalDeps, p: Principal, month: string, teamId: string | undefined, recipients: string[]): Promise<number> {
  if (!authorize(p, 'workspace.admin', { workspaceId: p.workspaceId }).ok) throw new ScoreError('forbidden', 'only admins send the HR export', { zh: '只有管理员可以发送绩效导出', rule: 'admin_only' });
  if (recipients.length === 0) throw new ScoreError('invalid_argument', 'name who receives it, e.g. to:@dave', { field: 'to', zh: '请写明接收人，例如 to:@dave', rule: 'recipients' });
  const records = await monthRecords(deps, p.workspaceId, month, teamId);
  const scope = teamId ?? 'all teams';
  return inTx(deps, async (tx) => {
    let sent = 0;
    for (const userId of recipients) {
      sent += await notifyUser(tx, {
        workspaceId: p.workspaceId, userId, source: { type: 'score_export', id: `${month}:${scope}` },
        message: (locale) => ({
          kind: 'card',
          card: card({
            title: locale === 'zh-CN' ? `${month} 绩效导出（${scope}）` : `Scores ${month} for payroll (${scope})`,
            tone: 'info',
            blocks: [
              text(records.map((r) => `${r.teamId ?? '—'} · ${r.name} (${r.userId}) · **${scoreText(r.score)}** ${r.grade ?? ''}${r.veto ? ` · veto ${r.vetoReasons.join('|')}` : ''}${r.signOff ? ` · ✔ ${r.signOff.by}` : ''}`).join('\n') || '—'),
              fields([{ label: locale === 'zh-CN' ? '状态' : 'Status', value: stateWord(records[0]?.monthState ?? 'open', locale) }, { label: locale === 'zh-CN' ? '发送人' : 'Sent by', value: p.displayName ?? p.userId ?? p.kind }]),
              note(locale === 'zh-CN' ? `完整 XLSX（每人每个指标）：kpibot export --dataset scores --month ${month} --format xlsx --out scores.xlsx` : `Full XLSX (per person and KPI): kpibot export --dataset scores --month ${month} --format xlsx --out scores.xlsx`),
            ],
          }),
        }),
      });
    }
    await recordAudit(tx, { workspaceId: p.workspaceId, actor: actorOf(p), action: 'score.export_sent', entity: 'month_close', entityId: month, after: { team: teamId ?? null, to: recipients, rows: records.length } });
    return sent;
  });
}
