/**
 * Day weights w_d for pacing (glossary §3.3), pure. `flat`: w_d = 1. `seasonal`: last year's
 * daily shape of the metric for the same dates, taken out of last year's calendar (a promo that
 * moved does not stick to its old date), smoothed over 7 days and multiplied by this year's
 * calendar pace weights. With too little history it falls back to a day-of-week profile of the
 * recent weeks, then to flat. Declared holidays get w_d = 0 in every profile.
 */
import { addDays, daysBetween, isoWeekday } from '../kpi/dates.ts';
import type { SeasonalityProfile } from './types.ts';

/** Share of the period's days last year must cover for its shape to be trusted. */
export const MIN_HISTORY_COVERAGE = 0.8;
/** Weeks of recent history a day-of-week profile needs. */
export const MIN_DOW_WEEKS = 4;
const SMOOTH_HALF = 3;

export interface WeightInputs {
  start: string;
  end: string;
  profile: SeasonalityProfile;
  /** Daily values of the metric last year, keyed by last year's date (period ± 3 days). */
  lastYear?: ReadonlyMap<string, number>;
  /** Daily values of the recent weeks before the period (for the day-of-week fallback). */
  recent?: ReadonlyMap<string, number>;
  /** Calendar pace weight of a day (1 = neutral); `ly` is used on last year's dates. */
  paceWeight?: (day: string) => number;
  /** Declared holidays: w_d = 0. */
  holiday?: (day: string) => boolean;
}

export interface Weights {
  weights: number[];
  /** What the weights were built from, for the progress card. */
  source: 'flat' | 'last_year' | 'day_of_week';
}

/** Same calendar date one year earlier (29 Feb → 28 Feb), as `compare:yoy` aligns days. */
export function lastYearDay(d: string): string {
  const y = `${Number(d.slice(0, 4)) - 1}${d.slice(4)}`;
  return y.endsWith('-02-29') ? y.replace(/-29$/, '-28') : y;
}

function days(start: string, end: string): string[] {
  const n = daysBetween(start, end) + 1;
  return Array.from({ length: n }, (_, i) => addDays(start, i));
}

/** Mean of each ISO weekday ÷ the overall mean; null with fewer than MIN_DOW_WEEKS weeks. */
export function dayOfWeekProfile(history: ReadonlyMap<string, number>): number[] | null {
  const sums = Array.from({ length: 7 }, () => 0);
  const counts = Array.from({ length: 7 }, () => 0);
  for (const [day, v] of history) {
    if (!Number.isFinite(v)) continue;
    sums[isoWeekday(day) - 1]! += v;
    counts[isoWeekday(day) - 1]! += 1;
  }
  if (Math.min(...counts) < MIN_DOW_WEEKS) return null;
  const means = sums.map((s, i) => s / counts[i]!);
  const overall = means.reduce((a, b) => a + b, 0) / 7;
  return overall > 0 ? means.map((m) => m / overall) : null;
}

/** Last year's shape, de-seasoned by last year's calendar and smoothed (centred 7-day mean). */
function lastYearShape(list: string[], ly: ReadonlyMap<string, number>, paceWeight: (d: string) => number): number[] | null {
  const covered = list.filter((d) => ly.has(lastYearDay(d))).length;
  const total = list.reduce((a, d) => a + Math.max(0, ly.get(lastYearDay(d)) ?? 0), 0);
  if (covered < MIN_HISTORY_COVERAGE * list.length || total <= 0) return null;
  const base = (d: string): number | undefined => {
    const v = ly.get(d);
    return v === undefined ? undefined : Math.max(0, v) / (paceWeight(d) || 1);
  };
  return list.map((d) => {
    const center = lastYearDay(d);
    let sum = 0;
    let n = 0;
    for (let k = -SMOOTH_HALF; k <= SMOOTH_HALF; k++) {
      const v = base(addDays(center, k));
      if (v !== undefined) {
        sum += v;
        n += 1;
      }
    }
    return n ? sum / n : 0;
  });
}

export function buildWeights(input: WeightInputs): Weights {
  const list = days(input.start, input.end);
  const pace = input.paceWeight ?? (() => 1);
  const holiday = input.holiday ?? (() => false);
  const finish = (raw: number[], source: Weights['source']): Weights => ({
    weights: raw.map((w, i) => (holiday(list[i]!) ? 0 : w)),
    source,
  });
  if (input.profile === 'seasonal' && input.lastYear) {
    const shape = lastYearShape(list, input.lastYear, pace);
    if (shape) return finish(shape.map((w, i) => w * pace(list[i]!)), 'last_year');
  }
  if (input.profile !== 'flat' && input.recent) {
    const dow = dayOfWeekProfile(input.recent);
    if (dow) {
      const calendar = input.profile === 'seasonal' ? pace : () => 1;
      return finish(list.map((d) => dow[isoWeekday(d) - 1]! * calendar(d)), 'day_of_week');
    }
  }
  return finish(list.map(() => 1), 'flat');
}
