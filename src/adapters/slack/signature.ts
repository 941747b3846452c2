/**
 * Slack request signing (https://api.slack.com/docs/verifying-requests-from-slack): HMAC-SHA256
 * of `v0:<timestamp>:<raw body>` keyed by the signing secret, sent as `X-Slack-Signature: v0=<hex>`.
 * Checked on the raw bytes, compared in constant time, and the timestamp must be within five
 * minutes in BOTH directions (Bolt only rejects old ones; a far-future timestamp would let a
 * captured request be replayed later — platforms.md §1 b).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's recommended replay window. */
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

export function slackSignature(secret: string, timestamp: string | number, rawBody: Buffer | string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`;
}

export function verifySlackSignature(input: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  nowMs?: number;
}): SignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(timestamp) || !/^v0=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'malformed' };
  const nowSeconds = Math.floor((input.nowMs ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(slackSignature(input.secret, timestamp, input.rawBody));
  const given = Buffer.from(signature);
  // Both are `v0=` + 64 hex characters here, so the lengths match and the compare is constant-time.
  return given.length === expected.length && timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
