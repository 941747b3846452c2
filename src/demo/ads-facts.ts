/**
 * A facts (glossary §2.2): per ad group and SKU, derived from the listing's sales so that ads
 * and orders agree (ad units never exceed units sold) and ACoS lands near the store's target:
 * the cost per click is set to price × ad CVR × target ACoS, then noise. New launches run at
 * about twice the store's ACoS for their first 90 days, as the stage-aware rules expect, and
 * out-of-stock listings nearly stop spending (Amazon pauses their ads).
 */
import { launchAdGroup, type DemoAdGroup, CORE_AD_GROUPS } from './ads-catalog.ts';
import { fromDay } from './dates.ts';
import type { Listing } from './listings.ts';
import type { DemoModel } from './model.ts';
import { formatMinor, toMinor } from './money.ts';
import type { Stream } from './random.ts';
import type { Row } from './sales-facts.ts';
import { AD_SPIKE, isAdSpikeDay } from './story.ts';
import type { DemoStore } from './stores.ts';

const UNITS_PER_ORDER = 1.08;
const SALT = { units: 51, acos: 52, clicks: 53, ctr: 54 } as const;

const groupCache = new Map<string, DemoAdGroup[]>();

/** Ad groups advertising a listing. */
export function adGroupsFor(l: Listing): DemoAdGroup[] {
  let groups = groupCache.get(l.key);
  if (!groups) {
    groups = l.slot !== null ? [launchAdGroup(l)] : CORE_AD_GROUPS.filter((g) => g.campaign.store === l.store && g.skus?.includes(l.sku));
    groupCache.set(l.key, groups);
  }
  return groups;
}

const brandCache = new Map<string, DemoAdGroup[]>();

/** Brand-level groups of a store (rows with sku_id null). */
export function brandGroups(storeId: string): DemoAdGroup[] {
  let groups = brandCache.get(storeId);
  if (!groups) {
    groups = CORE_AD_GROUPS.filter((g) => g.campaign.store === storeId && g.skus === null);
    brandCache.set(storeId, groups);
  }
  return groups;
}

function row(ws: string, st: DemoStore, g: DemoAdGroup, date: string, sku: string | null, m: {
  impressions: number; clicks: number; spend: number; sales: number; orders: number; units: number;
}): Row {
  return {
    workspace_id: ws, date, store_id: st.id, ad_platform: g.campaign.adPlatform, campaign_id: g.campaign.id, ad_group_id: g.id,
    sku_id: sku, impressions: m.impressions, clicks: m.clicks, spend: formatMinor(m.spend, st.decimals),
    attributed_sales: formatMinor(m.sales, st.decimals), attributed_orders: m.orders, attributed_units: m.units,
    attribution_window_days: g.campaign.attributionDays, currency: st.currency, account_timezone: g.campaign.accountTimezone, source: 'demo',
  };
}

/** Clicks, impressions and spend for an expected number of ad orders at a given ACoS. */
function traffic(s: Stream, st: DemoStore, day: number, salt: number, expectedOrders: number, priceEx: number, acos: number) {
  const clicks = Math.round((expectedOrders / st.adCvr) * s.jitter(0.15, day, SALT.clicks + salt));
  const cpc = priceEx * st.adCvr * UNITS_PER_ORDER * acos;
  const impressions = Math.round(clicks / (st.ctr * s.jitter(0.15, day, SALT.ctr + salt)));
  return { clicks, impressions, spend: toMinor(clicks * cpc, st.decimals) };
}

function spike<T extends { clicks: number; impressions: number; spend: number; orders: number; units: number; sales: number }>(m: T): T {
  return {
    ...m,
    clicks: Math.round(m.clicks * AD_SPIKE.clickFactor),
    impressions: Math.round(m.impressions * AD_SPIKE.clickFactor),
    spend: Math.round(m.spend * AD_SPIKE.spendFactor),
    orders: Math.round(m.orders * AD_SPIKE.orderFactor),
    units: Math.round(m.units * AD_SPIKE.orderFactor),
    sales: Math.round(m.sales * AD_SPIKE.orderFactor),
  };
}

/** SKU-level ad rows of one listing-day. */
export function listingAdRows(ws: string, seed: number, model: DemoModel, l: Listing, day: number): Row[] {
  const { st, s } = l;
  const date = fromDay(day);
  const stock = model.stock(l, day);
  const price = model.price(l, day).ex;
  const isNew = l.launch !== null && day - l.launch < 90;
  const spikeDay = isAdSpikeDay(seed, day);
  return adGroupsFor(l).map((g, i) => {
    const share = st.adShare * g.weight;
    const salt = i * 10;
    const units = Math.min(stock.sold, Math.round(stock.sold * share * (0.8 + 0.4 * s.u(day, SALT.units + salt))));
    const orders = units === 0 ? 0 : Math.max(1, Math.round(units / UNITS_PER_ORDER));
    const acos = st.acos * g.acosFactor * (isNew ? 2 : 1) * s.jitter(0.12, day, SALT.acos + salt);
    const expected = ((model.lambda(l, day) * share) / UNITS_PER_ORDER) * (stock.outAllDay ? 0.1 : 1);
    const t = traffic(s, st, day, salt, expected, price, acos);
    let m = { ...t, clicks: Math.max(t.clicks, orders), orders, units, sales: toMinor(units * price, st.decimals) };
    if (spikeDay && g.campaign.id === AD_SPIKE.campaign) m = spike(m);
    return row(ws, st, g, date, l.sku, m);
  });
}

/** Brand-level rows of a store-day, sized from the store's gross sales and mean price that day. */
export function brandAdRows(ws: string, st: DemoStore, s: Stream, day: number, grossMinor: number, units: number): Row[] {
  if (units === 0) return [];
  const date = fromDay(day);
  const meanPrice = grossMinor / 10 ** st.decimals / units;
  return brandGroups(st.id).map((g, i) => {
    const salt = 100 + i * 10;
    const sales = Math.round(grossMinor * g.weight * s.jitter(0.2, day, SALT.units + salt));
    const orderUnits = Math.round(sales / 10 ** st.decimals / meanPrice);
    const orders = orderUnits === 0 ? 0 : Math.max(1, Math.round(orderUnits / UNITS_PER_ORDER));
    const acos = st.acos * g.acosFactor * s.jitter(0.12, day, SALT.acos + salt);
    const t = traffic(s, st, day, salt, orders, meanPrice, acos);
    return row(ws, st, g, date, null, { ...t, clicks: Math.max(t.clicks, orders), orders, units: orderUnits, sales });
  });
}
