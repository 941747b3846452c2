/**
 * Any failure of a DingTalk call → AdapterError with a code the outbox understands (style.md
 * "Errors"). Two error styles (platforms.md §3 c): legacy `oapi` endpoints and session webhooks
 * answer HTTP 200 `{errcode, errmsg}`; the new `api.dingtalk.com` endpoints answer HTTP 4xx/5xx
 * `{code, message, requestid}` (and 504 after their own 3 s timeout).
 */
import { AdapterError, type AdapterErrorCode } from '../../bot/errors.ts';

/** errcode 130101: "send too fast, exceed 20 times per minute", then a 10-minute throttle. */
export const ERRCODE_SEND_TOO_FAST = 130101;
export const SEND_TOO_FAST_RETRY_SECONDS = 10 * 60;
/** errcode 90020 / Forbidden.AccessDenied.ApiCountLimitForOrg: the org's monthly API quota is used up. */
export const ERRCODE_ORG_QUOTA = 90020;
/** Per-API QPS/QPM limits (90018 and the new API's Throttling codes): a short wait is enough. */
const QPS_RETRY_SECONDS = 60;

const ERRCODES: Record<number, AdapterErrorCode> = {
  40014: 'auth', // invalid access_token
  42001: 'auth', // access_token expired
  40089: 'auth', // invalid appkey/appsecret
  43001: 'invalid_payload',
  40035: 'invalid_payload',
  400013: 'invalid_payload',
  300001: 'not_found', // session webhook unknown / expired
  310000: 'permission', // keyword, IP or sign check of a robot
  60011: 'permission', // no permission to the target
  90018: 'rate_limited',
  [ERRCODE_SEND_TOO_FAST]: 'rate_limited',
  [ERRCODE_ORG_QUOTA]: 'rate_limited',
  [-1]: 'unavailable', // "system busy"
};

/** Seconds until the first day of next month, China time (the quota's month), at least an hour. */
export function secondsUntilNextMonth(now: Date): number {
  const shanghai = new Date(now.getTime() + 8 * 3600_000);
  const next = Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth() + 1, 1) - 8 * 3600_000;
  return Math.max(3600, Math.ceil((next - now.getTime()) / 1000));
}

export class DingTalkQuotaError extends AdapterError {
  /** When the org's quota comes back (start of next month). */
  readonly until: Date;
  constructor(what: string, now: Date, cause?: unknown) {
    const seconds = secondsUntilNextMonth(now);
    super('dingtalk', 'rate_limited', `${what}: the organisation's monthly DingTalk API quota is used up`, { retryAfterSeconds: seconds, cause });
    this.until = new Date(now.getTime() + seconds * 1000);
  }
}

export function isQuotaError(e: unknown): e is DingTalkQuotaError {
  return e instanceof DingTalkQuotaError;
}

/** An `{errcode, errmsg}` answer (legacy API, session webhook). */
export function errcodeError(errcode: number, errmsg: string | undefined, what: string, now: Date): AdapterError {
  if (errcode === ERRCODE_ORG_QUOTA) return new DingTalkQuotaError(what, now);
  const code = ERRCODES[errcode] ?? 'unknown';
  const retryAfterSeconds = errcode === ERRCODE_SEND_TOO_FAST ? SEND_TOO_FAST_RETRY_SECONDS : code === 'rate_limited' ? QPS_RETRY_SECONDS : undefined;
  return new AdapterError('dingtalk', code, `${what}: errcode ${errcode}${errmsg ? ` (${errmsg.slice(0, 120)})` : ''}`, { retryAfterSeconds });
}

/** A new-API error: HTTP status plus `{code, message}`. */
export function statusError(status: number, body: { code?: unknown; message?: unknown } | null, what: string, now: Date): AdapterError {
  const name = typeof body?.code === 'string' ? body.code : '';
  const label = `${what}: HTTP ${status}${name ? ` ${name}` : ''}`;
  if (name.includes('ApiCountLimitForOrg') || name === String(ERRCODE_ORG_QUOTA)) return new DingTalkQuotaError(what, now);
  if (status === 429 || /Throttling|QpsLimit|QpmLimit|FlowControl/i.test(name)) {
    return new AdapterError('dingtalk', 'rate_limited', label, { retryAfterSeconds: QPS_RETRY_SECONDS });
  }
  if (status === 401 || /InvalidAuthentication|InvalidAccessToken|AccessTokenExpired/i.test(name)) return new AdapterError('dingtalk', 'auth', label);
  if (status === 403) return new AdapterError('dingtalk', 'permission', label);
  if (status === 404 || /not\.?exist|notfound|not\.found/i.test(name)) return new AdapterError('dingtalk', 'not_found', label);
  if (status >= 500) return new AdapterError('dingtalk', 'unavailable', label);
  if (status === 400 || status === 413 || status === 422) return new AdapterError('dingtalk', 'invalid_payload', label);
  return new AdapterError('dingtalk', 'unknown', label);
}

function isTimeout(err: unknown): boolean {
  const e = err as { name?: string; cause?: { name?: string } } | undefined;
  return e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.cause?.name === 'TimeoutError';
}

/** A thrown fetch failure (timeout, refused connection, bad body). Never echoes a URL: legacy URLs carry tokens. */
export function transportError(err: unknown, what: string): AdapterError {
  if (err instanceof AdapterError) return err;
  if (isTimeout(err)) return new AdapterError('dingtalk', 'timeout', `${what}: timed out`, { cause: err });
  if (err instanceof TypeError) return new AdapterError('dingtalk', 'unavailable', `${what}: network error`, { cause: err });
  return new AdapterError('dingtalk', 'unknown', `${what}: ${err instanceof Error ? err.name : 'failed'}`, { cause: err });
}
