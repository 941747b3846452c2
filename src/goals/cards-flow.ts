/**
 * Cards of the people flow: a goal assigned or changed (owner: 确认 or propose), a proposal for
 * the manager (批准 / 驳回), the decision back to the owner, the split preview (确认), and the RAG
 * announcement (into red, recovered to green). Button values are ids only; handlers re-read
 * state and check permissions, never trusting the value.
 */
import { actions, button, card, fields, note, text, type Card } from '../bot/card.ts';
import type { SplitPreviewChild } from '../db/schema/index.ts';
import { goalLine, ragTone, ragWord, scopeText, targetText, type Locale } from './cards.ts';
import { formatGoalValue, metricLabel } from './reason.ts';
import type { Goal, Rag } from './types.ts';

const L = (locale: Locale, en: string, zh: string) => (locale === 'zh-CN' ? zh : en);

/** To the owner: a goal was set for them, or changed. */
export function assignedCard(g: Goal, by: string, locale: Locale, before?: { target: string } | null, reason?: string | null): Card {
  const changed = Boolean(before);
  return card({
    title: changed ? L(locale, `Goal #${g.id} changed`, `目标 #${g.id} 已调整`) : L(locale, `New goal #${g.id} for you`, `你有新目标 #${g.id}`),
    tone: 'info',
    blocks: [
      text(goalLine(g, locale)),
      fields([
        { label: L(locale, 'Target', '目标'), value: targetText(g) + (before ? ` (${L(locale, 'was', '原')} ${before.target})` : '') },
        { label: L(locale, 'Period', '周期'), value: `${g.period.start} – ${g.period.end}` },
        { label: L(locale, 'Set by', '设定人'), value: by },
        ...(reason ? [{ label: L(locale, 'Reason', '原因'), value: reason }] : []),
      ]),
      actions(button('goal.confirm', L(locale, 'Confirm', '确认目标'), `${g.id}:${g.version}`, 'primary')),
      note(L(locale, `To propose another target: goal confirm ${g.id} <target> "reason"`, `如需提议其他目标：目标 确认 ${g.id} <目标值> "理由"`)),
    ],
  });
}

/** To the approver: the owner proposes another target. */
export function proposalCard(g: Goal, responseId: number, ownerName: string, proposed: number, reason: string, locale: Locale): Card {
  return card({
    title: L(locale, `Goal #${g.id}: a different target is proposed`, `目标 #${g.id}：负责人提议调整`),
    tone: 'warning',
    blocks: [
      text(goalLine(g, locale)),
      fields([
        { label: L(locale, 'Current target', '当前目标'), value: targetText(g) },
        { label: L(locale, 'Proposed', '提议目标'), value: formatGoalValue(g.metricId, proposed, g.currency) },
        { label: L(locale, 'By', '提议人'), value: ownerName },
        { label: L(locale, 'Reason', '理由'), value: reason },
      ]),
      actions(
        button('goal.approve', L(locale, 'Approve', '批准'), String(responseId), 'primary'),
        button('goal.reject', L(locale, 'Reject', '驳回'), String(responseId), 'danger'),
      ),
    ],
  });
}

/** To the owner: what the approver decided. */
export function decisionCard(g: Goal, approved: boolean, by: string, proposed: number, locale: Locale, noteText?: string | null): Card {
  return card({
    title: approved ? L(locale, `Goal #${g.id}: proposal approved`, `目标 #${g.id}：提议已批准`) : L(locale, `Goal #${g.id}: proposal rejected`, `目标 #${g.id}：提议被驳回`),
    tone: approved ? 'success' : 'warning',
    blocks: [
      text(goalLine(g, locale)),
      fields([
        { label: L(locale, 'Proposed', '提议目标'), value: formatGoalValue(g.metricId, proposed, g.currency) },
        { label: L(locale, 'Decided by', '审批人'), value: by },
        ...(noteText ? [{ label: L(locale, 'Note', '备注'), value: noteText }] : []),
      ]),
      ...(approved ? [] : [actions(button('goal.confirm', L(locale, 'Confirm the current target', '确认当前目标'), `${g.id}:${g.version}`, 'primary'))]),
    ],
  });
}

export interface SplitCardInput {
  parent: Goal;
  previewId: number;
  by: string;
  method: string;
  children: (SplitPreviewChild & { label: string })[];
  sum: number | null;
  gap: number | null;
  warnings: string[];
}

export function splitPreviewCard(s: SplitCardInput, locale: Locale): Card {
  const v = (x: string | number | null | undefined) => formatGoalValue(s.parent.metricId, x === null || x === undefined ? null : Number(x), s.parent.currency);
  const lines = s.children.map((c) => {
    const value = c.target !== null ? v(c.target) : `${v(c.bandLo)}–${v(c.bandHi)}`;
    const tag = c.basis === 'stepped' ? L(locale, ' (new store, stepped)', '（新店阶梯目标）') : c.basis === 'stage' ? L(locale, ' (by stage)', '（按阶段）') : '';
    return `• ${c.label}: **${value}**${c.basis === 'share' || c.basis === 'weight' ? ` · ${Math.round(c.share * 1000) / 10} %` : ''}${tag} · @${c.ownerUserId}`;
  });
  const f = [
    { label: L(locale, 'Parent', '上级目标'), value: `#${s.parent.id} ${targetText(s.parent)}` },
    { label: L(locale, 'Split', '拆解'), value: `${s.by} · ${s.method}` },
  ];
  if (s.sum !== null) f.push({ label: L(locale, 'Sum of children', '子目标合计'), value: v(s.sum) });
  if (s.gap !== null && Math.abs(s.gap) > 0) f.push({ label: L(locale, 'Gap', '缺口'), value: v(s.gap) });
  return card({
    title: L(locale, `Split goal #${s.parent.id} by ${s.by}: preview`, `拆解目标 #${s.parent.id}（按${s.by}）预览`),
    tone: 'info',
    blocks: [
      text(lines.join('\n')),
      fields(f),
      ...(s.warnings.length ? [note(s.warnings.join(' · '))] : []),
      actions(button('goal.confirm_split', L(locale, 'Confirm', '确认'), String(s.previewId), 'primary')),
      note(L(locale, 'Nothing is saved until you confirm.', '确认后才会保存。')),
    ],
  });
}

/** A RAG transition worth announcing (into red, or recovered to green). */
export function announcementCard(g: Goal, to: Rag, reason: string, locale: Locale, scopeLabel?: string): Card {
  const red = to === 'red';
  return card({
    title: red ? L(locale, `Goal #${g.id} turned red`, `目标 #${g.id} 转红`) : L(locale, `Goal #${g.id} is back on track`, `目标 #${g.id} 已恢复绿灯`),
    tone: ragTone(to),
    blocks: [
      text(`${metricLabel(g.metricId, locale)} · ${scopeText(g, locale, scopeLabel)} · ${g.period.id} · ${ragWord(to, locale)}`),
      text(reason),
      note(L(locale, `Details: goal progress ${g.id}`, `详情：目标 进度 ${g.id}`)),
    ],
  });
}
