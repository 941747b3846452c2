/**
 * Pacing (glossary §3.3) and day weights against hand arithmetic: the first, a middle and the
 * last day of a flat month; seasonality from last year's shape vs linear on a 4-day example;
 * calendar weights taken out of last year and put back this year; the day-of-week fallback;
 * holidays and adjusted-out days.
 */
import { describe, expect, it } from 'vitest';
import { computePacing } from '../../src/goals/pacing.ts';
import { rateGoal } from '../../src/goals/rag.ts';
import { buildWeights, dayOfWeekProfile, lastYearDay } from '../../src/goals/seasonality.ts';

const june = { kind: 'additive' as const, direction: 'higher' as const, target: 3000, band: null, start: '2026-06-01', end: '2026-06-30' };

describe('flat pacing through a 30-day month, target 3,000', () => {
  it('on the first day: 1/30 elapsed, expected 100, grey however it goes', () => {
    const p = computePacing({ ...june, actualToDate: 90, asOf: '2026-06-01' });
    expect(p).toMatchObject({ elapsedDays: 1, periodDays: 30, expectedToDate: 100, closed: false });
    expect(p.elapsedShare).toBeCloseTo(1 / 30, 12);
    expect(p.pace).toBeCloseTo(0.9, 12);
    expect(rateGoal({ pacing: p, direction: 'higher' })).toMatchObject({ rag: 'grey', greyReason: 'few_days' });
  });

  it('in the middle: expected 1,500, actual 1,200 is pace 0.8 (red), projection 2,400, needs 120/day', () => {
    const p = computePacing({ ...june, actualToDate: 1200, asOf: '2026-06-15' });
    expect(p.expectedToDate).toBe(1500);
    expect(p.pace).toBeCloseTo(0.8, 12);
    expect(p.projection).toBeCloseTo(2400, 9);
    // (3,000 − 1,200) / 15 remaining days
    expect(p.requiredDaily).toBeCloseTo(120, 9);
    expect(p.remainingDays).toBe(15);
    expect(rateGoal({ pacing: p, direction: 'higher' }).rag).toBe('red');
  });

  it('on the last day the period is closed and rated on final achievement', () => {
    const p = computePacing({ ...june, actualToDate: 3100, asOf: '2026-06-30' });
    expect(p).toMatchObject({ closed: true, elapsedShare: 1, expectedToDate: 3000, remainingDays: 0, requiredDaily: null });
    expect(p.pace).toBeCloseTo(3100 / 3000, 12);
    expect(rateGoal({ pacing: p, direction: 'higher' }).rag).toBe('green');
    // Two days later nothing changes: the period is over.
    expect(computePacing({ ...june, actualToDate: 3100, asOf: '2026-07-02' }).pace).toBeCloseTo(3100 / 3000, 12);
  });

  it('before the period starts there is no pace, and it is grey', () => {
    const p = computePacing({ ...june, actualToDate: null, asOf: '2026-05-31' });
    expect(p).toMatchObject({ elapsedDays: 0, pace: null, projection: null });
    expect(rateGoal({ pacing: p, direction: 'higher' }).greyReason).toBe('not_started');
  });

  it('shrinks the target by the weight of adjusted-out days, but not for holidays', () => {
    // 5 of 30 days excluded by an approved adjustment: target 3,000 × 25/30 = 2,500, spread over 25 days.
    const out = (d: string) => d >= '2026-06-01' && d <= '2026-06-05';
    const p = computePacing({ ...june, actualToDate: 1000, asOf: '2026-06-15', adjustedOut: out });
    expect(p.effectiveTarget).toBeCloseTo(2500, 9);
    expect(p.elapsedShare).toBeCloseTo(10 / 25, 12);
    expect(p.expectedToDate).toBeCloseTo(1000, 9);
    // A holiday (w = 0) keeps the target: the same 3,000 due over 25 working days.
    const weights = Array.from({ length: 30 }, (_, i) => (i < 5 ? 0 : 1));
    const h = computePacing({ ...june, actualToDate: 1000, asOf: '2026-06-15', weights });
    expect(h.effectiveTarget).toBe(3000);
    expect(h.expectedToDate).toBeCloseTo(1200, 9);
  });

  it('does not scale ratio goals with time and inverts lower-is-better', () => {
    const p = computePacing({ kind: 'level', direction: 'lower', target: 0.25, band: null, actualToDate: 0.3, start: '2026-06-01', end: '2026-06-30', asOf: '2026-06-10' });
    expect(p).toMatchObject({ elapsedShare: 1, expectedToDate: 0.25, projection: null, requiredDaily: null });
    expect(p.pace).toBeCloseTo(0.25 / 0.3, 12);
  });
});

describe('seasonal weights vs linear, by hand', () => {
  // Last year's daily values 10, 20, …, 120 on 2025-05-29 … 2025-06-09. The centred 7-day means on
  // 2025-06-01 … 06-06 are 40, 50, …, 90 (e.g. 06-01: (10+20+…+70)/7 = 40), so w = [40 … 90], Σ 390.
  const lastYear = new Map(Array.from({ length: 12 }, (_, i) => [i < 3 ? `2025-05-${29 + i}` : `2025-06-${String(i - 2).padStart(2, '0')}`, 10 * (i + 1)]));
  const period = { start: '2026-06-01', end: '2026-06-06' };

  it('builds the smoothed shape of last year', () => {
    const w = buildWeights({ ...period, profile: 'seasonal', lastYear });
    expect(w.source).toBe('last_year');
    expect(w.weights).toEqual([40, 50, 60, 70, 80, 90]);
  });

  it('expects less by day 3 than linear pacing, so the same actual is amber, not red', () => {
    const base = { kind: 'additive' as const, direction: 'higher' as const, target: 3900, band: null, actualToDate: 1440, ...period, asOf: '2026-06-03' };
    const seasonal = computePacing({ ...base, weights: buildWeights({ ...period, profile: 'seasonal', lastYear }).weights });
    const linear = computePacing(base);
    // seasonal: share 150/390, expected 1,500, pace 0.96; linear: share 3/6, expected 1,950, pace 1,440/1,950
    expect(seasonal.elapsedShare).toBeCloseTo(150 / 390, 12);
    expect(seasonal.expectedToDate).toBeCloseTo(1500, 9);
    expect(seasonal.pace).toBeCloseTo(0.96, 12);
    expect(linear.expectedToDate).toBe(1950);
    expect(linear.pace).toBeCloseTo(1440 / 1950, 12);
    expect(rateGoal({ pacing: seasonal, direction: 'higher' }).rag).toBe('amber');
    expect(rateGoal({ pacing: linear, direction: 'higher' }).rag).toBe('red');
    // 还需日均: (3,900 − 1,440) over the remaining weighted days (70 + 80 + 90) / mean weight 65
    expect(seasonal.requiredDaily).toBeCloseTo(2460 / (240 / 65), 9);
    expect(linear.requiredDaily).toBeCloseTo(820, 9);
  });

  it('takes last year’s promo out of the shape and puts this year’s calendar in', () => {
    // Last year flat 10 a day but 20 on 2025-06-02, a promo day with pace weight 2: de-seasoned, flat 10.
    const ly = new Map<string, number>();
    for (let d = 29; d <= 31; d++) ly.set(`2025-05-${d}`, 10);
    for (let d = 1; d <= 9; d++) ly.set(`2025-06-0${d}`, d === 2 ? 20 : 10);
    const paceWeight = (day: string) => (day === '2025-06-02' ? 2 : day === '2026-06-03' ? 3 : 1);
    expect(buildWeights({ ...period, profile: 'seasonal', lastYear: ly, paceWeight }).weights).toEqual([10, 10, 30, 10, 10, 10]);
  });

  it('falls back to a day-of-week profile, then to flat, and zeroes holidays', () => {
    // Four weeks before the period: weekdays 10, weekends 20 → mean of the 7 weekday means 90/7;
    // weekday weight 10 ÷ 90/7 = 7/9, weekend 14/9.
    const recent = new Map<string, number>();
    for (let i = 0; i < 28; i++) {
      const day = new Date(Date.UTC(2026, 4, 4 + i)).toISOString().slice(0, 10); // from Monday 2026-05-04
      recent.set(day, i % 7 >= 5 ? 20 : 10);
    }
    expect(dayOfWeekProfile(recent)!.map((x) => Number(x.toFixed(6)))).toEqual([7, 7, 7, 7, 7, 14, 14].map((x) => Number((x / 9).toFixed(6))));
    const w = buildWeights({ start: '2026-06-05', end: '2026-06-08', profile: 'seasonal', recent, holiday: (d) => d === '2026-06-08' });
    expect(w.source).toBe('day_of_week');
    // Fri, Sat, Sun, Mon (a holiday)
    expect(w.weights.map((x) => Number(x.toFixed(6)))).toEqual([7 / 9, 14 / 9, 14 / 9, 0].map((x) => Number(x.toFixed(6))));
    expect(buildWeights({ start: '2026-06-05', end: '2026-06-08', profile: 'seasonal' })).toEqual({ weights: [1, 1, 1, 1], source: 'flat' });
    expect(lastYearDay('2028-02-29')).toBe('2027-02-28');
  });
});
