/**
 * FX per glossary §2.3: each row at its own day's rate; a missing rate falls back to the latest
 * earlier one up to 7 days old (flagged stale); with no direct pair, through the workspace
 * currency on the same day (SGD→USD = SGD→CNY ÷ USD→CNY). Rates are loaded once per query for
 * the few currency pairs and days involved, then applied in memory.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { addDays } from './dates.ts';

export const FX_MAX_AGE_DAYS = 7;

/** `daily`: each row at its day's rate (the default); `budget`: the fixed budget rate (预算汇率). */
export type FxMode = 'daily' | 'budget';
export const FX_MODES: FxMode[] = ['daily', 'budget'];

export interface RateHit {
  rate: number;
  /** Day of the rate actually used (daily mode). */
  date: string;
  stale: boolean;
  /** Budget mode: the period ids of the budget rates used (`year:2026`; two legs of a cross rate). */
  periods?: string[];
}

export interface FxTable {
  readonly mode: FxMode;
  rate(from: string, to: string, day: string): RateHit | null;
}

export async function loadFx(
  database: Database,
  workspaceId: string,
  opts: { currencies: string[]; reporting: string; pivot: string; from: string; to: string },
): Promise<FxTable> {
  const ccys = [...new Set([...opts.currencies, opts.reporting, opts.pivot])];
  const rows = ccys.length
    ? await database.query<{ from_ccy: string; to_ccy: string; date: string; rate: string }>(sql`
        select from_ccy, to_ccy, date::text as date, rate::text as rate from fx_rates
        where workspace_id = ${workspaceId} and from_ccy in ${ccys} and to_ccy in ${ccys}
          and date between ${addDays(opts.from, -FX_MAX_AGE_DAYS)} and ${opts.to}
        order by date`)
    : [];
  const series = new Map<string, { date: string; rate: number }[]>();
  for (const r of rows) {
    const key = `${r.from_ccy}>${r.to_ccy}`;
    if (!series.has(key)) series.set(key, []);
    series.get(key)!.push({ date: r.date, rate: Number(r.rate) });
  }

  function direct(from: string, to: string, day: string): RateHit | null {
    const list = series.get(`${from}>${to}`);
    const oldest = addDays(day, -FX_MAX_AGE_DAYS);
    if (list) {
      for (let i = list.length - 1; i >= 0; i--) {
        const p = list[i]!;
        if (p.date > day) continue;
        if (p.date < oldest) break;
        return { rate: p.rate, date: p.date, stale: p.date !== day };
      }
    }
    const inverse = series.get(`${to}>${from}`);
    if (inverse) {
      for (let i = inverse.length - 1; i >= 0; i--) {
        const p = inverse[i]!;
        if (p.date > day) continue;
        if (p.date < oldest) break;
        return { rate: 1 / p.rate, date: p.date, stale: p.date !== day };
      }
    }
    return null;
  }

  function lookup(from: string, to: string, day: string): RateHit | null {
    if (from === to) return { rate: 1, date: day, stale: false };
    const d = direct(from, to, day);
    if (d) return d;
    const a = direct(from, opts.pivot, day);
    const b = direct(to, opts.pivot, day);
    if (!a || !b) return null;
    return { rate: a.rate / b.rate, date: a.date < b.date ? a.date : b.date, stale: a.stale || b.stale };
  }
  return { mode: 'daily', rate: memo(lookup) };
}

/** Every row of a day and currency asks for the same rate: answer it once per pair and day. */
export function memo(lookup: FxTable['rate']): FxTable['rate'] {
  const seen = new Map<string, RateHit | null>();
  return (from, to, day) => {
    const key = `${from}>${to}@${day}`;
    let hit = seen.get(key);
    if (hit === undefined) seen.set(key, (hit = lookup(from, to, day)));
    return hit;
  };
}
