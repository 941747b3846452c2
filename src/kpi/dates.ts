/** Calendar arithmetic on `YYYY-MM-DD` strings (store-local days carry no time zone). */

export function toDate(d: string): Date {
  return new Date(`${d}T00:00:00Z`);
}

export function fmt(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(d: string, n: number): string {
  const x = toDate(d);
  x.setUTCDate(x.getUTCDate() + n);
  return fmt(x);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((toDate(to).getTime() - toDate(from).getTime()) / 86_400_000);
}

/** 1 = Monday … 7 = Sunday (ISO). */
export function isoWeekday(d: string): number {
  return ((toDate(d).getUTCDay() + 6) % 7) + 1;
}

export function startOfIsoWeek(d: string): string {
  return addDays(d, 1 - isoWeekday(d));
}

export function monthStart(d: string): string {
  return `${d.slice(0, 7)}-01`;
}

export function monthEnd(d: string): string {
  const x = toDate(monthStart(d));
  x.setUTCMonth(x.getUTCMonth() + 1);
  x.setUTCDate(0);
  return fmt(x);
}

export function addMonths(d: string, n: number): string {
  const x = toDate(monthStart(d));
  x.setUTCMonth(x.getUTCMonth() + n);
  return fmt(x);
}

export function quarterStart(d: string): string {
  const m = Number(d.slice(5, 7));
  return `${d.slice(0, 4)}-${String(Math.floor((m - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
}

/** Monday of ISO week `w` of ISO year `y`. */
export function isoWeekStart(y: number, w: number): string {
  const jan4 = `${y}-01-04`;
  return addDays(startOfIsoWeek(jan4), (w - 1) * 7);
}

const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

/** The local calendar date in an IANA zone at an instant. Formatters are costly to build: one per zone. */
export function localDate(timeZone: string, at: Date): string {
  let f = FORMATTERS.get(timeZone);
  if (!f) FORMATTERS.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(at);
}

export function isValidDate(d: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return false;
  const x = toDate(d);
  return !Number.isNaN(x.getTime()) && fmt(x) === d;
}

/** ISO week label as Postgres writes it with `to_char(d, 'IYYY-"W"IW')`: `2026-W45`. */
export function isoWeekLabel(d: string): string {
  const thursday = addDays(d, 4 - isoWeekday(d));
  const year = thursday.slice(0, 4);
  const week = Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The label of the day, week or month bucket a day falls in (the group keys of a time series). */
export function bucketOf(grain: 'day' | 'week' | 'month', d: string): string {
  return grain === 'day' ? d : grain === 'week' ? isoWeekLabel(d) : d.slice(0, 7);
}
