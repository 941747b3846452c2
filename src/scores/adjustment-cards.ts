/**
 * Adjustment cards (不可抗力调整, glossary §3.7): the request to the approver with 批准 / 驳回
 * (values are request ids only; handlers re-read and re-check) and the decision back to the owner.
 */
import { actions, button, card, fields, note, text, type Card } from '../bot/card.ts';
import { goalLine, targetText } from '../goals/cards.ts';
import { formatGoalValue } from '../goals/reason.ts';
import type { Goal } from '../goals/types.ts';
import { REASON_LABEL } from './cards.ts';

type Locale = 'zh-CN' | 'en';
const L = (locale: Locale, en: string, zh: string) => (locale === 'zh-CN' ? zh : en);

export interface AdjustmentView {
  id: number;
  action: 'change_target' | 'exclude_dates' | 'exclude_kpi';
  target?: number;
  from?: string;
  to?: string;
  reasonCode: string;
  note: string | null;
  evidence: string[];
  by: string;
}

export function adjustmentWhat(a: AdjustmentView, g: Goal, locale: Locale): string {
  if (a.action === 'change_target') return L(locale, `target ${targetText(g)} → ${formatGoalValue(g.metricId, a.target ?? null, g.currency)}`, `目标 ${targetText(g)} → ${formatGoalValue(g.metricId, a.target ?? null, g.currency)}`);
  if (a.action === 'exclude_dates') return L(locale, `exclude ${a.from}..${a.to} (target scaled to the remaining days)`, `剔除 ${a.from}..${a.to}（目标按剩余天数折算）`);
  return L(locale, 'exclude this KPI from the score (its weight is shared out)', '该指标不计入绩效（权重按比例分配）');
}

export function adjustmentRequestCard(g: Goal, a: AdjustmentView, locale: Locale): Card {
  return card({
    title: L(locale, `Adjustment request #${a.id} for goal #${g.id}`, `目标 #${g.id} 的不可抗力调整申请 #${a.id}`),
    tone: 'warning',
    blocks: [
      text(goalLine(g, locale)),
      fields([
        { label: L(locale, 'Change', '调整'), value: adjustmentWhat(a, g, locale) },
        { label: L(locale, 'Reason', '原因'), value: `${REASON_LABEL[a.reasonCode]?.[locale] ?? a.reasonCode} (${a.reasonCode})` },
        ...(a.note ? [{ label: L(locale, 'Note', '说明'), value: a.note }] : []),
        ...(a.evidence.length ? [{ label: L(locale, 'Evidence', '证据'), value: a.evidence.join(' ') }] : []),
        { label: L(locale, 'Requested by', '申请人'), value: a.by },
      ]),
      actions(
        button('score.adjust.approve', L(locale, 'Approve', '批准'), String(a.id), 'primary'),
        button('score.adjust.reject', L(locale, 'Reject', '驳回'), String(a.id), 'danger'),
      ),
      note(L(locale, 'Actuals are never edited; the scorecard shows the original and the adjusted target.', '实际数据不会被修改；绩效卡同时显示原目标和调整后目标。')),
    ],
  });
}

export function adjustmentDecisionCard(g: Goal, a: AdjustmentView, approved: boolean, by: string, locale: Locale): Card {
  return card({
    title: approved ? L(locale, `Adjustment #${a.id} approved`, `调整申请 #${a.id} 已批准`) : L(locale, `Adjustment #${a.id} rejected`, `调整申请 #${a.id} 被驳回`),
    tone: approved ? 'success' : 'warning',
    blocks: [
      text(goalLine(g, locale)),
      fields([
        { label: L(locale, 'Change', '调整'), value: adjustmentWhat(a, g, locale) },
        { label: L(locale, 'Reason', '原因'), value: REASON_LABEL[a.reasonCode]?.[locale] ?? a.reasonCode },
        { label: L(locale, 'Decided by', '审批人'), value: by },
      ]),
    ],
  });
}
