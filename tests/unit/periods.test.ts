import { describe, expect, it } from 'vitest';
import { localDate } from '../../src/kpi/dates.ts';
import { compareRange, parsePeriod, PeriodError, resolvePeriod } from '../../src/kpi/periods.ts';

// Expected ranges are read off a calendar for November 2026 (Sunday 1st, Monday 2nd, …).
describe('periods', () => {
  const last = '2026-11-22'; // a Sunday
  const today = '2026-11-23'; // a Monday

  it('resolves relative periods against the store’s last complete day', () => {
    expect(resolvePeriod(parsePeriod('yesterday'), last, today)).toEqual({ from: '2026-11-22', to: '2026-11-22', partial: false });
    expect(resolvePeriod(parsePeriod('last_7d'), last, today)).toEqual({ from: '2026-11-16', to: '2026-11-22', partial: false });
    expect(resolvePeriod(parsePeriod('today'), last, today)).toEqual({ from: today, to: today, partial: true });
    expect(resolvePeriod(parsePeriod('this_month'), last, today)).toMatchObject({ from: '2026-11-01', to: '2026-11-22', fellBack: false });
    expect(resolvePeriod(parsePeriod('last_month'), last, today)).toEqual({ from: '2026-10-01', to: '2026-10-31', partial: false });
    expect(resolvePeriod(parsePeriod('this_quarter'), last, today)).toMatchObject({ from: '2026-10-01', to: '2026-11-22' });
    expect(resolvePeriod(parsePeriod('last_year'), last, today)).toEqual({ from: '2025-01-01', to: '2025-12-31', partial: false });
  });

  it('answers a to-date period with no complete day yet for the previous one, labelled', () => {
    // Monday morning: this week has no complete day, so this_week is last week (glossary §5).
    expect(resolvePeriod(parsePeriod('this_week'), last, today)).toEqual({ from: '2026-11-16', to: '2026-11-22', partial: false, fellBack: true });
    expect(resolvePeriod(parsePeriod('last_week'), last, today)).toEqual({ from: '2026-11-16', to: '2026-11-22', partial: false });
    // On the 1st, this_month is last month.
    expect(resolvePeriod(parsePeriod('this_month'), '2026-10-31', '2026-11-01')).toMatchObject({ from: '2026-10-01', to: '2026-10-31', fellBack: true });
  });

  it('clips calendar periods to what has happened and refuses the future', () => {
    expect(resolvePeriod(parsePeriod('month:2026-11'), last, today)).toEqual({ from: '2026-11-01', to: '2026-11-22', partial: true });
    expect(resolvePeriod(parsePeriod('week:2026-W45'), last, today)).toEqual({ from: '2026-11-02', to: '2026-11-08', partial: false });
    expect(resolvePeriod(parsePeriod('quarter:2026-Q3'), last, today)).toEqual({ from: '2026-07-01', to: '2026-09-30', partial: false });
    expect(() => resolvePeriod(parsePeriod('month:2026-12'), last, today)).toThrow(PeriodError);
  });

  it('rejects malformed ids with the list of valid ones', () => {
    for (const bad of ['month:2026-13', 'week:2026-W60', 'custom:2026-11-05..2026-11-01', 'custom:2026-02-30..2026-03-01', 'last_0d', 'soon']) {
      expect(() => parsePeriod(bad), bad).toThrow(PeriodError);
    }
    expect(() => parsePeriod('soon')).toThrow(/last_Nd/);
  });

  it('builds compare ranges: prev, MTD vs MTD, yoy by date and by weekday, wow', () => {
    const spec = parsePeriod('this_month');
    const mtd = resolvePeriod(spec, last, today);
    expect(compareRange(spec, mtd, 'prev')).toMatchObject({ from: '2026-10-01', to: '2026-10-22' });
    expect(compareRange(spec, mtd, 'yoy')).toMatchObject({ from: '2025-11-01', to: '2025-11-22' });
    const week = parsePeriod('week:2026-W45');
    const w = resolvePeriod(week, last, today);
    expect(compareRange(week, w, 'yoy')).toMatchObject({ from: '2025-11-03', to: '2025-11-09' }); // 364 days back: Monday again
    expect(compareRange(week, w, 'prev')).toMatchObject({ from: '2026-10-26', to: '2026-11-01' });
    const d7 = parsePeriod('last_7d');
    expect(compareRange(d7, resolvePeriod(d7, last, today), 'wow')).toMatchObject({ from: '2026-11-09', to: '2026-11-15' });
    // 31 March MTD vs February: clamped to 28 February.
    const march = resolvePeriod(parsePeriod('this_month'), '2026-03-31', '2026-04-01');
    expect(compareRange(parsePeriod('month:2026-03'), { ...march, from: '2026-03-01' }, 'prev')).toMatchObject({ from: '2026-02-01', to: '2026-02-28' });
  });

  it('takes local days across a DST change', () => {
    // US DST ends 2026-11-01 at 02:00 local, so that day is 25 hours long (UTC-7 → UTC-8).
    expect(localDate('America/Los_Angeles', new Date('2026-11-01T06:59:00Z'))).toBe('2026-10-31'); // 23:59 PDT
    expect(localDate('America/Los_Angeles', new Date('2026-11-01T07:00:00Z'))).toBe('2026-11-01'); // 00:00 PDT
    expect(localDate('America/Los_Angeles', new Date('2026-11-02T07:59:00Z'))).toBe('2026-11-01'); // 23:59 PST
    expect(localDate('America/Los_Angeles', new Date('2026-11-02T08:00:00Z'))).toBe('2026-11-02'); // 00:00 PST
    expect(localDate('Europe/Berlin', new Date('2026-03-28T23:00:00Z'))).toBe('2026-03-29'); // CET midnight, DST that night
  });
});
