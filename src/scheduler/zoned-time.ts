/**
 * Wall-clock time in an IANA zone ↔ UTC instants, with one answer for every local date: a time
 * that does not exist (spring forward) moves later by the gap, a time that happens twice (fall
 * back) is its first occurrence. That is Temporal's `disambiguation: 'compatible'`
 * (https://tc39.es/proposal-temporal/docs/zoneddatetime.html#ambiguity-due-to-dst-or-other-time-zone-offset-changes),
 * so a 02:30 job runs once on both DST days instead of never or twice.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Local fields of an instant in a zone. */
export function localParts(timeZone: string, at: Date): { date: string; hour: number; minute: number; second: number } {
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(at)) p[part.type] = part.value;
  return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour), minute: Number(p.minute), second: Number(p.second) };
}

/** Offset of the zone from UTC at an instant, in ms (east positive). */
export function offsetMs(timeZone: string, at: Date): number {
  const l = localParts(timeZone, at);
  const asUtc = Date.parse(`${l.date}T${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}:${String(l.second).padStart(2, '0')}Z`);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

const DAY_MS = 86_400_000;

/** Every tick asks for the same few slots again: remember them (bounded, cleared when full). */
const memo = new Map<string, number>();

/**
 * The instant at which the wall clock in `timeZone` shows `time` (`HH:MM`) on `date`. Offsets a
 * day either side bracket any real transition (zones change at most once within two days).
 */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const key = `${timeZone} ${date} ${time}`;
  const hit = memo.get(key);
  if (hit !== undefined) return new Date(hit);
  const t = compute(date, time, timeZone);
  if (memo.size >= 50_000) memo.clear();
  memo.set(key, t.getTime());
  return t;
}

function compute(date: string, time: string, timeZone: string): Date {
  const local = Date.parse(`${date}T${time}:00Z`);
  if (Number.isNaN(local)) throw new RangeError(`bad local time ${date} ${time}`);
  const before = offsetMs(timeZone, new Date(local - DAY_MS));
  const after = offsetMs(timeZone, new Date(local + DAY_MS));
  const valid = [local - before, local - after].filter((t) => offsetMs(timeZone, new Date(t)) === local - t);
  // Neither maps back: the time falls in a gap; the earlier offset lands past it by the gap's length.
  if (valid.length === 0) return new Date(local - before);
  return new Date(Math.min(...valid));
}
