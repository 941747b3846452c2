/**
 * The weekday baseline of anomaly/baseline.ts on series small enough to work by hand: median and
 * MAD of the same weekday, robust z and the expected range, the MAD = 0 fallback, declared and
 * incomplete days, and the 28-day minimum.
 */
import { describe, expect, it } from 'vitest';
import { baselineFor, median, scoreAgainst, scoreSeries } from '../../src/insights/anomaly/baseline.ts';
import { addDays } from '../../src/kpi/dates.ts';

/** 2026-11-09 is a Monday; the Mondays before it are 11-02, 10-26, 10-19, 10-12, 10-05. */
const DAY = '2026-11-09';

/** 50 on every day from 10-05 to 11-08, with the Mondays given. */
function series(mondays: Record<string, number>, from = '2026-10-05'): Map<string, number> {
  const m = new Map<string, number>();
  for (let d = from; d < DAY; d = addDays(d, 1)) m.set(d, mondays[d] ?? 50);
  return m;
}

const MONDAYS = { '2026-10-05': 100, '2026-10-12': 110, '2026-10-19': 90, '2026-10-26': 120, '2026-11-02': 1000 };

describe('baselineFor', () => {
  it('takes the median and MAD of the same weekday and scores against them', () => {
    const b = baselineFor(series(MONDAYS), DAY, { lastCompleteDay: DAY });
    // Mondays 100, 110, 90, 120, 1000 → sorted 90 100 110 120 1000, median 110.
    // |x − 110| = 10, 0, 20, 10, 890 → sorted 0 10 10 20 890, MAD 10; σ = 1.4826 × 10 = 14.826.
    expect(b.status).toBe('ok');
    if (b.status !== 'ok') return;
    expect(b.median).toBe(110);
    expect(b.mad).toBe(10);
    expect(b.sigma).toBeCloseTo(14.826, 9);
    expect(b.historyDays).toBe(35); // 10-05 … 11-08
    // 200: z = (200 − 110) / 14.826 = 6.0704…; range 110 ± 3 × 14.826 = [65.522, 154.478].
    const s = scoreAgainst(b, 200);
    expect(s.score).toBeCloseTo(90 / 14.826, 9);
    expect(s.expected.lo).toBeCloseTo(65.522, 9);
    expect(s.expected.hi).toBeCloseTo(154.478, 9);
    expect(s.anomalous).toBe(true);
    // 150: z = 40 / 14.826 = 2.698 < 3 → not anomalous although 36 % above the median.
    expect(scoreAgainst(b, 150).anomalous).toBe(false);
  });

  it('ignores a declared promo day in the baseline', () => {
    const b = baselineFor(series(MONDAYS), DAY, { lastCompleteDay: DAY, excluded: new Map([['2026-11-02', 'prime_day']]) });
    // Without 11-02: 90 100 110 120 → median 105; |x − 105| = 15 5 5 15 → MAD 10.
    expect(b.status === 'ok' && [b.median, b.mad, b.historyDays]).toEqual([105, 10, 34]);
  });

  it('needs 28 days of usable history', () => {
    // 27 days: 10-13 … 11-08.
    const b = baselineFor(series(MONDAYS, '2026-10-13'), DAY, { lastCompleteDay: DAY });
    expect(b).toMatchObject({ status: 'off', reason: 'not enough data (27 days, need 28)', historyDays: 27 });
    // 28 days: 10-12 … 11-08.
    expect(baselineFor(series(MONDAYS, '2026-10-12'), DAY, { lastCompleteDay: DAY }).status).toBe('ok');
    // A declared day does not count as history: 28 days with one declared → 27.
    const c = baselineFor(series(MONDAYS, '2026-10-12'), DAY, { lastCompleteDay: DAY, excluded: new Map([['2026-10-20', 'promo']]) });
    expect(c).toMatchObject({ status: 'off', reason: 'not enough data (27 days, need 28)' });
  });

  it('never evaluates a declared day or an incomplete one', () => {
    const values = series(MONDAYS);
    values.set(DAY, 5000);
    expect(baselineFor(values, DAY, { lastCompleteDay: DAY, excluded: new Map([[DAY, '11.11']]) })).toMatchObject({ status: 'off', reason: 'declared calendar day (11.11)' });
    expect(baselineFor(values, DAY, { lastCompleteDay: '2026-11-08' })).toMatchObject({ status: 'off', reason: 'incomplete day' });
    const days = scoreSeries(values, '2026-11-08', DAY, { lastCompleteDay: '2026-11-08' });
    expect(days.map((d) => [d.date, d.baseline.status])).toEqual([['2026-11-08', 'ok'], [DAY, 'off']]);
  });

  it('falls back to the mean absolute deviation when MAD is 0, and to ±∞ when nothing varies', () => {
    const m = new Map<string, number>();
    for (let d = '2026-10-05'; d < DAY; d = addDays(d, 1)) m.set(d, 10);
    m.set('2026-10-26', 12);
    const b = baselineFor(m, DAY, { lastCompleteDay: DAY });
    // Mondays 10 10 10 12 10 → median 10, deviations 0 0 0 2 0 → MAD 0; mean AD = 2 / 5 = 0.4;
    // σ = 1.253314 × 0.4 = 0.5013256; 13 → z = 3 / 0.5013256 = 5.984…
    expect(b.status === 'ok' && [b.mad, b.sigma]).toEqual([0, 1.253314 * 0.4]);
    if (b.status === 'ok') expect(scoreAgainst(b, 13).score).toBeCloseTo(3 / (1.253314 * 0.4), 9);
    m.set('2026-10-26', 10);
    const flat = baselineFor(m, DAY, { lastCompleteDay: DAY });
    if (flat.status !== 'ok') throw new Error('expected a baseline');
    expect(flat.sigma).toBe(0);
    expect(scoreAgainst(flat, 10)).toMatchObject({ score: 0, anomalous: false });
    expect(scoreAgainst(flat, 20)).toMatchObject({ score: Infinity, anomalous: true, direction: 'up' });
    // 11 is only 10 % above the median: below the 30 % minimum change.
    expect(scoreAgainst(flat, 11).anomalous).toBe(false);
  });

  it('median of odd and even samples', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
