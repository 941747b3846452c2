import { describe, expect, it } from 'vitest';
import { layoutSpec } from '../../src/render/chart.ts';
import { currencySymbol, dayExpr, formatChange, formatDay, formatNumber, formatValue, valueExpr } from '../../src/render/format.ts';
import { cleanText, clipText, textWidth, vegaTextWidth } from '../../src/render/text-width.ts';
import type { Lang, ValueFormat } from '../../src/render/types.ts';

describe('format', () => {
  it('compacts numbers the way each language reads them', () => {
    expect(formatNumber(12_345, 'zh')).toBe('1.2万');
    expect(formatNumber(340_000_000, 'zh')).toBe('3.4亿');
    expect(formatNumber(1_234_567, 'zh')).toBe('123万');
    expect(formatNumber(9_876, 'zh')).toBe('9,876');
    expect(formatNumber(12_000, 'en')).toBe('12K');
    expect(formatNumber(1_234_567, 'en')).toBe('1.2M');
    expect(formatNumber(2_500_000_000, 'en')).toBe('2.5B');
    expect(formatNumber(-0.5, 'en')).toBe('-0.5');
    expect(formatNumber(3.14159, 'en')).toBe('3.14');
  });

  it('picks the currency symbol by currency, never by language', () => {
    for (const lang of ['zh', 'en'] as Lang[]) {
      expect(formatValue(12_000, { unit: 'money', currency: 'CNY' }, lang)).toMatch(/^¥/);
      expect(formatValue(12_000, { unit: 'money', currency: 'JPY' }, lang)).toMatch(/^JP¥/);
      expect(formatValue(12_000, { unit: 'money', currency: 'USD' }, lang)).toMatch(/^\$/);
      expect(formatValue(12_000, { unit: 'money', currency: 'EUR' }, lang)).toMatch(/^€/);
      expect(formatValue(12_000, { unit: 'money', currency: 'SGD' }, lang)).toMatch(/^S\$/);
      expect(formatValue(12_000, { unit: 'money', currency: 'MYR' }, lang)).toMatch(/^RM/);
    }
    expect(formatValue(12_000, { unit: 'money', currency: 'USD' }, 'zh')).toBe('$1.2万');
    expect(formatValue(-1_250_000, { unit: 'money', currency: 'JPY' }, 'en')).toBe('-JP¥1.3M');
    expect(currencySymbol('AED')).toBe('AED ');
  });

  it('shows fractions as percentages, changes as % or pp, and null as a dash', () => {
    expect(formatValue(0.253, { unit: 'percent' }, 'zh')).toBe('25.3 %');
    expect(formatValue(1, { unit: 'percent' }, 'en')).toBe('100 %');
    expect(formatChange(0.124)).toBe('+12.4 %');
    expect(formatChange(-0.021, 'pp')).toBe('-2.1 pp');
    expect(formatChange(0)).toBe('±0 %');
    expect(formatValue(null, { unit: 'count' }, 'zh')).toBe('—');
    expect(formatValue(Number.NaN, { unit: 'count' }, 'zh')).toBe('—');
    expect(formatValue(3.21, { unit: 'multiple' }, 'en')).toBe('3.21×');
    expect(formatValue(41, { unit: 'days' }, 'zh')).toBe('41天');
  });

  it('writes days as 11月3日(周二) / Tue 3 Nov', () => {
    expect(formatDay('2026-11-03', 'zh', { weekday: true })).toBe('11月3日(周二)');
    expect(formatDay('2025-11-03', 'zh', { weekday: true })).toBe('11月3日(周一)');
    expect(formatDay('2026-11-03', 'en', { weekday: true })).toBe('Tue 3 Nov');
    expect(formatDay('2026-11-03', 'en')).toBe('3 Nov');
    expect(formatDay('2026-02-30', 'en')).toBe('2026-02-30');
  });

  it('axis expressions evaluated by vega agree with the JS formatters', async () => {
    const values = [0, 0.004, 0.5, 3.14159, 9.999, 42, 999.94, 1_000, 9_999, 12_345, 99_960, 123_456, 9_876_543, 123_456_789, -4_567, -0.253];
    const formats: ValueFormat[] = [
      { unit: 'money', currency: 'CNY' },
      { unit: 'money', currency: 'JPY' },
      { unit: 'count' },
      { unit: 'percent' },
      { unit: 'multiple' },
      { unit: 'days' },
    ];
    const cases = (['zh', 'en'] as Lang[]).flatMap((lang) => formats.map((fmt, i) => ({ lang, fmt, as: `f_${lang}_${i}` })));
    const spec = {
      data: { values: values.map((v) => ({ v, t: Date.UTC(2026, 10, 3) })) },
      transform: [
        ...cases.map((c) => ({ calculate: valueExpr(c.fmt, c.lang, 'datum.v'), as: c.as })),
        { calculate: dayExpr('zh', 'datum.t'), as: 'dzh' },
        { calculate: dayExpr('en', 'datum.t'), as: 'den' },
        { calculate: dayExpr('en', 'datum.t', true), as: 'dyear' },
      ],
      mark: 'point',
      encoding: { x: { field: 'v', type: 'quantitative' } },
    };
    const view = await layoutSpec(spec);
    // vega-lite puts the calculated fields into the data set derived from our named input.
    const out = view.data('data_0') as Record<string, unknown>[];
    view.finalize();
    expect(out).toHaveLength(values.length);
    for (const row of out) {
      for (const c of cases) expect(row[c.as], `${c.lang} ${JSON.stringify(c.fmt)} ${row.v}`).toBe(formatValue(row.v as number, c.fmt, c.lang));
      expect(row.dzh).toBe('11月3日');
      expect(row.den).toBe('3 Nov');
      expect(row.dyear).toBe('Nov 2026');
    }
  });
});

describe('text width', () => {
  it('gives CJK a full em and Latin its real advance', () => {
    expect(textWidth('销售额', 14)).toBeCloseTo(3 * 14 * 1.03, 5);
    expect(textWidth('iiii', 14)).toBeLessThan(textWidth('MMMM', 14) / 2);
    expect(textWidth('GMV', 14, true)).toBeGreaterThan(textWidth('GMV', 14));
  });

  it('clips to a width with an ellipsis and cleans emoji and control characters', () => {
    const clipped = clipText('超长的店铺名称'.repeat(20), 100, 14);
    expect(clipped.endsWith('…')).toBe(true);
    expect(textWidth(clipped, 14)).toBeLessThanOrEqual(100);
    expect(cleanText('GMV 🚀🔥 本周\n👍🏽 ok™')).toBe('GMV 本周 ok™');
    expect(cleanText('👨‍👩‍👧')).toBe('—');
  });

  it('clamps at the item limit so vega truncation stays truthful', () => {
    const item = { fontSize: 14, limit: 50 };
    expect(vegaTextWidth(item, 'short')).toBeLessThan(50);
    expect(vegaTextWidth(item, 'a much longer label than fits')).toBe(50);
    expect(vegaTextWidth({ fontSize: 0 }, 'x')).toBe(0);
  });
});
