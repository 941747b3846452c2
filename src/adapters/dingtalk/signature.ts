/**
 * Outgoing-robot request signing (open.dingtalk.com/document/orgapp/enterprise-created-chatbot,
 * "校验签名"): headers `timestamp` (ms) and `sign` = base64(HMAC-SHA256(key = app secret,
 * msg = timestamp + "\n" + app secret)). DingTalk allows one hour of skew; we accept the same
 * window in both directions and compare in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGN_WINDOW_MS = 60 * 60_000;

export type SignCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

export function dingtalkSign(secret: string, timestamp: string | number): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

export function verifyDingTalkSign(input: { secret: string; timestamp: string | undefined; sign: string | undefined; nowMs?: number }): SignCheck {
  const { timestamp, sign } = input;
  if (!timestamp || !sign) return { ok: false, reason: 'missing' };
  if (!/^\d{10,15}$/.test(timestamp) || !/^[A-Za-z0-9+/=]{40,64}$/.test(sign)) return { ok: false, reason: 'malformed' };
  if (Math.abs((input.nowMs ?? Date.now()) - Number(timestamp)) > SIGN_WINDOW_MS) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(dingtalkSign(input.secret, timestamp));
  const given = Buffer.from(sign);
  return given.length === expected.length && timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
