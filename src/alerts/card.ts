/**
 * The alert card in the neutral Card model. Pure: the engine renders it when an alert fires and
 * the lifecycle code re-renders it after every state change (ack, snooze, resolve) so every copy
 * on every chat reads the same. Buttons exist only while the alert can still be acted on (open or
 * snoozed); colour always comes with a word (severity label), never colour alone.
 */
import { actions, button, card, fields, note, text, type Card, type CardBlock, type Field, type Tone } from '../bot/card.ts';
import type { AckCause, AlertSeverity, AlertStatus } from '../db/schema/alerts.ts';
import { formatGoalValue } from '../goals/reason.ts';
import { localParts } from '../scheduler/zoned-time.ts';

export type Bilingual = { en: string; 'zh-CN': string };
export type Translate = (s: Bilingual) => string;

export interface AlertItem {
  /** What the line is about: a SKU, a campaign, a source. */
  label: string;
  /** Already formatted value (`ACoS 41.2 %`, `3.5 days`). */
  value: string;
}

export interface AlertView {
  id: number;
  title: string;
  severity: AlertSeverity;
  status: AlertStatus;
  metricId: string | null;
  scopeKey: string;
  value: number | null;
  threshold: number | null;
  /** Currency of money values (`USD`); null for ratios and counts. */
  currency?: string | null;
  details: Record<string, unknown>;
  openedAt: Date;
  acknowledgedByName: string | null;
  acknowledgedAt: Date | null;
  ackCause: AckCause | null;
  ackNote: string | null;
  snoozedUntil: Date | null;
  resolvedAt: Date | null;
  assigneeName: string | null;
  items: AlertItem[];
  /** Platform user ids the adapters @-mention natively. */
  mentions: string[];
  /** 试运行: the rule is in trial mode, the card went to admins only. */
  trial?: boolean;
  /** IANA zone for times on the card (the team's); UTC when absent. */
  timeZone?: string;
}

const SEVERITY: Record<AlertSeverity, { tone: Tone; icon: string; label: Bilingual }> = {
  info: { tone: 'info', icon: 'ℹ️', label: { en: 'Info', 'zh-CN': '提示' } },
  warning: { tone: 'warning', icon: '⚠️', label: { en: 'Warning', 'zh-CN': '警告' } },
  critical: { tone: 'critical', icon: '🚨', label: { en: 'Critical', 'zh-CN': '严重' } },
};

export const ACK_CAUSE_LABEL: Record<AckCause, Bilingual> = {
  stockout: { en: 'stockout', 'zh-CN': '断货' },
  competitor_price: { en: 'competitor price cut', 'zh-CN': '竞品降价' },
  budget_out: { en: 'budget ran out', 'zh-CN': '预算用完' },
  post_promo: { en: 'post-promo drop', 'zh-CN': '大促回落' },
  other: { en: 'other', 'zh-CN': '其他' },
};

/** Cards show at most this many items; the rest is a "+N more" line (chat card size limits). */
export const MAX_CARD_ITEMS = 15;

/** `2026-11-23 14:05` in the zone (UTC label when no zone is given). */
export function formatAlertTime(at: Date, timeZone?: string): string {
  const p = localParts(timeZone ?? 'UTC', at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.date} ${two(p.hour)}:${two(p.minute)}${timeZone ? '' : ' UTC'}`;
}

function valueFields(v: AlertView, t: Translate): Field[] {
  const out: Field[] = [];
  const fmt = (n: number | null) => (v.metricId ? formatGoalValue(v.metricId, n, v.currency ?? null) : n === null ? '—' : String(n));
  if (v.value !== null) out.push({ label: t({ en: 'Value', 'zh-CN': '当前值' }), value: fmt(v.value) });
  if (v.threshold !== null) out.push({ label: t({ en: 'Threshold', 'zh-CN': '阈值' }), value: fmt(v.threshold) });
  out.push({ label: t({ en: 'Scope', 'zh-CN': '范围' }), value: v.scopeKey });
  if (v.assigneeName) out.push({ label: t({ en: 'Assignee', 'zh-CN': '负责人' }), value: v.assigneeName });
  return out;
}

function statusBlock(v: AlertView, t: Translate): CardBlock | null {
  const at = (d: Date | null) => (d ? formatAlertTime(d, v.timeZone) : '—');
  if (v.status === 'acknowledged') {
    const who = v.acknowledgedByName ?? t({ en: 'someone', 'zh-CN': '某人' });
    const cause = v.ackCause ? ` (${t(ACK_CAUSE_LABEL[v.ackCause])})` : '';
    const noteText = v.ackNote ? `\n${v.ackNote}` : '';
    return text(
      t({ en: `✅ Acknowledged by ${who} at ${at(v.acknowledgedAt)}${cause}`, 'zh-CN': `✅ ${who} 已于 ${at(v.acknowledgedAt)} 确认${cause}` }) + noteText,
    );
  }
  if (v.status === 'resolved') return text(t({ en: `✔️ Resolved at ${at(v.resolvedAt)}`, 'zh-CN': `✔️ 已于 ${at(v.resolvedAt)} 恢复` }));
  if (v.status === 'snoozed' && v.snoozedUntil) {
    return text(t({ en: `💤 Snoozed until ${at(v.snoozedUntil)}`, 'zh-CN': `💤 已推迟到 ${at(v.snoozedUntil)}` }));
  }
  return null;
}

export function buildAlertCard(view: AlertView, t: Translate): Card {
  const sev = SEVERITY[view.severity];
  const live = view.status === 'open' || view.status === 'snoozed';
  const tone: Tone = view.status === 'resolved' || view.status === 'acknowledged' ? 'success' : sev.tone;
  const blocks: CardBlock[] = [];
  blocks.push(text(`${sev.icon} **${t(sev.label)}** · #${view.id}`));
  const reason = typeof view.details['reason'] === 'string' ? (view.details['reason'] as string) : null;
  if (reason) blocks.push(text(reason));
  blocks.push(fields(valueFields(view, t)));
  if (view.items.length > 0) {
    const shown = view.items.slice(0, MAX_CARD_ITEMS).map((i) => `• ${i.label}: ${i.value}`);
    const more = view.items.length - MAX_CARD_ITEMS;
    if (more > 0) shown.push(t({ en: `… and ${more} more`, 'zh-CN': `… 另有 ${more} 项` }));
    blocks.push(text(shown.join('\n')));
  }
  const status = statusBlock(view, t);
  if (status) blocks.push(status);
  if (live) {
    blocks.push(
      actions(
        button('alert.ack', t({ en: 'Acknowledge', 'zh-CN': '确认' }), String(view.id), 'primary'),
        button('alert.snooze', t({ en: 'Snooze 1h', 'zh-CN': '稍后提醒 1小时' }), `${view.id}:1h`),
        button('alert.snooze', t({ en: 'Snooze 4h', 'zh-CN': '稍后提醒 4小时' }), `${view.id}:4h`),
        button('alert.snooze', t({ en: 'Snooze 1d', 'zh-CN': '稍后提醒 1天' }), `${view.id}:1d`),
      ),
    );
  }
  const notes = [t({ en: `Opened ${formatAlertTime(view.openedAt, view.timeZone)}`, 'zh-CN': `触发于 ${formatAlertTime(view.openedAt, view.timeZone)}` })];
  if (view.trial) notes.push(t({ en: 'Trial rule (试运行): sent to admins only', 'zh-CN': '试运行规则：仅发送给管理员' }));
  blocks.push(note(notes.join(' · ')));
  const title = `${view.trial ? t({ en: '[Trial] ', 'zh-CN': '【试运行】' }) : ''}${view.title}`;
  return card({ title, tone, blocks, mentions: live ? view.mentions : [] });
}
