/**
 * The decomposition behind "why did it move", on numbers worked out by hand: LMDI effects of
 * traffic × conversion × price add up exactly to the GMV change; a divisor (acos = spend ÷ ad
 * sales) enters with its sign; a zero falls back to sequential substitution, which also adds up;
 * member contributions sum to the total change. The bridge chart draws them (spec and fallback).
 */
import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { whyText } from '../../src/insights/why/chat.ts';
import { contributions, decomposeProduct, logMean } from '../../src/insights/why/decompose.ts';
import { layoutSpec } from '../../src/render/chart.ts';
import { buildChartSpec, chartFallbackTable, createChartRenderer, TEXT, type BridgeChart } from '../../src/render/index.ts';
import { decode, distinctColours, prepareFonts, textBoxes } from '../helpers/render.ts';

const sum = (xs: { effect: number }[]) => xs.reduce((s, x) => s + x.effect, 0);

describe('decomposeProduct', () => {
  it('splits GMV into traffic, conversion and price with LMDI; the effects add up to the change', () => {
    // Before: 1,000 sessions × 5 % × 50 = 2,500. After: 800 × 6 % × 55 = 2,640. Change +140.
    // L(2640, 2500) = 140 / ln(1.056) = 2,569.364; traffic L·ln 0.8 = −573.337, conversion
    // L·ln 1.2 = +468.451, price L·ln 1.1 = +244.887; −573.337 + 468.451 + 244.887 = 140.
    const d = decomposeProduct([
      { id: 'traffic', before: 1000, after: 800 },
      { id: 'conversion', before: 0.05, after: 0.06 },
      { id: 'price', before: 50, after: 55 },
    ]);
    expect(d.method).toBe('lmdi');
    expect(d.before).toBeCloseTo(2500, 9);
    expect(d.after).toBeCloseTo(2640, 9);
    expect(d.drivers.map((x) => x.effect)).toEqual([expect.closeTo(-573.337, 3), expect.closeTo(468.451, 3), expect.closeTo(244.887, 3)]);
    expect(sum(d.drivers)).toBeCloseTo(140, 9);
    expect(logMean(5, 5)).toBe(5);
  });

  it('gives a divisor its sign: ACoS = spend ÷ ad sales', () => {
    // Spend 100 → 150 (+50 %), ad sales 400 → 500 (+25 %): ACoS 0.25 → 0.30.
    // L(0.30, 0.25) = 0.274241; spend L·ln 1.5 = +0.111195; ad sales −L·ln 1.25 = −0.061195; sum 0.05.
    const d = decomposeProduct([{ id: 'ad_spend', before: 100, after: 150 }, { id: 'ad_sales', before: 400, after: 500, power: -1 }]);
    expect(d.drivers[0]!.effect).toBeCloseTo(0.111195, 6);
    expect(d.drivers[1]!.effect).toBeCloseTo(-0.061195, 6);
    expect(sum(d.drivers)).toBeCloseTo(0.05, 12);
  });

  it('falls back to sequential substitution when a value is zero, still adding up', () => {
    // A 0 → 10, B 5 → 6: V 0 → 60. A first: 10 × 5 − 0 = 50; then B: 10 × 6 − 10 × 5 = 10.
    const d = decomposeProduct([{ id: 'a', before: 0, after: 10 }, { id: 'b', before: 5, after: 6 }]);
    expect(d.method).toBe('sequential');
    expect(d.drivers.map((x) => x.effect)).toEqual([50, 10]);
    expect(sum(d.drivers)).toBe(d.change);
    // A loss (negative value) cannot go through logarithms either.
    const loss = decomposeProduct([{ id: 'x', before: -20, after: 30 }, { id: 'y', before: 2, after: 3 }]);
    expect(loss.method).toBe('sequential');
    expect(sum(loss.drivers)).toBe(90 - -40); // 30 × 3 − (−20 × 2)
  });
});

describe('contributions', () => {
  it('ranks members by absolute change; their changes sum to the total, shares to 1', () => {
    // Stores: A 1,500 → 1,440 (−60), B 1,000 → 1,200 (+200), C 0 → 30 (new). Total +170.
    const c = contributions(new Map([['A', 1500], ['B', 1000]]), new Map([['A', 1440], ['B', 1200], ['C', 30]]), 170);
    expect(c.map((x) => [x.key, x.change])).toEqual([['B', 200], ['A', -60], ['C', 30]]);
    expect(c.reduce((s, x) => s + x.change, 0)).toBe(170);
    expect(c.reduce((s, x) => s + x.share!, 0)).toBeCloseTo(1, 12);
    expect(c[0]!.share).toBeCloseTo(200 / 170, 12);
    expect(contributions(new Map([['A', 1]]), new Map([['A', 1]]), 0)[0]!.share).toBeNull();
  });
});

describe('bridge chart', () => {
  beforeAll(() => prepareFonts());
  const input = {
    kind: 'bridge' as const,
    lang: 'zh' as const,
    title: 'GMV · 近7天',
    subtitle: '2026-11-09 – 2026-11-15 → 2026-11-16 – 2026-11-22',
    unit: 'money' as const,
    currency: 'CNY',
    start: { label: '上期', value: 2500 },
    steps: [{ label: '流量', value: -573.34 }, { label: '转化率', value: 468.45 }, { label: '客单价', value: 244.89 }],
    end: { label: '本期', value: 2640 },
  };

  it('builds a phone-sized spec with signed labels and a matching text fallback', () => {
    const r = buildChartSpec(input);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([r.width, r.height]).toEqual([600, 340]);
    const values = ((r.spec as { data: { values: { name: string; text: string; lo: number; hi: number; color: string }[] } }).data.values);
    expect(values.map((v) => v.name)).toEqual(['上期', '流量', '转化率', '客单价', '本期']);
    expect(values.map((v) => v.text)).toEqual(['¥2,500', '-¥573.3', '+¥468.4', '+¥244.9', '¥2,640']);
    // Each driver hangs from the running total: 2,500 → 1,926.66 → 2,395.11 → 2,640.
    expect(values[1]).toMatchObject({ lo: expect.closeTo(1926.66, 2), hi: 2500 });
    expect(values[3]).toMatchObject({ lo: expect.closeTo(2395.11, 2), hi: expect.closeTo(2640, 2) });
    expect(values[1]!.color).not.toBe(values[2]!.color); // loss and gain differ (and the sign says it too)
    expect(chartFallbackTable(input)).toBe('GMV · 近7天\n上期: ¥2,500\n流量: -¥573.3\n转化率: +¥468.4\n客单价: +¥244.9\n本期: ¥2,640');
  });

  it.each(['zh', 'en'] as const)('renders a 2× PNG in %s: text inside the canvas, none under 14 px', async (lang) => {
    const en: Partial<BridgeChart> = { title: 'GMV · Last 7 days', start: { label: 'Before', value: 2500 }, end: { label: 'Now', value: 2640 }, steps: [{ label: 'Traffic', value: -573.34 }, { label: 'Conversion', value: 468.45 }, { label: 'Order value', value: 244.89 }] };
    const chart: BridgeChart = { ...input, lang, ...(lang === 'en' ? en : {}) };
    const r = await createChartRenderer({ memoryEntries: 0 }).render(chart);
    if (!r.ok) throw new Error(`${r.reason}: ${r.message}`);
    if (process.env.BRIDGE_PNG) writeFileSync(`${process.env.BRIDGE_PNG}-${lang}.png`, r.png);
    const img = await decode(r.png);
    expect([img.width, img.height]).toEqual([1200, 680]);
    expect(distinctColours(img)).toBeGreaterThan(8);
    const built = buildChartSpec(chart);
    if (!built.ok) throw new Error(built.reason);
    const view = await layoutSpec(built.spec);
    const boxes = textBoxes(view);
    view.finalize();
    expect(boxes.filter((b) => b.x1 < -0.5 || b.y1 < -0.5 || b.x2 > 600.5 || b.y2 > 340.5)).toEqual([]);
    expect(Math.min(...boxes.map((b) => b.fontSize))).toBeGreaterThanOrEqual(TEXT.min);
  });

  it('refuses missing totals as no data', () => {
    expect(buildChartSpec({ ...input, end: { label: '本期', value: Number.NaN } })).toMatchObject({ ok: false, reason: 'no_data' });
  });
});

describe('why questions', () => {
  it('drops the words that only say which way it went', () => {
    expect(whyText('GMV 下降')).toBe('GMV');
    expect(whyText('广告费 上涨了 近14天')).toBe('广告费 近14天');
    expect(whyText('did gmv drop 7d?')).toBe('gmv 7d');
    expect(whyText('GMV 跌')).toBe('GMV');
    // 涨粉 (followers gained) is a metric word, not a direction.
    expect(whyText('涨粉 7d')).toBe('涨粉 7d');
  });
});
