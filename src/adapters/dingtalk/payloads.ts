/**
 * Rendered markdown → the three DingTalk wire shapes we send (pure; platforms.md §3 c):
 * - robot API (`groupMessages/send`, `oToMessages/batchSend`): `msgKey` + `msgParam` JSON string;
 *   `sampleMarkdown`, or `sampleActionCard` (one button) / `sampleActionCard2…5` whose buttons are
 *   link URLs (`actionTitleN`/`actionURLN`) — they open a page and never call back;
 * - session webhook / custom-robot body: `markdown` or `actionCard` with `btns`, plus `at`;
 * - advanced card (`createAndDeliver`): the `cardParamMap` our template reads (all values strings,
 *   lists as JSON strings — templates/kpi-card.json documents each variable).
 */
import type { Button } from '../../bot/card.ts';
import { MAX_BUTTONS, type RenderedMarkdown } from './render.ts';

type Json = Record<string, unknown>;

export interface LinkButton {
  label: string;
  url: string;
}

export function robotMessage(m: RenderedMarkdown, links: LinkButton[]): { msgKey: string; msgParam: string } {
  const title = m.title;
  if (links.length === 0) return { msgKey: 'sampleMarkdown', msgParam: JSON.stringify({ title, text: m.text }) };
  if (links.length === 1) {
    return { msgKey: 'sampleActionCard', msgParam: JSON.stringify({ title, text: m.text, singleTitle: links[0]!.label, singleURL: links[0]!.url }) };
  }
  const shown = links.slice(0, MAX_BUTTONS);
  const param: Json = { title, text: m.text };
  shown.forEach((l, i) => {
    param[`actionTitle${i + 1}`] = l.label;
    param[`actionURL${i + 1}`] = l.url;
  });
  return { msgKey: `sampleActionCard${shown.length}`, msgParam: JSON.stringify(param) };
}

export function webhookMessage(m: RenderedMarkdown, links: LinkButton[], mentions: string[] = []): Json {
  const at = { atUserIds: mentions, isAtAll: false };
  if (links.length === 0) return { msgtype: 'markdown', markdown: { title: m.title, text: m.text }, at };
  return {
    msgtype: 'actionCard',
    actionCard: { title: m.title, text: m.text, btnOrientation: '0', btns: links.slice(0, MAX_BUTTONS).map((l) => ({ title: l.label, actionURL: l.url })) },
    at,
  };
}

const COLOR: Record<NonNullable<Button['style']>, string> = { primary: 'blue', danger: 'red', default: 'gray' };

/** Template variables (templates/kpi-card.json). The button params come back in card callbacks. */
export function cardParams(m: RenderedMarkdown, tone: string | undefined, fallback: string): Record<string, string> {
  return {
    title: m.title,
    tone: tone ?? 'info',
    markdown: m.text,
    image: m.image?.url ?? '',
    imageAlt: m.image?.alt ?? '',
    buttons: JSON.stringify(m.buttons.map((b) => ({ text: b.label, color: COLOR[b.style ?? 'default'], actionId: b.actionId, value: b.value ?? '' }))),
    fallback: fallback.slice(0, 500),
  };
}
