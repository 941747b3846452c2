/**
 * The real pipeline (vega-lite → vega → SVG → sharp) on fixture data: every kind in both
 * languages, text inside the canvas and never under 14 px, the bad inputs, the PNG cache
 * and failures as values.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { createChartRenderer, layoutSpec, specToSvg } from '../../src/render/chart.ts';
import { chartFallbackTable } from '../../src/render/fallback.ts';
import { buildChartSpec } from '../../src/render/specs/index.ts';
import type { BuiltSpec } from '../../src/render/specs/common.ts';
import { TEXT } from '../../src/render/theme.ts';
import type { ChartInput, Lang } from '../../src/render/types.ts';
import { badInputs, fixtureCharts } from '../fixtures/charts/inputs.ts';
import { decode, distinctColours, prepareFonts, textBoxes, type TextBox } from '../helpers/render.ts';

beforeAll(() => {
  prepareFonts();
});

const LANGS: Lang[] = ['zh', 'en'];
const fixtures = LANGS.flatMap((lang) => Object.values(fixtureCharts(lang)).map((input) => ({ name: `${lang} ${input.kind}`, input })));
const okBad = badInputs().filter((b) => b.expect === 'ok');

function built(input: ChartInput): BuiltSpec {
  const b = buildChartSpec(input);
  if (!b.ok) throw new Error(`no spec: ${b.reason}`);
  return b;
}

async function boxesOf(input: ChartInput): Promise<{ boxes: TextBox[]; width: number; height: number }> {
  const b = built(input);
  const view = await layoutSpec(b.spec);
  try {
    return { boxes: textBoxes(view), width: b.width, height: b.height };
  } finally {
    view.finalize();
  }
}

const overlap = (a: TextBox, b: TextBox) => Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1)) * Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));

describe('charts', () => {
  it.each(fixtures)('$name renders a 2× PNG from fixture data', async ({ input }) => {
    const r = await createChartRenderer({ memoryEntries: 0 }).render(input);
    if (!r.ok) throw new Error(`${r.reason}: ${r.message}`);
    const img = await decode(r.png);
    expect([img.width, img.height]).toEqual([r.width * 2, r.height * 2]);
    expect(distinctColours(img)).toBeGreaterThan(8);
    expect(r.alt.length).toBeGreaterThan(3);
  });

  it.each([...fixtures, ...okBad])('$name: every text lies inside the canvas, none under 14 px, none overlapping', async ({ input }) => {
    const { boxes, width, height } = await boxesOf(input);
    expect(boxes.length).toBeGreaterThan(0);
    const outside = boxes.filter((b) => b.x1 < -0.5 || b.y1 < -0.5 || b.x2 > width + 0.5 || b.y2 > height + 0.5);
    expect(outside).toEqual([]);
    expect(Math.min(...boxes.map((b) => b.fontSize))).toBeGreaterThanOrEqual(TEXT.min);
    // Halo layers draw each direct label twice at the same spot; those pairs are one label.
    const distinct = boxes.filter((b, i) => boxes.findIndex((o) => o.text === b.text && o.x1 === b.x1 && o.y1 === b.y1) === i);
    const clashes = distinct.flatMap((a, i) => distinct.slice(i + 1).filter((b) => overlap(a, b) > 4).map((b) => `${a.text} × ${b.text}`));
    expect(clashes).toEqual([]);
  });

  it('measures the floor honestly: a 12 px label would fail it', async () => {
    const b = built(fixtureCharts('en').bars);
    const small = JSON.parse(JSON.stringify(b.spec).replace(/"labelFontSize":14/g, '"labelFontSize":12'));
    const view = await layoutSpec(small);
    expect(Math.min(...textBoxes(view).map((t) => t.fontSize))).toBe(12);
    view.finalize();
  });

  it.each(badInputs())('bad input, $name → $expect, never a crash or a blank image', async ({ input, expect: want }) => {
    const r = await createChartRenderer({ memoryEntries: 0 }).render(input);
    if (want === 'ok') {
      if (!r.ok) throw new Error(`${r.reason}: ${r.message}`);
      expect(distinctColours(await decode(r.png))).toBeGreaterThan(8);
      const { boxes } = await boxesOf(input);
      expect(boxes.filter((t) => /\p{Extended_Pictographic}/u.test(t.text) && !/[©®™]/.test(t.text))).toEqual([]);
    } else {
      expect(r).toMatchObject({ ok: false, reason: want });
      expect(chartFallbackTable(input).split('\n').length).toBeGreaterThanOrEqual(2);
    }
  });

  it('reuses compiled vega-lite without changing the picture', async () => {
    for (const { input } of fixtures) {
      const b = built(input);
      const fresh = new vega.View(vega.parse(compile(JSON.parse(JSON.stringify(b.spec))).spec), { renderer: 'none' });
      await fresh.runAsync();
      const expected = await fresh.toSVG();
      fresh.finalize();
      const ids = (svg: string) => svg.replace(/clip\d+/g, 'clip');
      expect(ids(await specToSvg(b.spec))).toBe(ids(expected));
      expect(ids(await specToSvg(b.spec))).toBe(ids(expected));
    }
  });

  it('caches PNGs by spec hash in memory and on disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpibot-charts-'));
    const input = fixtureCharts('zh').sparkline;
    const a = createChartRenderer({ cacheDir: dir });
    const first = await a.render(input);
    const second = await a.render(input);
    const other = await createChartRenderer({ cacheDir: dir }).render(input);
    if (!first.ok || !second.ok || !other.ok) throw new Error('render failed');
    expect([first.cached, second.cached, other.cached]).toEqual([false, 'memory', 'disk']);
    expect(Buffer.compare(first.png, other.png)).toBe(0);
    expect(a.stats()).toMatchObject({ rendered: 1, memoryHits: 1 });
    const changed = await a.render({ ...input, values: [1, 2, 3] });
    expect(changed.ok && changed.hash !== first.hash && changed.cached === false).toBe(true);
  });

  it('returns failures as values: a broken spec, a timeout, a full queue', async () => {
    const errors: unknown[] = [];
    const r = createChartRenderer({ memoryEntries: 0, onError: (e) => errors.push(e) });
    const broken: BuiltSpec = { ok: true, spec: { mark: 'nonsense', data: { values: [{ a: 1 }] } }, width: 10, height: 10, alt: 'x' };
    await expect(r.renderBuilt(broken, fixtureCharts('zh').trend)).resolves.toMatchObject({ ok: false, reason: 'render_failed' });
    expect(errors).toHaveLength(1);

    const slow = await createChartRenderer({ memoryEntries: 0, timeoutMs: 1 }).render(fixtureCharts('zh').trend);
    expect(slow).toMatchObject({ ok: false, reason: 'timeout' });

    const busy = createChartRenderer({ memoryEntries: 0, concurrency: 1, maxQueue: 1 });
    const inputs = [1, 2, 3, 4].map((n) => ({ ...fixtureCharts('en').sparkline, values: [n, n + 1] }));
    const results = await Promise.all(inputs.map((i) => busy.render(i)));
    expect(results.filter((x) => x.ok)).toHaveLength(2);
    expect(results.filter((x) => !x.ok).map((x) => !x.ok && x.reason)).toEqual(['overloaded', 'overloaded']);
  });
});
