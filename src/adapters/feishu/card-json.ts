/**
 * Card → Feishu card JSON 2.0, pure (no network): the adapter uploads images first and passes
 * their `image_key`s in `assets`. Feishu refuses a whole card that breaks a limit, so the limits
 * are named constants and the renderer degrades instead (cuts text, caps lists, drops what does
 * not fit with a visible note). Plain texts are sent as header-less cards too: only cards can be
 * edited in place (PATCH im/v1/messages/:id), and every message we send may be updated later.
 * Structure: https://open.feishu.cn/document/feishu-cards/card-json-v2-structure ; 2.0 has no
 * `action` wrapper — buttons sit in `column_set`s (platforms.md §2 d).
 */
import type { Button, Card, CardBlock, OutboundMessage, Tone } from '../../bot/card.ts';
import { plainText } from '../../bot/card.ts';

export const FEISHU_LIMITS = {
  /** Card JSON, in bytes (send, PATCH and callback answers alike). */
  cardBytes: 30 * 1024,
  /** Our margin under cardBytes for the JSON string's own escaping. */
  cardBudgetBytes: 28 * 1024,
  /** Components per card (Feishu counts nested ones; documented maximum 200). */
  components: 200,
  /** What we let the body use before the buttons, leaving room for them and the notes. */
  bodyComponents: 120,
  headerTitle: 100,
  /** One markdown element; longer text is cut. Also the longest plain text message. */
  markdown: 8000,
  fields: 20,
  buttons: 20,
  buttonText: 40,
  /** Our `v` (button value) budget inside the callback value. */
  buttonValue: 1000,
  confirmTitle: 100,
  confirmText: 300,
  imageAlt: 100,
} as const;

/** How the adapter resolved each image block, by its index in `card.blocks`. */
export type ImageAsset = { kind: 'image'; key: string } | { kind: 'note'; text: string };

/** What a button's callback carries; short keys because the whole value counts against the card size. */
export interface ButtonValue {
  a: string;
  v?: string;
}

type Json = Record<string, unknown>;

const TEMPLATE: Record<Tone, string> = { info: 'blue', success: 'green', warning: 'orange', critical: 'red' };

/** Cuts to `max` characters, marking the cut; never splits a surrogate pair. */
export function clip(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * Our markdown subset → Feishu card markdown: `**bold**` and `code` are the same, `_italic_`
 * becomes `*italic*`; `<` is escaped because `<at>`, `<font>` and friends are live tags there.
 */
export function toFeishuMarkdown(markdown: string): string {
  return markdown
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/(^|\W)_(.+?)_(?=\W|$)/g, '$1*$2*');
}

/** A Feishu open_id mention (platforms.md §4b); anything else is written as text. */
export function mention(id: string): string {
  return /^ou_[A-Za-z0-9]+$/.test(id) ? `<at id=${id}></at>` : `@${toFeishuMarkdown(id)}`;
}

const md = (content: string, size?: 'notation'): Json => ({ tag: 'markdown', content, ...(size ? { text_size: size } : {}) });
const plain = (content: string): Json => ({ tag: 'plain_text', content });

function buttonJson(b: Button): Json {
  const value: ButtonValue = { a: b.actionId, ...(b.value !== undefined ? { v: clip(b.value, FEISHU_LIMITS.buttonValue) } : {}) };
  return {
    tag: 'button',
    text: plain(clip(b.label, FEISHU_LIMITS.buttonText)),
    type: b.style === 'primary' ? 'primary' : b.style === 'danger' ? 'danger' : 'default',
    behaviors: [{ type: 'callback', value }],
    ...(b.confirm ? { confirm: { title: plain(clip(b.confirm.title, FEISHU_LIMITS.confirmTitle)), text: plain(clip(b.confirm.text, FEISHU_LIMITS.confirmText)) } } : {}),
  };
}

/** Nested component count, the way Feishu counts them. */
function components(e: Json): number {
  let n = 1;
  for (const key of ['columns', 'elements'] as const) {
    const list = e[key];
    if (Array.isArray(list)) for (const c of list as Json[]) n += components(c);
  }
  return n;
}

function blockJson(b: CardBlock, asset: ImageAsset | undefined): Json[] {
  switch (b.type) {
    case 'text':
      return [md(clip(toFeishuMarkdown(b.markdown), FEISHU_LIMITS.markdown))];
    case 'note':
      return [md(clip(toFeishuMarkdown(b.text), FEISHU_LIMITS.markdown), 'notation')];
    case 'fields': {
      const shown = b.fields.slice(0, FEISHU_LIMITS.fields);
      const rows: Json[] = [];
      for (let i = 0; i < shown.length; i += 2) {
        rows.push({
          tag: 'column_set',
          columns: shown.slice(i, i + 2).map((f) => ({
            tag: 'column',
            width: 'weighted',
            weight: 1,
            elements: [md(clip(`**${toFeishuMarkdown(f.label)}**\n${toFeishuMarkdown(f.value)}`, 2000))],
          })),
        });
      }
      const more = b.fields.length - shown.length;
      return more > 0 ? [...rows, md(`… +${more}`, 'notation')] : rows;
    }
    case 'image':
      if (asset?.kind === 'image') return [{ tag: 'img', img_key: asset.key, alt: plain(clip(b.alt, FEISHU_LIMITS.imageAlt)), preview: true }];
      return [md(toFeishuMarkdown(asset?.text ?? `📈 ${b.alt}`))];
    case 'actions':
      return [];
  }
}

function buttonRow(buttons: Button[]): Json {
  return { tag: 'column_set', flex_mode: 'flow', horizontal_spacing: '8px', columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [buttonJson(b)] })) };
}

const bytes = (o: unknown) => Buffer.byteLength(JSON.stringify(o), 'utf8');

/** Shrinks the longest markdown until the card fits its byte budget (never more than a few passes). */
function fitBytes(card: Json, elements: Json[]): void {
  for (let pass = 0; pass < 20 && bytes(card) > FEISHU_LIMITS.cardBudgetBytes; pass++) {
    const all = elements.flatMap(function walk(e): Json[] {
      const inner = [...((e.columns as Json[] | undefined) ?? []), ...((e.elements as Json[] | undefined) ?? [])];
      return [e, ...inner.flatMap(walk)];
    });
    const longest = all.filter((e) => e.tag === 'markdown').sort((x, y) => String(y.content).length - String(x.content).length)[0];
    if (!longest) break;
    const over = bytes(card) - FEISHU_LIMITS.cardBudgetBytes;
    const content = String(longest.content);
    // Bytes per character up to 3 (CJK) plus JSON escaping: cut generously.
    longest.content = clip(content, Math.max(1, Array.from(content).length - Math.ceil(over / 1.5) - 16));
  }
}

export function renderCard(card: Card, assets: Map<number, ImageAsset> = new Map()): Json {
  const elements: Json[] = [];
  let used = 0;
  let dropped = 0;
  if (card.mentions?.length) elements.push(md(card.mentions.map(mention).join(' ')));
  const buttons: Button[] = [];
  card.blocks.forEach((b, i) => {
    if (b.type === 'actions') {
      buttons.push(...b.buttons);
      return;
    }
    for (const e of blockJson(b, assets.get(i))) {
      const n = components(e);
      if (used + n > FEISHU_LIMITS.bodyComponents) {
        dropped++;
        continue;
      }
      used += n;
      elements.push(e);
    }
  });
  if (dropped > 0) elements.push(md(`… (${dropped} more not shown)`, 'notation'));
  const shownButtons = buttons.slice(0, FEISHU_LIMITS.buttons);
  if (shownButtons.length > 0) elements.push(buttonRow(shownButtons));
  const json: Json = {
    schema: '2.0',
    config: { update_multi: true, summary: { content: clip(plainText(card.fallbackText).split('\n')[0] ?? '', 100) } },
    header: { title: plain(clip(card.title, FEISHU_LIMITS.headerTitle)), template: TEMPLATE[card.tone ?? 'info'] },
    body: { elements },
  };
  fitBytes(json, elements);
  return json;
}

/** A plain text as a header-less card (so it can be updated like any card). */
export function renderText(markdown: string): Json {
  const elements = [md(clip(toFeishuMarkdown(markdown), FEISHU_LIMITS.markdown))];
  const json: Json = { schema: '2.0', config: { update_multi: true, summary: { content: clip(plainText(markdown), 100) } }, body: { elements } };
  fitBytes(json, elements);
  return json;
}

export function renderMessage(m: OutboundMessage, assets?: Map<number, ImageAsset>): Json {
  return m.kind === 'text' ? renderText(m.markdown) : renderCard(m.card, assets);
}

/** Reads a button's callback value back (ours, or a legacy string one); null when it is not ours. */
export function parseButtonValue(value: unknown): ButtonValue | null {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return null;
    }
  }
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  if (typeof o.a !== 'string' || o.a.length === 0 || o.a.length > 200) return null;
  return { a: o.a, ...(typeof o.v === 'string' ? { v: o.v } : {}) };
}
