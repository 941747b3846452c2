/**
 * The pure spec builders: what each chart decides before vega sees it (folding, orientation,
 * profit, RAG cues, bad input). Rendering itself is covered in tests/render.
 */
import { describe, expect, it } from 'vitest';
import { chartFallbackTable } from '../../src/render/fallback.ts';
import { createLimiter, QueueFullError } from '../../src/render/limit.ts';
import { paginate } from '../../src/render/long-pdf.ts';
import { wrapText } from '../../src/render/long-image.ts';
import { buildChartSpec } from '../../src/render/specs/index.ts';
import type { BuiltSpec, Json } from '../../src/render/specs/common.ts';
import { RAG_STYLE } from '../../src/render/theme.ts';
import type { ChartInput } from '../../src/render/types.ts';
import { days, fixtureCharts } from '../fixtures/charts/inputs.ts';

function built(input: ChartInput): BuiltSpec {
  const b = buildChartSpec(input);
  if (!b.ok) throw new Error(`expected a spec, got ${b.reason}`);
  return b;
}
const valuesOf = (spec: Json) => (spec.data as { values: Record<string, unknown>[] }).values;

describe('spec builders', () => {
  it('folds everything after the top 7 bars into 其他 (N), so at most 8 bars', () => {
    const bars = Array.from({ length: 10_000 }, (_, i) => ({ label: `SKU-${i}`, value: 10_000 - i }));
    const values = valuesOf(built({ kind: 'bars', lang: 'zh', title: 'x', unit: 'count', bars }).spec);
    expect(values).toHaveLength(8);
    expect(values[7]!.name).toBe('其他 (9993)');
    expect(values[7]!.value).toBe(bars.slice(7).reduce((s, b) => s + b.value, 0));
  });

  it('turns bars horizontal when labels are long, keeps short ones vertical', () => {
    const long = built({ kind: 'bars', lang: 'en', title: 'x', unit: 'count', bars: ['us-main', 'us-outlet', 'a very long store name indeed', 'de-main'].map((label, i) => ({ label, value: i })) });
    const short = built({ kind: 'bars', lang: 'en', title: 'x', unit: 'count', bars: ['us', 'de', 'jp', 'sg'].map((label, i) => ({ label, value: i })) });
    const enc = (b: BuiltSpec) => ((b.spec.layer as Json[])[0]!.encoding as Json).y as Json;
    expect(enc(long).field).toBe('order');
    expect(enc(short).field).toBe('value');
  });

  it('computes net profit in the waterfall, negative included', () => {
    const loss = built({ kind: 'waterfall', lang: 'zh', title: 'x', currency: 'CNY', sales: 100, costs: [{ id: 'cogs', value: 70 }, { id: 'ads', value: 45 }] });
    const values = valuesOf(loss.spec);
    expect(values.map((v) => v.name)).toEqual(['销售额', '货本', '广告费', '净利润']);
    expect(values.at(-1)).toMatchObject({ lo: -15, hi: 0, text: '-¥15', down: true });
    const many = built({ kind: 'waterfall', lang: 'en', title: 'x', currency: 'USD', sales: 100, costs: Array.from({ length: 12 }, (_, i) => ({ id: `c${i}`, label: `c${i}`, value: i + 1 })) });
    expect(valuesOf(many.spec)).toHaveLength(8);
  });

  it('gives every RAG status its own colour, shape and word', () => {
    const styles = Object.values(RAG_STYLE);
    for (const key of ['color', 'shape'] as const) expect(new Set(styles.map((s) => s[key])).size).toBe(4);
    expect(new Set(styles.map((s) => s.word.zh)).size).toBe(4);
    const goals = valuesOf(built(fixtureCharts('zh').goals).spec);
    expect(goals.find((g) => g.rag === 'red')!.right).toContain('落后');
  });

  it('turns no data into a typed failure and a readable fallback', () => {
    const cases: ChartInput[] = [
      { kind: 'trend', lang: 'zh', title: '空', unit: 'count', series: [] },
      { kind: 'trend', lang: 'en', title: 'nulls', unit: 'count', series: days('2026-11-03', 9, () => null) },
      { kind: 'bars', lang: 'en', title: 'x', unit: 'count', bars: [{ label: 'a', value: Number.NaN }] },
      { kind: 'sparkline', lang: 'en', title: 'x', unit: 'count', values: [] },
      { kind: 'goals', lang: 'zh', title: 'x', goals: [] },
      { kind: 'scorecard', lang: 'zh', title: 'x', rows: [] },
    ];
    for (const input of cases) {
      expect(buildChartSpec(input)).toMatchObject({ ok: false, reason: 'no_data' });
      expect(chartFallbackTable(input)).toMatch(/暂无数据|No data/);
    }
    expect(buildChartSpec({ kind: 'pie' } as unknown as ChartInput)).toMatchObject({ ok: false, reason: 'invalid_input' });
    expect(buildChartSpec(null as unknown as ChartInput)).toMatchObject({ ok: false, reason: 'invalid_input' });
    expect(chartFallbackTable({ kind: 'bars', title: 7 } as unknown as ChartInput)).toBe('7\n暂无数据');
  });

  it('writes fallbacks with the chart numbers', () => {
    const table = chartFallbackTable(fixtureCharts('zh').waterfall);
    expect(table.split('\n')).toEqual(['上月净利润拆解 · 美国站', '销售额: $128万', '货本: -$40.2万', '平台费: -$19.3万', '广告费: -$21.1万', '物流: -$16.4万', '仓储: -$3.9万', '净利润: $27.6万']);
    expect(chartFallbackTable(fixtureCharts('en').trend).split('\n').at(-2)).toMatch(/^Tue 3 Nov: ¥\d/);
  });

  it('buckets 10,000 days into a phone-sized line', () => {
    const b = built({ kind: 'trend', lang: 'zh', title: 'x', unit: 'percent', series: days('2026-11-03', 10_000, (i) => i / 10_000) });
    const line = (b.spec.layer as Json[]).find((l) => (l.mark as Json).type === 'line')!;
    expect((line.data as { values: unknown[] }).values.length).toBeLessThanOrEqual(400);
    expect(JSON.stringify(b.spec).length).toBeLessThan(60_000);
  });
});

describe('render plumbing', () => {
  it('bounds concurrency and fails fast when the queue is full', async () => {
    const limit = createLimiter(2, 3);
    let running = 0;
    let peak = 0;
    const release: (() => void)[] = [];
    const job = () =>
      limit.run(async () => {
        peak = Math.max(peak, ++running);
        await new Promise<void>((r) => release.push(r));
        running--;
      });
    const jobs = Array.from({ length: 5 }, job);
    await expect(job()).rejects.toBeInstanceOf(QueueFullError);
    while (release.length || limit.active) {
      release.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(jobs);
    expect(peak).toBe(2);
  });

  it('paginates between pieces and slices a piece taller than a page', () => {
    expect(paginate([300, 300, 300], 900, 10).map((p) => p.map((s) => s.piece))).toEqual([[0, 1], [2]]);
    const pages = paginate([100, 2000], 900, 10);
    expect(pages[0]).toEqual([{ piece: 0, from: 0, height: 100 }]);
    expect(pages.slice(1).flat().reduce((s, x) => s + x.height, 0)).toBe(2000);
  });

  it('wraps CJK anywhere and Latin at spaces', () => {
    const lines = wrapText('昨日 GMV ¥5.8万，环比 +12.4 %。This line mixes English words across a long sentence.', 200, 15);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.every((l) => !/^\s|\s$/.test(l))).toBe(true);
    expect(lines.join(' ')).toContain('English words');
  });
});
