/**
 * Fixed budget rates (预算汇率, glossary §2.3): finance sets one rate per workspace, period and
 * currency pair in `budget_fx_rates`, so a figure in budget currency never swings with the daily
 * rate. A row's day takes the most specific period containing it (month before quarter before
 * year, as goals do); with no direct pair, through the workspace currency like daily rates. No
 * stale fallback: a day without a budget period is missing, never silently converted.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { memo, type FxTable, type RateHit } from './fx.ts';

/** Period ids containing a day, most specific first. */
export function budgetPeriodsOf(day: string): string[] {
  const y = day.slice(0, 4);
  const m = Number(day.slice(5, 7));
  return [`month:${day.slice(0, 7)}`, `quarter:${y}-Q${Math.floor((m - 1) / 3) + 1}`, `year:${y}`];
}

export async function loadBudgetFx(
  database: Database,
  workspaceId: string,
  opts: { currencies: string[]; reporting: string; pivot: string },
): Promise<FxTable> {
  const ccys = [...new Set([...opts.currencies, opts.reporting, opts.pivot])];
  const rows = await database.query<{ period_id: string; from_ccy: string; to_ccy: string; rate: string }>(sql`
    select period_id, from_ccy, to_ccy, rate::text as rate from budget_fx_rates
    where workspace_id = ${workspaceId} and from_ccy in ${ccys} and to_ccy in ${ccys}`);
  const rates = new Map(rows.map((r) => [`${r.period_id}|${r.from_ccy.trim()}>${r.to_ccy.trim()}`, Number(r.rate)]));

  function direct(from: string, to: string, day: string): RateHit | null {
    for (const period of budgetPeriodsOf(day)) {
      const d = rates.get(`${period}|${from}>${to}`);
      if (d !== undefined) return { rate: d, date: day, stale: false, periods: [period] };
      const inv = rates.get(`${period}|${to}>${from}`);
      if (inv !== undefined) return { rate: 1 / inv, date: day, stale: false, periods: [period] };
    }
    return null;
  }

  return {
    mode: 'budget',
    rate: memo((from, to, day) => {
      if (from === to) return { rate: 1, date: day, stale: false };
      const d = direct(from, to, day);
      if (d) return d;
      const a = direct(from, opts.pivot, day);
      const b = direct(to, opts.pivot, day);
      if (!a || !b) return null;
      return { rate: a.rate / b.rate, date: day, stale: false, periods: [...new Set([...a.periods!, ...b.periods!])] };
    }),
  };
}
