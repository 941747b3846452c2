/**
 * When a job's slots are: a local time in an IANA zone on the days its cadence picks (daily,
 * weekly on a weekday, every other week, monthly on a day), optionally working days only. Slots
 * are computed here rather than by one node-cron task per job because a cron matcher skips a time
 * inside a DST gap and matches a time in the repeated hour twice; here every scheduled local date
 * has exactly one slot (zoned-time.ts), which is what `job_runs(job_id, slot)` counts.
 */
import { addDays, addMonths, daysBetween, isoWeekday, monthEnd, startOfIsoWeek } from '../kpi/dates.ts';
import { EVERY_DAY, type WorkCalendar } from './work-calendar.ts';
import { localParts, zonedInstant } from './zoned-time.ts';

const localDate = (timeZone: string, at: Date) => localParts(timeZone, at).date;

export type Cadence = 'daily' | 'weekly' | 'biweekly' | 'monthly';
export const CADENCES: readonly Cadence[] = ['daily', 'weekly', 'biweekly', 'monthly'];

export interface Schedule {
  cadence: Cadence;
  /** `HH:MM`, 24 h, local to `timezone`. */
  time: string;
  timezone: string;
  /** ISO weekday (1 = Monday) for weekly and biweekly; default Monday. */
  weekday?: number;
  /** 1–28 for monthly; default 2 (glossary §3.8: the monthly digest on day 2). */
  dayOfMonth?: number;
  /** Biweekly: a local date in a week that runs; weeks an even distance from it run. */
  biweeklyFrom?: string;
  /** Only days the calendar says are working days; others have no slot. */
  calendar?: WorkCalendar;
}

export const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Whether `date` (local to the schedule's zone) has a slot. */
export function runsOn(s: Schedule, date: string): boolean {
  if (!(s.calendar ?? EVERY_DAY).isWorkingDay(date)) return false;
  switch (s.cadence) {
    case 'daily':
      return true;
    case 'weekly':
      return isoWeekday(date) === (s.weekday ?? 1);
    case 'biweekly': {
      if (isoWeekday(date) !== (s.weekday ?? 1)) return false;
      const from = startOfIsoWeek(s.biweeklyFrom ?? '2024-01-01');
      return Math.abs(Math.round(daysBetween(from, startOfIsoWeek(date)) / 7)) % 2 === 0;
    }
    case 'monthly':
      return Number(date.slice(8, 10)) === Math.min(s.dayOfMonth ?? 2, Number(monthEnd(date).slice(8, 10)));
  }
}

/** The slot of a local date, if that date has one. */
export function slotOn(s: Schedule, date: string): Date | undefined {
  return runsOn(s, date) ? zonedInstant(date, s.time, s.timezone) : undefined;
}

/** Slots in (from, to], oldest first. */
export function slotsBetween(s: Schedule, from: Date, to: Date): Date[] {
  if (to <= from) return [];
  const out: Date[] = [];
  // A slot's local date can sit a day either side of the UTC dates (zones span ±14 h).
  const last = addDays(localDate(s.timezone, to), 1);
  for (let d = addDays(localDate(s.timezone, from), -1); d <= last; d = addDays(d, 1)) {
    const slot = slotOn(s, d);
    if (slot && slot > from && slot <= to) out.push(slot);
  }
  return out;
}

/** The latest slot at or before `at` within `lookbackMs`, if any. */
export function lastSlot(s: Schedule, at: Date, lookbackMs: number): Date | undefined {
  return slotsBetween(s, new Date(at.getTime() - lookbackMs), at).pop();
}

/** The next slot after `at`, looking at most ~13 months ahead (monthly on a holiday-heavy calendar). */
export function nextSlot(s: Schedule, at: Date): Date | undefined {
  const end = addMonths(localDate(s.timezone, at), 13);
  for (let d = addDays(localDate(s.timezone, at), -1); d <= end; d = addDays(d, 1)) {
    const slot = slotOn(s, d);
    if (slot && slot > at) return slot;
  }
  return undefined;
}
