/**
 * A team's working days (glossary §3.4 "Calendars"): ISO weekdays worked, declared holidays
 * (Chinese public holidays, 春节), 调休 make-up days that turn a weekend into a working day, and
 * 大小周, the alternate-Saturday pattern many cross-border teams work: one Saturday on, one off.
 * Pure: the loader (work-calendar-load.ts) reads the rows, this decides.
 */
import { addDays, daysBetween, isoWeekday, startOfIsoWeek } from '../kpi/dates.ts';

export interface WorkCalendarSpec {
  /** ISO weekdays normally worked (1 = Monday). */
  weekdays: readonly number[];
  /** Local dates off although they fall on a working weekday. */
  holidays: ReadonlySet<string>;
  /** Local dates worked although they are weekends or holidays (调休上班). */
  makeupDays: ReadonlySet<string>;
  /** 大小周: a Saturday that is worked; Saturdays an even number of weeks from it are worked too. */
  alternateSaturdayFrom?: string;
}

export interface WorkCalendar {
  isWorkingDay(date: string): boolean;
}

export const MONDAY_TO_FRIDAY = [1, 2, 3, 4, 5] as const;

export function workCalendar(spec: WorkCalendarSpec): WorkCalendar {
  const weekdays = new Set(spec.weekdays);
  const anchorWeek = spec.alternateSaturdayFrom ? startOfIsoWeek(spec.alternateSaturdayFrom) : undefined;
  return {
    isWorkingDay(date) {
      if (spec.makeupDays.has(date)) return true;
      if (spec.holidays.has(date)) return false;
      const wd = isoWeekday(date);
      if (weekdays.has(wd)) return true;
      if (wd === 6 && anchorWeek !== undefined) {
        const weeks = Math.round(daysBetween(anchorWeek, startOfIsoWeek(date)) / 7);
        return weeks % 2 === 0;
      }
      return false;
    },
  };
}

/** Every day is a working day: jobs that do not follow a team calendar. */
export const EVERY_DAY: WorkCalendar = { isWorkingDay: () => true };

/** Expands inclusive ranges into the set of their dates. */
export function datesOf(ranges: Iterable<{ start: string; end: string }>): Set<string> {
  const out = new Set<string>();
  for (const r of ranges) for (let d = r.start; d <= r.end; d = addDays(d, 1)) out.add(d);
  return out;
}
