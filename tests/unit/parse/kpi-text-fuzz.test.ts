/**
 * Property tests: for any text — arbitrary Unicode, or vocabulary fragments glued with separators,
 * control and bidi characters — parseKpiText returns a KpiAsk or a ParseHint and never throws;
 * echoed words hold no control/bidi characters and are at most 40 characters; asks are well formed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseKpiText } from '../../../src/bot/parse/index.ts';
import type { ParsedKpiText } from '../../../src/bot/parse/types.ts';
import { NOW, TZ } from './helpers.ts';

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
const HINTS = ['empty', 'too_long', 'unknown_word', 'no_metric', 'bad_period', 'bad_number', 'conflict'];

const FRAGMENTS = [
  'gmv', 'GMV', '销售额', 'acos', '净利润', '订单量', 'profit', 'net sales', '转化率', 'roas', '7d', '30天', '近30天', '本周', '上月', 'last month',
  '2026-11', '11月', 'Q4', 'W45', '3.1-3.15', '3月1日到15日', '黑五', '双11', '11.11', '-30d', '2026-13', '0d', '环比', '同比', 'vs prev', 'wow',
  'vs 目标', '按店铺', 'by store', 'by site', '按SKU', '按天', 'trend', 'store:us-main', '店铺：美国主店', '@李强', '<@U1|x>', 'team:', '前10', 'top 5',
  '倒数3', 'bottom', 'in usd', '美元', 'chart', '图表', '趋势图', '美国站', '亚马逊', 'MY', 'my', '的', '多少', '?', '？', "what's", 'gvm', '{{7*7}}',
  '${x}', "'; drop table x; --", '\u202e', '\u2066', '\u0000', '\u200b', '\n', 'ＧＭＶ', '１２', '\ud800', '😀', '𠮷',
];
const SEPARATORS = ['', ' ', '  ', ',', '，', '、', '\t', '\u3000', '-', ':', '：', '.'];

function checkResult(r: ParsedKpiText): void {
  if (r.kind === 'kpi') {
    expect(r.metrics.length).toBeGreaterThan(0);
    expect(new Set(r.metrics).size).toBe(r.metrics.length);
    expect(typeof r.period).toBe('string');
    expect(r.period.length).toBeGreaterThan(0);
    for (const s of r.scopes) expect(s.text).not.toMatch(UNSAFE);
    if (r.rank) expect(r.rank.n).toBeGreaterThanOrEqual(1);
    return;
  }
  expect(r.kind).toBe('hint');
  expect(HINTS).toContain(r.reason);
  expect(r.suggestions.length).toBeLessThanOrEqual(3);
  for (const w of [r.word ?? '', ...r.suggestions]) {
    expect(w).not.toMatch(UNSAFE);
    expect(Array.from(w).length).toBeLessThanOrEqual(40);
  }
}

const run = (text: string) => {
  let r: ParsedKpiText | undefined;
  expect(() => (r = parseKpiText(text, { now: NOW, timezone: TZ, commandWords: ['help', 'whoami', '帮助'] }))).not.toThrow();
  checkResult(r!);
};

describe('parseKpiText fuzz', () => {
  it('handles arbitrary Unicode strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (s) => run(s)), { numRuns: 1500 });
  });

  it('handles long arbitrary strings around the length limit', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', minLength: 400, maxLength: 700 }), (s) => run(s)), { numRuns: 100 });
  });

  it('handles vocabulary fragments glued with separators', () => {
    const phrase = fc.array(fc.tuple(fc.constantFrom(...FRAGMENTS), fc.constantFrom(...SEPARATORS)), { minLength: 1, maxLength: 12 });
    fc.assert(fc.property(phrase, (parts) => run(parts.map(([f, s]) => f + s).join(''))), { numRuns: 3000 });
  });

  it('reads a metric and a period in any order, with any separator', () => {
    const metric = fc.constantFrom(['gmv', 'gmv'], ['销售额', 'gmv'], ['ACoS', 'acos'], ['净利润', 'net_profit']);
    const period = fc.constantFrom(['7d', 'last_7d'], ['近30天', 'last_30d'], ['本周', 'this_week'], ['上月', 'last_month']);
    const sep = fc.constantFrom(' ', '  ', ',', '，', '\u3000');
    fc.assert(
      fc.property(metric, period, sep, fc.boolean(), ([mw, mid], [pw, pid], s, swap) => {
        const text = swap ? `${pw}${s}${mw}` : `${mw}${s}${pw}`;
        expect(parseKpiText(text, { now: NOW, timezone: TZ })).toEqual({
          kind: 'kpi', chartOnly: false, metrics: [mid], period: pid, periodExplicit: true, scopes: [],
        });
      }),
      { numRuns: 300 },
    );
  });
});
