import { describe, expect, it } from 'vitest';
import { parseAckOptions } from '../../src/alerts/chat/alert-commands.ts';
import { parseAlertId, parseCause, parseDueDate, parseSnooze } from '../../src/alerts/lifecycle/parse.ts';

describe('alert lifecycle input', () => {
  it('reads alert ids strictly', () => {
    expect(parseAlertId('12')).toBe(12);
    expect(parseAlertId('#12')).toBe(12);
    for (const bad of ['1 OR 1=1', '1;drop', '0', '-3', '1.5', '99999999999999999999', '9223372036854775808', '', 'abc']) expect(parseAlertId(bad), bad).toBeUndefined();
  });

  it('reads snoozes between 5 minutes and 30 days, and dates ahead', () => {
    const today = '2026-11-23';
    expect(parseSnooze(['1h'], today)).toEqual({ kind: 'for', ms: 3_600_000 });
    expect(parseSnooze(['4h'], today)).toEqual({ kind: 'for', ms: 4 * 3_600_000 });
    expect(parseSnooze(['1d'], today)).toEqual({ kind: 'for', ms: 86_400_000 });
    expect(parseSnooze(['1w'], today)).toEqual({ kind: 'for', ms: 7 * 86_400_000 });
    expect(parseSnooze(['2小时'], today)).toEqual({ kind: 'for', ms: 2 * 3_600_000 });
    expect(parseSnooze(['until', '11-30'], today)).toEqual({ kind: 'until', date: '2026-11-30' });
    for (const bad of [['-2h'], ['0h'], ['1m'], ['5w'], ['9999d'], ['11-23'], ['2027-03-01'], ['2h', '3h'], ['soon']]) expect(parseSnooze(bad, today), bad.join(' ')).toBeUndefined();
  });

  it('reads causes and notes in both languages', () => {
    expect(parseCause('断货')).toBe('stockout');
    expect(parseCause('competitor_price')).toBe('competitor_price');
    expect(parseAckOptions(['cause:断货', 'note', '补货在途'])).toEqual({ cause: 'stockout', note: '补货在途' });
    expect(parseAckOptions(['预算用完'])).toEqual({ cause: 'budget_out' });
    expect(parseAckOptions(['OR', '1=1'])).toBeUndefined();
    expect(parseAckOptions(['cause:weather'])).toBeUndefined();
  });

  it('reads due dates as their next occurrence', () => {
    expect(parseDueDate('11-30', '2026-11-23')).toBe('2026-11-30');
    expect(parseDueDate('1/5', '2026-11-23')).toBe('2027-01-05');
    expect(parseDueDate('11月30日', '2026-11-23')).toBe('2026-11-30');
    expect(parseDueDate('02-30', '2026-11-23')).toBeUndefined();
    expect(parseDueDate('明天', '2026-11-23')).toBe('2026-11-24');
  });
});
