/**
 * Signed requests to every signed route of the service, built the way each platform (or a
 * seller's system, for pushes) builds them, plus the payloads the attacks replay: a DM and a
 * slash command on Slack, a click on a real alert card, Feishu messages and card clicks,
 * DingTalk outgoing-robot messages, pushes. Sent over real HTTP to the child process.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { encryptFeishu } from '../fakes/feishu/requests.ts';
import { withSession } from '../fakes/dingtalk/harness.ts';
import { signPush } from '../../src/ingest/push/signature.ts';
import { DINGTALK_ALICE, DINGTALK_CORP, FEISHU_ALICE, SLACK_ALICE, SLACK_TEAM, type SigWorld } from './attacks-sig-world.ts';

type Json = Record<string, unknown>;

export interface Req {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Res {
  status: number;
  text: string;
}

export async function send(w: SigWorld, r: Req): Promise<Res> {
  const res = await fetch(`${w.server.url}${r.path}`, { method: r.method, headers: r.headers, body: r.body, redirect: 'manual' });
  return { status: res.status, text: await res.text() };
}

const nowS = () => Math.floor(Date.now() / 1000);
const uid = () => randomBytes(6).toString('hex');
const fixture = (platform: string, name: string) => JSON.parse(readFileSync(new URL(`../fixtures/${platform}/${name}.json`, import.meta.url), 'utf8')) as Json;

// ── Slack ────────────────────────────────────────────────────────────────────────────────────

export const slackSig = (secret: string, ts: number | string, body: string) => `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;

export function slackReq(body: string, contentType: string, o: { secret: string; ts?: number; headers?: boolean }): Req {
  const ts = o.ts ?? nowS();
  const headers: Record<string, string> = { 'content-type': contentType };
  if (o.headers !== false) {
    headers['x-slack-request-timestamp'] = String(ts);
    headers['x-slack-signature'] = slackSig(o.secret, ts, body);
  }
  return { method: 'POST', path: '/slack/events', headers, body };
}

/** A DM to the bot (Events API, JSON). */
export function slackDm(text: string): { body: string; contentType: string } {
  const p = fixture('slack', 'direct-message');
  p.event_id = `Ev${uid()}`;
  const e = p.event as Json;
  e.text = text;
  e.ts = e.event_ts = `${nowS()}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  e.client_msg_id = uid();
  return { body: JSON.stringify(p), contentType: 'application/json' };
}

/** `/kpi <text>` (a form), answered at the fake's response_url. */
export function slackCommand(w: SigWorld, text: string): { body: string; contentType: string } {
  const p = fixture('slack', 'command');
  p.text = text;
  p.trigger_id = `${Date.now()}.${uid()}`;
  p.response_url = w.slack.responseUrl();
  return { body: new URLSearchParams(p as Record<string, string>).toString(), contentType: 'application/x-www-form-urlencoded' };
}

/** Every `{action_id, value}` button under a posted Slack message. */
function slackButtons(o: unknown, out: { actionId: string; value: string }[] = []): { actionId: string; value: string }[] {
  if (Array.isArray(o)) o.forEach((x) => slackButtons(x, out));
  else if (o && typeof o === 'object') {
    const x = o as Json;
    if (typeof x.action_id === 'string' && typeof x.value === 'string') out.push({ actionId: x.action_id, value: x.value });
    Object.values(x).forEach((v) => slackButtons(typeof v === 'string' && v.startsWith('[') ? safeJson(v) : v, out));
  }
  return out;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/** The Acknowledge button of the alert card the service posted to Slack for `alertId`. */
export function slackAlertButton(w: SigWorld, alertId: number): { channel: string; ts: string; actionId: string; value: string } {
  for (const m of w.slack.log) {
    if (m.op !== 'post') continue;
    const b = slackButtons(m.body).find((x) => x.actionId.startsWith('alert.ack') && x.value === String(alertId));
    if (b) return { channel: m.channel, ts: m.ts, ...b };
  }
  throw new Error(`no Slack card with an Acknowledge button for alert ${alertId}`);
}

/** A click (interactivity, `payload=<json>` form) on that button, as alice. */
export function slackClick(w: SigWorld, button: ReturnType<typeof slackAlertButton>, value = button.value): { body: string; contentType: string } {
  const p = fixture('slack', 'action-ack');
  p.trigger_id = `${Date.now()}.${uid()}`;
  p.container = { type: 'message', message_ts: button.ts, channel_id: button.channel, is_ephemeral: false };
  p.channel = { id: button.channel, name: 'directmessage' };
  p.user = { id: SLACK_ALICE, username: 'alice', name: 'alice', team_id: SLACK_TEAM };
  p.response_url = w.slack.responseUrl();
  (p.message as Json).ts = button.ts;
  p.actions = [{ action_id: button.actionId, block_id: 'a1', type: 'button', value, action_ts: `${nowS()}.${uid().slice(0, 6)}` }];
  return { body: new URLSearchParams({ payload: JSON.stringify(p) }).toString(), contentType: 'application/x-www-form-urlencoded' };
}

// ── Feishu ───────────────────────────────────────────────────────────────────────────────────

export const feishuSig = (ts: string, nonce: string, key: string, body: string) => createHash('sha256').update(ts + nonce + key + body).digest('hex');

export function feishuReq(text: string, o: { key: string; ts?: number; nonce?: string; headers?: 'all' | 'none' | 'no-nonce' }): Req {
  const ts = String(o.ts ?? nowS());
  const nonce = o.nonce ?? uid();
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  const which = o.headers ?? 'all';
  if (which !== 'none') {
    headers['x-lark-request-timestamp'] = ts;
    if (which === 'all') headers['x-lark-request-nonce'] = nonce;
    headers['x-lark-signature'] = feishuSig(ts, nonce, o.key, text);
  }
  return { method: 'POST', path: '/feishu/events', headers, body: text };
}

/** A DM event as plain JSON text, carrying the configured verification token. */
export function feishuDm(w: SigWorld, text: string, token = w.secrets.feishuVerificationToken): string {
  const p = fixture('feishu', 'direct-message');
  const h = p.header as Json;
  h.event_id = `ev_${uid()}`;
  h.token = token;
  h.app_id = w.feishu.appId;
  const m = (p.event as Json).message as Json;
  m.message_id = `om_${uid()}`;
  m.content = JSON.stringify({ text });
  return JSON.stringify(p);
}

export const feishuEncrypted = (w: SigWorld, plain: string) => JSON.stringify({ encrypt: encryptFeishu(plain, w.secrets.feishuEncryptKey) });

/** The card the service sent to Feishu for `alertId` and a click on its Acknowledge button. */
export function feishuAlertClick(w: SigWorld, alertId: number, value?: string): string {
  for (const m of w.feishu.messages) {
    const text = JSON.stringify(m.card);
    if (!text.includes('"a":"alert.ack"') || !text.includes(`"v":"${alertId}"`)) continue;
    const click = fixture('feishu', 'card-action');
    const h = click.header as Json;
    h.event_id = `ev_click_${uid()}`;
    h.token = w.secrets.feishuVerificationToken;
    h.app_id = w.feishu.appId;
    const e = click.event as Json;
    e.operator = { ...(e.operator as Json), open_id: FEISHU_ALICE };
    e.action = { ...(e.action as Json), value: { a: 'alert.ack', v: value ?? String(alertId) } };
    e.context = { open_message_id: m.messageId, open_chat_id: m.chatId };
    return JSON.stringify(click);
  }
  throw new Error(`no Feishu card with an Acknowledge button for alert ${alertId}`);
}

// ── DingTalk outgoing robot ─────────────────────────────────────────────────────────────────

export const dingtalkSig = (secret: string, ts: number | string) => createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');

export function dingtalkReq(body: string, o: { secret: string; ts?: number; headers?: boolean }): Req {
  const ts = o.ts ?? Date.now();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (o.headers !== false) {
    headers.timestamp = String(ts);
    headers.sign = dingtalkSig(o.secret, ts);
  }
  return { method: 'POST', path: '/dingtalk/events', headers, body };
}

/** A DM from alice to the robot, with a live session webhook on the fake. */
export function dingtalkDm(w: SigWorld, text: string): string {
  const p = fixture('dingtalk', 'direct-message');
  p.msgId = `msg${uid()}`;
  p.chatbotCorpId = p.senderCorpId = DINGTALK_CORP;
  p.senderStaffId = DINGTALK_ALICE;
  p.robotCode = w.dingtalk.clientId;
  p.createAt = Date.now();
  p.text = { content: text };
  return JSON.stringify(withSession(w.dingtalk, p));
}

// ── Signed push ──────────────────────────────────────────────────────────────────────────────

export function pushReq(body: string, o: { secret: string; ts?: number; headers?: boolean; dataset?: string }): Req {
  const ts = o.ts ?? nowS();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (o.headers !== false) {
    headers['x-kpibot-timestamp'] = String(ts);
    headers['x-kpibot-signature'] = signPush(o.secret, ts, body);
  }
  return { method: 'POST', path: `/api/v1/push/${o.dataset ?? 'orders'}?workspace=acme`, headers, body };
}

export function pushBody(units: number): string {
  const day = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
  return JSON.stringify([{ date: day, store_id: 'us-main', sku_id: `SIG-${uid()}`, units_ordered: units, gross_sales: units * 10 }]);
}

// ── Signed links ─────────────────────────────────────────────────────────────────────────────

/** Every `/links/<token>` the service put in DingTalk messages, with the alert id it acks. */
export function dingtalkLinks(w: SigWorld): { token: string; chatId: string; claims: Json }[] {
  const out: { token: string; chatId: string; claims: Json }[] = [];
  for (const p of w.dingtalk.posts) {
    for (const m of JSON.stringify(p.body).matchAll(/\/links\/([A-Za-z0-9_%.-]+)/g)) {
      const token = decodeURIComponent(m[1]!);
      const claims = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as Json;
      out.push({ token, chatId: p.chatId, claims });
    }
  }
  return out;
}

export const linkReq = (token: string): Req => ({ method: 'GET', path: `/links/${encodeURIComponent(token)}`, headers: {} });
