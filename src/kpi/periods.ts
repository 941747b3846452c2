/**
 * Period ids of ARCHITECTURE.md resolved into store-local date ranges. Relative periods end at
 * each store's last complete local day (glossary §3.9), so two stores can answer for different
 * days; calendar periods use the same dates everywhere and are `partial` while not over.
 */
import { addDays, addMonths, daysBetween, isoWeekStart, isValidDate, monthEnd, monthStart, quarterStart, startOfIsoWeek } from './dates.ts';

export const MAX_PERIOD_DAYS = 5 * 366;

export type PeriodSpec =
  | { kind: 'today' | 'yesterday' | 'this_week' | 'last_week' | 'this_month' | 'last_month' | 'this_quarter' | 'last_quarter' | 'this_year' | 'last_year' }
  | { kind: 'last_nd'; days: number }
  | { kind: 'fixed'; from: string; to: string; unit: 'day' | 'week' | 'month' | 'quarter' | 'custom' }
  | { kind: 'season'; name: string };

export interface Range {
  from: string;
  to: string;
  /** The range includes days that are not complete yet (today, an unfinished month). */
  partial: boolean;
  /** A to-date period with no complete day yet answers for the previous one (glossary §5). */
  fellBack?: boolean;
}

export class PeriodError extends Error {
  readonly code = 'invalid_period';
}

export const PERIOD_HELP =
  'today, yesterday, last_Nd, this_week, last_week, this_month, last_month, this_quarter, last_quarter, this_year, last_year, month:YYYY-MM, week:YYYY-Www, quarter:YYYY-Qn, custom:YYYY-MM-DD..YYYY-MM-DD, season:<name>';

const SIMPLE = new Set(['today', 'yesterday', 'this_week', 'last_week', 'this_month', 'last_month', 'this_quarter', 'last_quarter', 'this_year', 'last_year']);

export function parsePeriod(id: string): PeriodSpec {
  if (SIMPLE.has(id)) return { kind: id as Extract<PeriodSpec, { kind: 'today' }>['kind'] };
  let m = /^last_(\d{1,4})d$/.exec(id);
  if (m) {
    const days = Number(m[1]);
    if (days < 1 || days > MAX_PERIOD_DAYS) throw new PeriodError(`last_Nd takes 1 to ${MAX_PERIOD_DAYS} days`);
    return { kind: 'last_nd', days };
  }
  if ((m = /^month:(\d{4})-(\d{2})$/.exec(id))) {
    const from = `${m[1]}-${m[2]}-01`;
    if (!isValidDate(from)) throw new PeriodError(`"${id}" is not a month`);
    return { kind: 'fixed', from, to: monthEnd(from), unit: 'month' };
  }
  if ((m = /^week:(\d{4})-W(\d{2})$/.exec(id))) {
    const w = Number(m[2]);
    if (w < 1 || w > 53) throw new PeriodError(`"${id}" is not an ISO week`);
    const from = isoWeekStart(Number(m[1]), w);
    return { kind: 'fixed', from, to: addDays(from, 6), unit: 'week' };
  }
  if ((m = /^quarter:(\d{4})-Q([1-4])$/.exec(id))) {
    const from = `${m[1]}-${String((Number(m[2]) - 1) * 3 + 1).padStart(2, '0')}-01`;
    return { kind: 'fixed', from, to: monthEnd(addMonths(from, 2)), unit: 'quarter' };
  }
  if ((m = /^custom:(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(id))) {
    const [from, to] = [m[1]!, m[2]!];
    if (!isValidDate(from) || !isValidDate(to)) throw new PeriodError(`"${id}" has an invalid date`);
    if (from > to) throw new PeriodError(`"${id}" ends before it starts`);
    if (daysBetween(from, to) + 1 > MAX_PERIOD_DAYS) throw new PeriodError(`a period may span at most 5 years`);
    return { kind: 'fixed', from, to, unit: 'custom' };
  }
  if ((m = /^season:(.{1,60})$/.exec(id))) return { kind: 'season', name: m[1]! };
  throw new PeriodError(`unknown period "${id.slice(0, 40)}"; use one of: ${PERIOD_HELP}`);
}

/** A calendar range clipped to what has happened; refused when it has not started. */
function fixed(from: string, to: string, last: string): Range {
  if (from > last) throw new PeriodError(`the period ${from}..${to} has no complete day yet`);
  return { from, to: to > last ? last : to, partial: to > last };
}

/**
 * Resolves a period for one store. `last` is the store's last complete local day; `today` its
 * current local day. Seasons are resolved by the caller (they need the calendar table).
 */
export function resolvePeriod(spec: PeriodSpec, last: string, today: string): Range {
  switch (spec.kind) {
    case 'today':
      return { from: today, to: today, partial: true };
    case 'yesterday':
      return { from: last, to: last, partial: false };
    case 'last_nd':
      return { from: addDays(last, 1 - spec.days), to: last, partial: false };
    case 'this_week': {
      const from = startOfIsoWeek(last);
      return { from, to: last, partial: false, fellBack: from !== startOfIsoWeek(today) };
    }
    case 'last_week': {
      const from = addDays(startOfIsoWeek(today), -7);
      return fixed(from, addDays(from, 6), last);
    }
    case 'this_month':
      return { from: monthStart(last), to: last, partial: false, fellBack: monthStart(last) !== monthStart(today) };
    case 'last_month': {
      const from = addMonths(today, -1);
      return fixed(from, monthEnd(from), last);
    }
    case 'this_quarter':
      return { from: quarterStart(last), to: last, partial: false, fellBack: quarterStart(last) !== quarterStart(today) };
    case 'last_quarter': {
      const from = addMonths(quarterStart(today), -3);
      return fixed(from, monthEnd(addMonths(from, 2)), last);
    }
    case 'this_year':
      return { from: `${last.slice(0, 4)}-01-01`, to: last, partial: false, fellBack: last.slice(0, 4) !== today.slice(0, 4) };
    case 'last_year': {
      const y = Number(today.slice(0, 4)) - 1;
      return fixed(`${y}-01-01`, `${y}-12-31`, last);
    }
    case 'fixed':
      return fixed(spec.from, spec.to, last);
    case 'season':
      throw new PeriodError('season periods are resolved from the calendar');
  }
}

export type CompareId = 'prev' | 'yoy' | 'wow' | 'goal';
export const COMPARES: CompareId[] = ['prev', 'yoy', 'wow', 'goal'];

/** The comparison range for `range` (glossary §5). `goal` has no range: goals answer it. */
export function compareRange(spec: PeriodSpec, range: Range, compare: Exclude<CompareId, 'goal'>): Range {
  const len = daysBetween(range.from, range.to) + 1;
  const weekly = spec.kind === 'this_week' || spec.kind === 'last_week' || (spec.kind === 'fixed' && spec.unit === 'week');
  if (compare === 'wow') return { from: addDays(range.from, -7), to: addDays(range.to, -7), partial: false };
  if (compare === 'yoy') {
    if (weekly) return { from: addDays(range.from, -364), to: addDays(range.to, -364), partial: false };
    const back = (d: string) => {
      const y = `${Number(d.slice(0, 4)) - 1}${d.slice(4)}`;
      return isValidDate(y) ? y : addDays(y.replace(/-29$/, '-28'), 0); // 29 Feb → 28 Feb
    };
    return { from: back(range.from), to: back(range.to), partial: false };
  }
  const monthly = spec.kind === 'this_month' || spec.kind === 'last_month' || (spec.kind === 'fixed' && spec.unit === 'month');
  if (monthly) {
    // Same elapsed days of the previous month, clamped to its length (MTD vs MTD).
    const from = addMonths(range.from, -1);
    const elapsed = daysBetween(range.from, range.to);
    const to = addDays(from, elapsed);
    return { from, to: to > monthEnd(from) ? monthEnd(from) : to, partial: false };
  }
  return { from: addDays(range.from, -len), to: addDays(range.from, -1), partial: false };
}
