/**
 * Sponsored Products per day × campaign × ad group × advertised SKU from
 * POST /pb/openapi/newad/spProductAdReports (SP广告商品报表, bucket 10; one shop and
 * `report_date` per call; `X-API-VERSION: 2` makes `offset` an offset). `show_detail: 1` returns
 * the attribution windows; SP's is 7 days (Amazon Ads), so `*_7d` are taken and the row says so.
 * Unique key (ad_id, report_date): a repeated page counts once; two ads of one SKU in an ad group
 * are added. Currency is the ad account's = the store's (the report has no currency field).
 */
import { addDecimals } from '../../values/decimal.ts';
import type { LingXingClient } from './client.ts';
import type { LingXingSettings } from './config.ts';
import { day, dec, int, page, text, type Row } from './shape.ts';

export const ADS_PATH = '/pb/openapi/newad/spProductAdReports';
/** The docs give the default (15) but no maximum; 100 keeps calls few and pages small. */
const ADS_PAGE = 100;
const WINDOW_DAYS = 7;

type Out = Record<string, string | number>;

export async function pullAds(client: LingXingClient, s: LingXingSettings, sid: number, days: string[]): Promise<Out[]> {
  const store = s.shops.get(sid)!;
  const ads = new Map<string, Row>();
  for (const reportDate of days) {
    const params = { sid, report_date: reportDate, show_detail: 1 };
    for await (const rows of client.pages(ADS_PATH, params, s.pageSize ?? ADS_PAGE, (env) => page(env, ADS_PATH, 'data', 'total'), { offsetVersion2: true })) {
      for (const r of rows) ads.set(`${text(r, 'ad_id', ADS_PATH)}\u0001${day(r, 'report_date', ADS_PATH)}`, r);
    }
  }
  const out = new Map<string, Out>();
  for (const r of ads.values()) {
    const date = day(r, 'report_date', ADS_PATH);
    const campaign = text(r, 'campaign_id', ADS_PATH);
    const group = text(r, 'ad_group_id', ADS_PATH);
    const sku = text(r, 'sku', ADS_PATH);
    const k = [date, campaign, group, sku].join('\u0001');
    const o = out.get(k) ?? {
      date, store_id: store, ad_platform: 'amazon_sp', campaign_id: campaign, ad_group_id: group, sku_id: sku,
      impressions: 0, clicks: 0, spend: '0', attributed_sales: '0', attributed_orders: 0, attributed_units: 0, attribution_window_days: WINDOW_DAYS,
    };
    o.impressions = Number(o.impressions) + int(r, 'impressions', ADS_PATH);
    o.clicks = Number(o.clicks) + int(r, 'clicks', ADS_PATH);
    o.spend = addDecimals(String(o.spend), dec(r, 'cost', ADS_PATH));
    o.attributed_sales = addDecimals(String(o.attributed_sales), dec(r, 'sales_7d', ADS_PATH));
    o.attributed_orders = Number(o.attributed_orders) + int(r, 'orders_7d', ADS_PATH);
    o.attributed_units = Number(o.attributed_units) + int(r, 'units_7d', ADS_PATH);
    out.set(k, o);
  }
  return [...out.values()];
}
