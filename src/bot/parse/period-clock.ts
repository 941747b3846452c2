/**
 * "Now" for period words: the asker's local today and yesterday (the last complete day), which
 * decide what a bare month, week, quarter or year-less date range means (the latest past one).
 */
import { addDays } from '../../kpi/dates.ts';

export interface Clock {
  today: string;
  yesterday: string;
}

/** Why a period word names no possible period; the bot says so instead of guessing. */
export type BadPeriodReason =
  | 'not_positive'
  | 'too_long'
  | 'no_such_month'
  | 'no_such_date'
  | 'no_such_week'
  | 'no_such_quarter'
  | 'reversed'
  | 'year_out_of_range';

/** Years a KPI period can name; anything else is a typo (`20266-11`), not a question. */
export function yearOk(y: number): boolean {
  return Number.isInteger(y) && y >= 2000 && y <= 2100;
}

/** Local dates at `now` in `timeZone`; an unknown zone falls back to UTC rather than throwing. */
export function makeClock(now: Date = new Date(), timeZone = 'UTC'): Clock {
  // Out-of-range instants (year 275760) would make date arithmetic meaningless: use the real now.
  const t = now instanceof Date ? now.getTime() : NaN;
  const at = Number.isFinite(t) && t > 0 && t < 253402300799000 ? now : new Date();
  const today = formatter(timeZone).format(at);
  return { today, yesterday: addDays(today, -1) };
}

/** Building an Intl formatter costs more than parsing a whole message: one per zone, kept. */
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = FORMATTERS.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      f = formatter('UTC');
    }
    // Unknown zones map to the UTC formatter; the map stays small because zones are few.
    if (FORMATTERS.size < 1000) FORMATTERS.set(timeZone, f);
  }
  return f;
}
