import { createTask } from 'node-cron';
import { describe, expect, it } from 'vitest';
import { lastSlot, nextSlot, slotOn, slotsBetween, type Schedule } from '../../src/scheduler/schedule.ts';
import { workCalendar } from '../../src/scheduler/work-calendar.ts';
import { zonedInstant } from '../../src/scheduler/zoned-time.ts';

// 2026 DST changes (read off the tz database rules): New York springs forward on Sunday 8 March
// (02:00 EST → 03:00 EDT) and falls back on Sunday 1 November (02:00 EDT → 01:00 EST); Berlin
// springs forward on Sunday 29 March (02:00 CET → 03:00 CEST) and falls back on 25 October.
const iso = (d: Date | undefined) => d?.toISOString();

describe('zoned wall-clock times', () => {
  it('maps a local time to UTC with the offset of that day, on both sides of a DST change', () => {
    expect(iso(zonedInstant('2026-03-07', '09:00', 'America/New_York'))).toBe('2026-03-07T14:00:00.000Z');
    expect(iso(zonedInstant('2026-03-08', '09:00', 'America/New_York'))).toBe('2026-03-08T13:00:00.000Z');
    expect(iso(zonedInstant('2026-03-28', '09:00', 'Europe/Berlin'))).toBe('2026-03-28T08:00:00.000Z');
    expect(iso(zonedInstant('2026-03-29', '09:00', 'Europe/Berlin'))).toBe('2026-03-29T07:00:00.000Z');
    expect(iso(zonedInstant('2026-11-23', '09:00', 'Asia/Shanghai'))).toBe('2026-11-23T01:00:00.000Z');
  });

  it('moves a time inside the spring-forward gap later by the gap, and takes the first of a repeated time', () => {
    // 02:30 does not exist on 8 March in New York: it becomes 03:30 EDT = 07:30Z.
    expect(iso(zonedInstant('2026-03-08', '02:30', 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    expect(iso(zonedInstant('2026-03-29', '02:30', 'Europe/Berlin'))).toBe('2026-03-29T01:30:00.000Z');
    // 01:30 happens twice on 1 November in New York (EDT, then EST): the first one, 05:30Z.
    expect(iso(zonedInstant('2026-11-01', '01:30', 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(zonedInstant('2026-10-25', '02:30', 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z');
  });
});

describe('slots', () => {
  const ny: Schedule = { cadence: 'daily', time: '09:00', timezone: 'America/New_York' };

  it('gives exactly one slot per day across DST changes in two zones', () => {
    const week = slotsBetween(ny, new Date('2026-03-05T00:00:00Z'), new Date('2026-03-12T00:00:00Z')).map(iso);
    expect(week).toEqual([
      '2026-03-05T14:00:00.000Z', '2026-03-06T14:00:00.000Z', '2026-03-07T14:00:00.000Z',
      '2026-03-08T13:00:00.000Z', '2026-03-09T13:00:00.000Z', '2026-03-10T13:00:00.000Z', '2026-03-11T13:00:00.000Z',
    ]);
    const gap: Schedule = { cadence: 'daily', time: '02:30', timezone: 'Europe/Berlin' };
    const berlin = slotsBetween(gap, new Date('2026-03-27T12:00:00Z'), new Date('2026-03-31T12:00:00Z')).map(iso);
    expect(berlin).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z', '2026-03-31T00:30:00.000Z']);
    const repeated: Schedule = { cadence: 'daily', time: '01:30', timezone: 'America/New_York' };
    expect(slotsBetween(repeated, new Date('2026-10-31T12:00:00Z'), new Date('2026-11-02T12:00:00Z')).map(iso)).toEqual([
      '2026-11-01T05:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ]);
  });

  it('agrees with node-cron’s matcher on ordinary days, where a cron task would fire', () => {
    const task = createTask('0 9 * * *', () => {}, { timezone: 'America/New_York', name: 'test:agree' });
    const slots = slotsBetween(ny, new Date('2026-02-20T00:00:00Z'), new Date('2026-04-21T00:00:00Z'));
    expect(slots).toHaveLength(60);
    for (const s of slots) expect(task.match(s), s.toISOString()).toBe(true);
    // node-cron never matches 02:30 on the gap day; our slot for that day still exists (03:30 EDT).
    const gapTask = createTask('0 30 2 * * *', () => {}, { timezone: 'America/New_York', name: 'test:gap' });
    const gapSlot = slotOn({ cadence: 'daily', time: '02:30', timezone: 'America/New_York' }, '2026-03-08')!;
    expect(gapTask.match(gapSlot)).toBe(false);
    void task.destroy();
    void gapTask.destroy();
  });

  it('picks weekdays, every other week and a day of the month', () => {
    const weekly: Schedule = { cadence: 'weekly', time: '09:30', timezone: 'Asia/Shanghai', weekday: 1 };
    // Mondays of November 2026: 2, 9, 16, 23, 30.
    expect(slotsBetween(weekly, new Date('2026-11-01T00:00:00Z'), new Date('2026-12-01T00:00:00Z')).map(iso)).toEqual([
      '2026-11-02T01:30:00.000Z', '2026-11-09T01:30:00.000Z', '2026-11-16T01:30:00.000Z', '2026-11-23T01:30:00.000Z', '2026-11-30T01:30:00.000Z',
    ]);
    const biweekly: Schedule = { cadence: 'biweekly', time: '10:00', timezone: 'UTC', weekday: 3, biweeklyFrom: '2026-11-04' };
    expect(slotsBetween(biweekly, new Date('2026-11-01T00:00:00Z'), new Date('2026-12-31T00:00:00Z')).map((d) => iso(d)!.slice(0, 10))).toEqual([
      '2026-11-04', '2026-11-18', '2026-12-02', '2026-12-16', '2026-12-30',
    ]);
    const monthly: Schedule = { cadence: 'monthly', time: '09:00', timezone: 'UTC' };
    expect(slotsBetween(monthly, new Date('2026-10-15T00:00:00Z'), new Date('2027-01-15T00:00:00Z')).map((d) => iso(d)!.slice(0, 10))).toEqual([
      '2026-11-02', '2026-12-02', '2027-01-02',
    ]);
    expect(iso(nextSlot(monthly, new Date('2026-11-02T09:00:00Z')))).toBe('2026-12-02T09:00:00.000Z');
    expect(iso(lastSlot(monthly, new Date('2026-11-05T00:00:00Z'), 7 * 86_400_000))).toBe('2026-11-02T09:00:00.000Z');
    expect(lastSlot(monthly, new Date('2026-11-05T00:00:00Z'), 86_400_000)).toBeUndefined();
  });
});

describe('working-day calendars', () => {
  // 2026 National Day: 1–7 October off, Saturday 10 October worked (调休).
  const holidays = new Set(['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07']);
  const cn = workCalendar({ weekdays: [1, 2, 3, 4, 5], holidays, makeupDays: new Set(['2026-10-10']) });

  it('skips holidays and weekends and runs on make-up Saturdays', () => {
    const s: Schedule = { cadence: 'daily', time: '09:00', timezone: 'Asia/Shanghai', calendar: cn };
    const days = slotsBetween(s, new Date('2026-09-29T00:00:00Z'), new Date('2026-10-13T00:00:00Z')).map((d) => iso(d)!.slice(0, 10));
    expect(days).toEqual(['2026-09-29', '2026-09-30', '2026-10-08', '2026-10-09', '2026-10-10', '2026-10-12']);
  });

  it('works every other Saturday under 大小周', () => {
    const big = workCalendar({ weekdays: [1, 2, 3, 4, 5], holidays: new Set(), makeupDays: new Set(), alternateSaturdayFrom: '2026-09-19' });
    const saturdays = ['2026-09-12', '2026-09-19', '2026-09-26', '2026-10-03', '2026-10-17', '2026-10-24'];
    expect(saturdays.map((d) => big.isWorkingDay(d))).toEqual([false, true, false, true, true, false]);
    expect(big.isWorkingDay('2026-09-20')).toBe(false); // Sunday
    expect(big.isWorkingDay('2026-09-21')).toBe(true); // Monday
  });
});
