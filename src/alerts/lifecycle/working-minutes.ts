/**
 * Escalation clock (glossary §3.5): minutes an alert sat unacknowledged, counted only inside the
 * team's working hours on the team calendar's working days (weekends, holidays and 春节 don't
 * count; 调休 make-up days do). Pure: the calendar and hours are loaded by the caller.
 */
import { addDays } from '../../kpi/dates.ts';
import type { WorkCalendar } from '../../scheduler/work-calendar.ts';
import { localParts, zonedInstant } from '../../scheduler/zoned-time.ts';

export interface WorkingHoursSpec {
  timezone: string;
  /** `HH:MM` local; default 09:00–18:00 when a team has none. */
  start: string;
  end: string;
  calendar: WorkCalendar;
}

export const DEFAULT_HOURS = { start: '09:00', end: '18:00' } as const;

/** A long weekend plus 春节 is under 15 days; past 60 the answer no longer matters (it escalated). */
const MAX_DAYS = 60;

export function workingMinutesBetween(from: Date, to: Date, spec: WorkingHoursSpec): number {
  if (to <= from) return 0;
  let total = 0;
  let date = localParts(spec.timezone, from).date;
  const last = localParts(spec.timezone, to).date;
  for (let i = 0; i < MAX_DAYS && date <= last; i++, date = addDays(date, 1)) {
    if (!spec.calendar.isWorkingDay(date)) continue;
    const open = zonedInstant(date, spec.start, spec.timezone).getTime();
    const close = zonedInstant(date, spec.end, spec.timezone).getTime();
    const a = Math.max(open, from.getTime());
    const b = Math.min(close, to.getTime());
    if (b > a) total += (b - a) / 60_000;
  }
  return Math.floor(total);
}
