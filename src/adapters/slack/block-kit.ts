/**
 * Card → Block Kit, pure (no network): the adapter resolves images first and passes the result in
 * `assets`. Slack rejects a whole message when one limit is broken (`invalid_blocks`), so every
 * limit below is a named constant and the renderer degrades instead: long text is split into
 * more sections, long lists are chunked, and what still does not fit is cut with a visible note.
 * Limits: https://docs.slack.dev/reference/block-kit/blocks (and the @slack/types docs).
 */
import type { ActionsBlock, Button, ContextBlock, KnownBlock, SectionBlock } from '@slack/web-api';
import type { Card, CardBlock, OutboundMessage, Tone } from '../../bot/card.ts';
import { ACTION_SUFFIX } from './normalize.ts';

export const SLACK_LIMITS = {
  /** Blocks per message (chat.postMessage / chat.update). */
  blocks: 50,
  /** header block: plain_text. */
  headerText: 150,
  /** section block `text`. */
  sectionText: 3000,
  /** section block `fields`: items, and characters per item. */
  sectionFields: 10,
  fieldText: 2000,
  /** context block elements, and (our conservative cap) characters per element. */
  contextElements: 10,
  contextText: 2000,
  /** actions block elements. */
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  imageAltText: 2000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** Top-level `text`: Slack truncates a message beyond 40,000 characters. */
  messageText: 40_000,
  /** Notification text when blocks carry the content (Slack advises ≤ 4,000). */
  fallbackText: 3000,
  /**
   * Sum of all text in one message's blocks. Undocumented: Slack answers `msg_blocks_too_long`
   * from about 13,000 characters (slackapi/bolt-js#2509), so we stay under 12,000.
   */
  blocksTextTotal: 12_000,
} as const;

/** How the adapter resolved each image block, by its index in `card.blocks`. */
export type ImageAsset =
  | { kind: 'url'; url: string }
  | { kind: 'file'; id: string }
  /** No inline image: a one-line note instead (upload failed, or the chart was posted on its own). */
  | { kind: 'note'; text: string };

export interface SlackMessage {
  text: string;
  blocks?: KnownBlock[];
}

const TONE_MARK: Record<Tone, string> = { info: '', success: '🟢 ', warning: '🟠 ', critical: '🔴 ' };

/** Cuts to `max` characters, marking the cut; never splits a surrogate pair. */
export function clip(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** Slack needs `&`, `<`, `>` escaped in mrkdwn (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Our markdown subset → mrkdwn: `**bold**` → `*bold*`; `_italic_`, `code` and bullets are the same. */
export function toMrkdwn(markdown: string): string {
  return escapeMrkdwn(markdown).replace(/\*\*(.+?)\*\*/g, '*$1*');
}

/** A user id Slack can @-mention natively (`<@U…>`); anything else is written as plain text. */
export function mention(id: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(id) ? `<@${id}>` : `@${escapeMrkdwn(id)}`;
}

/** Splits text into chunks of at most `max` characters, at line breaks where possible. */
export function chunkText(s: string, max: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (Array.from(rest).length > max) {
    const head = Array.from(rest).slice(0, max).join('');
    const cut = head.lastIndexOf('\n');
    const piece = cut > max / 2 ? head.slice(0, cut) : head;
    out.push(piece);
    rest = rest.slice(piece.length).replace(/^\n/, '');
  }
  if (rest.length > 0 || out.length === 0) out.push(rest);
  return out;
}

const section = (text: string): SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): ContextBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(text, SLACK_LIMITS.contextText) }] });

function buttonsOf(buttons: Extract<CardBlock, { type: 'actions' }>['buttons'], used: Map<string, number>): Button[] {
  const out: Button[] = [];
  for (const b of buttons) {
    // An id or value Slack cannot carry would come back wrong: drop the button rather than corrupt it.
    if (b.actionId.length > SLACK_LIMITS.actionId - 4 || (b.value?.length ?? 0) > SLACK_LIMITS.buttonValue) continue;
    const n = (used.get(b.actionId) ?? 0) + 1;
    used.set(b.actionId, n);
    out.push({
      type: 'button',
      action_id: n === 1 ? b.actionId : `${b.actionId}${ACTION_SUFFIX}${n}`,
      text: { type: 'plain_text', text: clip(b.label, SLACK_LIMITS.buttonText), emoji: true },
      ...(b.value !== undefined ? { value: b.value } : {}),
      ...(b.style === 'primary' || b.style === 'danger' ? { style: b.style } : {}),
      ...(b.confirm
        ? {
            confirm: {
              title: { type: 'plain_text', text: clip(b.confirm.title, SLACK_LIMITS.confirmTitle) },
              text: { type: 'plain_text', text: clip(b.confirm.text, SLACK_LIMITS.confirmText) },
              confirm: { type: 'plain_text', text: clip(b.confirm.ok, SLACK_LIMITS.confirmButton) },
              deny: { type: 'plain_text', text: clip(b.confirm.cancel, SLACK_LIMITS.confirmButton) },
            },
          }
        : {}),
    });
  }
  return out;
}

interface Rendered {
  block: KnownBlock;
  /** Header, mentions and buttons survive trimming; body blocks are cut from the end first. */
  keep: boolean;
  chars: number;
}

function renderBlock(b: CardBlock, index: number, assets: ReadonlyMap<number, ImageAsset>, used: Map<string, number>): Rendered[] {
  const body = (block: KnownBlock, chars: number): Rendered => ({ block, keep: false, chars });
  switch (b.type) {
    case 'text':
      return chunkText(toMrkdwn(b.markdown), SLACK_LIMITS.sectionText).map((t) => body(section(t), t.length));
    case 'fields': {
      const out: Rendered[] = [];
      for (let i = 0; i < b.fields.length; i += SLACK_LIMITS.sectionFields) {
        const texts = b.fields
          .slice(i, i + SLACK_LIMITS.sectionFields)
          .map((f) => clip(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, SLACK_LIMITS.fieldText));
        out.push(body({ type: 'section', fields: texts.map((text) => ({ type: 'mrkdwn', text })) }, texts.join('').length));
      }
      return out;
    }
    case 'image': {
      const asset = assets.get(index) ?? { kind: 'note', text: `📈 ${b.alt}` };
      const alt = clip(b.alt || 'chart', SLACK_LIMITS.imageAltText);
      if (asset.kind === 'url') return [body({ type: 'image', image_url: asset.url, alt_text: alt }, alt.length)];
      if (asset.kind === 'file') return [body({ type: 'image', slack_file: { id: asset.id }, alt_text: alt }, alt.length)];
      return [body(context(escapeMrkdwn(asset.text)), asset.text.length)];
    }
    case 'actions': {
      const buttons = buttonsOf(b.buttons, used);
      const out: Rendered[] = [];
      for (let i = 0; i < buttons.length; i += SLACK_LIMITS.actionsElements) {
        const elements = buttons.slice(i, i + SLACK_LIMITS.actionsElements);
        const block: ActionsBlock = { type: 'actions', elements };
        out.push({ block, keep: true, chars: elements.reduce((n, e) => n + (e.text?.text.length ?? 0) + (e.value?.length ?? 0), 0) });
      }
      return out;
    }
    case 'note':
      return [body(context(toMrkdwn(b.text)), b.text.length)];
  }
}

/** Renders a card; images already resolved by the adapter (`assets`, keyed by block index). */
export function renderCard(card: Card, assets: ReadonlyMap<number, ImageAsset> = new Map()): SlackMessage {
  const title = clip(`${TONE_MARK[card.tone ?? 'info']}${card.title}`, SLACK_LIMITS.headerText);
  const mentions = (card.mentions ?? []).map(mention).join(' ');
  const rendered: Rendered[] = [{ block: { type: 'header', text: { type: 'plain_text', text: title, emoji: true } }, keep: true, chars: title.length }];
  if (mentions) rendered.push({ block: section(clip(mentions, SLACK_LIMITS.sectionText)), keep: true, chars: mentions.length });
  const used = new Map<string, number>();
  card.blocks.forEach((b, i) => rendered.push(...renderBlock(b, i, assets, used)));

  // Over a limit: drop body blocks from the end (keeping buttons) and say so.
  const budgetBlocks = SLACK_LIMITS.blocks - 1;
  const total = () => rendered.reduce((n, r) => n + r.chars, 0);
  let dropped = 0;
  while (rendered.length > budgetBlocks || total() > SLACK_LIMITS.blocksTextTotal) {
    const at = rendered.findLastIndex((r) => !r.keep);
    if (at < 0) break;
    rendered.splice(at, 1);
    dropped++;
  }
  if (rendered.length > budgetBlocks) {
    dropped += rendered.length - budgetBlocks;
    rendered.length = budgetBlocks;
  }
  const blocks = rendered.map((r) => r.block);
  if (dropped > 0) blocks.push(context(`… ${dropped} more part(s) did not fit in one Slack message / 部分内容过长未显示`));

  const fallback = [mentions, escapeMrkdwn(card.fallbackText)].filter(Boolean).join(' ');
  return { text: clip(fallback || card.title, SLACK_LIMITS.fallbackText), blocks };
}

export function renderMessage(message: OutboundMessage, assets?: ReadonlyMap<number, ImageAsset>): SlackMessage {
  if (message.kind === 'text') return { text: clip(toMrkdwn(message.markdown), SLACK_LIMITS.messageText) };
  return renderCard(message.card, assets);
}
