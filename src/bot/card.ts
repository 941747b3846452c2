/**
 * The one neutral Card model. Domain code builds cards with the tiny builders below; each adapter
 * renders them natively (Block Kit, Feishu card JSON, DingTalk actionCard, console HTML). In
 * process an image is PNG bytes or the id of a stored image; on the wire (console API, stored
 * deliveries) it is a `url`. Every card carries a plain-text fallback for surfaces that cannot
 * show cards (notifications, old clients, degraded sends).
 */

export type Tone = 'info' | 'success' | 'warning' | 'critical';

/** PNG bytes straight from the renderer, or the id of an image already in the `images` table. */
export type ImageSource = { png: Uint8Array } | { imageId: string };

export interface Button {
  /** Dotted id routed to an action handler, e.g. `alert.ack`. */
  actionId: string;
  label: string;
  /** Opaque to adapters; handlers re-read state and never trust it for authorisation. */
  value?: string;
  style?: 'primary' | 'danger' | 'default';
  /** Ask before acting (Slack confirm dialog, Feishu confirm, console window.confirm). */
  confirm?: { title: string; text: string; ok: string; cancel: string };
}

export interface Field {
  label: string;
  value: string;
}

export type CardBlock =
  /** A small common markdown subset: **bold**, _italic_, `code`, line breaks, bullet lines. */
  | { type: 'text'; markdown: string }
  | { type: 'fields'; fields: Field[] }
  | { type: 'image'; source: ImageSource; alt: string; width: number; height: number }
  | { type: 'actions'; buttons: Button[] }
  /** Footer/context line: data freshness, "demo data", "sent you a DM". */
  | { type: 'note'; text: string };

export interface Card {
  title: string;
  tone?: Tone;
  blocks: CardBlock[];
  /** Plain text that says what the card says; used wherever a card cannot be shown. */
  fallbackText: string;
  /** User ids (platform ids) each adapter @-mentions natively (platforms.md §4b). */
  mentions?: string[];
}

export type OutboundMessage = { kind: 'text'; markdown: string } | { kind: 'card'; card: Card };

/** Wire forms: what the console API returns and what the outbox stores. */
export type WireBlock =
  | Exclude<CardBlock, { type: 'image' }>
  | { type: 'image'; url: string; alt: string; width: number; height: number };
export interface WireCard extends Omit<Card, 'blocks'> {
  blocks: WireBlock[];
}
export type WireMessage = { kind: 'text'; markdown: string } | { kind: 'card'; card: WireCard };

// ---- builders --------------------------------------------------------------------------------

export const text = (markdown: string): CardBlock => ({ type: 'text', markdown });
export const fields = (list: Field[] | Record<string, string>): CardBlock => ({
  type: 'fields',
  fields: Array.isArray(list) ? list : Object.entries(list).map(([label, value]) => ({ label, value })),
});
export const image = (source: ImageSource, alt: string, width: number, height: number): CardBlock => ({
  type: 'image',
  source,
  alt,
  width,
  height,
});
export const actions = (...buttons: Button[]): CardBlock => ({ type: 'actions', buttons });
export const button = (actionId: string, label: string, value?: string, style?: Button['style']): Button => ({
  actionId,
  label,
  ...(value !== undefined ? { value } : {}),
  ...(style ? { style } : {}),
});
export const note = (s: string): CardBlock => ({ type: 'note', text: s });

/** Strips the markdown subset to plain text. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/(^|\W)_(.+?)_(?=\W|$)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1');
}

/** A text fallback derived from the blocks (title, text, fields, image alt, note). */
export function deriveFallback(title: string, blocks: CardBlock[]): string {
  const lines = [title];
  for (const b of blocks) {
    if (b.type === 'text') lines.push(plainText(b.markdown));
    else if (b.type === 'fields') lines.push(...b.fields.map((f) => `${f.label}: ${f.value}`));
    else if (b.type === 'image') lines.push(`[${b.alt}]`);
    else if (b.type === 'note') lines.push(b.text);
  }
  return lines.filter((l) => l.trim() !== '').join('\n');
}

/** Builds a card; the fallback is derived unless given. */
export function card(input: { title: string; tone?: Tone; blocks: CardBlock[]; fallbackText?: string; mentions?: string[] }): Card {
  return {
    title: input.title,
    ...(input.tone ? { tone: input.tone } : {}),
    blocks: input.blocks,
    fallbackText: input.fallbackText ?? deriveFallback(input.title, input.blocks),
    ...(input.mentions?.length ? { mentions: input.mentions } : {}),
  };
}

/**
 * Wire form. Images must already be stored (`imageId`); `imageUrl` turns an id into the public
 * URL (`${PUBLIC_URL}/images/<id>.png`). A card still holding raw PNG bytes is a caller bug.
 */
export function toWire(message: OutboundMessage, imageUrl: (id: string) => string): WireMessage {
  if (message.kind === 'text') return message;
  const c = message.card;
  return {
    kind: 'card',
    card: {
      ...c,
      blocks: c.blocks.map((b): WireBlock => {
        if (b.type !== 'image') return b;
        if (!('imageId' in b.source)) throw new TypeError('store card images before toWire (png bytes cannot go on the wire)');
        return { type: 'image', url: imageUrl(b.source.imageId), alt: b.alt, width: b.width, height: b.height };
      }),
    },
  };
}

/** The wire message back into an outbound one (images as stored ids), for the outbox worker. */
export function fromWire(message: WireMessage): OutboundMessage {
  if (message.kind === 'text') return message;
  return {
    kind: 'card',
    card: {
      ...message.card,
      blocks: message.card.blocks.map((b): CardBlock => {
        if (b.type !== 'image') return b;
        const id = /\/images\/([A-Za-z0-9_-]+)\.png$/.exec(b.url)?.[1] ?? b.url;
        return { type: 'image', source: { imageId: id }, alt: b.alt, width: b.width, height: b.height };
      }),
    },
  };
}
