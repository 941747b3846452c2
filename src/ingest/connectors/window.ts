/**
 * The dates a connector run pulls, in the store's zone: by default from the day after the last
 * successful window minus `repullDays` (late data: ad attribution, returns) through yesterday
 * (today for feeds that publish intraday); an explicit `--from --to` window is checked instead.
 */
import { AppError } from '../../errors.ts';
import { addDays, daysBetween, isValidDate, localDate } from '../../kpi/dates.ts';
import type { ConnectorDefinition } from './types.ts';

/** An automatic window never reaches back further than this (a connector idle for months). */
export const MAX_AUTO_DAYS = 90;
/** An explicit window is at most a year. */
export const MAX_WINDOW_DAYS = 366;
export const DEFAULT_INITIAL_DAYS = 30;

export interface PullWindow {
  from: string;
  to: string;
  /** True when the caller chose the dates (does not move the incremental start). */
  explicit: boolean;
}

/** The last day the window may include. */
export function windowEnd(def: Pick<ConnectorDefinition, 'includeToday'>, timeZone: string, now: Date): string {
  const today = localDate(timeZone, now);
  return def.includeToday ? today : addDays(today, -1);
}

export function pullWindow(
  def: Pick<ConnectorDefinition, 'repullDays' | 'initialDays' | 'includeToday'>,
  o: { timeZone: string; now: Date; lastSuccessAt: string | null; from?: string; to?: string },
): PullWindow {
  const end = windowEnd(def, o.timeZone, o.now);
  if (o.from !== undefined || o.to !== undefined) {
    const from = o.from ?? o.to!;
    const to = o.to ?? end;
    for (const [field, d] of [['from', from], ['to', to]] as const) {
      if (!isValidDate(d)) throw new AppError('invalid_argument', `${field} must be a date as YYYY-MM-DD`, { field });
    }
    if (from > to) throw new AppError('invalid_argument', 'from must not be after to', { field: 'from' });
    if (to > localDate(o.timeZone, o.now)) throw new AppError('invalid_argument', `to must not be in the future (today is ${localDate(o.timeZone, o.now)} in ${o.timeZone})`, { field: 'to' });
    if (daysBetween(from, to) + 1 > MAX_WINDOW_DAYS) throw new AppError('invalid_argument', `a window is at most ${MAX_WINDOW_DAYS} days`, { field: 'from' });
    return { from, to, explicit: true };
  }
  let from: string;
  if (o.lastSuccessAt) {
    // The previous run covered through the end of ITS window; re-pull the last repullDays of it.
    const lastTo = windowEnd(def, o.timeZone, new Date(o.lastSuccessAt));
    from = addDays(lastTo, 1 - def.repullDays);
  } else from = addDays(end, 1 - (def.initialDays ?? DEFAULT_INITIAL_DAYS));
  if (from > end) from = addDays(end, 1 - Math.max(1, def.repullDays));
  const oldest = addDays(end, 1 - MAX_AUTO_DAYS);
  return { from: from < oldest ? oldest : from, to: end, explicit: false };
}
