/**
 * Net-profit bridge: sales → each cost → net profit. Costs arrive as positive amounts and step
 * down from sales; profit is computed (sales − Σ costs) and drawn from zero, below the axis when
 * it is a loss. Labels carry the sign (−¥1.2万), so the colours are never the only cue. More than
 * six costs fold the smallest into 其他/Other to keep ≤ 8 bars.
 */
import { formatValue } from '../format.ts';
import { COLORS } from '../theme.ts';
import type { Lang, WaterfallChart, WaterfallStepId } from '../types.ts';
import { DEFAULT_SIZE, NO_DATA, OTHER, extentLayer, failure, frame, label, num, topN, type Json, type SpecResult } from './common.ts';
import { stepChannels } from './steps.ts';

const MAX_COSTS = 6;

export const STEP_LABELS: Record<Lang, Record<WaterfallStepId | 'sales' | 'profit', string>> = {
  zh: { sales: '销售额', cogs: '货本', fees: '平台费', promo: '促销费', ads: '广告费', logistics: '物流', storage: '仓储', other: '其他', profit: '净利润' },
  en: { sales: 'Sales', cogs: 'COGS', fees: 'Fees', promo: 'Promo', ads: 'Ads', logistics: 'Shipping', storage: 'Storage', other: 'Other', profit: 'Profit' },
};

interface Step {
  name: string;
  kind: 'sales' | 'cost' | 'profit' | 'loss';
  start: number;
  end: number;
  amount: number;
}

export function waterfallSpec(input: WaterfallChart): SpecResult {
  const { lang } = input;
  const names = STEP_LABELS[lang];
  const sales = num(input.sales);
  if (sales === null) return failure('no_data', NO_DATA[lang]);
  const fmt = { unit: 'money' as const, currency: input.currency };

  const costs = (input.costs ?? [])
    .map((c) => ({ name: c?.label ?? names[c?.id as WaterfallStepId] ?? String(c?.id ?? '?'), value: num(c?.value) }))
    .filter((c): c is { name: string; value: number } => c.value !== null);
  // Keep the input order (it follows the P&L), but fold the smallest when there are too many.
  const keep = new Set([...costs].sort((a, b) => Math.abs(b.value) - Math.abs(a.value)).slice(0, MAX_COSTS - 1));
  const ordered = costs.length > MAX_COSTS ? [...costs.filter((c) => keep.has(c)), ...costs.filter((c) => !keep.has(c))] : costs;
  const shown = topN(ordered, MAX_COSTS - 1, (rest) => ({ name: OTHER[lang], value: rest.reduce((s, c) => s + c.value, 0) }));

  const steps: Step[] = [{ name: input.salesLabel ?? names.sales, kind: 'sales', start: 0, end: sales, amount: sales }];
  let running = sales;
  for (const c of shown) {
    steps.push({ name: c.name, kind: 'cost', start: running, end: running - c.value, amount: -c.value });
    running -= c.value;
  }
  steps.push({ name: input.profitLabel ?? names.profit, kind: running >= 0 ? 'profit' : 'loss', start: 0, end: running, amount: running });

  const slot = (DEFAULT_SIZE.width - 80) / steps.length;
  const color = { sales: COLORS.primary, cost: COLORS.cost, profit: COLORS.gain, loss: COLORS.loss };
  const values = steps.map((s, i) => ({
    order: i,
    name: label(s.name, slot - 4),
    lo: Math.min(s.start, s.end),
    hi: Math.max(s.start, s.end),
    // Costs and a loss hang down: their label goes under the bar, the rest on top.
    down: s.amount < 0,
    text: (s.kind === 'cost' && s.amount > 0 ? '+' : '') + formatValue(s.amount, fmt, lang),
    color: color[s.kind],
  }));

  const lo = Math.min(0, ...values.map((v) => v.lo));
  const hi = Math.max(0, ...values.map((v) => v.hi));
  const pad = (hi - lo || Math.abs(sales) || 1) * 0.12;
  const { x, y, text } = stepChannels({ names: values.map((v) => v.name), slot, fmt, lang, zero: true });

  const { width, height } = DEFAULT_SIZE;
  const body: Json = {
    data: { values },
    layer: [
      { mark: { type: 'bar', cornerRadius: 2 }, encoding: { x, y: y('lo'), y2: { field: 'hi' }, color: { field: 'color', type: 'nominal', scale: null } } },
      { mark: { type: 'rule', color: COLORS.domain }, encoding: { y: { datum: 0, type: 'quantitative' } } },
      text(false),
      text(true),
      extentLayer('y', y('lo'), lo < 0 ? lo - pad : 0, hi + pad),
    ],
  };
  const profit = values[values.length - 1]!;
  return { ok: true, spec: frame(input, width, height, body), width, height, alt: `${label(input.title, 400)}: ${profit.name} ${profit.text}` };
}
