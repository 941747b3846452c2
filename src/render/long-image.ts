/**
 * Several cards and charts as one tall PNG and as a PDF, for forwarding a digest or a weekly
 * review to someone outside the chat tool. The input is structurally the bot's Card (title, tone,
 * blocks) so a Card can be passed as is, without src/render importing src/bot. Each card is drawn
 * as its own SVG (text wrapped with the same width estimator as the charts) with its chart PNGs
 * composited in, then the cards are stacked by libvips, which, unlike cairo, has no 32,767 px limit.
 */
import sharp from 'sharp';
import { FONT_FAMILY, SIZE } from './theme.ts';
import { cleanText, textWidth } from './text-width.ts';

export type LayoutBlock =
  | { type: 'text'; markdown: string }
  | { type: 'fields'; fields: { label: string; value: string }[] }
  | { type: 'image'; source: { png: Uint8Array } | { imageId: string }; alt: string; width: number; height: number }
  | { type: 'note'; text: string }
  /** Buttons cannot be pressed in a picture: skipped. */
  | { type: 'actions' };

export interface LayoutCard {
  title: string;
  tone?: 'info' | 'success' | 'warning' | 'critical';
  blocks: LayoutBlock[];
}

export interface LongImageOptions {
  /** A heading above the first card, e.g. 周报 · 亚马逊美国. */
  title?: string;
  /** A line under the last card, e.g. the data freshness. */
  footer?: string;
  /** Loads a stored image (`{imageId}` sources); without it such images show their alt text. */
  loadImage?: (id: string) => Promise<Uint8Array | null>;
  scale?: number;
}

export interface LongImage {
  png: Buffer;
  /** CSS px; the PNG is `scale`× that. */
  width: number;
  height: number;
  scale: number;
  /** The stacked pieces (heading, cards, footer) as PNGs at `scale`, with their CSS y; PDF pages are cut between them. */
  pieces: { png: Buffer; y: number; height: number }[];
}

/** Content width equals the chart width, so charts are composited at their native size. */
const CONTENT_W = SIZE.width;
const PAD = 16;
const CARD_W = CONTENT_W + 2 * PAD;
const MARGIN = 16;
export const PAGE_W = CARD_W + 2 * MARGIN;
const GAP = 14;
const BG = '#eef1f4';
const TONE: Record<string, string> = { info: '#0072B2', success: '#009E73', warning: '#E69F00', critical: '#D55E00' };
const MAX_LINES_PER_BLOCK = 60;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Greedy wrap: Latin words stay whole (unless longer than a line), CJK breaks anywhere. */
export function wrapText(text: string, maxWidth: number, fontSize: number, bold = false): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    const tokens = para.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|[^\s\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+|\s+/gu) ?? [];
    let line = '';
    for (const tok of tokens) {
      const next = line + tok;
      if (textWidth(next.trimEnd(), fontSize, bold) <= maxWidth) {
        line = next;
        continue;
      }
      if (line.trim()) out.push(line.trimEnd());
      line = tok.trimStart();
      while (textWidth(line, fontSize, bold) > maxWidth) {
        const chars = [...line];
        let n = chars.length - 1;
        while (n > 1 && textWidth(chars.slice(0, n).join(''), fontSize, bold) > maxWidth) n--;
        out.push(chars.slice(0, n).join(''));
        line = chars.slice(n).join('');
      }
    }
    if (line.trim() || out.length === 0) out.push(line.trimEnd());
  }
  return out;
}

const plain = (md: string) =>
  md
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/(^|\W)_(.+?)_(?=\W|$)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/^\s*[-*]\s+/gm, '• ');

interface Drawn {
  svg: string[];
  images: { input: Buffer; top: number; left: number }[];
  y: number;
}

function textLines(d: Drawn, text: string, size: number, opts: { bold?: boolean; color?: string; lineH?: number; x?: number; w?: number } = {}) {
  const lineH = opts.lineH ?? Math.round(size * 1.5);
  const lines = wrapText(cleanText(text, ''), opts.w ?? CONTENT_W, size, opts.bold).slice(0, MAX_LINES_PER_BLOCK);
  for (const l of lines) {
    d.svg.push(
      `<text x="${opts.x ?? PAD}" y="${d.y + Math.round(size * 1.1)}" font-size="${size}" font-family="${FONT_FAMILY}"${opts.bold ? ' font-weight="bold"' : ''} fill="${opts.color ?? '#1f2328'}">${esc(l)}</text>`,
    );
    d.y += lineH;
  }
}

async function imageOf(block: Extract<LayoutBlock, { type: 'image' }>, opts: LongImageOptions): Promise<Buffer | null> {
  try {
    if ('png' in block.source) return Buffer.from(block.source.png);
    return opts.loadImage ? Buffer.from((await opts.loadImage(block.source.imageId)) ?? []) : null;
  } catch {
    return null;
  }
}

async function drawCard(card: LayoutCard, opts: LongImageOptions, scale: number): Promise<Buffer> {
  const d: Drawn = { svg: [], images: [], y: PAD };
  textLines(d, card.title, 18, { bold: true, lineH: 26 });
  d.y += 6;
  for (const b of card.blocks ?? []) {
    if (b.type === 'text') textLines(d, plain(b.markdown), 15, { lineH: 23 });
    else if (b.type === 'note') textLines(d, b.text, 14, { color: '#57606a', lineH: 21 });
    else if (b.type === 'fields') {
      const col = CONTENT_W / 2;
      (b.fields ?? []).slice(0, 40).forEach((f, i) => {
        const x = PAD + (i % 2) * col;
        const top = d.y + Math.floor(i / 2) * 50;
        const sub: Drawn = { svg: d.svg, images: d.images, y: top };
        textLines(sub, f.label, 14, { x, w: col - 12, color: '#57606a', lineH: 20 });
        textLines(sub, f.value, 16, { x, w: col - 12, bold: true, lineH: 24 });
      });
      d.y += Math.ceil((b.fields ?? []).length / 2) * 50;
    } else if (b.type === 'image') {
      const png = await imageOf(b, opts);
      const meta = png && png.length ? await sharp(png).metadata().catch(() => null) : null;
      if (!png || !meta?.width || !meta.height) {
        textLines(d, `[${b.alt}]`, 14, { color: '#57606a' });
        continue;
      }
      const w = Math.min(CONTENT_W, b.width || CONTENT_W);
      const h = Math.round((w * meta.height) / meta.width);
      const [pw, ph] = [Math.round(w * scale), Math.round(h * scale)];
      const input = meta.width === pw && meta.height === ph ? png : await sharp(png).resize(pw, ph).flatten({ background: '#ffffff' }).png().toBuffer();
      d.images.push({ input, top: Math.round((d.y + 4) * scale), left: Math.round(PAD * scale) });
      d.y += h + 12;
    }
    d.y += 6;
  }
  const height = Math.ceil(d.y + PAD - 6);
  const tone = card.tone ? TONE[card.tone] : undefined;
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_W}" height="${height}" viewBox="0 0 ${CARD_W} ${height}">`,
    `<rect x="0.5" y="0.5" width="${CARD_W - 1}" height="${height - 1}" rx="10" fill="#ffffff" stroke="#d0d7de"/>`,
    tone ? `<rect x="0" y="10" width="4" height="${height - 20}" fill="${tone}"/>` : '',
    ...d.svg,
    '</svg>',
  ].join('');
  return sharp(Buffer.from(svg), { density: 72 * scale }).composite(d.images).png().toBuffer();
}

async function drawLine(text: string, size: number, bold: boolean, scale: number): Promise<Buffer> {
  const d: Drawn = { svg: [], images: [], y: 4 };
  textLines(d, text, size, { bold, color: bold ? '#1f2328' : '#57606a', x: 0 });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_W}" height="${Math.ceil(d.y + 4)}">${d.svg.join('')}</svg>`;
  return sharp(Buffer.from(svg), { density: 72 * scale }).png().toBuffer();
}

/** Lays the cards out top to bottom on a light background: heading, cards, footer. */
export async function renderLongImage(cards: LayoutCard[], opts: LongImageOptions = {}): Promise<LongImage> {
  const scale = opts.scale ?? SIZE.scale;
  const parts: Buffer[] = [];
  if (opts.title) parts.push(await drawLine(opts.title, 20, true, scale));
  for (const card of cards) parts.push(await drawCard(card, opts, scale));
  if (opts.footer) parts.push(await drawLine(opts.footer, 14, false, scale));

  const pieces: LongImage['pieces'] = [];
  let y = MARGIN;
  for (const png of parts) {
    const h = (await sharp(png).metadata()).height! / scale;
    pieces.push({ png, y, height: h });
    y += h + GAP;
  }
  const height = Math.ceil(y - GAP + MARGIN);
  const png = await sharp({ create: { width: PAGE_W * scale, height: height * scale, channels: 3, background: BG } })
    .composite(pieces.map((p) => ({ input: p.png, top: Math.round(p.y * scale), left: MARGIN * scale })))
    .png({ compressionLevel: 6 })
    .toBuffer();
  return { png, width: PAGE_W, height, scale, pieces };
}
