/**
 * Login with Amazon (LWA) for the Selling Partner API and the Ads API: a long-lived refresh token
 * (from the seller's authorisation of our app) is exchanged for an access token valid ~1 hour
 * (https://developer-docs.amazon.com/sp-api/docs/connecting-to-the-selling-partner-api, step 1).
 * Tokens are cached in memory per (endpoint, client, refresh token) until a minute before they
 * expire, so a run's hundred report polls cost one exchange. `invalid_grant` means the seller
 * revoked the authorisation or the token expired (unused for a year): the admin must
 * re-authorise, so it surfaces as `auth_revoked`. Nothing here logs a token or secret.
 */
import { createHash } from 'node:crypto';
import { ConnectorError, type PullContext } from './types.ts';

export const LWA_TOKEN_URL = 'https://api.amazon.com/auth/o2/token';

export interface LwaClient {
  /** https://api.amazon.com/auth/o2/token (SP-API everywhere; Ads: .co.uk for EU, .co.jp for FE). */
  endpoint: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

/** Refresh a minute early: a token that expires between our check and Amazon's is a wasted 403. */
const MARGIN_MS = 60_000;
const cache = new Map<string, { token: string; expiresAt: number }>();

function keyOf(c: LwaClient): string {
  return createHash('sha256').update(`${c.endpoint}\u0000${c.clientId}\u0000${c.refreshToken}`).digest('hex');
}

/** Errors LWA answers when the grant or the app itself is no longer valid (RFC 6749 §5.2). */
const REVOKED = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client']);

export function forgetLwaToken(c: LwaClient): void {
  cache.delete(keyOf(c));
}

/** Test hook: forget every cached token. */
export function clearLwaCache(): void {
  cache.clear();
}

export async function lwaAccessToken(ctx: PullContext, c: LwaClient): Promise<string> {
  const key = keyOf(c);
  const hit = cache.get(key);
  const now = ctx.now().getTime();
  if (hit && hit.expiresAt - MARGIN_MS > now) return hit.token;
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: c.refreshToken, client_id: c.clientId, client_secret: c.clientSecret });
  let res: Response;
  try {
    res = await ctx.fetch(c.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' }, body, signal: ctx.signal });
  } catch (err) {
    throw new ConnectorError('provider_unavailable', `Login with Amazon is unreachable (${(err as Error).message.slice(0, 120)})`);
  }
  const json = (await res.json().catch(() => null)) as { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } | null;
  if (!res.ok) {
    const error = typeof json?.error === 'string' ? json.error : `http_${res.status}`;
    if (REVOKED.has(error)) {
      cache.delete(key);
      throw new ConnectorError('auth_revoked', `Amazon refused the authorisation (${error}): re-authorise the app in Seller Central / Amazon Ads (授权失效，请重新授权)`);
    }
    if (res.status === 429) throw new ConnectorError('rate_limited', 'Login with Amazon is throttling token requests', Number(res.headers.get('retry-after')) || 60);
    if (res.status >= 500) throw new ConnectorError('provider_unavailable', `Login with Amazon answered ${res.status}`);
    throw new ConnectorError('invalid_config', `Login with Amazon refused the token request (${error})`);
  }
  if (typeof json?.access_token !== 'string' || json.access_token === '') throw new ConnectorError('malformed_response', 'Login with Amazon answered without an access_token');
  const seconds = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : 3600;
  cache.set(key, { token: json.access_token, expiresAt: now + seconds * 1000 });
  return json.access_token;
}
