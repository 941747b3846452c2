/**
 * A signed LingXing OpenAPI client for one pull: token from AppID + AppSecret, one renewal when
 * a token is refused, backoff on the token-bucket limit, offset/length paging and the global
 * error codes mapped onto ConnectorError codes. Tokens, secrets and signs never reach a message
 * or the log (only paths, offsets and LingXing's codes do).
 *
 * Docs (apidoc.lingxing.com): Authorization/GetToken and RefreshToken (`code` "200", token valid
 * `expires_in` ≈ 7200 s, a refresh_token works once), Guidance/ErrorCode (global codes below),
 * Guidance/newInstructions §5: an "improved token bucket" per AppID + URL — every request holds a
 * token until it completes (or times out after 2 min); an empty bucket answers 3001008. Requests
 * here are sequential, so at most one token per endpoint is held; 3001008 means other clients of
 * the same AppID hold the rest, so we wait and retry.
 */
import type { PullContext } from '../types.ts';
import { ConnectorError } from '../types.ts';
import type { LingXingSettings } from './config.ts';
import { signParams } from './sign.ts';

export type Envelope = Record<string, unknown> & { code?: unknown; data?: unknown; total?: unknown };

const TOKEN_PATH = '/api/auth-server/oauth/access-token';
const REFRESH_PATH = '/api/auth-server/oauth/refresh';

/** Token missing/expired (2001003) or not matching (2001005): renew once, then give up. */
const TOKEN_REFUSED = new Set(['2001003', '2001005']);
const REFRESH_REFUSED = new Set(['2001008', '2001009']);
const APP_REFUSED: Record<string, string> = {
  '2001001': 'LingXing does not know this AppID',
  '2001002': 'LingXing refused the AppSecret',
  '2001004': 'this API is not authorised for the LingXing app (ask LingXing to grant it)',
};
const THROTTLED = '3001008';
/** Waits before the 1st…5th retry of a throttled request; then the run stops as rate_limited. */
export const THROTTLE_BACKOFF_MS = [1000, 2000, 4000, 8000, 16000];
export const THROTTLE_RETRY_AFTER_S = 60;

function codeOf(env: Envelope): string {
  return env.code === undefined || env.code === null ? '' : String(env.code).trim();
}

function messageOf(env: Envelope): string {
  const m = env.message ?? env.msg;
  return typeof m === 'string' ? m.slice(0, 120) : '';
}

export class LingXingClient {
  private token: { access: string; refresh: string } | null = null;
  /** Calls sent, for logs and tests. */
  requests = 0;

  constructor(
    private readonly ctx: PullContext,
    private readonly s: LingXingSettings,
  ) {}

  private async send(path: string, url: string, init: RequestInit): Promise<Envelope | 'throttled'> {
    this.requests++;
    let res: Response;
    try {
      res = await this.ctx.fetch(url, { ...init, signal: this.ctx.signal });
    } catch (err) {
      if (this.ctx.signal?.aborted) throw err;
      // The error's message may quote the URL (token, sign): name only the cause code.
      const cause = (err as { cause?: { code?: unknown } }).cause?.code;
      throw new ConnectorError('provider_unavailable', `LingXing did not answer ${path}${typeof cause === 'string' ? ` (${cause})` : ''}`);
    }
    if (res.status === 429) return 'throttled';
    if (res.status >= 500) throw new ConnectorError('provider_unavailable', `LingXing answered HTTP ${res.status} on ${path}`);
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ConnectorError('malformed_response', `LingXing sent a non-JSON answer (HTTP ${res.status}) on ${path}`);
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ConnectorError('malformed_response', `LingXing sent a JSON ${Array.isArray(body) ? 'array' : typeof body} instead of an object on ${path}`);
    const env = body as Envelope;
    if (codeOf(env) === THROTTLED) return 'throttled';
    return env;
  }

  private async throttle(path: string, attempt: number): Promise<void> {
    const wait = THROTTLE_BACKOFF_MS[attempt];
    if (wait === undefined) {
      throw new ConnectorError('rate_limited', `LingXing kept answering 3001008 (too frequent) on ${path} after ${THROTTLE_BACKOFF_MS.length} retries`, THROTTLE_RETRY_AFTER_S);
    }
    this.ctx.log('lingxing throttled, backing off', { path, waitMs: wait });
    await this.ctx.sleep(wait);
  }

  /** Issues (AppSecret) or refreshes (refresh_token) the access token; false when a refresh token is refused. */
  private async authorise(kind: 'issue' | 'refresh'): Promise<boolean> {
    const path = kind === 'issue' ? TOKEN_PATH : REFRESH_PATH;
    for (let attempt = 0; ; attempt++) {
      const form = new FormData();
      form.set('appId', this.s.appId);
      if (kind === 'issue') form.set('appSecret', this.s.appSecret);
      else form.set('refreshToken', this.token?.refresh ?? '');
      const env = await this.send(path, `${this.s.baseUrl}${path}`, { method: 'POST', body: form });
      if (env === 'throttled') {
        await this.throttle(path, attempt);
        continue;
      }
      const code = codeOf(env);
      if (code === '200') {
        const d = env.data as Record<string, unknown> | null | undefined;
        if (!d || typeof d.access_token !== 'string' || !d.access_token || typeof d.refresh_token !== 'string') {
          throw new ConnectorError('malformed_response', `LingXing's ${path} answer has no access_token/refresh_token`);
        }
        this.token = { access: d.access_token, refresh: d.refresh_token };
        return true;
      }
      if (kind === 'refresh' && REFRESH_REFUSED.has(code)) return false;
      throw this.classify(path, env);
    }
  }

  private classify(path: string, env: Envelope): ConnectorError {
    const code = codeOf(env);
    if (APP_REFUSED[code]) return new ConnectorError('auth_revoked', `${APP_REFUSED[code]} (${code}): re-authorise the LingXing connector`);
    if (code === '3001002') return new ConnectorError('invalid_config', "LingXing refused this server's IP (3001002): add it to the IP whitelist in LingXing → 开放接口");
    if (code === '2001006' || code === '2001007') return new ConnectorError('invalid_config', `LingXing refused the request signature (${code}): check the AppID and this server's clock`);
    if (code === '3001001') return new ConnectorError('invalid_config', `LingXing says common parameters are missing (3001001) on ${path}`);
    if (code === '') return new ConnectorError('malformed_response', `LingXing's answer on ${path} has no code`);
    return new ConnectorError('provider_unavailable', `LingXing answered ${code}${messageOf(env) ? ` "${messageOf(env)}"` : ''} on ${path}`);
  }

  /** A signed business call: succeeds on code 0, renews a refused token once, waits out 3001008. */
  async call(method: 'GET' | 'POST', path: string, params: Record<string, unknown>, o: { offsetVersion2?: boolean } = {}): Promise<Envelope> {
    if (!this.token) await this.authorise('issue');
    let renewed = false;
    for (let attempt = 0; ; ) {
      const common = { access_token: this.token!.access, app_key: this.s.appId, timestamp: String(Math.floor(this.ctx.now().getTime() / 1000)) };
      const query = new URLSearchParams({ ...common, sign: signParams({ ...params, ...common }, this.s.appId) });
      if (method === 'GET') for (const [k, v] of Object.entries(params)) query.set(k, String(v));
      const headers: Record<string, string> = { accept: 'application/json' };
      if (method === 'POST') headers['content-type'] = 'application/json';
      // Ads endpoints: without this header `offset` is a 1-based page number (newAd docs).
      if (o.offsetVersion2) headers['x-api-version'] = '2';
      const env = await this.send(path, `${this.s.baseUrl}${path}?${query.toString()}`, { method, headers, body: method === 'POST' ? JSON.stringify(params) : undefined });
      if (env === 'throttled') {
        await this.throttle(path, attempt++);
        continue;
      }
      const code = codeOf(env);
      if (code === '0') return env;
      if (TOKEN_REFUSED.has(code)) {
        if (renewed) throw new ConnectorError('auth_revoked', `LingXing refused the access token again after renewing it (${code}): re-authorise the LingXing connector`);
        renewed = true;
        this.ctx.log('lingxing token refused, renewing once', { path, code });
        if (!(await this.authorise('refresh'))) await this.authorise('issue');
        continue;
      }
      throw this.classify(path, env);
    }
  }

  /**
   * Offset/length paging: stops at `total` or a short page. Rows are returned as sent; callers
   * de-duplicate by the endpoint's documented unique key (a page served twice counts once).
   */
  async *pages<T>(path: string, params: Record<string, unknown>, length: number, pick: (env: Envelope) => { rows: T[]; total: number | null }, o: { offsetVersion2?: boolean } = {}): AsyncGenerator<T[]> {
    for (let offset = 0, page = 0; ; offset += length, page++) {
      const { rows, total } = pick(await this.call('POST', path, { ...params, offset, length }, o));
      yield rows;
      if (rows.length < length || (total !== null && offset + length >= total)) return;
      if (page >= 10_000) throw new ConnectorError('malformed_response', `LingXing kept paging ${path} past 10000 pages`);
    }
  }
}
