/**
 * The long image as an A4 PDF: pages are cut between cards where possible, and a card taller than
 * a page is sliced. Each page is one image, so the PDF looks exactly like the picture, CJK
 * included, without embedding an 8 MB font. Pages are JPEG (q92, no chroma subsampling): pdf-lib
 * passes JPEG bytes through, while it decodes and re-deflates a PNG in JS (~0.4 s a page).
 */
import { PDFDocument } from 'pdf-lib';
import sharp, { type OverlayOptions } from 'sharp';
import { PAGE_W, renderLongImage, type LayoutCard, type LongImage, type LongImageOptions } from './long-image.ts';

const A4 = { width: 595.28, height: 841.89 };
const BG = '#eef1f4';
const MARGIN = 16;

interface Slice {
  piece: number;
  /** CSS px within the piece. */
  from: number;
  height: number;
}

/** Groups pieces (and slices of over-tall pieces) into pages of `pageH` CSS px. */
export function paginate(heights: number[], pageH: number, gap: number): Slice[][] {
  const room = pageH - 2 * MARGIN;
  const pages: Slice[][] = [];
  let page: Slice[] = [];
  let used = 0;
  heights.forEach((h, piece) => {
    if (h <= room) {
      if (used > 0 && used + gap + h > room) {
        pages.push(page);
        page = [];
        used = 0;
      }
      used += (used > 0 ? gap : 0) + h;
      page.push({ piece, from: 0, height: h });
      return;
    }
    if (page.length) pages.push(page);
    page = [];
    used = 0;
    for (let from = 0; from < h; from += room) {
      const height = Math.min(room, h - from);
      if (from + height < h) pages.push([{ piece, from, height }]);
      else {
        page = [{ piece, from, height }];
        used = height;
      }
    }
  });
  if (page.length) pages.push(page);
  return pages;
}

export async function renderLongPdf(long: LongImage, opts: { title?: string } = {}): Promise<Uint8Array> {
  const { scale } = long;
  const pageH = Math.floor((A4.height / A4.width) * PAGE_W);
  const gap = long.pieces.length > 1 ? long.pieces[1]!.y - long.pieces[0]!.y - long.pieces[0]!.height : 0;
  const pages = paginate(
    long.pieces.map((p) => p.height),
    pageH,
    gap,
  );
  const doc = await PDFDocument.create({ updateMetadata: false });
  if (opts.title) doc.setTitle(opts.title);
  doc.setCreator('LinkStar KPI Bot');
  for (const slices of pages) {
    const composites: OverlayOptions[] = [];
    let y = MARGIN;
    for (const s of slices) {
      const piece = long.pieces[s.piece]!;
      const meta = await sharp(piece.png).metadata();
      const top = Math.round(s.from * scale);
      const height = Math.min(Math.round(s.height * scale), meta.height! - top);
      const input =
        s.from === 0 && top + height >= meta.height!
          ? piece.png
          : await sharp(piece.png).extract({ left: 0, top, width: meta.width!, height }).png().toBuffer();
      composites.push({ input, top: Math.round(y * scale), left: MARGIN * scale });
      y += s.height + gap;
    }
    const jpeg = await sharp({ create: { width: PAGE_W * scale, height: pageH * scale, channels: 3, background: BG } })
      .composite(composites)
      .jpeg({ quality: 92, chromaSubsampling: '4:4:4' })
      .toBuffer();
    const image = await doc.embedJpg(jpeg);
    doc.addPage([A4.width, A4.height]).drawImage(image, { x: 0, y: 0, width: A4.width, height: A4.height });
  }
  return doc.save();
}

/** One call for a forwardable digest: the tall PNG and the same content as an A4 PDF. */
export async function renderLongExport(cards: LayoutCard[], opts: LongImageOptions = {}): Promise<{ image: LongImage; pdf: Uint8Array }> {
  const image = await renderLongImage(cards, opts);
  const pdf = await renderLongPdf(image, { title: opts.title });
  return { image, pdf };
}
