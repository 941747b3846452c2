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

export function loggerOptions(config: Pick<AppConfig, 'logLevel' | 'prettyLogs'>): LoggerOptions {
  return {
    level: config.logLevel,
    redact: { paths: redactPaths(), censor: '[redacted]' },
    ...(config.prettyLogs
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  };
}

export function createLogger(config: Pick<AppConfig, 'logLevel' | 'prettyLogs'>): Logger {
  return pino(loggerOptions(config));
}
