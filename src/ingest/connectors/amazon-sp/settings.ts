/**
 * Amazon connector settings shared by SP-API and Ads: config and credentials as the framework
 * hands them over, checked before any call so a typo is `invalid_config`, not a 4xx later.
 */
import { ConnectorError, type ConfigField, type PullContext } from '../types.ts';

export const field = (key: string, en: string, zh: string, o: Partial<ConfigField> = {}): ConfigField => ({ key, label: { en, zh }, secret: false, required: false, kind: 'string', ...o });

/** The LWA app and the seller's (or advertiser's) grant; the secrets go to `credentials_encrypted` only. */
export function lwaFields(grantor: { en: string; zh: string }): ConfigField[] {
  return [
    field('clientId', 'LWA client id', 'LWA 应用 Client ID', { required: true }),
    field('clientSecret', 'LWA client secret', 'LWA 应用 Client Secret', { required: true, secret: true }),
    field('refreshToken', `Refresh token (from the ${grantor.en} authorisation)`, `刷新令牌（${grantor.zh}授权后获得）`, { required: true, secret: true }),
  ];
}

/** Base URLs (pointed at fakes in tests) and the polling budget. */
export function overrideFields(api: string): ConfigField[] {
  return [
    field('endpoint', `${api} base URL`, `${api} 地址`, { kind: 'url', help: 'override for tests' }),
    field('lwaEndpoint', 'LWA token URL', 'LWA 令牌地址', { kind: 'url', help: 'override for tests' }),
    field('maxPolls', 'Report polls before giving up', '报告轮询次数上限', { kind: 'number' }),
  ];
}

export function str(ctx: PullContext, key: string, o: { required?: boolean; secret?: boolean } = {}): string | undefined {
  const v = o.secret ? ctx.credentials[key] : ctx.config[key];
  if (v === undefined || v === null || v === '') {
    if (o.required) throw new ConnectorError('invalid_config', `the connector needs "${key}"`);
    return undefined;
  }
  if (typeof v !== 'string') throw new ConnectorError('invalid_config', `"${key}" must be text`);
  return v.trim();
}

export function num(ctx: PullContext, key: string, fallback: number): number {
  const v = ctx.config[key];
  if (v === undefined || v === null || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new ConnectorError('invalid_config', `"${key}" must be a positive whole number`);
  return n;
}

export function url(ctx: PullContext, key: string, fallback: string): string {
  const v = str(ctx, key) ?? fallback;
  try {
    return new URL(v).toString().replace(/\/$/, '');
  } catch {
    throw new ConnectorError('invalid_config', `"${key}" must be a URL`);
  }
}

export function list(ctx: PullContext, key: string, allowed: readonly string[]): string[] {
  const v = ctx.config[key];
  if (v === undefined || v === null || v === '') return [...allowed];
  const items = (Array.isArray(v) ? v : String(v).split(',')).map((x) => String(x).trim()).filter(Boolean);
  const unknown = items.filter((x) => !allowed.includes(x));
  if (unknown.length > 0 || items.length === 0) throw new ConnectorError('invalid_config', `"${key}" takes ${allowed.join(', ')}`);
  return items;
}

/** Inclusive YYYY-MM-DD days from `from` to `to`. */
export function daysOf(from: string, to: string): string[] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to) || from > to) throw new ConnectorError('invalid_config', `bad window ${from}..${to}`);
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) out.push(d.toISOString().slice(0, 10));
  return out;
}
