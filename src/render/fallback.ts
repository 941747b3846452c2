/**
 * The text a card shows instead of a chart (no data, bad data, a failed or overloaded render),
 * and the body of every chart's plain-text fallback. Same numbers and forms as the chart; never
 * throws, whatever the input.
 */
import { formatChange, formatDay, formatValue } from './format.ts';
import { RAG_STYLE } from './theme.ts';
import { STEP_LABELS } from './specs/waterfall.ts';
import { NO_DATA, OTHER, num } from './specs/common.ts';
import { cleanText, clipText } from './text-width.ts';
import type { ChartInput, Lang, Rag } from './types.ts';

/** Lines of a fallback table, at most this many data rows. */
const MAX_LINES = 10;
const name = (s: unknown) => clipText(cleanText(s), 400, 14);
const ragWord = (rag: Rag | undefined, lang: Lang) => (rag && RAG_STYLE[rag] ? RAG_STYLE[rag].word[lang] : '');

function lines(input: ChartInput): string[] {
  const lang: Lang = input.lang === 'en' ? 'en' : 'zh';
  switch (input.kind) {
    case 'trend': {
      const fmt = { unit: input.unit, currency: input.currency };
      const points = (input.series ?? []).filter((p) => num(p?.value) !== null && typeof p.date === 'string');
      const out = points.slice(-MAX_LINES).map((p) => `${formatDay(p.date, lang, { weekday: true })}: ${formatValue(p.value, fmt, lang)}`);
      if (num(input.target) !== null) out.push(`${lang === 'zh' ? '目标' : 'Target'}: ${formatValue(input.target, fmt, lang)}`);
      return out;
    }
    case 'bars': {
      const fmt = { unit: input.unit, currency: input.currency };
      const bars = (input.bars ?? []).filter((b) => num(b?.value) !== null).sort((a, b) => b.value! - a.value!);
      const out = bars.slice(0, 7).map((b, i) => `${i + 1}. ${name(b.label)}: ${formatValue(b.value, fmt, lang)}`);
      const rest = bars.slice(7);
      if (rest.length) out.push(`${OTHER[lang]} (${rest.length}): ${formatValue(rest.reduce((s, b) => s + b.value!, 0), fmt, lang)}`);
      return out;
    }
    case 'goals':
      return (input.goals ?? []).slice(0, MAX_LINES).map((g) => {
        const fmt = { unit: g.unit, currency: g.currency };
        return `${name(g.label)}: ${formatValue(g.actual, fmt, lang)} / ${formatValue(g.target, fmt, lang)} ${ragWord(g.rag, lang)}`.trim();
      });
    case 'waterfall': {
      const fmt = { unit: 'money' as const, currency: input.currency };
      const sales = num(input.sales);
      if (sales === null) return [];
      const costs = (input.costs ?? []).filter((c) => num(c?.value) !== null);
      const labels = STEP_LABELS[lang] as Record<string, string>;
      const profit = sales - costs.reduce((s, c) => s + c.value, 0);
      return [
        `${input.salesLabel ?? labels.sales}: ${formatValue(sales, fmt, lang)}`,
        ...costs.map((c) => `${name(c.label ?? labels[c.id] ?? c.id)}: ${formatValue(-c.value, fmt, lang)}`),
        `${input.profitLabel ?? labels.profit}: ${formatValue(profit, fmt, lang)}`,
      ];
    }
    case 'bridge': {
      const fmt = { unit: input.unit, currency: input.currency };
      if (num(input.start?.value) === null || num(input.end?.value) === null) return [];
      const steps = (input.steps ?? []).filter((x) => num(x?.value) !== null);
      const signed = (v: number) => `${v > 0 ? '+' : ''}${formatValue(v, fmt, lang)}`;
      return [
        `${name(input.start.label)}: ${formatValue(input.start.value, fmt, lang)}`,
        ...steps.slice(0, MAX_LINES - 2).map((x) => `${name(x.label)}: ${signed(x.value)}`),
        `${name(input.end.label)}: ${formatValue(input.end.value, fmt, lang)}`,
      ];
    }
    case 'sparkline': {
      const vals = (Array.isArray(input.values) ? input.values : []).map(num).filter((v): v is number => v !== null);
      if (!vals.length) return [];
      const fmt = { unit: input.unit, currency: input.currency };
      const [lo, hi] = [Math.min(...vals), Math.max(...vals)];
      return [`${formatValue(vals[vals.length - 1], fmt, lang)} (${formatValue(lo, fmt, lang)} – ${formatValue(hi, fmt, lang)})`];
    }
    case 'scorecard':
      return (input.rows ?? []).slice(0, 20).map((r) => {
        const change = num(r.change);
        const delta = change === null ? '' : ` (${formatChange(change, r.changeUnit ?? 'relative')})`;
        const rag = ragWord(r.rag, lang);
        return `${name(r.label)}: ${formatValue(r.value, { unit: r.unit, currency: r.currency }, lang)}${delta}${rag ? ` ${rag}` : ''}`;
      });
    default:
      return [];
  }
}

/**
 * A chart as plain text: the title, then one line per point, bar, goal, step or row (newest or
 * largest first where it matters), or 暂无数据 / No data.
 */
export function chartFallbackTable(input: ChartInput): string {
  const lang: Lang = input?.lang === 'en' ? 'en' : 'zh';
  let body: string[];
  try {
    body = lines(input);
  } catch {
    body = [];
  }
  const title = cleanText(input?.title, '');
  return [title, ...(body.length ? body : [NO_DATA[lang]])].filter((l) => l !== '').join('\n');
}
