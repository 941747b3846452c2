/**
 * Golden images: a few fixture charts compared with checked-in PNGs by perceptual diff
 * (pixelmatch, YIQ threshold 0.1, anti-aliased pixels ignored), failing above 0.3 % changed
 * pixels. A real change (axis, colour, label, font) moves several percent.
 *
 * Regenerate after an intended change, then LOOK at every PNG before committing:
 *   UPDATE_GOLDENS=1 npx vitest run tests/render/golden.test.ts
 * A failing run leaves `<name>.actual.png` and `<name>.diff.png` in ARTIFACTS_DIR.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pixelmatch from 'pixelmatch';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createChartRenderer } from '../../src/render/chart.ts';
import type { ChartInput } from '../../src/render/types.ts';
import { fixtureCharts } from '../fixtures/charts/inputs.ts';
import { testEnv } from '../helpers/env.ts';
import { decode, diffShare, prepareFonts } from '../helpers/render.ts';

const DIR = join(import.meta.dirname, '../fixtures/charts');
const TOLERANCE = 0.003;

beforeAll(() => {
  prepareFonts();
});

const zh = fixtureCharts('zh');
const en = fixtureCharts('en');
const goldens: { name: string; input: ChartInput }[] = [
  { name: 'trend-zh', input: zh.trend },
  { name: 'bars-en', input: en.bars },
  { name: 'goals-zh', input: zh.goals },
  { name: 'waterfall-zh', input: zh.waterfall },
  { name: 'scorecard-en', input: en.scorecard },
];

describe('golden charts', () => {
  it.each(goldens)('$name matches tests/fixtures/charts/$name.png', async ({ name, input }) => {
    const r = await createChartRenderer({ memoryEntries: 0 }).render(input);
    if (!r.ok) throw new Error(`${r.reason}: ${r.message}`);
    const file = join(DIR, `${name}.png`);
    if (testEnv.UPDATE_GOLDENS || !existsSync(file)) {
      if (!testEnv.UPDATE_GOLDENS) throw new Error(`${file} is missing: run with UPDATE_GOLDENS=1 and look at it`);
      writeFileSync(file, r.png);
      return;
    }
    const [actual, golden] = await Promise.all([decode(r.png), decode(readFileSync(file))]);
    const share = diffShare(actual, golden);
    if (share > TOLERANCE && actual.width === golden.width && actual.height === golden.height) {
      mkdirSync(testEnv.ARTIFACTS_DIR, { recursive: true });
      const diff = Buffer.alloc(actual.data.length);
      pixelmatch(actual.data, golden.data, diff, actual.width, actual.height, { threshold: 0.1 });
      writeFileSync(join(testEnv.ARTIFACTS_DIR, `${name}.actual.png`), r.png);
      await sharp(diff, { raw: { width: actual.width, height: actual.height, channels: 4 } }).png().toFile(join(testEnv.ARTIFACTS_DIR, `${name}.diff.png`));
    }
    expect(share).toBeLessThanOrEqual(TOLERANCE);
  });

  it('the diff notices a changed chart', async () => {
    const r = createChartRenderer({ memoryEntries: 0 });
    const a = await r.render(zh.trend);
    const b = await r.render({ ...zh.trend, target: 50_000 });
    if (!a.ok || !b.ok) throw new Error('render failed');
    expect(diffShare(await decode(a.png), await decode(b.png))).toBeGreaterThan(TOLERANCE);
  });
});
