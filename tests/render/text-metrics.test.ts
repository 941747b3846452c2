/**
 * The width estimator that replaces vega's canvas-less guess, checked against what sharp really
 * draws: the ink of each string must fit inside the estimate (so labels are not cut or overlapped)
 * without the estimate being wasteful. vega's own 0.8 em guess fails the first check for Chinese.
 */
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { textWidth } from '../../src/render/text-width.ts';
import { FONT_FAMILY } from '../../src/render/theme.ts';
import { prepareFonts } from '../helpers/render.ts';

const SCALE = 4;

beforeAll(() => {
  prepareFonts();
});

/** Ink width in CSS px of `text` drawn at `size` px, measured on a 4× raster. */
async function inkWidth(text: string, size: number, bold: boolean): Promise<number> {
  const esc = text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const w = Math.ceil(textWidth(text, size, bold) * 1.5 + 20);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="30"><rect width="${w}" height="30" fill="#fff"/><text x="10" y="21" font-family="${FONT_FAMILY}" font-size="${size}"${bold ? ' font-weight="bold"' : ''}>${esc}</text></svg>`;
  const { info } = await sharp(Buffer.from(svg), { density: 72 * SCALE }).trim({ threshold: 10 }).toBuffer({ resolveWithObject: true });
  return info.width / SCALE;
}

const SAMPLES = ['销售额 GMV', '亚马逊美国 us-main', '11月3日(周二)', '¥1.2万', 'Net profit bridge', 'shopee-sg', '$142K', 'WWWMMM', 'iiilll111', '31.2 % / 25 %', 'Tue 3 Nov', '−JP¥1.3M', 'ROAS 3.21×'];

describe('text width estimate', () => {
  it.each(SAMPLES.flatMap((s) => [{ s, bold: false }, { s, bold: true }]))('covers the ink of "$s" (bold $bold) within 25 %', async ({ s, bold }) => {
    const size = 14;
    const ink = await inkWidth(s, size, bold);
    const est = textWidth(s, size, bold);
    expect(ink).toBeLessThanOrEqual(est);
    expect(ink).toBeGreaterThan(est * 0.75);
  });

  it("vega's default 0.8 em guess is too narrow for Chinese", async () => {
    const s = '亚马逊美国主店';
    expect(await inkWidth(s, 14, false)).toBeGreaterThan(0.8 * s.length * 14);
  });
});
