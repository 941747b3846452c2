/**
 * Calls to Amazon's REST APIs (Selling Partner and Ads share this): the LWA access token on every
 * request, one refresh when Amazon calls it stale, 429 honoured and retried a few times, 5xx
 * retried, everything else classified for the framework. SP-API answers a 429 without a rate
 * header ("For this status code, the rate limit header is deprecated and no longer returned",
 * fbaInventory.json), so the wait comes from `Retry-After` when present, else from the
 * `x-amzn-RateLimit-Limit` (requests per second) of the operation's last successful answer, else
 * exponential backoff. Report documents are fetched from a presigned URL without our headers.
 */
import { gunzipSync } from 'node:zlib';
import { forgetLwaToken, lwaAccessToken, type LwaClient } from '../amazon-lwa.ts';
import { ConnectorError, type PullContext } from '../types.ts';

export const THROTTLE_RETRIES = 5;
const SERVER_RETRIES = 2;

export interface AmazonHttpOptions {
  provider: string;
  base: string;
  lwa: LwaClient;
  /** The headers that carry the access token (and, for Ads, the client id and profile scope). */
  authHeaders(token: string): Record<string, string>;
}

function errorText(body: unknown): string {
  if (!body || typeof body !== 'object') return '';
  const b = body as { errors?: { code?: unknown; message?: unknown }[]; code?: unknown; details?: unknown; message?: unknown };
  const first = Array.isArray(b.errors) ? b.errors[0] : undefined;
  const parts = first ? [first.code, first.message] : [b.code, b.details ?? b.message];
  return parts.filter((p) => typeof p === 'string' || typeof p === 'number').join(': ').slice(0, 200);
}

export function retryAfterSeconds(res: Response, rate: number | undefined, attempt: number): number {
  const header = Number(res.headers.get('retry-after'));
  if (Number.isFinite(header) && header > 0) return header;
  if (rate && rate > 0) return Math.max(1, Math.ceil(1 / rate));
  return 2 ** attempt;
}

export class AmazonHttp {
  /** Requests per second per operation, as Amazon last told us. */
  private readonly rates = new Map<string, number>();
  requests = 0;
  throttled = 0;

  constructor(
    private readonly ctx: PullContext,
    private readonly o: AmazonHttpOptions,
  ) {}

  async json<T>(op: string, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
    const url = new URL(path, this.o.base).toString();
    let refreshed = false;
    let throttles = 0;
    let failures = 0;
    for (;;) {
      const token = await lwaAccessToken(this.ctx, this.o.lwa);
      let res: Response;
      this.requests++;
      try {
        res = await this.ctx.fetch(url, {
          method: init.method ?? 'GET',
          headers: { accept: 'application/json', 'user-agent': 'kpibot/1 (Language=TypeScript)', ...init.headers, ...this.o.authHeaders(token), ...(init.body !== undefined ? { 'content-type': init.headers?.['content-type'] ?? 'application/json' } : {}) },
          body: init.body === undefined ? undefined : JSON.stringify(init.body),
          signal: this.ctx.signal,
        });
      } catch (err) {
        if (++failures > SERVER_RETRIES) throw new ConnectorError('provider_unavailable', `${this.o.provider} is unreachable (${op}: ${(err as Error).message.slice(0, 120)})`);
        await this.ctx.sleep(2 ** failures * 1000);
        continue;
      }
      const rate = Number(res.headers.get('x-amzn-ratelimit-limit'));
      if (res.ok && Number.isFinite(rate) && rate > 0) this.rates.set(op, rate);
      if (res.status === 429) {
        this.throttled++;
        const wait = retryAfterSeconds(res, this.rates.get(op), throttles);
        await res.body?.cancel();
        if (++throttles > THROTTLE_RETRIES) throw new ConnectorError('rate_limited', `${this.o.provider} kept throttling ${op}`, wait);
        this.ctx.log('amazon throttled', { provider: this.o.provider, op, waitSeconds: wait });
        await this.ctx.sleep(wait * 1000);
        continue;
      }
      const body = await res.text();
      let parsed: unknown = null;
      try {
        parsed = body === '' ? null : JSON.parse(body);
      } catch {
        if (res.ok) throw new ConnectorError('malformed_response', `${this.o.provider} answered ${op} with something that is not JSON`);
      }
      if (res.ok) return parsed as T;
      if (res.status === 401 || res.status === 403) {
        // An access token can lapse between our cache check and Amazon's; one fresh token decides.
        forgetLwaToken(this.o.lwa);
        if (!refreshed) {
          refreshed = true;
          continue;
        }
        throw new ConnectorError('auth_revoked', `${this.o.provider} refused the authorisation (${res.status} ${errorText(parsed)}): re-authorise the app (授权失效，请重新授权)`);
      }
      if (res.status >= 500) {
        if (++failures > SERVER_RETRIES) throw new ConnectorError('provider_unavailable', `${this.o.provider} answered ${res.status} to ${op}`);
        await this.ctx.sleep(2 ** failures * 1000);
        continue;
      }
      // Ads API: 425 = an identical report request is still being generated (reporting v3 get-started).
      if (res.status === 425) throw new ConnectorError('provider_unavailable', `${this.o.provider}: an identical ${op} request is still in progress; retried on the next run`);
      throw new ConnectorError('invalid_config', `${this.o.provider} refused ${op} (${res.status} ${errorText(parsed)})`);
    }
  }

  /** A report document from its presigned URL (no Amazon headers: S3 rejects extra auth). */
  async download(op: string, url: string, gzip: boolean): Promise<string> {
    let res: Response;
    try {
      this.requests++;
      res = await this.ctx.fetch(url, { signal: this.ctx.signal });
    } catch (err) {
      throw new ConnectorError('provider_unavailable', `the ${op} download failed (${(err as Error).message.slice(0, 120)})`);
    }
    if (!res.ok) throw new ConnectorError('provider_unavailable', `the ${op} download answered ${res.status}`);
    let bytes: Buffer = Buffer.from(await res.arrayBuffer());
    if (gzip) {
      try {
        bytes = gunzipSync(bytes);
      } catch {
        throw new ConnectorError('malformed_response', `the ${op} document is not valid gzip`);
      }
    }
    const charset = /charset=([\w-]+)/i.exec(res.headers.get('content-type') ?? '')?.[1] ?? 'utf-8';
    try {
      return new TextDecoder(charset, { fatal: true }).decode(bytes);
    } catch {
      throw new ConnectorError('malformed_response', `the ${op} document is not valid ${charset} text`);
    }
  }
}

/** Polls `status()` until `done`, waiting 2 s, 4 s … (capped) between polls; gives up after `maxPolls`. */
export async function pollReport<T>(
  ctx: PullContext,
  o: { what: string; maxPolls: number; status: () => Promise<T>; done: (s: T) => boolean },
): Promise<T> {
  for (let i = 0; i < o.maxPolls; i++) {
    const s = await o.status();
    if (o.done(s)) return s;
    if (i + 1 < o.maxPolls) await ctx.sleep(Math.min(2 ** (i + 1), 60) * 1000);
  }
  throw new ConnectorError('provider_unavailable', `the ${o.what} report did not complete after ${o.maxPolls} polls; it will be retried on the next run`);
}
