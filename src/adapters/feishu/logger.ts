/**
 * The node-sdk logs through `{error, warn, info, debug, trace}(args[])`, to the console by
 * default, and `client.request()` logs **the whole AxiosError on failure — request headers
 * included, `Authorization: Bearer t-…`** (platforms.md §2 d). This routes it into pino with
 * every argument reduced to text: an Error becomes its name, code, status and message only, and
 * anything that looks like a token or the app secret is masked. Its info chatter goes to debug.
 */
import type { Logger } from 'pino';

export interface SdkLogger {
  error(...msg: unknown[]): void;
  warn(...msg: unknown[]): void;
  info(...msg: unknown[]): void;
  debug(...msg: unknown[]): void;
  trace(...msg: unknown[]): void;
}

const TOKENISH = /\b(Bearer\s+)?[tua]-[A-Za-z0-9._-]{8,}/g;

/** Text safe to log: tokens and the given secrets masked. */
export function scrub(text: string, secrets: string[]): string {
  // The long-connection URL carries a short-lived ticket and access key in its query.
  let out = text.replace(TOKENISH, '[token]').replace(/\b(ticket|access_key|token|app_secret|AppSecret)=[^&\s"]+/gi, '$1=[masked]');
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[secret]');
  return out;
}

function describe(x: unknown): string {
  if (Array.isArray(x)) return x.map(describe).join(' ');
  if (x instanceof Error) {
    const e = x as Error & { code?: unknown; response?: { status?: unknown; data?: { code?: unknown; msg?: unknown } } };
    const status = e.response?.status !== undefined ? ` HTTP ${String(e.response.status)}` : '';
    const api = e.response?.data?.code !== undefined ? ` code ${String(e.response.data.code)} ${String(e.response.data.msg ?? '')}` : '';
    return `${e.name}${e.code ? ` ${String(e.code)}` : ''}${status}${api}: ${e.message}`;
  }
  if (typeof x === 'string') return x;
  // Objects (response bodies, configs) are not logged at all: they may hold tokens in any field.
  return typeof x === 'object' && x !== null ? '[object]' : String(x);
}

export function feishuSdkLogger(log: Logger, secrets: string[]): SdkLogger {
  const text = (m: unknown[]) => scrub(m.map(describe).join(' '), secrets);
  return {
    error: (...m) => log.warn(`feishu sdk: ${text(m)}`),
    warn: (...m) => log.warn(`feishu sdk: ${text(m)}`),
    info: (...m) => log.debug(`feishu sdk: ${text(m)}`),
    debug: (...m) => log.debug(`feishu sdk: ${text(m)}`),
    trace: (...m) => log.trace(`feishu sdk: ${text(m)}`),
  };
}
