/**
 * Dates and date ranges typed in chat (glossary §5): `2026-03-01..2026-03-15`, `3.1-3.15`,
 * `3月1日到15日`, `11/1-11/15`, `2026年3月1日`. A missing year means the latest past occurrence:
 * the most recent year in which the range has started by yesterday (the last complete day).
 */
import { daysBetween, isValidDate } from '../../kpi/dates.ts';
import { MAX_PERIOD_DAYS } from '../../kpi/periods.ts';
import type { BadPeriodReason, Clock } from './period-clock.ts';
import { yearOk } from './period-clock.ts';

interface DatePart {
  y?: number;
  m: number;
  d: number;
  end: number;
  /** `M.D` written with a dot: the shape of season names such as 11.11. */
  dotted: boolean;
}

const FULL = /(\d{4})\s*(?:([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?)/y;
const MONTH_DAY = /(\d{1,2})\s*(?:([./-])\s*(\d{1,2})|月\s*(\d{1,2})\s*[日号]?)/y;
const DAY_ONLY = /(\d{1,2})\s*[日号]?/y;
const SEP = /\s*(\.\.|~|～|-|–|—|至|到|to(?![a-z])|until(?![a-z])|through(?![a-z]))\s*/iy;

function at(re: RegExp, text: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(text);
}

/** A date starting exactly at `pos`, with or without a year. */
function scanDate(text: string, pos: number): DatePart | undefined {
  let m = at(FULL, text, pos);
  if (m) {
    return { y: Number(m[1]), m: Number(m[3] ?? m[5]), d: Number(m[4] ?? m[6]), end: FULL.lastIndex, dotted: false };
  }
  m = at(MONTH_DAY, text, pos);
  if (m) return { m: Number(m[1]), d: Number(m[3] ?? m[4]), end: MONTH_DAY.lastIndex, dotted: m[2] === '.' };
  return undefined;
}

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

export interface DateRangeMatch {
  end: number;
  /** `custom:…` id, or why it is impossible. */
  result: string | { bad: BadPeriodReason };
  /** A single dotted `M.D` (could be a season name instead). */
  dottedSingle: boolean;
}

/** The date or date range starting at `pos`, or undefined when none starts there. */
export function scanDateRange(text: string, pos: number, clock: Clock): DateRangeMatch | undefined {
  const first = scanDate(text, pos);
  if (!first) return undefined;
  let second: DatePart | undefined;
  const sep = at(SEP, text, first.end);
  if (sep) {
    const after = SEP.lastIndex;
    second = scanDate(text, after);
    if (!second) {
      const day = at(DAY_ONLY, text, after);
      if (day && day[0].trim() !== '') second = { m: first.m, d: Number(day[1]), end: DAY_ONLY.lastIndex, dotted: false, ...(first.y ? { y: first.y } : {}) };
    }
  }
  const end = second?.end ?? first.end;
  return { end, result: rangeId(first, second ?? first, clock), dottedSingle: !second && first.dotted };
}

function rangeId(a: DatePart, b: DatePart, clock: Clock): string | { bad: BadPeriodReason } {
  if (a.m < 1 || a.m > 12 || b.m < 1 || b.m > 12) return { bad: 'no_such_date' };
  let ya = a.y;
  let yb = b.y;
  const mdA = a.m * 100 + a.d;
  const mdB = b.m * 100 + b.d;
  if (ya === undefined && yb === undefined) {
    ya = Number(clock.today.slice(0, 4));
    // Latest past occurrence: the range must have started by the last complete day.
    if (iso(ya, a.m, a.d) > clock.yesterday) ya -= 1;
    yb = mdB < mdA ? ya + 1 : ya;
  } else if (ya === undefined) {
    ya = mdA > mdB ? yb! - 1 : yb!;
  } else if (yb === undefined) {
    yb = mdB < mdA ? ya + 1 : ya;
  }
  if (!yearOk(ya) || !yearOk(yb!)) return { bad: 'year_out_of_range' };
  const from = iso(ya, a.m, a.d);
  const to = iso(yb!, b.m, b.d);
  if (!isValidDate(from) || !isValidDate(to)) return { bad: 'no_such_date' };
  if (from > to) return { bad: 'reversed' };
  if (daysBetween(from, to) + 1 > MAX_PERIOD_DAYS) return { bad: 'too_long' };
  return `custom:${from}..${to}`;
}
