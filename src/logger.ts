/**
 * pino options shared by the server and the CLI. Secrets never reach logs: every key that can
 * hold a token or secret is censored at any of the first three levels of a log object.
 */
import pino, { type Logger, type LoggerOptions } from 'pino';
import type { AppConfig } from './config.ts';

/** Object keys whose values are secrets wherever they appear in a log line. */
export const SECRET_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'x-kpibot-signature',
  'x-slack-signature',
  'x-lark-signature',
  'x-acs-dingtalk-access-token',
  'token',
  'apiToken',
  'botToken',
  'appToken',
  'consoleToken',
  'secret',
  'signingSecret',
  'appSecret',
  'clientSecret',
  'pushSecret',
  'secretsKey',
  'verificationToken',
  'encryptKey',
  'password',
  'access_token',
  'accessToken',
  'tenant_access_token',
  'refresh_token',
  'refreshToken',
  'client_secret',
  'app_secret',
  'sessionWebhook',
  'credentials',
  'databaseUrl',
  'API_TOKEN',
  'CONSOLE_TOKEN',
  'PUSH_SECRET',
  'SECRETS_KEY',
  'DATABASE_URL',
];

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const key of SECRET_KEYS) {
    const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
    const dot = k.startsWith('[') ? '' : '.';
    paths.push(k, `*${dot}${k}`, `*.*${dot}${k}`);
  }
  return paths;
}

/** Query parameters whose values are credentials wherever they appear in a URL. */
const SECRET_PARAM = /token|secret|sign|session|password|key|code/i;

/**
 * A URL as logs may show it: the signed action link token (`/links/<token>`: a bearer credential
 * until used) and credential-looking query values are replaced by `[redacted]`.
 */
export function redactUrl(url: string): string {
  const [path = '', query] = url.split(/\?(.*)/s, 2);
  const safePath = path.replace(/^(\/links\/).+$/, '$1[redacted]');
  if (query === undefined) return safePath;
  const params = query
    .split('&')
    .map((p) => {
      const eq = p.indexOf('=');
      return eq > 0 && SECRET_PARAM.test(p.slice(0, eq)) ? `${p.slice(0, eq)}=[redacted]` : p;
    })
    .join('&');
  return `${safePath}?${params}`;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  headers?: Record<string, unknown>;
  socket?: { remotePort?: number };
}

/**
 * Fastify's request serializer, with the URL redacted (incoming-request lines are info level). A
 * plain object logged under `req` keeps its shape (the redact paths still apply to it).
 */
function serializeRequest(req: LoggedRequest & { raw?: unknown }) {
  if (!req || typeof req !== 'object') return req;
  if (!('raw' in req) && !('socket' in req)) return typeof req.url === 'string' ? { ...req, url: redactUrl(req.url) } : req;
  return {
    method: req.method,
    url: typeof req.url === 'string' ? redactUrl(req.url) : req.url,
    version: req.headers?.['accept-version'],
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

export function loggerOptions(config: Pick<AppConfig, 'logLevel' | 'prettyLogs'>): LoggerOptions {
  return {
    level: config.logLevel,
    redact: { paths: redactPaths(), censor: '[redacted]' },
    serializers: { req: serializeRequest },
    ...(config.prettyLogs
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  };
}

export function createLogger(config: Pick<AppConfig, 'logLevel' | 'prettyLogs'>): Logger {
  return pino(loggerOptions(config));
}
