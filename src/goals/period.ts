/**
 * Goal periods (glossary §3.1): week, month, quarter, year or custom, as ARCHITECTURE.md period
 * ids plus `year:YYYY`. Unlike KPI periods they may lie in the future (a plan for next month), so
 * they are resolved from the id alone; relative words (`this_month`, `next_month`) are resolved
 * against a given day.
 */
import { addDays, addMonths, isValidDate, monthEnd, quarterStart, startOfIsoWeek } from '../kpi/dates.ts';
import { parsePeriod, PeriodError } from '../kpi/periods.ts';
import { GoalError } from './errors.ts';
import type { GoalPeriod } from './types.ts';

/** Goals further away than this are typos (a 5-year plan is still fine). */
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;
/** A custom goal period longer than a year is a plan, not a goal: use year goals. */
const MAX_CUSTOM_DAYS = 366;

export const GOAL_PERIOD_HELP = 'month:YYYY-MM, quarter:YYYY-Qn, year:YYYY, week:YYYY-Www, custom:YYYY-MM-DD..YYYY-MM-DD, this_month, next_month, this_quarter, next_quarter, this_year, this_week, next_week';

function monthId(d: string): string {
  return `month:${d.slice(0, 7)}`;
}

function quarterId(d: string): string {
  return `quarter:${d.slice(0, 4)}-Q${Math.floor((Number(d.slice(5, 7)) - 1) / 3) + 1}`;
}

function isoWeekId(monday: string): string {
  // The ISO year is the year of the week's Thursday.
  const thursday = addDays(monday, 3);
  const jan4 = `${thursday.slice(0, 4)}-01-04`;
  const week = Math.round((Date.parse(monday) - Date.parse(startOfIsoWeek(jan4))) / (7 * 86_400_000)) + 1;
  return `week:${thursday.slice(0, 4)}-W${String(week).padStart(2, '0')}`;
}

/** `this_month` and friends on `today` → a calendar period id; other ids pass through. */
export function absolutePeriodId(id: string, today: string): string {
  switch (id) {
    case 'this_month':
      return monthId(today);
    case 'next_month':
      return monthId(addMonths(today, 1));
    case 'last_month':
      return monthId(addMonths(today, -1));
    case 'this_quarter':
      return quarterId(today);
    case 'next_quarter':
      return quarterId(addMonths(quarterStart(today), 3));
    case 'this_year':
      return `year:${today.slice(0, 4)}`;
    case 'next_year':
      return `year:${Number(today.slice(0, 4)) + 1}`;
    case 'this_week':
      return isoWeekId(startOfIsoWeek(today));
    case 'next_week':
      return isoWeekId(addDays(startOfIsoWeek(today), 7));
    default:
      return id;
  }
}

function refuse(id: string, why: string): never {
  throw new GoalError('invalid_argument', `period "${id.slice(0, 60)}" ${why}; use ${GOAL_PERIOD_HELP}`, {
    field: 'period',
    zh: `目标周期“${id.slice(0, 60)}”无效：请用 2026-12、2026Q4、2026 年、W45 或 2026-03-01..2026-03-15 这样的写法`,
  });
}

/** Resolves a goal period id (after `absolutePeriodId`). Refuses relative and impossible ids. */
export function goalPeriod(rawId: string, today?: string): GoalPeriod {
  const id = today ? absolutePeriodId(rawId.trim(), today) : rawId.trim();
  if (id.length > 60) refuse(id, 'is too long');
  let m = /^year:(\d{4})$/.exec(id);
  let out: GoalPeriod;
  if (m) {
    out = { id, unit: 'year', start: `${m[1]}-01-01`, end: `${m[1]}-12-31` };
  } else {
    let spec;
    try {
      spec = parsePeriod(id);
    } catch (err) {
      if (err instanceof PeriodError) refuse(id, 'does not exist');
      throw err;
    }
    if (spec.kind !== 'fixed' || spec.unit === 'day') refuse(id, 'is not a calendar period (goals need a fixed week, month, quarter, year or date range)');
    out = { id, unit: spec.unit, start: spec.from, end: spec.to };
    if (spec.unit === 'custom' && (Date.parse(spec.to) - Date.parse(spec.from)) / 86_400_000 + 1 > MAX_CUSTOM_DAYS) {
      refuse(id, `spans more than ${MAX_CUSTOM_DAYS} days`);
    }
  }
  m = /^(\d{4})/.exec(out.start);
  const year = Number(m![1]);
  if (year < MIN_YEAR || year > MAX_YEAR || !isValidDate(out.start) || !isValidDate(out.end)) refuse(id, `must lie between ${MIN_YEAR} and ${MAX_YEAR}`);
  return out;
}

/** Months of a period, as month periods (the end month included). */
export function monthsOf(p: GoalPeriod): GoalPeriod[] {
  const out: GoalPeriod[] = [];
  for (let d = `${p.start.slice(0, 7)}-01`; d <= p.end; d = addMonths(d, 1)) {
    const start = d < p.start ? p.start : d;
    const end = monthEnd(d) > p.end ? p.end : monthEnd(d);
    const whole = start === d && end === monthEnd(d);
    out.push(whole ? { id: monthId(d), unit: 'month', start, end } : { id: `custom:${start}..${end}`, unit: 'custom', start, end });
  }
  return out;
}
