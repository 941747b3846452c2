/**
 * Feishu webhook security on the raw bytes (platforms.md §2 a). With an Encrypt Key the body is
 * `{"encrypt": base64(iv ‖ AES-256-CBC(json))}` with key = SHA-256(encryptKey), and requests are
 * signed: `X-Lark-Signature` = hex SHA-256 (plain, not HMAC) of `timestamp + nonce + encryptKey +
 * rawBody`. We check it ourselves, over the bytes received, in constant time and within ±5 min:
 * the SDK hashes `JSON.stringify(parsed)` (fails on any re-ordered body), has no window and a
 * non-constant compare. Without an Encrypt Key only the Verification Token protects the route.
 * https://open.larkoffice.com/document/ukTMukTMukTM/uYDNxYjL2QTM24iN0EjN/event-subscription-configure-/encrypt-key-encryption-configuration-case
 */
import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';

/** Replay window, both directions (a far-future timestamp would let a capture be replayed later). */
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

export function feishuSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: Buffer | string): string {
  return createHash('sha256').update(timestamp + nonce + encryptKey).update(rawBody).digest('hex');
}

export function verifyFeishuSignature(input: {
  encryptKey: string;
  timestamp: string | undefined;
  nonce: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  nowMs?: number;
}): SignatureCheck {
  const { timestamp, nonce, signature } = input;
  if (!timestamp || nonce === undefined || !signature) return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(timestamp) || !/^[0-9a-f]{64}$/i.test(signature) || nonce.length > 256) return { ok: false, reason: 'malformed' };
  const nowSeconds = Math.floor((input.nowMs ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(feishuSignature(timestamp, nonce, input.encryptKey, input.rawBody), 'hex');
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** Constant-time string equality (verification tokens). */
export function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

/** Decrypts an `encrypt` field; null when it is not what Feishu sends (wrong key, truncated, not base64). */
export function decryptFeishu(encrypt: string, encryptKey: string): string | null {
  try {
    const blob = Buffer.from(encrypt, 'base64');
    // 16-byte IV, then at least one 16-byte block.
    if (blob.length < 32 || blob.length % 16 !== 0) return null;
    const key = createHash('sha256').update(encryptKey).digest();
    const decipher = createDecipheriv('aes-256-cbc', key, blob.subarray(0, 16));
    return Buffer.concat([decipher.update(blob.subarray(16)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
