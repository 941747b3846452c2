/**
 * Text width without a canvas. vega guesses 0.8 em per character when node-canvas is absent, which
 * gives Chinese labels ~20 % too little room and Latin ones too much (pitfalls.md "Rendering").
 * We measure instead: CJK and full-width forms are 1.0 em, ASCII uses the advance widths of the
 * npm font itself, anything else ~0.6 em. A test renders strings with sharp and checks the
 * estimate against the ink width.
 */

/**
 * Advance widths (em) of U+0020…U+007E in NotoSansHans-Regular.otf (@embedpdf/fonts-sc 1.0.0),
 * read from its cmap and hmtx tables. Bold is ~5 % wider.
 */
const ASCII_EM = [
  0.224, 0.323, 0.475, 0.555, 0.555, 0.921, 0.68, 0.278, 0.338, 0.338, 0.467, 0.555, 0.278, 0.347, 0.278, 0.392, 0.555, 0.555,
  0.555, 0.555, 0.555, 0.555, 0.555, 0.555, 0.555, 0.555, 0.278, 0.278, 0.555, 0.555, 0.555, 0.474, 0.946, 0.607, 0.657, 0.638,
  0.687, 0.588, 0.552, 0.689, 0.728, 0.293, 0.536, 0.646, 0.542, 0.812, 0.722, 0.742, 0.632, 0.742, 0.635, 0.597, 0.599, 0.721,
  0.575, 0.878, 0.573, 0.531, 0.603, 0.338, 0.392, 0.338, 0.555, 0.559, 0.606, 0.564, 0.618, 0.509, 0.62, 0.554, 0.325, 0.563,
  0.607, 0.275, 0.275, 0.552, 0.285, 0.926, 0.611, 0.606, 0.62, 0.62, 0.388, 0.468, 0.377, 0.607, 0.521, 0.802, 0.498, 0.521,
  0.474, 0.338, 0.269, 0.338, 0.555,
];
const BOLD_FACTOR = 1.06;
/** A little slack so a label estimated to fit never touches its neighbour or the edge. */
const SAFETY = 1.03;

/** Code points drawn 1 em wide by the CJK font: Han, kana, Hangul, CJK punctuation, full-width forms, arrows, shapes, and × ± § ‰ − (U+2212). */
function isWide(cp: number): boolean {
  return (
    cp === 0xa7 ||
    cp === 0xb1 ||
    cp === 0xd7 ||
    (cp >= 0x1100 && cp <= 0x11ff) ||
    cp === 0x2026 ||
    cp === 0x2030 ||
    cp === 0x2212 ||
    (cp >= 0x2190 && cp <= 0x21ff) ||
    (cp >= 0x2460 && cp <= 0x27bf) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7af) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    cp >= 0x1f000
  );
}

export function charWidthEm(cp: number, bold = false): number {
  if (isWide(cp)) return 1;
  const w = cp >= 0x20 && cp <= 0x7e ? ASCII_EM[cp - 0x20]! : 0.6;
  return bold ? w * BOLD_FACTOR : w;
}

/** Estimated advance width in px of `text` at `fontSize` px. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) em += charWidthEm(ch.codePointAt(0)!, bold);
  return em * fontSize * SAFETY;
}

/** Cuts `text` to fit `maxWidth` px, ending in `…`. */
export function clipText(text: string, maxWidth: number, fontSize: number, bold = false): string {
  if (textWidth(text, fontSize, bold) <= maxWidth) return text;
  const chars = [...text];
  const room = maxWidth - textWidth('…', fontSize, bold);
  let w = 0;
  let n = 0;
  for (; n < chars.length; n++) {
    const cw = charWidthEm(chars[n]!.codePointAt(0)!, bold) * fontSize * SAFETY;
    if (w + cw > room) break;
    w += cw;
  }
  return `${chars.slice(0, n).join('').trimEnd()}…`;
}

/**
 * Emoji and pictographs have no font on a bare machine (DejaVu covers a handful; the rest are tofu
 * boxes), so labels drop them; ©, ® and ™ stay.
 */
const PICTOGRAPHIC = /\p{Extended_Pictographic}|[\u{1F1E6}-\u{1F1FF}]|[\u{1F3FB}-\u{1F3FF}]|[\u{E0020}-\u{E007F}]|\uFE0E|\uFE0F|\u200D|\u20E3/gu;

/** Label hygiene: drop emoji and control characters, collapse whitespace; `fallback` if nothing is left. */
export function cleanText(text: unknown, fallback = '—'): string {
  const s = String(text ?? '')
    .replace(PICTOGRAPHIC, (m) => ('©®™'.includes(m) ? m : ''))
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return s === '' ? fallback : s;
}

interface VegaTextItem {
  fontSize?: number | string;
  fontWeight?: string | number;
  limit?: number;
}

/**
 * Replacement for `vega.textMetrics.width`. vega calls it both to lay out bounds and, inside its
 * own truncation, to measure candidate prefixes against `item.limit`; clamping at the limit keeps
 * every comparison truthful for both (a prefix that is too wide still reads as too wide).
 */
export function vegaTextWidth(item: VegaTextItem, text: unknown): number {
  const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
  const raw = text == null ? '' : String(text).trim();
  if (size <= 0 || raw === '') return 0;
  const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
  const w = textWidth(raw, size, bold);
  return item.limit && item.limit > 0 ? Math.min(w, item.limit) : w;
}
