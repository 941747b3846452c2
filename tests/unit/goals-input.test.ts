/**
 * Goal input checks: periods (calendar ids, next month, impossible ones), targets (1e309,
 * negative GMV, 25 written for 25 %), the chat argument forms in English and Chinese, and plan
 * files read from cells (long and wide, with the bad row and field named).
 */
import { describe, expect, it } from 'vitest';
import { goalPeriodOf, parseSetArgs, parseSplitArgs } from '../../src/goals/chat/args.ts';
import { GoalError } from '../../src/goals/errors.ts';
import { absolutePeriodId, goalPeriod, monthsOf } from '../../src/goals/period.ts';
import { monthOf, parsePlanCells } from '../../src/goals/plan-file.ts';
import { checkMetric, checkTarget } from '../../src/goals/validate.ts';

const fails = (f: () => unknown, field: string) => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(GoalError);
    expect((err as GoalError).field).toBe(field);
    return err as GoalError;
  }
  throw new Error('expected a GoalError');
};

describe('goal periods', () => {
  it('resolves calendar ids, including future ones and years', () => {
    expect(goalPeriod('month:2026-12')).toEqual({ id: 'month:2026-12', unit: 'month', start: '2026-12-01', end: '2026-12-31' });
    expect(goalPeriod('quarter:2027-Q1')).toMatchObject({ start: '2027-01-01', end: '2027-03-31' });
    expect(goalPeriod('year:2026')).toMatchObject({ unit: 'year', start: '2026-01-01', end: '2026-12-31' });
    expect(goalPeriod('week:2026-W01')).toMatchObject({ start: '2025-12-29', end: '2026-01-04' });
    expect(goalPeriod('next_month', '2026-12-15').id).toBe('month:2027-01');
    expect(absolutePeriodId('this_week', '2026-01-01')).toBe('week:2026-W01');
    expect(monthsOf(goalPeriod('quarter:2026-Q4')).map((m) => m.id)).toEqual(['month:2026-10', 'month:2026-11', 'month:2026-12']);
  });

  it('refuses periods that do not exist or are not calendar periods', () => {
    for (const id of ['month:2026-13', 'last_7d', 'yesterday', 'custom:2026-03-10..2026-03-01', 'year:1999', 'custom:2026-01-01..2027-06-30', 'season:bfcm']) {
      const err = fails(() => goalPeriod(id), 'period');
      expect(err.zh).toContain('目标周期');
    }
  });
});

describe('targets', () => {
  const gmv = checkMetric('GMV');
  it('accepts sane numbers and refuses absurd, negative or non-finite ones', () => {
    expect(checkTarget(gmv, 1_200_000)).toBe(1_200_000);
    expect(checkTarget(gmv, '1200000')).toBe(1_200_000);
    fails(() => checkTarget(gmv, Number('1e309')), 'target'); // JSON.parse('1e309') is Infinity
    fails(() => checkTarget(gmv, '1e309'), 'target');
    fails(() => checkTarget(gmv, Number.NaN), 'target');
    fails(() => checkTarget(gmv, -5), 'target');
    fails(() => checkTarget(gmv, 1e14), 'target');
    // a loss budget is a legitimate net profit target
    expect(checkTarget(checkMetric('net_profit'), -5000)).toBe(-5000);
    const e = fails(() => checkTarget(checkMetric('acos'), 25), 'target');
    expect(e.message).toContain('25 % is 0.25');
    fails(() => checkMetric('gvm'), 'metric');
    fails(() => checkMetric('account_health'), 'metric');
  });
});

describe('chat arguments', () => {
  const now = new Date('2026-11-20T04:00:00Z');
  it('reads the English and Chinese set forms alike', () => {
    const en = parseSetArgs(['gmv', '1.2m', '2026-12', 'team:amazon-us', 'owner:@carol'], now, 'Asia/Shanghai', '2026-11-20');
    expect(en).toMatchObject({ metric: 'gmv', target: 1_200_000, period: 'month:2026-12', scope: { dim: 'team', text: 'amazon-us' }, owner: 'carol', unknown: [] });
    const zh = parseSetArgs(['GMV', '120万', '2026-12', '团队:亚马逊美国', '负责人:@李强'], now, 'Asia/Shanghai', '2026-11-20');
    expect(zh).toMatchObject({ metric: 'gmv', target: 1_200_000, period: 'month:2026-12', scope: { dim: 'team', text: '亚马逊美国' }, owner: '李强', unknown: [] });
    const pct = parseSetArgs(['acos', '25%', '下月', '店铺:us-main', '原因:旺季'], now, 'Asia/Shanghai', '2026-11-20');
    expect(pct).toMatchObject({ metric: 'acos', target: 0.25, percent: true, period: 'next_month', options: { reason: '旺季' } });
    expect(parseSetArgs(['gmv', 'lots', '2026-12'], now, 'UTC', '2026-11-20').unknown).toEqual(['lots']);
    // a number that looks like a year is the target when another period was typed
    expect(parseSetArgs(['orders', '2050', '2027-02'], now, 'UTC', '2026-11-20')).toMatchObject({ target: 2050, period: 'month:2027-02', unknown: [] });
    expect(parseSetArgs(['orders', '4000', '2027'], now, 'UTC', '2026-11-20')).toMatchObject({ target: 4000, period: 'year:2027', unknown: [] });
  });

  it('reads a bare month as the next one to come, and a bare year', () => {
    expect(goalPeriodOf('3月', now, 'Asia/Shanghai', '2026-11-20')).toBe('month:2027-03');
    expect(goalPeriodOf('12月', now, 'Asia/Shanghai', '2026-11-20')).toBe('month:2026-12');
    expect(goalPeriodOf('11月', now, 'Asia/Shanghai', '2026-11-20')).toBe('month:2026-11');
    expect(goalPeriodOf('2027', now, 'Asia/Shanghai', '2026-11-20')).toBe('year:2027');
  });

  it('reads split forms', () => {
    expect(parseSplitArgs(['12', 'by', 'store', 'even'])).toMatchObject({ id: 12, by: 'store', method: 'even', unknown: [] });
    expect(parseSplitArgs(['#7', '按月', '同比'])).toMatchObject({ id: 7, by: 'month', method: 'yoy' });
    expect(parseSplitArgs(['12', '按店铺', '权重:us-main=2,us-outlet=1'])).toMatchObject({ by: 'store', method: 'weights', weights: { 'us-main': 2, 'us-outlet': 1 } });
  });
});

describe('plan files', () => {
  it('reads long and wide plans with Chinese headers and written amounts', () => {
    const long = parsePlanCells([
      { row: 1, cells: ['团队', '店铺', '月份', '目标'] },
      { row: 2, cells: ['amazon-us', 'us-main', '2026-01', '120万'] },
      { row: 3, cells: ['amazon-us', null, '2026年2月', '1,500,000'] },
    ]);
    expect(long.issues).toEqual([]);
    expect(long.rows.map((r) => [r.row, r.team, r.store, r.month, r.metric, r.target])).toEqual([
      [2, 'amazon-us', 'us-main', '2026-01', 'gmv', 1_200_000], [3, 'amazon-us', null, '2026-02', 'gmv', 1_500_000],
    ]);
    const wide = parsePlanCells([{ row: 1, cells: ['team', 'store', '2026-01', '2026-02'] }, { row: 2, cells: ['amazon-us', 'us-outlet', '1000', '2000'] }]);
    expect(wide.rows.map((r) => [r.month, r.target])).toEqual([['2026-01', 1000], ['2026-02', 2000]]);
    expect(monthOf('2026-03-01')).toBe('2026-03');
  });

  it('names the row and field of every bad cell', () => {
    const bad = parsePlanCells([
      { row: 1, cells: ['team', 'month', 'target'] },
      { row: 2, cells: ['amazon-us', '2026-13', '100'] },
      { row: 3, cells: ['amazon-us', '2026-02', 'lots'] },
      { row: 4, cells: ['amazon-us', '2026-03', { formula: 'SUM(A1:A3)' }] },
    ]);
    expect(bad.issues.map((i) => [i.row, i.field])).toEqual([[2, 'month'], [3, 'target'], [4, 'target']]);
    expect(parsePlanCells([{ row: 1, cells: ['foo', 'bar'] }]).issues[0]).toMatchObject({ row: 1, field: 'team' });
  });
});
