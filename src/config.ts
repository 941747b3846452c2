/**
 * The only reader (and, for FONTCONFIG_FILE, writer) of `process.env`. The env table lives in
 * ARCHITECTURE.md "Environment"; names there are fixed. Everything is optional: with no env at all
 * the service runs on PGlite under ./data with the demo and the local console.
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';

export type Locale = 'zh-CN' | 'en';

export interface SlackConfig {
  signingSecret: string;
  botToken: string;
  /** Present → Socket Mode instead of HTTP. */
  appToken?: string;
  apiUrl: string;
}

export interface FeishuConfig {
  appId: string;
  appSecret: string;
  mode: 'webhook' | 'ws';
  verificationToken?: string;
  encryptKey?: string;
  domain: string;
}

export interface DingtalkConfig {
  clientId: string;
  clientSecret: string;
  robotCode: string;
  cardTemplateId?: string;
  apiUrl: string;
  oapiUrl: string;
}

export interface AppConfig {
  port: number;
  host: string;
  /** True when HOST only accepts connections from this machine. */
  loopbackHost: boolean;
  databaseUrl?: string;
  dataDir: string;
  pgliteDir: string;
  demo: 'auto' | 'off';
  publicUrl: string;
  defaultTimezone: string;
  defaultCurrency: string;
  defaultLocale: Locale;
  apiToken?: string;
  console: { enabled: boolean; token?: string };
  pushSecret?: string;
  secretsKey?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Log in human-readable form (a TTY); JSON lines otherwise. */
  prettyLogs: boolean;
  fontconfigFile: string;
  slack?: SlackConfig;
  feishu?: FeishuConfig;
  dingtalk?: DingtalkConfig;
  /** Days kept before the housekeeping job prunes sent deliveries, console messages, usage events. */
  retention: { deliveriesDays: number; consoleDays: number; usageDays: number };
  /**
   * TEST_HOOKS=on: a settable clock and `/__test/*` routes for the reliability tests (two replicas
   * over a simulated month); the scheduler's heartbeat is not started. Never on in production.
   */
  testHooks: boolean;
  /** Non-fatal notes for start-up, e.g. a public bind without PUBLIC_URL. */
  warnings: string[];
}

/** Thrown by `loadConfig`; `problems` has one line per bad or missing key. */
export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || host.startsWith('127.');
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const httpUrl = z
  .string()
  .refine((v) => /^https?:\/\/[^\s/]+/.test(v) && URL.canParse(v), 'must be an http(s) URL');

const base = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must start with postgres:// or postgresql://')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DEMO: z.enum(['auto', 'off']).default('auto'),
  PUBLIC_URL: httpUrl.optional(),
  DEFAULT_TIMEZONE: z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai').default('Asia/Shanghai'),
  DEFAULT_CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO 4217 code such as CNY').default('CNY'),
  DEFAULT_LOCALE: z.enum(['zh-CN', 'en']).default('zh-CN'),
  API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  CONSOLE: z.enum(['auto', 'on', 'off']).default('auto'),
  CONSOLE_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  PUSH_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  SECRETS_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_APP_TOKEN: z.string().optional(),
  SLACK_API_URL: httpUrl.default('https://slack.com/api/'),
  FEISHU_APP_ID: z.string().optional(),
  FEISHU_APP_SECRET: z.string().optional(),
  FEISHU_VERIFICATION_TOKEN: z.string().optional(),
  FEISHU_ENCRYPT_KEY: z.string().optional(),
  FEISHU_MODE: z.enum(['webhook', 'ws']).default('webhook'),
  FEISHU_DOMAIN: httpUrl.default('https://open.feishu.cn'),
  DINGTALK_CLIENT_ID: z.string().optional(),
  DINGTALK_CLIENT_SECRET: z.string().optional(),
  DINGTALK_ROBOT_CODE: z.string().optional(),
  DINGTALK_CARD_TEMPLATE_ID: z.string().optional(),
  DINGTALK_API_URL: httpUrl.default('https://api.dingtalk.com'),
  DINGTALK_OAPI_URL: httpUrl.default('https://oapi.dingtalk.com'),
  DELIVERY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  CONSOLE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  USAGE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  TEST_HOOKS: z.enum(['on', 'off']).default('off'),
  // Read only to refuse TEST_HOOKS in production (the Docker image sets NODE_ENV=production).
  NODE_ENV: z.string().optional(),
});

type Parsed = z.infer<typeof base>;

/**
 * A platform is on iff its block is present; a block with some but not all required keys is an
 * error naming the missing ones (style.md "Config").
 */
function platformBlock(
  env: Parsed,
  name: string,
  required: (keyof Parsed)[],
  optional: (keyof Parsed)[],
  problems: string[],
): boolean {
  const present = [...required, ...optional].filter((k) => env[k] !== undefined);
  if (present.length === 0) return false;
  const missing = required.filter((k) => env[k] === undefined);
  if (missing.length > 0) {
    problems.push(`${name} is partly configured (${present.join(', ')} set): missing ${missing.join(', ')}`);
    return false;
  }
  return true;
}

/** Empty strings count as unset, as in most deployment tools. */
function clean(env: Env): Env {
  const out: Env = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') out[k] = v.trim();
  return out;
}

/** Parses the environment once. Throws `ConfigError` listing every problem. */
export function loadConfig(rawEnv: Env = process.env): Readonly<AppConfig> {
  const result = base.safeParse(clean(rawEnv));
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const env = result.data;
  const problems: string[] = [];
  const warnings: string[] = [];
  const loopbackHost = isLoopbackHost(env.HOST);

  let consoleOn: boolean;
  if (env.CONSOLE === 'auto') consoleOn = loopbackHost;
  else if (env.CONSOLE === 'off') consoleOn = false;
  else {
    consoleOn = true;
    if (!loopbackHost && !env.CONSOLE_TOKEN) {
      problems.push(`CONSOLE=on with a non-loopback HOST (${env.HOST}) requires CONSOLE_TOKEN`);
    }
  }

  if (!env.PUBLIC_URL && !loopbackHost) {
    warnings.push(`HOST=${env.HOST} is not loopback and PUBLIC_URL is unset: image and action links will point at localhost; set PUBLIC_URL`);
  }

  const testHooks = env.TEST_HOOKS === 'on';
  if (testHooks && env.NODE_ENV === 'production') {
    problems.push('TEST_HOOKS=on is refused with NODE_ENV=production: it lets anyone set the clock and run scheduler ticks');
  } else if (testHooks) {
    warnings.push('TEST_HOOKS=on: POST /__test/clock and /__test/tick are open and the scheduler only runs when ticked; for tests only, never in production');
  }

  const dataDir = resolve(env.DATA_DIR);
  const config: AppConfig = {
    port: env.PORT,
    host: env.HOST,
    loopbackHost,
    databaseUrl: env.DATABASE_URL,
    dataDir,
    pgliteDir: join(dataDir, 'pglite'),
    demo: env.DEMO,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    defaultTimezone: env.DEFAULT_TIMEZONE,
    defaultCurrency: env.DEFAULT_CURRENCY,
    defaultLocale: env.DEFAULT_LOCALE,
    apiToken: env.API_TOKEN,
    console: { enabled: consoleOn, token: env.CONSOLE_TOKEN },
    pushSecret: env.PUSH_SECRET,
    secretsKey: env.SECRETS_KEY,
    logLevel: env.LOG_LEVEL,
    prettyLogs: env.LOG_FORMAT ? env.LOG_FORMAT === 'pretty' : Boolean(process.stdout.isTTY),
    fontconfigFile: join(dataDir, 'fontconfig', 'fonts.conf'),
    retention: { deliveriesDays: env.DELIVERY_RETENTION_DAYS, consoleDays: env.CONSOLE_RETENTION_DAYS, usageDays: env.USAGE_RETENTION_DAYS },
    testHooks,
    warnings,
  };

  if (platformBlock(env, 'Slack', ['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN'], ['SLACK_APP_TOKEN'], problems)) {
    config.slack = {
      signingSecret: env.SLACK_SIGNING_SECRET!,
      botToken: env.SLACK_BOT_TOKEN!,
      appToken: env.SLACK_APP_TOKEN,
      apiUrl: env.SLACK_API_URL.endsWith('/') ? env.SLACK_API_URL : `${env.SLACK_API_URL}/`,
    };
  }
  const feishuRequired: (keyof Parsed)[] = ['FEISHU_APP_ID', 'FEISHU_APP_SECRET'];
  if (env.FEISHU_MODE === 'webhook') feishuRequired.push('FEISHU_VERIFICATION_TOKEN');
  const feishuOptional: (keyof Parsed)[] = ['FEISHU_ENCRYPT_KEY'];
  if (env.FEISHU_MODE === 'ws') feishuOptional.push('FEISHU_VERIFICATION_TOKEN');
  if (platformBlock(env, 'Feishu', feishuRequired, feishuOptional, problems)) {
    config.feishu = {
      appId: env.FEISHU_APP_ID!,
      appSecret: env.FEISHU_APP_SECRET!,
      mode: env.FEISHU_MODE,
      verificationToken: env.FEISHU_VERIFICATION_TOKEN,
      encryptKey: env.FEISHU_ENCRYPT_KEY,
      domain: env.FEISHU_DOMAIN.replace(/\/+$/, ''),
    };
  }
  if (
    platformBlock(
      env,
      'DingTalk',
      ['DINGTALK_CLIENT_ID', 'DINGTALK_CLIENT_SECRET'],
      ['DINGTALK_ROBOT_CODE', 'DINGTALK_CARD_TEMPLATE_ID'],
      problems,
    )
  ) {
    config.dingtalk = {
      clientId: env.DINGTALK_CLIENT_ID!,
      clientSecret: env.DINGTALK_CLIENT_SECRET!,
      robotCode: env.DINGTALK_ROBOT_CODE ?? env.DINGTALK_CLIENT_ID!,
      cardTemplateId: env.DINGTALK_CARD_TEMPLATE_ID,
      apiUrl: env.DINGTALK_API_URL.replace(/\/+$/, ''),
      oapiUrl: env.DINGTALK_OAPI_URL.replace(/\/+$/, ''),
    };
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/** Folders that hold CJK fonts shipped through npm (pitfalls.md "Rendering"), if installed. */
function npmFontDirs(): string[] {
  const require = createRequire(import.meta.url);
  const dirs: string[] = [];
  for (const pkg of ['@embedpdf/fonts-sc']) {
    try {
      // Its `exports` map hides `package.json`, so resolve the entry and walk up to the package root.
      let root = dirname(require.resolve(pkg));
      while (!existsSync(join(root, 'package.json')) && dirname(root) !== root) root = dirname(root);
      const dir = join(root, 'fonts');
      if (existsSync(dir)) dirs.push(dir);
    } catch {
      // Not installed: the renderer falls back to system fonts.
    }
  }
  return dirs;
}

/**
 * Prepares the process for this config: makes DATA_DIR, writes a fonts.conf whose cache lives
 * under DATA_DIR and points `FONTCONFIG_FILE` at it. sharp reads FONTCONFIG_FILE once, at its
 * first text render, so this runs before anything renders (pitfalls.md "sharp and fontconfig").
 */
export function applyRuntimeEnv(config: AppConfig): void {
  const fcDir = dirname(config.fontconfigFile);
  mkdirSync(join(fcDir, 'cache'), { recursive: true });
  const dirs = npmFontDirs().map((d) => `  <dir>${escapeXml(d)}</dir>`);
  const xml = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
    '<fontconfig>',
    ...dirs,
    '  <dir>/usr/share/fonts</dir>',
    `  <cachedir>${escapeXml(join(fcDir, 'cache'))}</cachedir>`,
    '</fontconfig>',
    '',
  ].join('\n');
  writeFileSync(config.fontconfigFile, xml);
  process.env.FONTCONFIG_FILE = config.fontconfigFile;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
