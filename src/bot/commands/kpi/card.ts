/**
 * The KPI answer card: headline numbers with the change vs the comparison, the dates (each
 * site's own when stores' days differ), top groups and the biggest movers for grouped answers,
 * the chart, drill-down buttons and notes. Long lists stop at what the platform shows
 * (`maxTextLength`, `maxButtons`) and end with a "more" button; the text fallback always
 * carries the numbers and the chart's table.
 */
import type { KpiResult, MetricRow } from '../../../kpi/query.ts';
import type { MetricDef } from '../../../kpi/types.ts';
import { actions, button, card, deriveFallback, fields, note, text, type Button, type Card, type CardBlock } from '../../card.ts';
import type { Locale } from '../../language.ts';
import type { ChartPart } from './chart.ts';
import { dimensionWord, MORE_ACTION } from './drill.ts';
import { changeText, compareWord, metricLabel, periodWord, valueText } from './labels.ts';
import { encodeRequest, type KpiRequest } from './request.ts';

/** Rows listed per page of a grouped answer. */
export const ROWS_PER_PAGE = 10;
const TREND_DIMS = new Set(['day', 'week', 'month']);
const ADDITIVE = new Set(['money', 'count', 'units']);

export interface AnswerInput {
  req: KpiRequest;
  result: KpiResult;
  /** Metrics shown (what this audience may see), in the order asked. */
  defs: MetricDef[];
  locale: Locale;
  periodLine: string;
  chart?: ChartPart;
  buttons: Button[];
  notes: string[];
  /** Per-metric marks from annotators (RAG, provisional), appended to the headline value. */
  marks?: Record<string, string>;
  limits: { maxTextLength: number; maxButtons: number };
}

const t = (locale: Locale, en: string, zh: string) => (locale === 'en' ? en : zh);

/** Rows best first by the first metric (direction-aware), worst first when a bottom rank was asked. */
export function rankedRows(req: KpiRequest, result: KpiResult, def: MetricDef): MetricRow[] {
  const dir = def.direction === 'lower' ? 1 : -1;
  const flip = req.r?.b ? -1 : 1;
  const v = (r: MetricRow) => (typeof r[def.id] === 'number' ? (r[def.id] as number) : null);
  return [...result.rows].sort((a, b) => {
    const x = v(a);
    const y = v(b);
    if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
    return (x - y) * dir * flip;
  });
}

function rowLine(req: KpiRequest, result: KpiResult, def: MetricDef, row: MetricRow, i: number, locale: Locale): string {
  const key = String(row[req.g!]);
  const prev = result.compare?.rows.find((r) => String(r[req.g!]) === key);
  const change = prev ? ` (${changeText(def, row[def.id] as number | null, prev[def.id] as number | null)})` : '';
  return `${i + 1}. ${key}: ${valueText(def, row[def.id] as number | null, result.currency, locale)}${change}`;
}

/** The groups that moved an additive total most, by absolute change (glossary §3.8 root cause). */
function moversLine(req: KpiRequest, result: KpiResult, def: MetricDef, locale: Locale): string | undefined {
  if (!result.compare || !ADDITIVE.has(def.unit)) return undefined;
  const before = new Map(result.compare.rows.map((r) => [String(r[req.g!]), r[def.id]]));
  const moves = result.rows
    .map((r) => ({ key: String(r[req.g!]), d: (Number(r[def.id] ?? 0) || 0) - (Number(before.get(String(r[req.g!])) ?? 0) || 0) }))
    .filter((m) => m.d !== 0)
    .sort((a, b) => Math.abs(b.d) - Math.abs(a.d))
    .slice(0, 3);
  if (!moves.length) return undefined;
  const list = moves.map((m) => `${m.key} ${m.d > 0 ? '+' : ''}${valueText(def, m.d, result.currency, locale)}`).join(', ');
  return `${t(locale, 'Biggest movers', '变化最大')}: ${list}`;
}

/** Lines of the grouped list from `off`, cut to fit `budget` characters; `next` = first row not shown. */
export function groupLines(a: AnswerInput, off: number, budget: number): { lines: string[]; next?: number } {
  const def = a.defs[0]!;
  const rows = rankedRows(a.req, a.result, def);
  const limit = Math.min(a.req.r?.n ?? ROWS_PER_PAGE, ROWS_PER_PAGE);
  const end = a.req.r ? Math.min(rows.length, a.req.r.n) : rows.length;
  const lines: string[] = [];
  let used = 0;
  let i = off;
  for (; i < end && lines.length < limit; i++) {
    const line = rowLine(a.req, a.result, def, rows[i]!, i, a.locale);
    if (used + line.length + 1 > budget) break;
    lines.push(line);
    used += line.length + 1;
  }
  return { lines, ...(i < end ? { next: i } : {}) };
}

export function titleOf(req: KpiRequest, defs: MetricDef[], locale: Locale): string {
  const names = defs.map((d) => metricLabel(d, locale)).join(' · ');
  const g = req.g && !TREND_DIMS.has(req.g) ? ` · ${dimensionWord(req.g, locale)}` : '';
  return `${names} · ${periodWord(req.p, locale)}${g}`;
}

export function moreButton(req: KpiRequest, next: number, locale: Locale): Button | undefined {
  const value = encodeRequest({ ...req, off: next });
  return value ? button(MORE_ACTION, t(locale, 'More', '更多'), value) : undefined;
}

export function buildAnswerCard(a: AnswerInput): Card {
  const { req, result, locale } = a;
  const blocks: CardBlock[] = [];
  const cmp = result.compare;
  if (!req.o && !req.off) {
    blocks.push(
      fields(
        a.defs.map((d) => {
          const change = cmp ? ` (${changeText(d, result.total[d.id], cmp.total[d.id])} ${compareWord(cmp.id, locale)})` : '';
          const mark = a.marks?.[d.id] ? ` ${a.marks[d.id]}` : '';
          return { label: metricLabel(d, locale), value: `${valueText(d, result.total[d.id], result.currency, locale)}${change}${mark}` };
        }),
      ),
    );
  }
  const dates = cmp ? `${a.periodLine} · ${compareWord(cmp.id, locale)} ${cmp.from} – ${cmp.to}` : a.periodLine;
  const scope = Object.entries(req.f ?? {}).map(([dim, ids]) => `${dim}:${ids.join(',')}`).join(' ');
  blocks.push(text(scope ? `${dates} · ${scope}` : dates));
  let more: Button | undefined;
  if (req.g && !TREND_DIMS.has(req.g) && !req.o && result.rows.length) {
    // Leave room for the headline, dates, notes and the chart's text table in the fallback.
    const budget = Math.max(200, a.limits.maxTextLength - 1500);
    const page = groupLines(a, req.off ?? 0, budget);
    const movers = moversLine(req, result, a.defs[0]!, locale);
    blocks.push(text([...page.lines, ...(movers ? [movers] : [])].join('\n')));
    if (page.next !== undefined) more = moreButton(req, page.next, locale);
  }
  if (a.chart) blocks.push(a.chart.block);
  const buttons = [...(more ? [more] : []), ...a.buttons].slice(0, a.limits.maxButtons);
  if (buttons.length) blocks.push(actions(...buttons));
  for (const n of a.notes) blocks.push(note(n));
  const title = `${titleOf(req, a.defs, locale)}${req.off ? ` · ${t(locale, `from #${req.off + 1}`, `第 ${req.off + 1} 名起`)}` : ''}`;
  const derived = deriveFallback(title, blocks);
  const fallbackText = (a.chart?.drawn ? `${derived}\n${a.chart.fallback}` : derived).slice(0, a.limits.maxTextLength);
  return card({ title, tone: 'info', blocks, fallbackText });
}

