/**
 * Robust, weekday-aware baselines (issue #27 item 4, glossary §3.5 "sudden change"): a day's value
 * is compared with the median and MAD of the same weekday over the preceding weeks. Pure: the
 * caller passes the daily values, the declared calendar days and the last complete day, so the
 * Alerts feature (#29) can call `baselineFor` / `scoreAgainst` with whatever series it holds.
 *
 * Rules: ≥ 28 days of usable history or the baseline is `off` with the reason shown; declared
 * promo, holiday and double-day dates are neither history nor evaluated (§3.4 "Calendars"); a day
 * after the last complete day (a store's current local day, §3.9) is neither either.
 */
import { addDays } from '../../kpi/dates.ts';

/** Robust z uses σ ≈ 1.4826 × MAD, which equals the standard deviation for normal data. */
export const MAD_SCALE = 1.4826;
/**
 * When MAD is 0 (more than half the history is one value) σ falls back to 1.253314 × the mean
 * absolute deviation around the median (Iglewicz & Hoaglin's modified z-score), which is
 * non-zero as soon as any history value differs.
 */
export const MEAN_AD_SCALE = 1.253314;
export const MIN_HISTORY_DAYS = 28;

export interface BaselineOptions {
  /** Days declared in the calendar (promo, holiday, double day): date → what it is. */
  excluded?: ReadonlyMap<string, string>;
  /** The last complete day; later days are incomplete and never used. */
  lastCompleteDay: string;
  /** How far back history is read, in days (default 56: eight same-weekday values). */
  lookbackDays?: number;
  minHistoryDays?: number;
  /** Same-weekday values needed besides the day count (default 3). */
  minSameWeekday?: number;
  /** |z| at which a value is anomalous (default 3) and the expected range's half-width in σ. */
  z?: number;
  /** A value must also differ from the median by this share of it (default 0.3). */
  minChange?: number;
}

export type Baseline =
  | {
      status: 'ok';
      date: string;
      median: number;
      mad: number;
      /** The σ scores divide by (0 when every history value is the same). */
      sigma: number;
      /** Same-weekday values the median and MAD came from, oldest first. */
      sample: number[];
      historyDays: number;
      expected: { lo: number; hi: number };
      z: number;
      minChange: number;
    }
  | { status: 'off'; date: string; reason: string; reasonZh: string; historyDays: number };

export interface Score {
  value: number;
  /** (x − median) / σ; ±Infinity when σ is 0 and the value differs from the median. */
  score: number;
  expected: { lo: number; hi: number };
  anomalous: boolean;
  direction: 'up' | 'down' | 'flat';
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const weekday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();

/**
 * The baseline of `date` from `values` (date → value; a missing date is unknown, never 0).
 * Off when the date itself is declared or incomplete, or history is too short.
 */
export function baselineFor(values: ReadonlyMap<string, number>, date: string, opts: BaselineOptions): Baseline {
  const lookback = opts.lookbackDays ?? 56;
  const minDays = opts.minHistoryDays ?? MIN_HISTORY_DAYS;
  const minSame = opts.minSameWeekday ?? 3;
  const excluded = opts.excluded ?? new Map<string, string>();
  if (date > opts.lastCompleteDay) {
    return { status: 'off', date, reason: 'incomplete day', reasonZh: '当天数据未完整', historyDays: 0 };
  }
  const declared = excluded.get(date);
  if (declared !== undefined) {
    return { status: 'off', date, reason: `declared calendar day (${declared})`, reasonZh: `日历活动日（${declared}）`, historyDays: 0 };
  }
  let historyDays = 0;
  const sample: number[] = [];
  const wd = weekday(date);
  for (let back = lookback; back >= 1; back--) {
    const d = addDays(date, -back);
    const v = values.get(d);
    if (v === undefined || !Number.isFinite(v) || excluded.has(d)) continue;
    historyDays++;
    if (weekday(d) === wd) sample.push(v);
  }
  if (historyDays < minDays) {
    return { status: 'off', date, reason: `not enough data (${historyDays} days, need ${minDays})`, reasonZh: `数据不足（${historyDays} 天，需 ${minDays} 天）`, historyDays };
  }
  if (sample.length < minSame) {
    return {
      status: 'off', date, historyDays,
      reason: `not enough same-weekday data (${sample.length} days, need ${minSame})`,
      reasonZh: `同星期几的数据不足（${sample.length} 天，需 ${minSame} 天）`,
    };
  }
  const med = median(sample);
  const deviations = sample.map((x) => Math.abs(x - med));
  const mad = median(deviations);
  const meanAd = deviations.reduce((a, b) => a + b, 0) / deviations.length;
  const sigma = mad > 0 ? MAD_SCALE * mad : MEAN_AD_SCALE * meanAd;
  const z = opts.z ?? 3;
  // A series that never went negative (sales, spend, counts) has no negative expected values.
  const floor = sample.every((x) => x >= 0) ? 0 : -Infinity;
  const expected = { lo: Math.max(floor, med - z * sigma), hi: med + z * sigma };
  return { status: 'ok', date, median: med, mad, sigma, sample, historyDays, expected, z, minChange: opts.minChange ?? 0.3 };
}

/** Scores a value against its baseline: robust z, the expected range and whether it is anomalous. */
export function scoreAgainst(b: Extract<Baseline, { status: 'ok' }>, x: number): Score {
  const diff = x - b.median;
  const score = b.sigma > 0 ? diff / b.sigma : diff === 0 ? 0 : diff > 0 ? Infinity : -Infinity;
  const bigEnough = Math.abs(diff) >= b.minChange * Math.abs(b.median);
  return {
    value: x,
    score,
    expected: b.expected,
    anomalous: Math.abs(score) >= b.z && bigEnough && diff !== 0,
    direction: diff > 0 ? 'up' : diff < 0 ? 'down' : 'flat',
  };
}

export interface DayScore {
  date: string;
  value: number | null;
  baseline: Baseline;
  score?: Score;
}

/** Every day of [from, to]: its value, baseline and score (when both exist). */
export function scoreSeries(values: ReadonlyMap<string, number>, from: string, to: string, opts: BaselineOptions): DayScore[] {
  const out: DayScore[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const v = values.get(d);
    const baseline = baselineFor(values, d, opts);
    const value = v === undefined || !Number.isFinite(v) ? null : v;
    out.push({ date: d, value, baseline, ...(baseline.status === 'ok' && value !== null ? { score: scoreAgainst(baseline, value) } : {}) });
  }
  return out;
}
