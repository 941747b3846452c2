/**
 * `Card` → DingTalk's markdown subset (pure, no network): the body of robot markdown messages,
 * actionCards and our advanced-card template. DingTalk markdown has headings, **bold**, *italic*,
 * links, images, lists and quotes — no tables, no inline code — and needs two spaces before a
 * newline to break a line (open.dingtalk.com/document/orgapp/message-type). So fields become one
 * `**label**: value` line each, and every limit below degrades (cut with a "more" hint) instead of
 * letting the platform refuse the message.
 */
import type { Button, Card, OutboundMessage } from '../../bot/card.ts';

/** `msgParam` may be at most 15,000 bytes (robot groupMessages/send); leave room for title and JSON. */
export const MARKDOWN_MAX_BYTES = 12_000;
/** Plain text that always fits: 4,000 CJK characters are 12,000 UTF-8 bytes. */
export const MAX_TEXT_CHARS = 4_000;
/** actionCard/markdown `title`: shown in the chat list and notification, "最长64个字符". */
export const TITLE_MAX = 64;
/** actionCard button text: "最长20个字符". */
export const BUTTON_TITLE_MAX = 20;
/** sampleActionCard2…5 carry at most five link buttons; our template renders the same number. */
export const MAX_BUTTONS = 5;
/** One KPI per line; a card with more fields is cut with a count. */
export const MAX_FIELDS = 30;
export const FIELD_VALUE_MAX = 200;
export const MAX_NOTES = 10;

export const MORE_HINT = '…（内容过长，已截断 · truncated, ask a narrower question）';

const TONE: Record<NonNullable<Card['tone']>, string> = { info: 'ℹ️', success: '✅', warning: '⚠️', critical: '🔴' };

/** What stands in for an image block: a URL or media id to show, or a text note (upload failed / none). */
export type ImageAsset = { kind: 'url'; url: string } | { kind: 'note'; text: string };

export interface RenderedMarkdown {
  title: string;
  text: string;
  buttons: Button[];
  /** The first image shown (advanced cards put it in their image component). */
  image?: { url: string; alt: string };
}

export function cut(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

/** Cuts to `maxBytes` of UTF-8 on a character boundary, with the "more" hint when anything was cut. */
export function truncateBytes(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s) <= maxBytes) return s;
  const budget = maxBytes - Buffer.byteLength(`\n\n${MORE_HINT}`);
  let out = '';
  let used = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch);
    if (used + n > budget) break;
    out += ch;
    used += n;
  }
  return `${out}\n\n${MORE_HINT}`;
}

/** Our markdown subset → DingTalk's: `_x_` → `*x*`, backticks dropped, hard line breaks. */
export function toDingTalkMarkdown(markdown: string): string {
  return markdown
    .replace(/(^|\W)_(.+?)_(?=\W|$)/g, '$1*$2*')
    .replace(/`([^`]+)`/g, '$1')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('  \n');
}

const mentionLine = (ids: string[]) => ids.map((id) => `@${id}`).join(' ');

/**
 * Renders a message. `assets` maps image block indexes to what stands in for them; with
 * `imagesInline: false` images are left to the caller (advanced cards show them in a component).
 */
export function renderMarkdown(message: OutboundMessage, assets: Map<number, ImageAsset> = new Map(), opts: { imagesInline?: boolean } = {}): RenderedMarkdown {
  if (message.kind === 'text') {
    const text = truncateBytes(toDingTalkMarkdown(message.markdown), MARKDOWN_MAX_BYTES);
    const first = message.markdown.split('\n').find((l) => l.trim() !== '') ?? 'KPI';
    return { title: cut(first.replace(/[*_`#>]/g, '').trim() || 'KPI', TITLE_MAX), text, buttons: [] };
  }
  const c = message.card;
  const lines: string[] = [`### ${c.tone ? `${TONE[c.tone]} ` : ''}${cut(c.title, 100)}`];
  const buttons: Button[] = [];
  let image: RenderedMarkdown['image'];
  let notes = 0;
  c.blocks.forEach((b, i) => {
    if (b.type === 'text') lines.push(toDingTalkMarkdown(b.markdown));
    else if (b.type === 'fields') {
      const shown = b.fields.slice(0, MAX_FIELDS).map((f) => `**${cut(f.label, 60)}**: ${cut(f.value, FIELD_VALUE_MAX)}`);
      if (b.fields.length > MAX_FIELDS) shown.push(`…（+${b.fields.length - MAX_FIELDS}）`);
      lines.push(shown.join('  \n'));
    } else if (b.type === 'image') {
      const a = assets.get(i) ?? { kind: 'note', text: `📈 ${b.alt}` };
      if (a.kind === 'note') lines.push(a.text);
      else {
        image ??= { url: a.url, alt: b.alt };
        if (opts.imagesInline !== false) lines.push(`![${b.alt.replace(/[[\]]/g, '')}](${a.url})`);
      }
    } else if (b.type === 'actions') buttons.push(...b.buttons);
    else if (notes++ < MAX_NOTES) lines.push(`> ${b.text}`);
  });
  if (c.mentions?.length) lines.push(mentionLine(c.mentions));
  return {
    title: cut(c.title, TITLE_MAX),
    text: truncateBytes(lines.join('\n\n'), MARKDOWN_MAX_BYTES),
    buttons: buttons.slice(0, MAX_BUTTONS).map((btn) => ({ ...btn, label: cut(btn.label, BUTTON_TITLE_MAX) })),
    ...(image ? { image } : {}),
  };
}

/** Plain text of a message for fallbacks (`at` text messages, logs): the card's fallback. */
export function fallbackOf(message: OutboundMessage): string {
  return message.kind === 'text' ? message.markdown : message.card.fallbackText;
}
