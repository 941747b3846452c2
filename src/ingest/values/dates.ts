/**
 * Dates and timestamps as sellers' files write them: ISO (`2026-11-01`), slashes or dots
 * (`2026/11/01`, `11/01/2026`, `01.11.2026`), compact (`20261101`), Chinese (`2026年11月1日`),
 * month names (`Nov 1, 2026`, `01-Nov-2026`), Excel serial days, and timestamps with or without
 * an offset. A timestamp with an offset becomes the store's local day (facts are bucketed by the
 * store's day, glossary §3.9); one without an offset is already local.
 */

export type DateOrder = 'mdy' | 'dmy';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

/** Excel's day 0 is 1899-12-30 (its 1900 leap-year bug included), in UTC. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function isoDate(y: number, m: number, d: number): string | null {
  if (y < 1970 || y > 2200 || m < 1 || m > 12 || d < 1) return null;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d > last ? null : `${y}-${pad(m)}-${pad(d)}`;
}

/** Excel serial day (whole part) → ISO date; the fraction is the time of day. */
export function excelSerialDate(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 25569 || serial > 110000) return null; // 1970 … 2201
  return new Date(EXCEL_EPOCH_MS + Math.floor(serial) * DAY_MS).toISOString().slice(0, 10);
}

export function excelSerialInstant(serial: number): Date | null {
  if (!Number.isFinite(serial) || serial < 25569 || serial > 110000) return null;
  return new Date(EXCEL_EPOCH_MS + Math.round(serial * DAY_MS));
}

/** The calendar day of an instant in an IANA zone. */
export function localDay(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(instant);
  const n = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(instant.getTime() / 1000) * 1000;
}

/** A wall-clock time in a zone → the instant (twice-tried offset covers DST edges). */
export function zonedInstant(y: number, mo: number, d: number, h: number, mi: number, s: number, timeZone: string): Date {
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  let t = guess - zoneOffsetMs(new Date(guess), timeZone);
  t = guess - zoneOffsetMs(new Date(t), timeZone);
  return new Date(t);
}

const ISO_TS = /^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2}|[A-Z]{3,4})?$/i;

interface Clock {
  date: string;
  h: number;
  mi: number;
  s: number;
  /** Minutes east of UTC, when the text names an offset. */
  offsetMin?: number;
}

function parseClock(text: string): Clock | null {
  const m = ISO_TS.exec(text.replace('/', '-').replace('/', '-'));
  if (!m) return null;
  const date = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  if (!date) return null;
  const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (h > 23 || mi > 59 || s > 59) return null;
  const zone = m[7]?.toUpperCase();
  let offsetMin: number | undefined;
  if (zone === 'Z' || zone === 'UTC' || zone === 'GMT') offsetMin = 0;
  else if (zone && /^[+-]/.test(zone)) {
    const digits = zone.replace(':', '');
    offsetMin = (digits.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  } else if (zone) {
    // Abbreviations such as PST/PDT are ambiguous worldwide; Seller Central writes them, so the
    // two US Pacific ones are known and the rest are refused rather than guessed.
    const known: Record<string, number> = { PST: -480, PDT: -420 };
    if (!(zone in known)) return null;
    offsetMin = known[zone];
  }
  return { date, h, mi, s, offsetMin };
}

function parseDayOnly(raw: string, order: DateOrder): Parsed<string> {
  const t = raw.trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t) ?? /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (m) {
    const d = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
    return d ? { ok: true, value: d } : { ok: false, reason: `"${t}" is not a calendar date` };
  }
  // 01.11.2026 is day-first everywhere it is written (DE, RU, …).
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t);
  if (m) {
    const d = isoDate(Number(m[3]), Number(m[2]), Number(m[1]));
    return d ? { ok: true, value: d } : { ok: false, reason: `"${t}" is not a calendar date` };
  }
  m = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/.exec(t);
  if (m) {
    const [a, b, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const d = order === 'mdy' ? isoDate(y, a, b) : isoDate(y, b, a);
    if (d) return { ok: true, value: d };
    const other = order === 'mdy' ? isoDate(y, b, a) : isoDate(y, a, b);
    return {
      ok: false,
      reason: other
        ? `"${t}" does not fit ${order === 'mdy' ? 'month/day/year' : 'day/month/year'}; import with dateOrder=${order === 'mdy' ? 'dmy' : 'mdy'}`
        : `"${t}" is not a calendar date`,
    };
  }
  m = /^([A-Za-z]{3,4})\.?\s+(\d{1,2}),?\s+(\d{4})$/.exec(t) ?? null;
  if (m && MONTHS[m[1]!.toLowerCase()]) {
    const d = isoDate(Number(m[3]), MONTHS[m[1]!.toLowerCase()]!, Number(m[2]));
    if (d) return { ok: true, value: d };
  }
  m = /^(\d{1,2})[\s-]([A-Za-z]{3,4})\.?[\s-](\d{4})$/.exec(t);
  if (m && MONTHS[m[2]!.toLowerCase()]) {
    const d = isoDate(Number(m[3]), MONTHS[m[2]!.toLowerCase()]!, Number(m[1]));
    if (d) return { ok: true, value: d };
  }
  if (/^\d{5}(\.\d+)?$/.test(t)) {
    const d = excelSerialDate(Number(t));
    if (d) return { ok: true, value: d };
  }
  return { ok: false, reason: `"${t.slice(0, 40)}" is not a date (use YYYY-MM-DD)` };
}

/**
 * A day column. `timeZone` is the store's: a timestamp carrying an offset is moved to that
 * zone's day; a bare timestamp keeps its own date.
 */
export function parseDay(raw: string, o: { order: DateOrder; timeZone?: string }): Parsed<string> {
  const t = raw.trim();
  const clock = parseClock(t);
  if (clock) {
    if (clock.offsetMin === undefined || !o.timeZone) return { ok: true, value: clock.date };
    const [y, mo, d] = clock.date.split('-').map(Number) as [number, number, number];
    const instant = new Date(Date.UTC(y, mo - 1, d, clock.h, clock.mi, clock.s) - clock.offsetMin * 60_000);
    return { ok: true, value: localDay(instant, o.timeZone) };
  }
  // `2026/11/01 10:00` style timestamps without seconds or zone, with slashes.
  const spaced = /^(\S+)\s+\d{1,2}:\d{2}(:\d{2})?(\s*[AaPp][Mm])?$/.exec(t);
  return parseDayOnly(spaced ? spaced[1]! : t, o.order);
}

/** An instant column (activity `occurred_at`): a bare time is read in `timeZone`. */
export function parseInstant(raw: string, o: { order: DateOrder; timeZone: string }): Parsed<Date> {
  const t = raw.trim();
  const clock = parseClock(t);
  if (clock) {
    const [y, mo, d] = clock.date.split('-').map(Number) as [number, number, number];
    if (clock.offsetMin !== undefined) {
      return { ok: true, value: new Date(Date.UTC(y, mo - 1, d, clock.h, clock.mi, clock.s) - clock.offsetMin * 60_000) };
    }
    return { ok: true, value: zonedInstant(y, mo, d, clock.h, clock.mi, clock.s, o.timeZone) };
  }
  const day = parseDayOnly(t, o.order);
  if (!day.ok) return { ok: false, reason: day.reason.replace('is not a date', 'is not a date or time') };
  const [y, mo, d] = day.value.split('-').map(Number) as [number, number, number];
  return { ok: true, value: zonedInstant(y, mo, d, 0, 0, 0, o.timeZone) };
}
