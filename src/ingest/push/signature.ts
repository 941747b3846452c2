/**
 * The signed push contract (ARCHITECTURE.md "HTTP routes"): `X-KPIBot-Timestamp` is unix seconds
 * within ±5 minutes of ours, `X-KPIBot-Signature` is `sha256=<hex HMAC-SHA256 of
 * "<timestamp>.<raw body>" keyed with PUSH_SECRET>`. Compared in constant time; the reasons are
 * for logs and the 401 body and never include the secret or the expected signature.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const PUSH_WINDOW_SECONDS = 300;

export function signPush(secret: string, timestamp: number | string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

export type PushCheck = { ok: true; timestamp: number } | { ok: false; reason: string };

export function verifyPush(o: { secret: string | undefined; timestamp: string | undefined; signature: string | undefined; body: Buffer; now?: Date }): PushCheck {
  if (!o.secret) return { ok: false, reason: 'pushes are disabled: PUSH_SECRET is not set on the server' };
  if (!o.timestamp || !o.signature) return { ok: false, reason: 'X-KPIBot-Timestamp and X-KPIBot-Signature are required' };
  if (!/^\d{1,12}$/.test(o.timestamp)) return { ok: false, reason: 'X-KPIBot-Timestamp must be unix seconds' };
  const ts = Number(o.timestamp);
  const now = Math.floor((o.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - ts) > PUSH_WINDOW_SECONDS) return { ok: false, reason: 'the timestamp is more than 5 minutes off; check the sender clock' };
  const expected = Buffer.from(signPush(o.secret, o.timestamp, o.body));
  const given = Buffer.from(o.signature.trim());
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'the signature does not match' };
  return { ok: true, timestamp: ts };
}
