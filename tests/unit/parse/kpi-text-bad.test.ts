/**
 * Text that is not a KPI question: each becomes a ParseHint with the reason the bot explains, the
 * offending word (clean, ≤ 40 characters) and "did you mean" suggestions. Never a throw.
 */
import { describe, expect, it } from 'vitest';
import { parseKpiText } from '../../../src/bot/parse/index.ts';
import type { ParsedKpiText } from '../../../src/bot/parse/types.ts';
import { H, K, parse } from './helpers.ts';

const CASES: [string, ParsedKpiText][] = [
  ['', H('empty')],
  ['   ', H('empty')],
  ['?', H('empty')],
  ['的', H('empty')],
  ['\u202e\u2066', H('empty')],
  ['7d by store', H('no_metric')],
  ['chart', H('no_metric')],
  ['本周 按店铺', H('no_metric')],
  ['gmv 7d 30d', H('conflict', '30d', ['7d', '30d'])],
  ['gmv 本周 上周', H('conflict', '上周', ['本周', '上周'])],
  ['gmv by store by site', H('conflict', 'by site', ['by store', 'by site'])],
  ['gmv yoy wow', H('conflict', 'wow', ['yoy', 'wow'])],
  ['gmv in usd 人民币', H('conflict', '人民币', ['in usd', '人民币'])],
  ['-30d gmv', H('bad_period', '-30d')],
  ['gmv 2026-13', H('bad_period', '2026-13')],
  ['gmv 0d', H('bad_period', '0d')],
  ['gmv 9999d', H('bad_period', '9999d')],
  ['gmv 13月', H('bad_period', '13月')],
  ['gmv Q5', H('bad_period', 'Q5')],
  ['gmv W54', H('bad_period', 'W54')],
  ['gmv 2026-02-30', H('bad_period', '2026-02-30')],
  ['gmv 2026-03-15..2026-03-01', H('bad_period', '2026-03-15..2026-03-01')],
  ['gmv 2019-01-01..2026-01-01', H('bad_period', '2019-01-01..2026-01-01')],
  ['gmv 前0', H('bad_number', '前0')],
  ['gmv top 1000 by sku', H('bad_number', 'top 1000')],
  ["'; drop table stores; --", H('unknown_word', 'drop')],
  ['{{7*7}}', H('unknown_word', '7*7}}')],
  ['${process.env}', H('unknown_word', '${process.env}')],
  ['<script>alert(1)</script>', H('unknown_word', 'script>alert(1)</script>')],
  // An empty scope value is no scope: the prefix is an unknown word, and `stores` (a group word) is nearest.
  ['gmv 7d store:', H('unknown_word', 'store:', ['stores'])],
];

describe('parseKpiText: bad input', () => {
  it.each(CASES)('%j', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it('suggests gmv for gvm, best first, at most three', () => {
    const r = parse('gvm 7d');
    expect(r).toMatchObject({ kind: 'hint', reason: 'unknown_word', word: 'gvm' });
    expect(r.kind === 'hint' && r.suggestions[0]).toBe('gmv');
    expect(r.kind === 'hint' && r.suggestions.length).toBeLessThanOrEqual(3);
  });

  it('suggests across metrics, period words and command words', () => {
    expect(parse('acso 7d')).toMatchObject({ reason: 'unknown_word', word: 'acso', suggestions: expect.arrayContaining(['acos']) });
    expect(parse('gmv yesterdya')).toMatchObject({ reason: 'unknown_word', suggestions: expect.arrayContaining(['yesterday']) });
    expect(parseKpiText('whoamj', { commandWords: ['whoami', 'help'] })).toMatchObject({ reason: 'unknown_word', suggestions: ['whoami'] });
    expect(parse('gmv 销售领')).toMatchObject({ reason: 'unknown_word', word: '销售领', suggestions: expect.arrayContaining(['销售额']) });
  });

  it('refuses more than 500 characters, and 10 kB quickly', () => {
    expect(parse('gmv '.repeat(126))).toEqual(H('too_long'));
    const started = performance.now();
    expect(parse('x'.repeat(10_000))).toEqual(H('too_long'));
    expect(parse('销'.repeat(10_000))).toEqual(H('too_long'));
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('strips control and bidi characters before parsing and from echoed words', () => {
    expect(parse('gmv\u202e 7d')).toEqual(K('gmv', 'last_7d'));
    expect(parse('g\u200bm\u2066v 7d')).toEqual(K('gmv', 'last_7d'));
    expect(parse('gmv\u0000\u0007 7d')).toEqual(K('gmv', 'last_7d'));
    expect(parse('gmv\n7d\tby store')).toEqual(K('gmv', 'last_7d', { groupBy: 'store' }));
    expect(parse('foo\u202ebar\u0085 7d')).toEqual(H('unknown_word', 'foobar'));
  });

  it('caps the echoed word at 40 characters', () => {
    const r = parse(`${'q'.repeat(60)} gmv`);
    expect(r).toEqual(H('unknown_word', 'q'.repeat(40)));
  });

  it('never throws on values that are not strings', () => {
    for (const v of [undefined, null, 42, {}, [], Symbol('x')]) {
      expect(parseKpiText(v as unknown as string)).toEqual(H('empty'));
    }
    expect(parseKpiText('gmv 7d', { now: new Date(Number.NaN), timezone: 'Not/AZone' })).toEqual(K('gmv', 'last_7d'));
  });

  it('uses the default period it is given, and marks it not typed', () => {
    expect(parseKpiText('gmv', { defaultPeriod: 'yesterday' })).toEqual(K('gmv', undefined, { period: 'yesterday' }));
  });
});
