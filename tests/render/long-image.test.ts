/**
 * A digest forwarded outside the chat tool: several cards with charts as one tall PNG and as an
 * A4 PDF. The PDF is checked with poppler's pdftoppm (CI installs poppler-utils), the way a
 * reader's viewer would open it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { card, fields, image, note, text } from '../../src/bot/card.ts';
import { createChartRenderer } from '../../src/render/chart.ts';
import { renderLongExport } from '../../src/render/long-pdf.ts';
import type { LayoutCard } from '../../src/render/long-image.ts';
import { fixtureCharts } from '../fixtures/charts/inputs.ts';
import { decode, distinctColours, prepareFonts } from '../helpers/render.ts';

const run = promisify(execFile);

beforeAll(() => {
  prepareFonts();
});

async function digestCards(): Promise<LayoutCard[]> {
  const charts = createChartRenderer();
  const zh = fixtureCharts('zh');
  const pictures = await Promise.all([zh.scorecard, zh.trend, zh.waterfall, zh.goals].map((c) => charts.render(c)));
  const [score, trend, profit, goals] = pictures.map((p) => {
    if (!p.ok) throw new Error(p.message);
    return image({ png: p.png }, p.alt, p.width, p.height);
  });
  // The bot's own Card type is accepted as is: render only needs its shape.
  return [
    card({ title: '每日简报 · 亚马逊美国', tone: 'info', blocks: [text('**昨日 GMV** ¥5.8万，环比 +12.4 %。ACoS 31.2 % 高于目标 25 %。'), fields({ GMV: '¥5.8万', 订单量: '3,456' }), score!, note('数据截至 11月3日(周二) · 演示数据')] }),
    card({ title: '趋势', blocks: [trend!] }),
    card({ title: '利润', tone: 'warning', blocks: [profit!, image({ imageId: 'not-stored' }, '缺失的图', 600, 340)] }),
    card({ title: '目标', tone: 'critical', blocks: [goals!] }),
  ];
}

describe('long image and PDF', () => {
  it('lays cards and charts out as one tall PNG and an A4 PDF that pdftoppm opens', async () => {
    const { image: long, pdf } = await renderLongExport(await digestCards(), { title: '周报 · 亚马逊美国', footer: 'LinkStar KPI Bot' });

    const meta = await sharp(long.png).metadata();
    expect(meta.format).toBe('png');
    expect([meta.width, meta.height]).toEqual([long.width * long.scale, long.height * long.scale]);
    expect(long.height).toBeGreaterThan(4 * 340);
    expect(distinctColours(await decode(long.png))).toBeGreaterThan(16);

    const dir = mkdtempSync(join(tmpdir(), 'kpibot-pdf-'));
    writeFileSync(join(dir, 'digest.pdf'), pdf);
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    const info = await run('pdfinfo', [join(dir, 'digest.pdf')]).catch((err: Error) => {
      throw new Error(`pdfinfo failed (apt-get install poppler-utils): ${err.message}`);
    });
    const pages = Number(/Pages:\s+(\d+)/.exec(info.stdout)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(info.stdout).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);

    await run('pdftoppm', ['-r', '30', '-png', join(dir, 'digest.pdf'), join(dir, 'page')]);
    const rendered = readdirSync(dir).filter((f) => /^page-\d+\.png$/.test(f));
    expect(rendered).toHaveLength(pages);
    for (const f of rendered) expect(distinctColours(await decode(readFileSync(join(dir, f))))).toBeGreaterThan(8);
  });
});
