/**
 * The only file that calls DingTalk over HTTP (no official SDK covers outbound: platforms.md §3 c).
 * Global fetch with a timeout per call; base URLs from DINGTALK_API_URL / DINGTALK_OAPI_URL so
 * tests aim at the fake. Two token kinds are cached and refreshed five minutes before expiry:
 * the new one (`POST /v1.0/oauth2/accessToken`, header `x-acs-dingtalk-access-token`) and the
 * legacy one (`GET /gettoken`, query `access_token`) the `oapi` endpoints want. Every OpenAPI
 * call is counted against the tenant's monthly quota; a 90020 answer records a hold. Never logs
 * a URL (legacy URLs carry the token, /gettoken carries the app secret). No retries here.
 */
import type { Logger } from 'pino';
import type { DingtalkConfig } from '../../config.ts';
import { errcodeError, isQuotaError, statusError, transportError } from './errors.ts';

/** Refresh this long before the token's stated expiry (DingTalk: 7,200 s tokens). */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface DingTalkClientDeps {
  config: Pick<DingtalkConfig, 'clientId' | 'clientSecret' | 'apiUrl' | 'oapiUrl'>;
  logger: Logger;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => number;
  /** Counts one OpenAPI call for a tenant (src/bot/outbox/quota.ts). */
  countCall?: (tenantKey: string) => Promise<void>;
  /** The platform said the tenant's monthly quota is gone. */
  onQuotaExhausted?: (tenantKey: string, until: Date) => Promise<void>;
}

type Json = Record<string, unknown>;

interface CachedToken {
  value: string;
  expiresAt: number;
}

export interface DingTalkClient {
  /** A new-API call (api.dingtalk.com). `tenant` is whose quota it counts against. */
  api<T = Json>(method: 'GET' | 'POST' | 'PUT', path: string, body: Json | undefined, what: string, tenant: string): Promise<T>;
  /** A legacy call (oapi.dingtalk.com) with the legacy token; JSON or multipart body. */
  oapi<T = Json>(path: string, body: Json | FormData, what: string, tenant: string): Promise<T>;
  /** POST to a session webhook (the URL is the credential; not an OpenAPI call, not counted). */
  webhook(url: string, body: Json, what: string): Promise<void>;
  /** GET a short-lived download URL, refusing more than `maxBytes` while streaming. */
  download(url: string, maxBytes: number, what: string): Promise<Uint8Array>;
  /** Forgets both tokens (after an auth failure the next call fetches fresh ones). */
  resetTokens(): void;
}

export function createDingTalkClient(deps: DingTalkClientDeps): DingTalkClient {
  const { config, logger } = deps;
  const doFetch = deps.fetch ?? fetch;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = deps.now ?? Date.now;
  let fresh: Promise<CachedToken> | undefined;
  let legacy: Promise<CachedToken> | undefined;

  async function readJson(res: Response): Promise<Json | null> {
    const text = await res.text();
    try {
      const v = JSON.parse(text) as unknown;
      return v && typeof v === 'object' ? (v as Json) : null;
    } catch {
      return null;
    }
  }

  async function call(url: string, init: RequestInit, what: string): Promise<{ status: number; body: Json | null }> {
    let res: Response;
    try {
      res = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      return { status: res.status, body: await readJson(res) };
    } catch (err) {
      throw transportError(err, what);
    }
  }

  /** Legacy style: HTTP 200 with errcode. */
  function checkErrcode(r: { status: number; body: Json | null }, what: string): Json {
    if (r.status !== 200) throw statusError(r.status, r.body, what, new Date(now()));
    const errcode = Number(r.body?.errcode ?? 0);
    if (!r.body || errcode !== 0) throw errcodeError(r.body ? errcode : -1, typeof r.body?.errmsg === 'string' ? r.body.errmsg : undefined, what, new Date(now()));
    return r.body;
  }

  async function count(tenant: string): Promise<void> {
    try {
      await deps.countCall?.(tenant);
    } catch (err) {
      logger.warn({ err }, 'dingtalk: could not count an API call');
    }
  }

  async function quota<T>(tenant: string, p: Promise<T>): Promise<T> {
    try {
      const [v] = await Promise.all([p, count(tenant)]);
      return v;
    } catch (err) {
      if (isQuotaError(err)) {
        logger.warn({ tenant, until: err.until }, 'dingtalk: the organisation’s monthly API quota is used up');
        await deps.onQuotaExhausted?.(tenant, err.until).catch((e: unknown) => logger.warn({ err: e }, 'dingtalk: could not record the quota hold'));
      }
      throw err;
    }
  }

  function cached(slot: 'fresh' | 'legacy', load: () => Promise<CachedToken>): Promise<string> {
    const current = slot === 'fresh' ? fresh : legacy;
    const p = current ?? load();
    if (slot === 'fresh') fresh = p;
    else legacy = p;
    return p.then(
      (t) => {
        if (t.expiresAt - TOKEN_REFRESH_MARGIN_MS > now()) return t.value;
        if (slot === 'fresh' && fresh === p) fresh = undefined;
        if (slot === 'legacy' && legacy === p) legacy = undefined;
        return cached(slot, load);
      },
      (err: unknown) => {
        if (slot === 'fresh' && fresh === p) fresh = undefined;
        if (slot === 'legacy' && legacy === p) legacy = undefined;
        throw err;
      },
    );
  }

  const freshToken = () =>
    cached('fresh', async () => {
      const what = 'oauth2/accessToken';
      const r = await call(`${config.apiUrl}/v1.0/oauth2/accessToken`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ appKey: config.clientId, appSecret: config.clientSecret }),
      }, what);
      if (r.status !== 200 || typeof r.body?.accessToken !== 'string') throw statusError(r.status === 200 ? 401 : r.status, r.body, what, new Date(now()));
      return { value: r.body.accessToken, expiresAt: now() + Number(r.body.expireIn ?? 7200) * 1000 };
    });

  const legacyToken = () =>
    cached('legacy', async () => {
      const what = 'gettoken';
      const q = new URLSearchParams({ appkey: config.clientId, appsecret: config.clientSecret });
      const body = checkErrcode(await call(`${config.oapiUrl}/gettoken?${q}`, { method: 'GET', headers: { accept: 'application/json' } }, what), what);
      if (typeof body.access_token !== 'string') throw errcodeError(40014, 'no access_token', what, new Date(now()));
      return { value: body.access_token, expiresAt: now() + Number(body.expires_in ?? 7200) * 1000 };
    });

  function onAuthFailure<T>(p: Promise<T>): Promise<T> {
    return p.catch((err: unknown) => {
      if ((err as { code?: string }).code === 'auth') {
        fresh = undefined;
        legacy = undefined;
      }
      throw err;
    });
  }

  return {
    api(method, path, body, what, tenant) {
      return onAuthFailure(
        quota(tenant, (async () => {
          const token = await freshToken();
          const r = await call(`${config.apiUrl}${path}`, {
            method,
            headers: { 'x-acs-dingtalk-access-token': token, 'content-type': 'application/json', accept: 'application/json' },
            ...(body ? { body: JSON.stringify(body) } : {}),
          }, what);
          if (r.status < 200 || r.status >= 300) throw statusError(r.status, r.body, what, new Date(now()));
          // Some new-API answers are 200 with an errcode (robot APIs relaying legacy limits).
          if (r.body && typeof r.body.errcode === 'number' && r.body.errcode !== 0) checkErrcode(r, what);
          return (r.body ?? {}) as never;
        })()),
      );
    },
    oapi(path, body, what, tenant) {
      return onAuthFailure(
        quota(tenant, (async () => {
          const token = await legacyToken();
          const sep = path.includes('?') ? '&' : '?';
          const multipart = body instanceof FormData;
          const r = await call(`${config.oapiUrl}${path}${sep}access_token=${encodeURIComponent(token)}`, {
            method: 'POST',
            headers: multipart ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
            body: multipart ? body : JSON.stringify(body),
          }, what);
          return checkErrcode(r, what) as never;
        })()),
      );
    },
    async webhook(url, body, what) {
      checkErrcode(await call(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, what), what);
    },
    async download(url, maxBytes, what) {
      let res: Response;
      try {
        res = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs * 6) });
      } catch (err) {
        throw transportError(err, what);
      }
      if (!res.ok || !res.body) throw statusError(res.status, null, what, new Date(now()));
      const declared = Number(res.headers.get('content-length'));
      const tooBig = () => statusError(413, { code: 'file.too.large' }, `${what}: larger than ${maxBytes} bytes`, new Date(now()));
      if (Number.isFinite(declared) && declared > maxBytes) {
        await res.body.cancel();
        throw tooBig();
      }
      const chunks: Uint8Array[] = [];
      let total = 0;
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          total += chunk.byteLength;
          if (total > maxBytes) throw tooBig();
          chunks.push(chunk);
        }
      } catch (err) {
        throw transportError(err, what);
      }
      return Buffer.concat(chunks);
    },
    resetTokens() {
      fresh = undefined;
      legacy = undefined;
    },
  };
}
