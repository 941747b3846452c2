/**
 * LingXing connector settings: the AppID (non-secret: it travels as `app_key` in every URL) and
 * AppSecret (secret) from LingXing's ERP → 设置 → 业务配置 → 全局 → 开放接口, and the map from
 * LingXing shop ids (`sid`, from /erp/sc/data/seller/lists) to our store ids. One connector
 * covers every mapped shop of the LingXing account; shops not in the map are ignored.
 */
import type { ConfigField, PullContext } from '../types.ts';
import { ConnectorError } from '../types.ts';

export const DEFAULT_BASE_URL = 'https://openapi.lingxing.com';

export const CONFIG_SCHEMA: ConfigField[] = [
  { key: 'appId', label: { en: 'AppID', zh: 'AppID' }, secret: false, required: true, kind: 'string', help: 'ERP → 设置 → 业务配置 → 全局 → 开放接口 (also used as the signing key)' },
  { key: 'appSecret', label: { en: 'AppSecret', zh: 'AppSecret' }, secret: true, required: true, kind: 'string' },
  {
    key: 'shopMap', label: { en: 'Shops → stores', zh: '店铺 → 门店映射' }, secret: false, required: true, kind: 'string[]',
    help: 'LingXing shop id (sid) = store id, e.g. ["1519=us-main", "1520=de-main"]; {"1519": "us-main"} is accepted too',
  },
  { key: 'baseUrl', label: { en: 'API base URL', zh: 'API 地址' }, secret: false, required: false, kind: 'url', help: DEFAULT_BASE_URL },
  {
    key: 'fulfillmentChannel', label: { en: 'Fulfilment channel', zh: '配送方式' }, secret: false, required: false, kind: 'string',
    help: 'fba (default) or fbm: the sales and profit endpoints do not split by channel',
  },
  { key: 'pageSize', label: { en: 'Page size', zh: '分页大小' }, secret: false, required: false, kind: 'number', help: 'rows per page (default per endpoint)' },
];

export interface LingXingSettings {
  appId: string;
  appSecret: string;
  baseUrl: string;
  /** sid → store id. */
  shops: Map<number, string>;
  channel: 'fba' | 'fbm';
  pageSize?: number;
}

function invalid(message: string): never {
  throw new ConnectorError('invalid_config', message);
}

function parseShopMap(raw: unknown): Map<number, string> {
  const pairs: [string, unknown][] = Array.isArray(raw)
    ? raw.map((e) => {
        const m = typeof e === 'string' ? /^\s*(\d+)\s*[=:]\s*(\S+)\s*$/.exec(e) : null;
        if (!m) invalid('shopMap entries look like "1519=us-main" (LingXing sid = store id)');
        return [m[1]!, m[2]!];
      })
    : raw && typeof raw === 'object'
      ? Object.entries(raw)
      : invalid('shopMap is required: map each LingXing shop id (sid) to a store id');
  const shops = new Map<number, string>();
  for (const [sid, store] of pairs) {
    if (!/^\d+$/.test(sid) || typeof store !== 'string' || store.trim() === '') invalid(`shopMap: "${String(sid).slice(0, 20)}" must be a numeric sid mapped to a store id`);
    shops.set(Number(sid), store.trim());
  }
  if (shops.size === 0) invalid('shopMap maps no shop: add at least one "sid=store" entry');
  return shops;
}

export function readSettings(ctx: Pick<PullContext, 'config' | 'credentials'>): LingXingSettings {
  const c = ctx.config;
  const appId = typeof c.appId === 'string' ? c.appId.trim() : '';
  if (!appId) invalid('appId is required (LingXing ERP → 开放接口 → AppID)');
  const appSecret = ctx.credentials.appSecret;
  if (!appSecret) invalid('appSecret is required (LingXing ERP → 开放接口 → AppSecret)');
  const baseUrl = c.baseUrl === undefined || c.baseUrl === '' ? DEFAULT_BASE_URL : String(c.baseUrl);
  if (!/^https?:\/\/[^\s]+$/.test(baseUrl)) invalid('baseUrl must be an http(s) URL');
  const channel = c.fulfillmentChannel === undefined || c.fulfillmentChannel === '' ? 'fba' : c.fulfillmentChannel;
  if (channel !== 'fba' && channel !== 'fbm') invalid('fulfillmentChannel must be fba or fbm');
  const pageSize = c.pageSize === undefined || c.pageSize === '' ? undefined : Number(c.pageSize);
  if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 1000)) invalid('pageSize must be a whole number from 1 to 1000');
  return { appId, appSecret, baseUrl: baseUrl.replace(/\/+$/, ''), shops: parseShopMap(c.shopMap), channel, pageSize };
}
