/**
 * Quiet hours (glossary §3.5: 22:00–08:00 team time, user time for DMs; only critical alerts
 * break them) and the chat-local day the per-chat cap counts on. Pure; wall-clock maths is the
 * scheduler's (src/scheduler/zoned-time.ts), so DST and odd offsets behave as for jobs.
 */
import { addDays } from '../../kpi/dates.ts';
import { localParts as zonedParts, zonedInstant } from '../../scheduler/zoned-time.ts';

export interface QuietHours {
  /** Hour of day, 0–23, local. */
  start: number;
  end: number;
}

export const DEFAULT_QUIET: QuietHours = { start: 22, end: 8 };

/** Local day and hour of `at` in `timeZone`. */
export function localParts(at: Date, timeZone: string): { day: string; hour: number; minute: number } {
  const p = zonedParts(timeZone, at);
  return { day: p.date, hour: p.hour, minute: p.minute };
}

export function inQuietHours(hour: number, q: QuietHours = DEFAULT_QUIET): boolean {
  return q.start > q.end ? hour >= q.start || hour < q.end : hour >= q.start && hour < q.end;
}

/** When a notification held at `now` may go out: null outside quiet hours, else the next `end`:00 local. */
export function quietUntil(now: Date, timeZone: string, q: QuietHours = DEFAULT_QUIET): Date | null {
  const here = localParts(now, timeZone);
  if (!inQuietHours(here.hour, q)) return null;
  // Past the evening start the end is tomorrow morning; after midnight it is this morning.
  const day = q.start > q.end && here.hour >= q.start ? addDays(here.day, 1) : here.day;
  return zonedInstant(day, `${String(q.end).padStart(2, '0')}:00`, timeZone);
}
