/**
 * Any failure of a Feishu call → AdapterError (style.md "Errors"; Lark's own `classifyError`).
 * The Open API answers errors two ways: HTTP 4xx/5xx (the SDK throws an AxiosError whose
 * `response.data` is `{code, msg}`) and **HTTP 200 with `code ≠ 0`** (the SDK resolves normally:
 * our client checks `code` itself). Over the frequency limit: HTTP 429 (older APIs 400) with
 * `x-ogw-ratelimit-reset` seconds and code 99991400; 230020 is the per-chat limit (5 QPS/group).
 * Codes: https://open.feishu.cn/document/server-docs/api-call-guide/generic-error-code and
 * https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control
 */
import { AdapterError, type AdapterErrorCode } from '../../bot/errors.ts';

const CODES: Record<number, AdapterErrorCode> = {
  // Token missing, invalid or expired; app credentials wrong.
  99991661: 'auth',
  99991663: 'auth',
  99991664: 'auth',
  99991665: 'auth',
  99991668: 'auth',
  99991671: 'auth',
  10003: 'auth',
  10014: 'auth',
  // Scope not granted, IP not allow-listed, bot not in the chat / not enabled / not visible.
  99991672: 'permission',
  99991679: 'permission',
  99991401: 'permission',
  230002: 'permission',
  230006: 'permission',
  230013: 'permission',
  230017: 'permission',
  230027: 'permission',
  // Frequency control.
  99991400: 'rate_limited',
  230020: 'rate_limited',
  // Recalled / deleted message, chat disbanded.
  230011: 'not_found',
  232011: 'not_found',
  // Content rejected: too long, bad card JSON, bad image.
  230025: 'invalid_payload',
  230099: 'invalid_payload',
  234001: 'invalid_payload',
  234006: 'invalid_payload',
  99992402: 'invalid_payload',
  // Server side trouble.
  1500: 'unavailable',
  99991402: 'unavailable',
};

/** Maps an API `{code, msg}`; `status` is the HTTP status when it was not 200. */
export function codeFor(code: number, msg: string, status = 200): AdapterErrorCode {
  const known = CODES[code];
  if (known) return known;
  // 230001 is "invalid request parameter"; `ext=invalid message_id` (or receive_id) means the target is gone.
  if (code === 230001) return /invalid (message_id|receive_id|chat_id)/i.test(msg) ? 'not_found' : 'invalid_payload';
  if (status === 429) return 'rate_limited';
  if (status === 401) return 'auth';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status >= 500) return 'unavailable';
  if (status === 400 || status === 413) return 'invalid_payload';
  return 'unknown';
}

/** An HTTP-200 answer with `code ≠ 0`. */
export function apiError(what: string, code: number, msg: string, retryAfterSeconds?: number): AdapterError {
  const c = codeFor(code, msg);
  return new AdapterError('feishu', c, `${what}: code ${code} ${clean(msg)}`, c === 'rate_limited' ? { retryAfterSeconds: retryAfterSeconds ?? 1 } : {});
}

/** Messages never echo credentials: Feishu's own msg texts have none, but cut anything token-like. */
function clean(msg: string): string {
  return msg.replace(/\b(t|u|a)-[A-Za-z0-9._-]{8,}/g, '[token]').slice(0, 300);
}

interface AxiosLike {
  isAxiosError?: boolean;
  code?: string;
  message?: string;
  response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
}

function header(h: Record<string, unknown> | undefined, name: string): string | undefined {
  if (!h) return undefined;
  const get = (h as { get?: (n: string) => unknown }).get;
  const v = typeof get === 'function' ? get.call(h, name) : h[name];
  return v === undefined || v === null ? undefined : String(v);
}

/** Seconds from `x-ogw-ratelimit-reset`; 1 when absent or unparsable (the outbox still backs off). */
export function resetSeconds(h: Record<string, unknown> | undefined): number {
  const n = Number(header(h, 'x-ogw-ratelimit-reset'));
  return Number.isFinite(n) && n > 0 ? Math.ceil(n) : 1;
}

/** Maps anything a Feishu call threw; `what` names the call (never a token, never a URL query). */
export function classifyFeishuError(err: unknown, what: string): AdapterError {
  if (err instanceof AdapterError) return err;
  const e = err as AxiosLike | undefined;
  if (e?.response) {
    const status = e.response.status ?? 0;
    const body = (typeof e.response.data === 'object' && e.response.data !== null ? e.response.data : {}) as { code?: unknown; msg?: unknown };
    const code = typeof body.code === 'number' ? body.code : -1;
    const msg = typeof body.msg === 'string' ? body.msg : '';
    const mapped = codeFor(code, msg, status);
    return new AdapterError('feishu', mapped, `${what}: HTTP ${status}${code >= 0 ? ` code ${code}` : ''} ${clean(msg)}`.trim(), {
      ...(mapped === 'rate_limited' ? { retryAfterSeconds: resetSeconds(e.response.headers) } : {}),
    });
  }
  // axios: ECONNABORTED/ETIMEDOUT on its own timeout. A timed-out send may have landed (sends carry a uuid).
  if (e?.code === 'ECONNABORTED' || e?.code === 'ETIMEDOUT' || /timeout/i.test(e?.message ?? '')) {
    return new AdapterError('feishu', 'timeout', `${what}: timed out`);
  }
  if (e?.isAxiosError || (e?.code && /^E[A-Z]+$/.test(e.code))) {
    return new AdapterError('feishu', 'unavailable', `${what}: ${e.code ?? 'network error'}`);
  }
  // TokenManager throws `failed to get tenant_access_token, code: N, msg: …` on a 200 with code ≠ 0.
  const token = /failed to get tenant_access_token, code: (\d+), msg: (.*)$/.exec(e?.message ?? '');
  if (token) {
    const code = Number(token[1]);
    const mapped = codeFor(code, token[2] ?? '');
    return new AdapterError('feishu', mapped === 'unknown' || mapped === 'invalid_payload' ? 'auth' : mapped, `${what}: token refused, code ${code}`, {
      ...(mapped === 'rate_limited' ? { retryAfterSeconds: 1 } : {}),
    });
  }
  return new AdapterError('feishu', 'unknown', `${what}: ${clean(e?.message ?? String(err))}`);
}
