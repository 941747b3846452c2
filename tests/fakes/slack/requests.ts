/**
 * Builds signed requests to `POST /slack/events` the way Slack sends them (platforms.md §1 a–d):
 * events as JSON, slash commands as a form (exact content type, no charset), clicks as a form with
 * one `payload` field holding JSON. Signed with the app's signing secret over the raw bytes.
 */
import { createHmac } from 'node:crypto';

type Json = Record<string, unknown>;

export const FORM = 'application/x-www-form-urlencoded';

/** A raw body for inputs that are broken on purpose (tests/fixtures/slack/malformed.json). */
export interface RawInput {
  name?: string;
  contentType: string;
  raw?: string;
  body?: unknown;
}

export function isRawInput(p: unknown): p is RawInput {
  return typeof p === 'object' && p !== null && 'contentType' in p && ('raw' in p || 'body' in p);
}

/** Encodes a Slack payload (or a RawInput) as Slack would put it on the wire. */
export function encodeSlackBody(p: unknown): { contentType: string; body: string } {
  if (isRawInput(p)) {
    if (p.raw !== undefined) return { contentType: p.contentType, body: p.raw };
    if (p.contentType.startsWith(FORM)) return { contentType: p.contentType, body: formOf(p.body as Json) };
    return { contentType: p.contentType, body: JSON.stringify(p.body) };
  }
  const o = p as Json;
  if (typeof o.command === 'string') return { contentType: FORM, body: formOf(o) };
  if (o.type === 'block_actions') return { contentType: FORM, body: new URLSearchParams({ payload: JSON.stringify(o) }).toString() };
  return { contentType: 'application/json', body: JSON.stringify(o) };
}

function formOf(o: Json): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) params.set(k, typeof v === 'string' ? v : JSON.stringify(v));
  return params.toString();
}

export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignOptions {
  /** Unix seconds; default now. */
  timestamp?: number;
  badSignature?: boolean;
  unsigned?: boolean;
  /** Adds X-Slack-Retry-Num / -Reason like a redelivery. */
  retryNum?: number;
}

/** `app.inject` options for one Slack request. */
export function slackRequest(secret: string, payload: unknown, o: SignOptions = {}) {
  const { contentType, body } = encodeSlackBody(payload);
  const ts = o.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': contentType, 'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)' };
  if (!o.unsigned) {
    headers['x-slack-request-timestamp'] = String(ts);
    headers['x-slack-signature'] = o.badSignature ? sign(`${secret}-forged`, ts, body) : sign(secret, ts, body);
  }
  if (o.retryNum) {
    headers['x-slack-retry-num'] = String(o.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return { method: 'POST' as const, url: '/slack/events', headers, payload: body };
}

/** A copy of a fixture whose response_url points at the fake (so replies land there). */
export function withResponseUrl<T>(payload: T, url: string): T {
  const o = structuredClone(payload) as Json;
  if (typeof o.response_url === 'string') o.response_url = url;
  return o as T;
}
