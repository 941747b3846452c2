/**
 * Ads reporting v3 rows (GZIP_JSON: a JSON array of objects keyed by the requested columns,
 * advertising.amazon.com/API/docs/en-us/guides/reporting/v3/get-started) → `ads` template rows.
 * Sponsored Products credit sales to the 7 days after a click for sellers (sales7d, purchases7d,
 * unitsSoldClicks7d); Sponsored Brands report a 14-day window in sales / purchases / unitsSold.
 * Rows are summed per natural key because the importer keeps only the last of a duplicated key.
 */
import { addDecimals } from '../../values/decimal.ts';
import { ConnectorError } from '../types.ts';

export interface AdProductSpec {
  adPlatform: 'amazon_sp' | 'amazon_sb';
  adProduct: string;
  reportTypeId: string;
  groupBy: string[];
  columns: string[];
  windowDays: number;
  sales: string;
  orders: string;
  units: string;
  adGroup?: string;
  sku?: string;
}

export const AD_PRODUCTS: Record<'sp' | 'sb', AdProductSpec> = {
  sp: {
    adPlatform: 'amazon_sp', adProduct: 'SPONSORED_PRODUCTS', reportTypeId: 'spAdvertisedProduct', groupBy: ['advertiser'],
    columns: ['date', 'campaignId', 'campaignName', 'adGroupId', 'adGroupName', 'advertisedSku', 'advertisedAsin', 'impressions', 'clicks', 'cost', 'sales7d', 'purchases7d', 'unitsSoldClicks7d', 'campaignBudgetCurrencyCode'],
    windowDays: 7, sales: 'sales7d', orders: 'purchases7d', units: 'unitsSoldClicks7d', adGroup: 'adGroupId', sku: 'advertisedSku',
  },
  sb: {
    adPlatform: 'amazon_sb', adProduct: 'SPONSORED_BRANDS', reportTypeId: 'sbCampaigns', groupBy: ['campaign'],
    columns: ['date', 'campaignId', 'campaignName', 'impressions', 'clicks', 'cost', 'sales', 'purchases', 'unitsSold', 'campaignBudgetCurrencyCode'],
    windowDays: 14, sales: 'sales', orders: 'purchases', units: 'unitsSold',
  },
};

type Row = Record<string, string | number | null>;

const bad = (what: string): never => {
  throw new ConnectorError('malformed_response', `the ${what} report does not match the documented shape`);
};

const id = (v: unknown, what: string): string | null =>
  v === undefined || v === null || v === '' ? null : typeof v === 'number' || typeof v === 'string' ? String(v) : bad(what);

const int = (v: unknown, what: string): number => (v === undefined || v === null ? 0 : typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : bad(what));

const dec = (v: unknown, what: string): string => (v === undefined || v === null ? '0' : typeof v === 'number' && Number.isFinite(v) && v >= 0 ? String(v) : bad(what));

export function adRows(text: string, spec: AdProductSpec, o: { accountTimezone: string | null; currency: string | null }): Row[] {
  const what = spec.reportTypeId;
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    return bad(`${what} (not JSON)`);
  }
  if (!Array.isArray(list)) return bad(what);
  const byKey = new Map<string, Row>();
  for (const r of list as Record<string, unknown>[]) {
    if (!r || typeof r !== 'object' || typeof r.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(r.date)) bad(`${what} (date)`);
    const campaign = id(r.campaignId, `${what} (campaignId)`) ?? bad(`${what} (campaignId)`);
    const adGroup = spec.adGroup ? id(r[spec.adGroup], what) : null;
    const sku = spec.sku ? id(r[spec.sku], what) : null;
    const key = [r.date, campaign, adGroup, sku].join('\u0000');
    const row = byKey.get(key) ?? {
      date: r.date as string, ad_platform: spec.adPlatform, campaign_id: campaign, ad_group_id: adGroup, sku_id: sku,
      impressions: 0, clicks: 0, spend: '0', attributed_sales: '0', attributed_orders: 0, attributed_units: 0,
      attribution_window_days: spec.windowDays, currency: (typeof r.campaignBudgetCurrencyCode === 'string' ? r.campaignBudgetCurrencyCode : o.currency), account_timezone: o.accountTimezone,
    };
    row.impressions = (row.impressions as number) + int(r.impressions, `${what} (impressions)`);
    row.clicks = (row.clicks as number) + int(r.clicks, `${what} (clicks)`);
    row.spend = addDecimals(row.spend as string, dec(r.cost, `${what} (cost)`));
    row.attributed_sales = addDecimals(row.attributed_sales as string, dec(r[spec.sales], `${what} (${spec.sales})`));
    row.attributed_orders = (row.attributed_orders as number) + int(r[spec.orders], `${what} (${spec.orders})`);
    row.attributed_units = (row.attributed_units as number) + int(r[spec.units], `${what} (${spec.units})`);
    byKey.set(key, row);
  }
  return [...byKey.values()];
}
