/**
 * Signed, expiring action links: the fallback for card buttons when no advanced-card template is
 * configured (robot actionCards only open URLs and never call back — platforms.md §3 c). A token
 * is `<payload>.<mac>`: base64url JSON (action id, value, chat and message ref, expiry, nonce)
 * and a truncated HMAC-SHA256 over it, keyed by a key derived from the app secret with a fixed
 * label (so the secret itself never signs anything else). Pure apart from the random nonce.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A link works this long after the card was sent (alerts are answered within a day or re-sent). */
export const LINK_TTL_MS = 24 * 3600_000;
/** 128 bits of MAC keep URLs short (actionCard URLs: "最长500个字符") and forgery hopeless. */
const MAC_BYTES = 16;
const KEY_LABEL = 'linkstar-kpi-bot/dingtalk/action-links/v1';

export interface LinkClaims {
  actionId: string;
  value?: string;
  tenantKey: string;
  chatId: string;
  messageId: string;
  /** The recipient, when the card went to one person (DMs). */
  userId?: string;
  /** Expiry, ms epoch. */
  expiresAt: number;
  nonce: string;
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

export function linkKey(clientSecret: string): Buffer {
  return createHmac('sha256', clientSecret).update(KEY_LABEL).digest();
}

const mac = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest().subarray(0, MAC_BYTES);

export function signLink(key: Buffer, claims: Omit<LinkClaims, 'nonce' | 'expiresAt'> & { expiresAt?: number; nonce?: string }, now = Date.now()): string {
  const full = { ...claims, expiresAt: claims.expiresAt ?? now + LINK_TTL_MS, nonce: claims.nonce ?? randomBytes(12).toString('base64url') };
  const compact = { a: full.actionId, x: full.value, t: full.tenantKey, c: full.chatId, m: full.messageId, u: full.userId, e: Math.floor(full.expiresAt / 1000), n: full.nonce };
  const payload = Buffer.from(JSON.stringify(compact)).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

const s = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

export function verifyLink(key: Buffer, token: string, now = Date.now()): LinkCheck {
  if (typeof token !== 'string' || token.length > 1000) return { ok: false, reason: 'malformed' };
  const [payload, given, extra] = token.split('.');
  if (!payload || !given || extra !== undefined || !/^[A-Za-z0-9_-]+$/.test(payload) || !/^[A-Za-z0-9_-]+$/.test(given)) return { ok: false, reason: 'malformed' };
  const expected = mac(key, payload);
  const got = Buffer.from(given, 'base64url');
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return { ok: false, reason: 'forged' };
  let c: Record<string, unknown>;
  try {
    c = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!s(c.a) || !s(c.t) || !s(c.c) || !s(c.m) || !s(c.n) || typeof c.e !== 'number') return { ok: false, reason: 'malformed' };
  if (c.e * 1000 < now) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    claims: {
      actionId: c.a,
      ...(s(c.x) ? { value: c.x } : {}),
      tenantKey: c.t,
      chatId: c.c,
      messageId: c.m,
      ...(s(c.u) ? { userId: c.u } : {}),
      expiresAt: c.e * 1000,
      nonce: c.n,
    },
  };
}
