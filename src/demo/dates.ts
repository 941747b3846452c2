/**
 * Calendar arithmetic on plain `YYYY-MM-DD` dates (store-local days, glossary §3.9). The
 * generator works on day numbers (days since 1970-01-01) because they are cheap to hash and
 * subtract; strings appear only at the edges.
 */

/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

const MS_PER_DAY = 86_400_000;
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a valid ISO date. */
export function toDay(d: IsoDate): number {
  const m = ISO_RE.exec(d);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${d}`);
  return Math.round(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / MS_PER_DAY);
}

const isoCache = new Map<number, IsoDate>();

export function fromDay(day: number): IsoDate {
  // Called for every generated row; formatting a Date each time was a tenth of the seed's time.
  let iso = isoCache.get(day);
  if (iso === undefined) {
    iso = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    isoCache.set(day, iso);
  }
  return iso;
}

export function addDays(d: IsoDate, n: number): IsoDate {
  return fromDay(toDay(d) + n);
}

/** `YYYY-MM-DD` that names a real calendar day, else null (2026-02-30 is not one). */
export function parseIsoDate(s: string): IsoDate | null {
  const m = ISO_RE.exec(s);
  if (!m) return null;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === s ? s : null;
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** Year, month (1–12) and day of month of a day number. */
export function ymd(day: number): { y: number; m: number; d: number } {
  const date = new Date(day * MS_PER_DAY);
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

export function dayOf(y: number, m: number, d: number): number {
  return Math.round(Date.UTC(y, m - 1, d) / MS_PER_DAY);
}

/** Day number of the n-th (1-based) given ISO weekday of a month, e.g. the 4th Thursday of November. */
export function nthWeekday(y: number, m: number, isoWeekday: number, n: number): number {
  const first = dayOf(y, m, 1);
  const offset = (isoWeekday - weekday(first) + 7) % 7;
  return first + offset + (n - 1) * 7;
}

/** Last day (day number) of a month. */
export function monthEnd(y: number, m: number): number {
  return dayOf(y, m + 1, 1) - 1;
}

/** Inclusive bounds of a goal period, with its period id (ARCHITECTURE.md period ids). */
export interface Period {
  id: string;
  kind: 'month' | 'quarter' | 'custom';
  start: IsoDate;
  end: IsoDate;
}

export function monthPeriod(d: IsoDate): Period {
  const { y, m } = ymd(toDay(d));
  return { id: `month:${y}-${String(m).padStart(2, '0')}`, kind: 'month', start: fromDay(dayOf(y, m, 1)), end: fromDay(monthEnd(y, m)) };
}

export function quarterPeriod(d: IsoDate): Period {
  const { y, m } = ymd(toDay(d));
  const q = Math.floor((m - 1) / 3) + 1;
  return { id: `quarter:${y}-Q${q}`, kind: 'quarter', start: fromDay(dayOf(y, q * 3 - 2, 1)), end: fromDay(monthEnd(y, q * 3)) };
}

/** Inclusive day count of [from, to]. */
export function daysInclusive(from: IsoDate, to: IsoDate): number {
  return toDay(to) - toDay(from) + 1;
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = dateFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    dateFormatters.set(timeZone, f);
  }
  return f;
}

function wallClock(instant: Date, timeZone: string): { date: IsoDate; minutes: number } {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** Today's date in an IANA zone (the demo anchor is the day before, in DEFAULT_TIMEZONE). */
export function todayIn(timeZone: string, now: Date = new Date()): IsoDate {
  return wallClock(now, timeZone).date;
}

const offsetCache = new Map<string, number>();

/**
 * The UTC instant of a local wall-clock time in a zone. Offsets are taken at local noon of that
 * day, which is right for every time we generate (work hours, evening posts) and sidesteps the
 * DST switch that happens at night.
 */
export function zonedTime(date: IsoDate, hour: number, minute: number, timeZone: string): Date {
  const key = `${timeZone}|${date}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    const noonUtc = new Date(`${date}T12:00:00Z`);
    const local = wallClock(noonUtc, timeZone);
    const dayShift = toDay(local.date) - toDay(date);
    offset = dayShift * 1440 + local.minutes - 720;
    offsetCache.set(key, offset);
  }
  return new Date(Date.parse(`${date}T00:00:00Z`) + (hour * 60 + minute - offset) * 60_000);
}
