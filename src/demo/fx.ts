/**
 * Daily reference rates into CNY (glossary §2.3) and the fixed budget rates finance sets per
 * year. A rate is a smooth function of the date (two slow waves and a little noise around a
 * 2024–2026 level) rather than a random walk, because a walk would depend on every earlier day.
 * Weekends and holidays carry Friday's fixing, as reference-rate feeds do.
 */
import { fromDay, weekday } from './dates.ts';
import { streamFor } from './random.ts';
import type { Row } from './sales-facts.ts';
import { DEMO_CURRENCIES } from './stores.ts';

type Ccy = (typeof DEMO_CURRENCIES)[number];

const LEVELS: Record<Ccy, { base: number; amplitude: number; decimals: number }> = {
  USD: { base: 7.16, amplitude: 0.011, decimals: 4 },
  EUR: { base: 7.85, amplitude: 0.03, decimals: 4 },
  JPY: { base: 0.0483, amplitude: 0.035, decimals: 6 },
  SGD: { base: 5.38, amplitude: 0.018, decimals: 4 },
  MYR: { base: 1.6, amplitude: 0.035, decimals: 4 },
};

/** Budget rates (预算汇率) into CNY used by goals with fx_mode = fixed_budget. */
export const BUDGET_RATES: Record<Ccy, number> = { USD: 7.1, EUR: 7.8, JPY: 0.048, SGD: 5.3, MYR: 1.55 };

/** CNY per 1 unit of `ccy` on a day. */
export function fxRate(seed: number, ccy: Ccy, day: number): number {
  const fixing = day - Math.max(0, weekday(day) - 5);
  const s = streamFor(seed, `fx:${ccy}`);
  const { base, amplitude } = LEVELS[ccy];
  const wave =
    Math.sin((2 * Math.PI * fixing) / 97 + 6 * s.u(0, 1)) * 0.6 + Math.sin((2 * Math.PI * fixing) / 233 + 6 * s.u(0, 2)) * 0.4;
  return base * (1 + amplitude * wave + 0.0015 * s.normal(fixing, 3));
}

export function fxRows(ws: string, seed: number, day: number): Row[] {
  return DEMO_CURRENCIES.map((ccy) => ({
    workspace_id: ws, date: fromDay(day), from_ccy: ccy, to_ccy: 'CNY',
    rate: fxRate(seed, ccy, day).toFixed(LEVELS[ccy].decimals), source: 'demo',
  }));
}

/** Budget rate rows of one period (`year:2026`), set by finance (dave). */
export function budgetRateRows(ws: string, periodId: string): Row[] {
  return DEMO_CURRENCIES.map((ccy) => ({
    workspace_id: ws, period_id: periodId, from_ccy: ccy, to_ccy: 'CNY', rate: BUDGET_RATES[ccy].toFixed(6), set_by: 'dave',
  }));
}
