/**
 * Period words of glossary §5 → ARCHITECTURE.md period ids with a fixed clock: Monday 2026-11-23
 * 11:00 in Shanghai (yesterday 2026-11-22; ISO week 48 starts today, so a bare W48 is last year's).
 */
import { describe, expect, it } from 'vitest';
import { parsePeriodWords, periodFromToken } from '../../../src/bot/parse/index.ts';
import { NOW, TZ } from './helpers.ts';

const at = (t: string) => periodFromToken(t, NOW, TZ);

const PERIODS: [string, string][] = [
  ['今天', 'today'], ['今日', 'today'], ['today', 'today'], ['td', 'today'],
  ['昨天', 'yesterday'], ['昨日', 'yesterday'], ['yesterday', 'yesterday'], ['yday', 'yesterday'],
  ['前天', 'custom:2026-11-21..2026-11-21'],
  ['本周', 'this_week'], ['这周', 'this_week'], ['this week', 'this_week'], ['WTD', 'this_week'], ['上周', 'last_week'], ['last week', 'last_week'],
  ['本月', 'this_month'], ['这个月', 'this_month'], ['月初至今', 'this_month'], ['this month', 'this_month'], ['MTD', 'this_month'],
  ['上月', 'last_month'], ['上个月', 'last_month'], ['last month', 'last_month'],
  ['近7天', 'last_7d'], ['最近7天', 'last_7d'], ['过去7天', 'last_7d'], ['7天', 'last_7d'], ['7d', 'last_7d'], ['last 7d', 'last_7d'], ['L7D', 'last_7d'],
  ['近14天', 'last_14d'], ['近30天', 'last_30d'], ['30天', 'last_30d'], ['近90天', 'last_90d'], ['30d', 'last_30d'], ['90d', 'last_90d'],
  ['近一周', 'last_7d'], ['近两周', 'last_14d'], ['近3个月', 'last_90d'], ['last 2 weeks', 'last_14d'],
  ['本季度', 'this_quarter'], ['这季度', 'this_quarter'], ['this quarter', 'this_quarter'], ['QTD', 'this_quarter'],
  ['上季度', 'last_quarter'], ['last quarter', 'last_quarter'],
  ['今年', 'this_year'], ['本年', 'this_year'], ['年初至今', 'this_year'], ['YTD', 'this_year'], ['去年', 'last_year'], ['last year', 'last_year'],
  // months: a bare month is the latest one with a complete day
  ['2026-11', 'month:2026-11'], ['2026/11', 'month:2026-11'], ['11月', 'month:2026-11'], ['2026年11月', 'month:2026-11'], ['Nov 2026', 'month:2026-11'],
  ['12月', 'month:2025-12'], ['1月', 'month:2026-01'], ['十二月', 'month:2025-12'], ['December', 'month:2025-12'], ['去年11月', 'month:2025-11'],
  // quarters and weeks
  ['Q4', 'quarter:2026-Q4'], ['第四季度', 'quarter:2026-Q4'], ['2026Q4', 'quarter:2026-Q4'], ['2026-Q4', 'quarter:2026-Q4'], ['Q1', 'quarter:2026-Q1'],
  ['2025年第4季度', 'quarter:2025-Q4'],
  ['第45周', 'week:2026-W45'], ['W45', 'week:2026-W45'], ['2026-W45', 'week:2026-W45'], ['W47', 'week:2026-W47'], ['W48', 'week:2025-W48'],
  ['W53', 'week:2020-W53'], ['2026-W53', 'week:2026-W53'],
  // custom ranges; with the year omitted, the latest past occurrence
  ['3.1-3.15', 'custom:2026-03-01..2026-03-15'], ['3月1日到15日', 'custom:2026-03-01..2026-03-15'],
  ['2026-03-01..2026-03-15', 'custom:2026-03-01..2026-03-15'], ['2026/3/1-2026/3/15', 'custom:2026-03-01..2026-03-15'],
  ['11.20-11.25', 'custom:2026-11-20..2026-11-25'], ['11.23-11.30', 'custom:2025-11-23..2025-11-30'],
  ['12.25-1.5', 'custom:2025-12-25..2026-01-05'], ['2026年3月1日', 'custom:2026-03-01..2026-03-01'], ['11-30', 'custom:2025-11-30..2025-11-30'],
  // seasons, named as the demo calendar names them
  ['黑五', 'season:bfcm'], ['BFCM', 'season:bfcm'], ['Black Friday', 'season:bfcm'], ['Prime Day', 'season:prime_day'], ['会员日', 'season:prime_day'],
  ['双11', 'season:11.11'], ['双十一', 'season:11.11'], ['11.11', 'season:11.11'], ['12.12', 'season:12.12'], ['旺季', 'season:q4'],
  ['秋季会员日', 'season:prime_big_deal_days'], ['国庆', 'season:国庆节'], ['season:my_sale', 'season:my_sale'],
  // canonical ids pass through
  ['last_45d', 'last_45d'], ['month:2026-10', 'month:2026-10'], ['week:2026-W01', 'week:2026-W01'], ['quarter:2026-Q2', 'quarter:2026-Q2'],
];

const BAD: [string, string][] = [
  ['-30d', 'not_positive'], ['0d', 'not_positive'], ['0天', 'not_positive'], ['9999d', 'too_long'], ['2026-13', 'no_such_month'], ['2026-00', 'no_such_month'],
  ['13月', 'no_such_month'], ['Q5', 'no_such_quarter'], ['Q0', 'no_such_quarter'], ['W54', 'no_such_week'], ['2025-W53', 'no_such_week'],
  ['2026-02-30', 'no_such_date'], ['2.30', 'no_such_date'], ['2026-03-15..2026-03-01', 'reversed'], ['2019-01-01..2026-01-01', 'too_long'],
  ['1999-01', 'year_out_of_range'], ['month:2026-13', 'no_such_month'],
];

describe('periodFromToken', () => {
  it.each(PERIODS)('%s', (token, period) => expect(at(token)).toEqual({ period, consumed: token }));
  it.each(BAD)('%s is impossible: %s', (token, bad) => expect(at(token)).toEqual({ bad, consumed: token }));
  it.each(['gmv', 'margin', 'mar gin', '7dx', 'store:us-main', '', '1.2万', '本周gmv'])('%j is not a period', (t) => expect(at(t)).toBeUndefined());

  it('follows the time zone for today and yesterday', () => {
    const lateUtc = new Date('2026-11-22T20:00:00Z'); // Shanghai 11-23 04:00, UTC still 11-22
    expect(periodFromToken('前天', lateUtc, 'Asia/Shanghai')).toEqual({ period: 'custom:2026-11-21..2026-11-21', consumed: '前天' });
    expect(periodFromToken('前天', lateUtc, 'UTC')).toEqual({ period: 'custom:2026-11-20..2026-11-20', consumed: '前天' });
    expect(periodFromToken('前天', lateUtc, 'No/Such_Zone')).toEqual({ period: 'custom:2026-11-20..2026-11-20', consumed: '前天' });
  });

  it('on the 1st, the current month has no complete day: 11月 is last year\'s', () => {
    const first = new Date('2026-11-01T04:00:00Z');
    expect(periodFromToken('11月', first, TZ)).toEqual({ period: 'month:2025-11', consumed: '11月' });
    expect(periodFromToken('10月', first, TZ)).toEqual({ period: 'month:2026-10', consumed: '10月' });
  });
});

describe('parsePeriodWords', () => {
  it('reads the period that starts the text and says what it consumed', () => {
    expect(parsePeriodWords('本周GMV按店铺', NOW, TZ)).toEqual({ period: 'this_week', consumed: '本周' });
    expect(parsePeriodWords('  last 7d gmv', NOW, TZ)).toEqual({ period: 'last_7d', consumed: 'last 7d' });
    expect(parsePeriodWords('3月1日到15日 的销售额', NOW, TZ)).toEqual({ period: 'custom:2026-03-01..2026-03-15', consumed: '3月1日到15日' });
    expect(parsePeriodWords('去年同期', NOW, TZ)).toEqual({ period: 'last_year', consumed: '去年' });
    expect(parsePeriodWords('gmv 7d', NOW, TZ)).toBeUndefined();
  });
});
