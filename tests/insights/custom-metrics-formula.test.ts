/**
 * The custom-metric formula language on its own: tokenizer and recursive-descent parser errors
 * carry the character position, unknown names get a suggestion, cycles across custom metrics are
 * found, 10,000 characters are refused before parsing, and a compiled metric is evaluated on the
 * period's summed bases (ratio of sums, trap 9), with a zero total giving null and its reason.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, type BaseSums } from '../../src/kpi/aggregate.ts';
import { compileAll, compileCustomMetric, type CustomMetricRow } from '../../src/kpi/custom/compile.ts';
import { evaluateFormula, FormulaError, parseFormula } from '../../src/kpi/custom/formula.ts';

const row = (id: string, formula: string, extra: Partial<CustomMetricRow> = {}): CustomMetricRow => ({ id, nameEn: id, nameZh: id, formula, unit: 'ratio', direction: 'higher', ...extra });
const grain = { skuGrain: false };

function errorOf(fn: () => unknown): FormulaError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FormulaError) return err;
    throw err;
  }
  throw new Error('no FormulaError');
}

function sums(values: Record<string, number | null>, tables: string[] = ['S', 'A']): BaseSums {
  return { values, tables: new Set(tables) as BaseSums['tables'], fxMissing: new Set(), fxStale: false };
}

describe('formula parser', () => {
  it('honours precedence, unary minus and parentheses', () => {
    const v = (f: string) => evaluateFormula(parseFormula(f), () => null);
    expect(v('1 + 2 * 3')).toBe(7);
    expect(v('(1 + 2) * 3')).toBe(9);
    expect(v('10 - 4 - 3')).toBe(3); // left-associative: (10 − 4) − 3
    expect(v('12 / 3 / 2')).toBe(2);
    expect(v('-2 * -(3 + 1)')).toBe(8);
    expect(v('1.5e2 + .5')).toBe(150.5);
    expect(v('1 / 0')).toBeNull(); // nothing to divide by: null, never Infinity
  });

  it('reports the 1-based character position of each mistake', () => {
    expect(errorOf(() => parseFormula('gmv + * orders'))).toMatchObject({ code: 'unexpected', pos: 7 });
    expect(errorOf(() => parseFormula('(gmv - ad_spend / gmv'))).toMatchObject({ code: 'unclosed', pos: 22 });
    expect(errorOf(() => parseFormula('gmv $ 2'))).toMatchObject({ code: 'bad_char', pos: 5 });
    expect(errorOf(() => parseFormula('gmv 2'))).toMatchObject({ code: 'unexpected', pos: 5 });
    expect(errorOf(() => parseFormula('1.2.3 + gmv'))).toMatchObject({ code: 'unexpected', pos: 4 });
    expect(errorOf(() => parseFormula('gmv)'))).toMatchObject({ code: 'unexpected', pos: 4 });
    expect(errorOf(() => parseFormula('   '))).toMatchObject({ code: 'empty', pos: 0 });
    expect(errorOf(() => parseFormula('gmv + * orders')).message).toContain('at character 7');
  });

  it('refuses a 10,000-character formula before reading it, and deep nesting', () => {
    const long = `gmv${' + gmv'.repeat(1666)}`;
    expect(long.length).toBe(10_000 - 1);
    const e = errorOf(() => parseFormula(`${long} `));
    expect(e.code).toBe('too_long');
    expect(e.message).toContain('10000');
    expect(errorOf(() => parseFormula(`${'('.repeat(40)}gmv${')'.repeat(40)}`)).code).toBe('too_deep');
    // Never `eval`: text that would be code is just a bad character.
    expect(errorOf(() => parseFormula('process.exit(1)'))).toMatchObject({ code: 'unexpected', pos: 13 });
  });
});

describe('compiling custom metrics', () => {
  it('names the unknown name, where it is and the closest one', () => {
    const e = errorOf(() => compileCustomMetric(row('m1', '(gross_sales - ad_spnd) / gross_sales')));
    expect(e).toMatchObject({ code: 'unknown_name', pos: 16, suggestion: 'ad_spend' });
    expect(e.message).toBe('unknown name "ad_spnd" (did you mean ad_spend?) (at character 16)');
  });

  it('refuses snapshots, rolling rates, ambiguous facts and a metric naming itself', () => {
    expect(errorOf(() => compileCustomMetric(row('m2', 'on_hand_units / units'))).code).toBe('not_daily');
    expect(errorOf(() => compileCustomMetric(row('m3', 'odr * 2'))).code).toBe('not_daily');
    expect(errorOf(() => compileCustomMetric(row('m4', 'attributed_orders / clicks')))).toMatchObject({ code: 'ambiguous_name', pos: 1 });
    expect(compileCustomMetric(row('m5', 'A.attributed_orders / clicks')).needs.sort()).toEqual(['A.attributed_orders', 'A.clicks']);
    expect(errorOf(() => compileCustomMetric(row('m6', 'gmv / m6')))).toMatchObject({ code: 'cycle', pos: 7 });
    expect(errorOf(() => compileCustomMetric(row('m7', '2 * 3'))).code).toBe('constant');
  });

  it('finds cycles across custom metrics and keeps the others', () => {
    const { defs, errors } = compileAll([row('a', 'b + gmv'), row('b', 'c * 2'), row('c', 'a / orders'), row('ok', 'gmv - ad_spend'), row('uses_ok', 'ok / gmv')]);
    expect([...defs.keys()].sort()).toEqual(['ok', 'uses_ok']);
    expect([...errors.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(errors.get('a')!.code).toBe('cycle');
    expect(errors.get('a')!.message).toMatch(/^cycle: (a → b → c → a|b → c → a → b|c → a → b → c)$/);
  });

  it('takes class, aggregation and bases from what the formula reads', () => {
    const margin = compileCustomMetric(row('ad_margin', '(gross_sales - ad_spend) / gross_sales'));
    expect(margin).toMatchObject({ aggregation: 'ratio', class: 'sales', source: 'daily', unit: 'ratio', custom: { formula: '(gross_sales - ad_spend) / gross_sales' } });
    expect(margin.needs.sort()).toEqual(['A.spend', 'S.gross_sales']);
    const net = compileCustomMetric(row('ads_net', 'gmv - 1.1 * ad_spend', { unit: 'money' }));
    expect(net.aggregation).toBe('sum'); // a linear combination of sums adds up across days and stores
    expect(compileCustomMetric(row('after_cogs', 'gmv - cogs')).class).toBe('cost'); // cogs is cost-class: hidden from operators
    expect(compileCustomMetric(row('p', 'net_profit / orders')).class).toBe('profit');
  });

  it('evaluates on the summed bases: a ratio of sums, not an average of daily ratios', () => {
    const def = compileCustomMetric(row('ad_margin', '(gross_sales - ad_spend) / gross_sales'));
    // Day 1: gross 100, spend 50 → 0.5; day 2: gross 300, spend 30 → 0.9. Average of days 0.7;
    // over the period (400 − 80) / 400 = 0.8.
    expect(evaluate(def, sums({ 'S.gross_sales': 400, 'A.spend': 80 }), grain)).toEqual({ value: 0.8 });
    // A zero total: null, with its reason.
    expect(evaluate(def, sums({ 'S.gross_sales': 0, 'A.spend': 10 }), grain)).toEqual({ value: null, missing: 'zero_denominator' });
    // No ad rows at all: no data, never a number.
    expect(evaluate(def, sums({ 'S.gross_sales': 400 }, ['S']), grain)).toEqual({ value: null, missing: 'no_data' });
  });

  it('uses SKU-grain orders inside catalogue metrics it names', () => {
    const def = compileCustomMetric(row('gmv_per_order', 'gmv / orders', { unit: 'money' }));
    expect(def.skuNeeds?.sort()).toEqual(['S.gross_sales', 'S.order_count']);
    const s = sums({ 'S.gross_sales': 300, 'S.order_count': 6, 'V.orders_distinct': 5 }, ['S', 'V']);
    expect(evaluate(def, s, { skuGrain: false }).value).toBe(60); // 300 / 5 distinct orders
    expect(evaluate(def, s, { skuGrain: true }).value).toBe(50); // 300 / 6 orders containing the SKU
  });
});
