/**
 * Chinese glyphs are real on a machine without system CJK fonts: the font comes from npm
 * (@embedpdf/fonts-sc) through the fonts.conf that src/config.ts writes. Two different Chinese
 * titles must give different pixels, and each must differ from the same chart rendered in a child
 * process whose fontconfig only knows a Latin font (there every Han character is a tofu box).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { createChartRenderer } from '../../src/render/chart.ts';
import type { ChartInput } from '../../src/render/types.ts';
import { ROOT, childEnv } from '../helpers/processes.ts';
import { decode, diffShare, prepareFonts } from '../helpers/render.ts';

const run = promisify(execFile);
// The title band of a 600×340 chart at 2× (the title is 18 px bold at the top left).
const TITLE = { left: 0, top: 0, width: 1200, height: 70 };

beforeAll(() => {
  prepareFonts();
});

function chart(title: string): ChartInput {
  return { kind: 'bars', lang: 'zh', unit: 'count', title, bars: [{ label: 'a', value: 1 }] };
}

/** A fontconfig setup with one Latin font (DejaVu Sans, if present) and no CJK font at all. */
function latinOnlyFontconfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kpibot-tofu-'));
  const dejavu = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
  // Without DejaVu the folder stays empty: no font at all is also "no CJK font".
  if (existsSync(dejavu)) symlinkSync(dejavu, join(dir, 'latin.ttf'));
  const conf = join(dir, 'fonts.conf');
  writeFileSync(conf, `<?xml version="1.0"?>\n<fontconfig><dir>${dir}</dir><cachedir>${join(dir, 'cache')}</cachedir></fontconfig>\n`);
  return conf;
}

describe('CJK text', () => {
  it('draws real Chinese glyphs from the npm font, not tofu', async () => {
    const titles = ['销售额趋势图', '利润率下降了'];
    const renderer = createChartRenderer({ memoryEntries: 0 });
    const ours = await Promise.all(
      titles.map(async (t) => {
        const r = await renderer.render(chart(t));
        if (!r.ok) throw new Error(r.message);
        return decode(r.png, TITLE);
      }),
    );
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'tests/helpers/render-child.ts'), JSON.stringify(titles.map(chart))], {
      cwd: ROOT,
      env: childEnv({ FONTCONFIG_FILE: latinOnlyFontconfig() }),
      maxBuffer: 16 << 20,
    });
    const tofu = await Promise.all((JSON.parse(stdout) as string[]).map((b) => decode(Buffer.from(b, 'base64'), TITLE)));

    // Different titles, different pixels with the npm font…
    expect(diffShare(ours[0]!, ours[1]!)).toBeGreaterThan(0.01);
    // …and each unlike the same title drawn with no CJK font.
    expect(diffShare(ours[0]!, tofu[0]!)).toBeGreaterThan(0.01);
    expect(diffShare(ours[1]!, tofu[1]!)).toBeGreaterThan(0.01);
  });
});
