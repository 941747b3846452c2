/**
 * Builds requests to `POST /feishu/events` the way Feishu sends them (platforms.md §2 a): the v2
 * envelope as JSON, with an Encrypt Key wrapped as `{"encrypt": base64(iv ‖ AES-256-CBC)}` (key =
 * SHA-256 of the Encrypt Key) and signed with `X-Lark-Signature` = hex SHA-256 of
 * `timestamp + nonce + encryptKey + rawBody`. Also the card click for a button the bot sent.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

type Json = Record<string, unknown>;

/** Broken inputs (tests/fixtures/feishu/malformed.json): raw text, or a body sent as is. */
export interface RawInput {
  name?: string;
  raw?: string;
  body?: unknown;
}

export function isRawInput(p: unknown): p is RawInput {
  return typeof p === 'object' && p !== null && !('schema' in p) && !('type' in p && 'challenge' in p) && ('raw' in p || 'body' in p);
}

export function encryptFeishu(plaintext: string, encryptKey: string): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const iv = randomBytes(16);
  const c = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, c.update(plaintext, 'utf8'), c.final()]).toString('base64');
}

export function sign(timestamp: string, nonce: string, encryptKey: string, body: string): string {
  return createHash('sha256').update(timestamp + nonce + encryptKey + body).digest('hex');
}

export interface FeishuRequestOptions {
  encryptKey?: string;
  /** Wrap the body as `{"encrypt"}` (default: whenever there is an Encrypt Key). */
  encrypt?: boolean;
  /** Signed with the wrong key, or (no Encrypt Key) carrying the wrong verification token. */
  badSignature?: boolean;
  unsigned?: boolean;
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Pretty-printed JSON (the SDK's own check would fail it; ours must not). */
  pretty?: boolean;
}

/** `app.inject` options for one Feishu push. */
export function feishuRequest(payload: unknown, o: FeishuRequestOptions = {}) {
  let text: string;
  if (isRawInput(payload)) text = payload.raw ?? JSON.stringify(payload.body);
  else {
    let p = payload;
    if (o.badSignature && !o.encryptKey) {
      p = structuredClone(payload) as Json;
      const header = (p as Json).header as Json | undefined;
      if (header) header.token = 'forged-token';
      else (p as Json).token = 'forged-token';
    }
    text = JSON.stringify(p, null, o.pretty ? 2 : undefined);
    if (o.encryptKey && o.encrypt !== false) text = JSON.stringify({ encrypt: encryptFeishu(text, o.encryptKey) }, null, o.pretty ? 2 : undefined);
  }
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Go-http-client/1.1' };
  if (o.encryptKey && !o.unsigned) {
    const ts = String(o.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = randomBytes(8).toString('hex');
    headers['x-lark-request-timestamp'] = ts;
    headers['x-lark-request-nonce'] = nonce;
    headers['x-lark-signature'] = sign(ts, nonce, o.badSignature ? `${o.encryptKey}-forged` : o.encryptKey, text);
  }
  return { method: 'POST' as const, url: '/feishu/events', headers, payload: text };
}

export const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/feishu/${name}.json`, import.meta.url), 'utf8')) as Json;

const CLICK = fixture('card-action');
let clicks = 0;

/** Buttons of a sent card 2.0 (they sit in column sets), with their callback values. */
export function buttonsOf(card: unknown): { label: string; value: Json }[] {
  const out: { label: string; value: Json }[] = [];
  const walk = (e: unknown): void => {
    if (!e || typeof e !== 'object') return;
    const x = e as Json;
    if (x.tag === 'button') {
      const cb = ((x.behaviors as Json[] | undefined) ?? []).find((b) => b.type === 'callback');
      if (cb) out.push({ label: String((x.text as Json | undefined)?.content ?? ''), value: cb.value as Json });
    }
    for (const k of ['columns', 'elements']) if (Array.isArray(x[k])) (x[k] as unknown[]).forEach(walk);
  };
  ((((card as Json | undefined)?.body as Json | undefined)?.elements as unknown[] | undefined) ?? []).forEach(walk);
  return out;
}

/** The `card.action.trigger` Feishu sends when `openId` clicks the `actionId` button of a sent card. */
export function clickPayload(sent: { chatId: string; messageId: string; card: unknown }, actionId: string, openId = 'ou_alice00000000000000000000000001', tenant = 'tenant-acme'): Json {
  const button = buttonsOf(sent.card).find((b) => b.value.a === actionId);
  if (!button) throw new Error(`no ${actionId} button in message ${sent.messageId}`);
  const click = structuredClone(CLICK);
  (click.header as Json).event_id = `ev_click_${++clicks}_${randomBytes(4).toString('hex')}`;
  (click.header as Json).tenant_key = tenant;
  const event = click.event as Json;
  event.operator = { ...(event.operator as Json), open_id: openId, tenant_key: tenant };
  event.action = { ...(event.action as Json), value: button.value };
  event.context = { open_message_id: sent.messageId, open_chat_id: sent.chatId };
  return click;
}

/** Every piece of text a reader sees in a card 2.0: header, markdown, plain text, image alt. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (o: unknown): void => {
    if (Array.isArray(o)) return o.forEach(walk);
    if (!o || typeof o !== 'object') return;
    const x = o as Json;
    if ((x.tag === 'markdown' || x.tag === 'plain_text') && typeof x.content === 'string') out.push(x.content);
    for (const [k, v] of Object.entries(x)) if (k !== 'behaviors' && k !== 'config') walk(v);
  };
  walk(card);
  return out.join('\n');
}

export function cardImages(card: unknown): string[] {
  const out: string[] = [];
  const walk = (o: unknown): void => {
    if (Array.isArray(o)) return o.forEach(walk);
    if (!o || typeof o !== 'object') return;
    const x = o as Json;
    if (x.tag === 'img' && typeof x.img_key === 'string') out.push(x.img_key);
    Object.values(x).forEach(walk);
  };
  walk(card);
  return out;
}
