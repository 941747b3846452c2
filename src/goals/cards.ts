/**
 * Goal cards in the neutral Card model: one line per goal, the progress card (numbers, reason,
 * milestones, comments), and the list. Cards of the people flow (assignment, proposal,
 * decision, split preview, RAG announcement) are in cards-flow.ts. Text in the reader's language;
 * colours carry a word too (红/黄/绿/灰), never colour alone.
 */
import { actions, button, card, fields, note, text, type Card, type Field, type Tone } from '../bot/card.ts';
import type { Progress } from './progress.ts';
import { formatGoalValue, metricLabel } from './reason.ts';
import type { Goal, Rag } from './types.ts';

export type Locale = 'zh-CN' | 'en';

const RAG_MARK: Record<Rag, { icon: string; zh: string; en: string; tone: Tone }> = {
  green: { icon: '🟢', zh: '绿', en: 'green', tone: 'success' },
  amber: { icon: '🟡', zh: '黄', en: 'amber', tone: 'warning' },
  red: { icon: '🔴', zh: '红', en: 'red', tone: 'critical' },
  grey: { icon: '⚪', zh: '灰', en: 'grey', tone: 'info' },
};

export function ragWord(rag: Rag | null, locale: Locale): string {
  const m = RAG_MARK[rag ?? 'grey'];
  return `${m.icon} ${locale === 'zh-CN' ? m.zh : m.en}`;
}

export function ragTone(rag: Rag | null): Tone {
  return RAG_MARK[rag ?? 'grey'].tone;
}

const L = (locale: Locale, en: string, zh: string) => (locale === 'zh-CN' ? zh : en);

/** `GMV ¥1,200,000` or `ACoS 20.0 %–30.0 %`. */
export function targetText(g: Goal): string {
  if (g.band) return `${formatGoalValue(g.metricId, g.band.lo, g.currency)}–${formatGoalValue(g.metricId, g.band.hi, g.currency)}`;
  return formatGoalValue(g.metricId, g.target, g.currency);
}

export function scopeText(g: Goal, locale: Locale, label?: string): string {
  const names: Record<string, [string, string]> = {
    company: ['company', '公司'], team: ['team', '团队'], marketplace: ['site', '站点'], store: ['store', '店铺'],
    category: ['category', '品类'], sku: ['SKU', 'SKU'], person: ['person', '个人'],
  };
  const [en, zh] = names[g.scope.level] ?? [g.scope.level, g.scope.level];
  if (g.scope.level === 'company') return L(locale, 'company', '公司');
  return `${L(locale, en, zh)}:${label ?? g.scope.id}`;
}

/** One line: `#12 GMV · 团队:亚马逊美国 · month:2026-12 · ¥1,200,000 · 🔴 红`. */
export function goalLine(g: Goal, locale: Locale, extra?: string): string {
  const status = g.status === 'active' ? '' : ` · ${L(locale, g.status, g.status === 'draft' ? '草稿' : '已关闭')}`;
  const colour = g.rag ? ragWord(g.rag, locale) : L(locale, 'not rated yet', '尚未评级');
  return `**#${g.id}** ${metricLabel(g.metricId, locale)} · ${scopeText(g, locale)} · ${g.period.id} · ${targetText(g)} · ${colour}${status}${extra ? ` · ${extra}` : ''}`;
}

export interface ProgressExtras {
  comments?: { author: string; body: string; at: Date }[];
  milestones?: { title: string; due: string; target: number | null; done: boolean }[];
  confirmed?: boolean;
  pendingProposal?: { target: number; reason: string } | null;
  /** Show the 确认 button (the viewer is the owner and has not confirmed). */
  confirmButton?: boolean;
  ownerName?: string;
}

export function progressCard(p: Progress, locale: Locale, x: ProgressExtras = {}): Card {
  const g = p.goal;
  const v = (n: number | null) => formatGoalValue(g.metricId, n, g.currency);
  const pct = (n: number | null) => (n === null ? '—' : `${Math.round(n * 100)} %`);
  const f: Field[] = [
    { label: L(locale, 'Target', '目标'), value: targetText(g) + (p.pacing.effectiveTarget !== null && g.target !== null && Math.abs(p.pacing.effectiveTarget - g.target) > 1e-9 ? ` (${L(locale, 'now', '当前')} ${v(p.pacing.effectiveTarget)})` : '') },
    { label: L(locale, 'Actual to date', '累计实际'), value: v(p.pacing.actualToDate) },
  ];
  if (p.pacing.kind === 'additive') {
    f.push({ label: L(locale, 'Expected by now', '应达进度'), value: v(p.pacing.expectedToDate) });
    f.push({ label: L(locale, 'Time elapsed', '时间进度'), value: pct(p.pacing.elapsedShare) });
  }
  f.push({ label: L(locale, 'Pace', '完成进度'), value: pct(p.pacing.pace) });
  if (p.pacing.kind === 'additive' && !p.pacing.closed) {
    f.push({ label: L(locale, 'Projection', '预计完成'), value: v(p.pacing.projection) });
    f.push({ label: L(locale, 'Needs per day', '还需日均'), value: v(p.pacing.requiredDaily) });
  }
  f.push({ label: L(locale, 'Status', '状态'), value: ragWord(p.rag.rag, locale) });
  f.push({ label: L(locale, 'As of', '数据截至'), value: `${p.pacing.asOf} (${L(locale, 'day', '第')} ${p.pacing.elapsedDays}/${p.pacing.periodDays}${L(locale, '', ' 天')})` });
  if (x.ownerName) f.push({ label: L(locale, 'Owner', '负责人'), value: x.ownerName });
  const blocks = [text(locale === 'zh-CN' ? p.reason['zh-CN'] : p.reason.en), fields(f)];
  if (x.milestones?.length) {
    blocks.push(text(`**${L(locale, 'Milestones', '里程碑')}**\n${x.milestones.map((m) => `• ${m.done ? '✅' : '⏳'} ${m.due} ${m.title}${m.target !== null ? ` (${v(m.target)})` : ''}`).join('\n')}`));
  }
  if (x.pendingProposal) {
    blocks.push(text(L(locale, `Owner proposes ${v(x.pendingProposal.target)}: ${x.pendingProposal.reason}`, `负责人提议改为 ${v(x.pendingProposal.target)}：${x.pendingProposal.reason}`)));
  }
  if (x.comments?.length) {
    blocks.push(text(`**${L(locale, 'Comments', '评论')}**\n${x.comments.slice(-5).map((c) => `• ${c.author}: ${c.body}`).join('\n')}`));
  }
  if (x.confirmButton) blocks.push(actions(button('goal.confirm', L(locale, 'Confirm', '确认目标'), `${g.id}:${g.version}`, 'primary')));
  const notes: string[] = [];
  if (x.confirmed === false) notes.push(L(locale, 'Awaiting the owner’s confirmation', '等待负责人确认'));
  if (p.fx?.mode === 'fixed_budget') notes.push(L(locale, `At budget FX rates (${p.fx.periods.join(', ') || 'fixed'})`, `按预算汇率折算（${p.fx.periods.join('，') || '固定'}）`));
  if (p.fx?.mode === 'daily' && p.fx.fallback) notes.push(L(locale, 'No budget FX rate set: converted at daily rates', '未设预算汇率：按每日汇率折算'));
  if (p.weights !== 'flat') notes.push(L(locale, `Pacing weighted by ${p.weights === 'last_year' ? 'last year’s shape' : 'weekday profile'}`, `时间进度按${p.weights === 'last_year' ? '去年同期走势' : '星期分布'}加权`));
  if (g.version > 1) notes.push(L(locale, `Adjusted (version ${g.version})`, `已调整（第 ${g.version} 版）`));
  if (notes.length) blocks.push(note(notes.join(' · ')));
  return card({ title: `${L(locale, 'Goal', '目标')} #${g.id} · ${metricLabel(g.metricId, locale)} · ${g.period.id}`, tone: ragTone(p.rag.rag), blocks });
}

export function listCard(goals: Goal[], locale: Locale, title: string, total: number): Card {
  const lines = goals.map((g) => `• ${goalLine(g, locale)}`);
  const blocks = [text(lines.length ? lines.join('\n') : L(locale, 'No goals yet.', '还没有目标。'))];
  if (total > goals.length) blocks.push(note(L(locale, `Showing ${goals.length} of ${total}; narrow with status:/rag:/owner:`, `显示 ${goals.length}/${total} 个；可用 状态:/rag:/负责人: 筛选`)));
  blocks.push(note(L(locale, 'Details: `goal progress <id>`', '详情：`目标 进度 <编号>`')));
  return card({ title, tone: 'info', blocks });
}
