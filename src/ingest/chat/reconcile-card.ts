/**
 * The reconciliation card (chat `data check` and the weekly job): per store the counted source's
 * total next to every other source and the value a person typed, with differences above the
 * threshold marked. Amounts in the store's currency, two decimals.
 */
import { card, note, text, type Card } from '../../bot/card.ts';
import type { Bilingual } from '../../bot/language.ts';
import type { ReconcileRow } from '../reconciliation.ts';

type T = { t(s: Bilingual): string };

const MEASURE: Record<string, Bilingual> = {
  orders: { en: 'gross sales (ex tax)', 'zh-CN': '销售额（不含税）' },
  ads: { en: 'ad spend', 'zh-CN': '广告花费' },
};

const money = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pct = (p: number | null) => (p === null ? '—' : `${p > 0 ? '+' : p < 0 ? '−' : ''}${Math.abs(p * 100).toFixed(1)} %`);

export function reconcileLines(ctx: T, rows: readonly ReconcileRow[]): string[] {
  return rows.map((r) => {
    const counted = r.primary
      ? ctx.t({ en: `counted (${r.primary}): ${money(r.counted ?? 0)}`, 'zh-CN': `计入（${r.primary}）：${money(r.counted ?? 0)}` })
      : ctx.t({ en: 'no counted source', 'zh-CN': '无计入数据源' });
    const checks = r.checks.map((c) => {
      const who = c.against === 'manual' ? ctx.t({ en: 'typed check', 'zh-CN': '人工核对值' }) : c.against;
      return `${c.flagged ? '⚠️' : '✅'} ${who}: ${money(c.value)} (${pct(c.diffPct)})`;
    });
    return `**${r.storeId}**${r.currency ? ` ${r.currency}` : ''} · ${counted}${checks.length ? `\n${checks.join('\n')}` : ''}`;
  });
}

export function reconcileCard(ctx: T, q: { dataset: string; from: string; to: string; threshold: number }, rows: readonly ReconcileRow[], flagged: number, title?: Bilingual): Card {
  const measure = ctx.t(MEASURE[q.dataset] ?? { en: q.dataset, 'zh-CN': q.dataset });
  const blocks = rows.length
    ? reconcileLines(ctx, rows).map((l) => text(l))
    : [text(ctx.t({ en: 'No data for these days.', 'zh-CN': '这些日期没有数据。' }))];
  blocks.push(note(ctx.t({
    en: `${measure} · ${q.from} – ${q.to} · flagged above ${(q.threshold * 100).toFixed(1)} % · switch the counted source with \`data source primary store:<id> ${q.dataset} <source>\``,
    'zh-CN': `${measure} · ${q.from} – ${q.to} · 差异超过 ${(q.threshold * 100).toFixed(1)} % 标记 · 切换计入数据源：\`数据 数据源 主 store:<id> ${q.dataset} <来源>\``,
  })));
  return card({
    title: title ? ctx.t(title) : ctx.t({ en: `Reconciliation: ${flagged} difference(s)`, 'zh-CN': `数据核对：${flagged} 处差异` }),
    tone: flagged ? 'warning' : 'success',
    blocks,
  });
}
