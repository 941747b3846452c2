/** Glossary §5 number forms: every row of the table, currency marks, percent, pp and durations. */
import { describe, expect, it } from 'vitest';
import { parseAmount, parseDuration, parsePercentPoints } from '../../../src/bot/parse/index.ts';
import type { Amount } from '../../../src/bot/parse/types.ts';

const n = (value: number, currency?: string): Amount => (currency ? { value, percent: false, currency } : { value, percent: false });
const pct = (value: number): Amount => ({ value, percent: true });

const AMOUNTS: [string, Amount][] = [
  ['3k', n(3000)], ['3K', n(3000)], ['3千', n(3000)],
  ['1.2万', n(12_000)], ['1.2w', n(12_000)], ['1.2W', n(12_000)],
  ['120万', n(1_200_000)], ['1.2m', n(1_200_000)], ['1.2M', n(1_200_000)],
  ['1亿', n(100_000_000)], ['2.5亿', n(250_000_000)],
  ['1.1万', n(11_000)], ['0.7万', n(7000)], ['3百万', n(3_000_000)],
  ['1,200,000', n(1_200_000)], ['1,200,000.50', n(1_200_000.5)], ['12.5万元', n(125_000, 'CNY')], ['300块', n(300, 'CNY')],
  ['300', n(300)], ['0.35', n(0.35)], ['35', n(35)], ['１２３', n(123)],
  ['$1.2m', n(1_200_000, 'USD')], ['US$500', n(500, 'USD')], ['$500', n(500, 'USD')],
  ['¥300', n(300, 'CNY')], ['￥300', n(300, 'CNY')], ['300元', n(300, 'CNY')], ['RMB300', n(300, 'CNY')], ['300RMB', n(300, 'CNY')],
  ['€5', n(5, 'EUR')], ['£5', n(5, 'GBP')], ['S$20', n(20, 'SGD')],
  ['JP¥300', n(300, 'JPY')], ['300円', n(300, 'JPY')], ['300日元', n(300, 'JPY')], ['JPY300', n(300, 'JPY')], ['300 JPY', n(300, 'JPY')],
  ['1.2万美元', n(12_000, 'USD')], ['$1.2k', n(1200, 'USD')],
  ['35%', pct(0.35)], ['35％', pct(0.35)], ['百分之35', pct(0.35)], ['12.5%', pct(0.125)],
  ['千分之5', pct(0.005)], ['5‰', pct(0.005)],
  ['+5', n(5)], ['-20%', pct(-0.2)],
];

const NOT_AMOUNTS = ['', 'abc', 'NaN', 'Infinity', '-Infinity', '1e309', '1e3', '-0', '-0.0', '0x10', '1,20', '1..2', '1.2.3', '$', 'US$',
  '35%%', '$35%', '¥300円', '1.2mm', '万', '1,2345', '9'.repeat(20), `${'1'.repeat(41)}`];

describe('parseAmount', () => {
  it.each(AMOUNTS)('%s', (token, expected) => expect(parseAmount(token)).toEqual(expected));
  it.each(NOT_AMOUNTS)('refuses %j', (token) => expect(parseAmount(token)).toBeUndefined());

  it('reads m as minutes, not million, in a duration slot', () => {
    expect(parseAmount('30m', { duration: true })).toBeUndefined();
    expect(parseAmount('30m')).toEqual(n(30_000_000));
    expect(parseAmount('30k', { duration: true })).toEqual(n(30_000));
  });

  it('never returns NaN, Infinity or -0', () => {
    for (const t of ['0', '+0', '0.0', '0%', '00']) {
      const a = parseAmount(t);
      expect(a && Object.is(a.value, -0)).toBeFalsy();
      expect(a?.value).toBe(0);
    }
  });
});

describe('parsePercentPoints', () => {
  it.each([
    ['+2pp', 0.02], ['2pp', 0.02], ['-1.5pp', -0.015], ['2个点', 0.02], ['2个百分点', 0.02], ['0.5 pp', 0.005], ['3pts', 0.03],
  ] as [string, number][])('%s', (t, v) => expect(parsePercentPoints(t)).toBeCloseTo(v, 12));
  it.each(['2%', '2', 'pp', '-0pp', 'NaNpp', ''])('refuses %j', (t) => expect(parsePercentPoints(t)).toBeUndefined());
});

describe('parseDuration', () => {
  it.each([
    ['2h', 7_200_000], ['2小时', 7_200_000], ['2个小时', 7_200_000], ['30m', 1_800_000], ['30min', 1_800_000], ['30分钟', 1_800_000],
    ['1d', 86_400_000], ['1天', 86_400_000], ['1.5h', 5_400_000], ['1w', 604_800_000], ['90s', 90_000], ['２ｈ', 7_200_000],
  ] as [string, number][])('%s', (t, v) => expect(parseDuration(t)).toBe(v));
  it.each(['0h', '-2h', '2', 'h', '400d', '2 hours later', '2x', 'NaNh'])('refuses %j', (t) => expect(parseDuration(t)).toBeUndefined());
});
