/**
 * Dates typed in org commands. A full ISO date (`2026-12-01`) is taken as is — hand-overs are
 * often in the future, while the period words of the parser pick the latest *past* occurrence of
 * a year-less date — and anything else goes through the shared period parser (`上月`, `11月`,
 * `2026-11`), giving a date range.
 */
import { periodFromToken } from '../../bot/parse/index.ts';
import { addDays, isValidDate, localDate } from '../../kpi/dates.ts';
import { parsePeriod, resolvePeriod } from '../../kpi/periods.ts';

export interface DayRange {
  from: string;
  to: string;
}

export function todayIn(timezone: string, now = new Date()): string {
  return localDate(timezone, now);
}

/** A day or a period typed by a person, or undefined when it is neither. */
export function parseDayOrPeriod(token: string, timezone: string, now = new Date()): DayRange | undefined {
  const t = token.normalize('NFKC').trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return isValidDate(t) ? { from: t, to: t } : undefined;
  const match = periodFromToken(t, now, timezone);
  if (!match?.period) return undefined;
  try {
    const today = todayIn(timezone, now);
    const spec = parsePeriod(match.period);
    if (spec.kind === 'fixed') return { from: spec.from, to: spec.to };
    const r = resolvePeriod(spec, addDays(today, -1), today);
    return { from: r.from, to: r.to };
  } catch {
    return undefined;
  }
}
