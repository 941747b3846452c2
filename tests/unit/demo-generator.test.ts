/**
 * Pure parts of the demo generator: the pace formula (glossary §3.3–§3.4, checked against hand
 * arithmetic), the stateless randomness, calendar rules, goal periods that keep a colour on
 * every date, and the CLI's argument checks.
 */
import { describe, expect, it } from 'vitest';
import { parseAnchor, parseSeed } from '../../src/cli/commands/demo.ts';
import { dayEffect, eventsOfYear } from '../../src/demo/calendar.ts';
import { cnWorkShare } from '../../src/demo/cn-holidays.ts';
import { addDays, daysInclusive, parseIsoDate, toDay, todayIn, zonedTime } from '../../src/demo/dates.ts';
import { generateFacts } from '../../src/demo/generate.ts';
import { currentPeriods, customPeriod } from '../../src/demo/goals.ts';
import { formatMinor } from '../../src/demo/money.ts';
import { computePace, ragForPace } from '../../src/demo/pace.ts';
import { launchesBetween } from '../../src/demo/pipeline.ts';
import { streamFor } from '../../src/demo/random.ts';

describe('computePace (flat weights)', () => {
  it('matches hand arithmetic for a month goal', () => {
    // 30-day month, 10 days elapsed: expected = 3000 × 10/30 = 1000; actual 920 → pace 0.92, amber.
    const r = computePace({ target: 3000, actualToDate: 920, periodStart: '2026-06-01', periodEnd: '2026-06-30', asOf: '2026-06-10' });
    expect(r).toMatchObject({ elapsedDays: 10, periodDays: 30, expectedToDate: 1000, rag: 'amber' });
    expect(r.pace).toBeCloseTo(0.92, 10);
    expect(r.projection).toBeCloseTo(2760, 10);
  });

  it('is grey in the first three days and rates a finished period on its total', () => {
    expect(computePace({ target: 100, actualToDate: 50, periodStart: '2026-06-01', periodEnd: '2026-06-30', asOf: '2026-06-02' }).rag).toBe('grey');
    const done = computePace({ target: 100, actualToDate: 120, periodStart: '2026-06-01', periodEnd: '2026-06-30', asOf: '2026-07-05' });
    expect(done).toMatchObject({ elapsedShare: 1, pace: 1.2, rag: 'green' });
  });

  it('inverts achievement for lower-is-better metrics and applies the band cut-offs', () => {
    const r = computePace({ target: 300, actualToDate: 200, periodStart: '2026-06-01', periodEnd: '2026-06-30', asOf: '2026-06-15', direction: 'lower' });
    expect(r.pace).toBeCloseTo(150 / 200, 10);
    expect(r.rag).toBe('red');
    expect([ragForPace(1, 5), ragForPace(0.85, 5), ragForPace(0.8499, 5), ragForPace(null, 5)]).toEqual(['green', 'amber', 'red', 'grey']);
  });
});

describe('demo generator building blocks', () => {
  it('draws the same value for the same (seed, entity, day, salt) whatever was drawn before', () => {
    const a = streamFor(7, 'listing:us-main:US-KT-001');
    const first = a.u(20000, 3);
    for (let i = 0; i < 100; i++) a.u(20000 + i, i);
    expect(streamFor(7, 'listing:us-main:US-KT-001').u(20000, 3)).toBe(first);
    expect(streamFor(8, 'listing:us-main:US-KT-001').u(20000, 3)).not.toBe(first);
    const mean = Array.from({ length: 5000 }, (_, i) => a.poisson(4, 30000 + i, 9)).reduce((x, y) => x + y, 0) / 5000;
    expect(mean).toBeGreaterThan(3.8);
    expect(mean).toBeLessThan(4.2);
  });

  it('generates a day the same way alone or inside a longer range', () => {
    const day = toDay('2026-07-14');
    const alone = generateFacts('demo', 3, day, day).tables.fact_sales_daily;
    const inRange = generateFacts('demo', 3, day - 5, day).tables.fact_sales_daily.filter((r) => r.date === '2026-07-14');
    expect(alone).toEqual(inRange);
  });

  it('handles dates, time zones and money formatting', () => {
    expect(parseIsoDate('2026-02-29')).toBeNull();
    expect(parseIsoDate('2028-02-29')).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysInclusive('2026-11-01', '2026-11-30')).toBe(30);
    expect(todayIn('Asia/Shanghai', new Date('2026-03-09T16:30:00Z'))).toBe('2026-03-10');
    expect(zonedTime('2026-07-01', 19, 0, 'America/Los_Angeles').toISOString()).toBe('2026-07-02T02:00:00.000Z');
    expect(zonedTime('2026-01-15', 19, 0, 'America/Los_Angeles').toISOString()).toBe('2026-01-16T03:00:00.000Z');
    expect([formatMinor(12345, 2), formatMinor(-5, 2), formatMinor(3480, 0)]).toEqual(['123.45', '-0.05', '3480']);
  });

  it('follows the marketplace calendar: Black Friday, 11.11, Prime Day, 春节 and 调休', () => {
    expect(dayEffect('US', 'shopify', toDay('2026-11-27')).event).toBe('bfcm'); // the day after the 4th Thursday
    expect(dayEffect('DE', 'amazon', toDay('2025-07-08')).event).toBe('prime_day');
    expect(dayEffect('MY', 'shopee', toDay('2026-11-11')).lift).toBeGreaterThan(3);
    expect(dayEffect('MY', 'shopee', toDay('2026-11-12')).lift).toBe(1);
    const y2026 = eventsOfYear(2026).filter((e) => e.market === 'CN');
    expect(y2026.find((e) => e.kind === 'spring_festival')).toMatchObject({ start: toDay('2026-02-15'), end: toDay('2026-02-23') });
    expect(cnWorkShare(toDay('2026-02-16'))).toBe(0); // 春节
    expect(cnWorkShare(toDay('2026-02-28'))).toBe(1); // Saturday, 调休 working day
    expect(cnWorkShare(toDay('2026-03-08'))).toBe(0); // a plain Sunday
  });

  it('keeps launching products, so every window has launches from its last 60 days', () => {
    for (const anchor of ['2024-05-01', '2025-01-31', '2026-11-22', '2028-06-15']) {
      const recent = launchesBetween(1111, toDay(anchor) - 179, toDay(anchor)).filter((l) => l.launch > toDay(anchor) - 60 && l.launch <= toDay(anchor));
      expect(recent.length, anchor).toBeGreaterThanOrEqual(3);
    }
  });

  it('has a goal period past its grey first days on every date', () => {
    expect(customPeriod('2026-01-05')).toMatchObject({ id: 'custom:2025-12-16..2026-01-14' });
    for (let d = toDay('2025-01-01'); d <= toDay('2026-12-31'); d++) {
      const iso = addDays('1970-01-01', d);
      // Strictest reading of "grey in the first 3 days": day 3 is grey too.
      const coloured = currentPeriods(iso).filter((p) => daysInclusive(p.start, iso) > 3);
      expect(coloured.length, iso).toBeGreaterThan(0);
    }
  });

  it('checks the CLI arguments', () => {
    expect(parseAnchor(undefined, '2026-11-22')).toBe('2026-11-22');
    expect(parseAnchor('2025-03-01', '2026-11-22')).toBe('2025-03-01');
    expect(() => parseAnchor('2026-13-01', '2026-11-22')).toThrow(/YYYY-MM-DD/);
    expect(() => parseAnchor('2026-11-23', '2026-11-22')).toThrow(/later than yesterday/);
    expect(parseSeed('0')).toBe(0);
    expect(() => parseSeed('3.5')).toThrow(/whole number/);
    expect(() => parseSeed('99999999999')).toThrow(/whole number/);
  });
});
