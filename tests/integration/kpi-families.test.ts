/**
 * The metric families with queries of their own, against numbers worked out by hand from a small
 * fixture: inventory turnover and turnover days, OOS rate, sell-through, storage use and reorder
 * quantities from daily snapshots; wasted ad spend per ad group; return rate by order cohort;
 * account health as the worst store on one scale. Every expected number is arithmetic on the rows
 * below, written out in the comments.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import { queryKpi, type KpiQuery } from '../../src/kpi/query.ts';
import { ENGINES, dropCreatedDatabases, openTestDatabase } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

const admin: Principal = { kind: 'system', workspaceId: 'w', role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: true };
const NOW = new Date('2026-11-10T12:00:00Z'); // every store is on UTC: last complete day 11-09
const P = 'custom:2026-11-01..2026-11-04';

async function seed(d: Database): Promise<void> {
  await d.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('w', 'W', 'UTC', 'CNY', 'en')`);
  await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values
    ('w', 'us', 'US', 'amazon', 'US', 'USD', 'UTC'), ('w', 'de', 'DE', 'amazon', 'DE', 'EUR', 'UTC'),
    ('w', 'sg', 'SG', 'shopee', 'SG', 'SGD', 'UTC'), ('w', 'my', 'MY', 'shopee', 'MY', 'MYR', 'UTC')`);
  // USD 7.0 and EUR 8.0 every day.
  await d.query(sql`insert into fx_rates (workspace_id, date, from_ccy, to_ccy, rate, source)
    select 'w', day::date, c.ccy, 'CNY', c.rate, 'test' from generate_series('2026-10-01'::date, '2026-11-10'::date, interval '1 day') day,
      (values ('USD', 7.0), ('EUR', 8.0)) as c(ccy, rate)`);
  await d.query(sql`insert into warehouses (workspace_id, id, name, type, store_id, capacity_m3) values
    ('w', 'wa', 'FBA US', 'fba', 'us', 10), ('w', 'wd', 'FBA DE', 'fba', 'de', null)`);
  await d.query(sql`insert into skus (workspace_id, id, store_id, name, lead_time_days, target_cover_days) values
    ('w', 'A', 'us', 'A', 31, 60), ('w', 'B', 'us', 'B', 10, 20), ('w', 'C', 'us', 'C', null, null), ('w', 'D', 'de', 'D', 20, 40)`);
  await d.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, order_count, gross_sales, cogs, currency, source) values
    ('w', '2026-10-20', 'us', 'A', 'fba', 3, 3, 90, 30, 'USD', 'api'),
    ('w', '2026-11-02', 'us', 'A', 'fba', 2, 2, 60, 20, 'USD', 'api'),
    ('w', '2026-11-03', 'us', 'B', 'fba', 1, 1, 30, 10, 'USD', 'api'),
    ('w', '2026-11-01', 'de', 'D', 'fba', 1, 1, 25, 8, 'EUR', 'api')`);
  // Snapshots: A sells out on 11-02 (5 on hand, all reserved) and 11-03; C never sells;
  // de has no snapshot on 11-03 (unknown, not empty stock).
  await d.query(sql`insert into fact_inventory_daily (workspace_id, snapshot_date, store_id, sku_id, warehouse_id, on_hand_units, reserved_units,
      inbound_units, unit_cost, volume_m3, currency, source) values
    ('w', '2026-11-01', 'us', 'A', 'wa', 10, 0, 0, 10, 1.0, 'USD', 'api'),
    ('w', '2026-11-02', 'us', 'A', 'wa', 5, 5, 0, 10, 0.5, 'USD', 'api'),
    ('w', '2026-11-03', 'us', 'A', 'wa', 0, 0, 0, 10, 0, 'USD', 'api'),
    ('w', '2026-11-04', 'us', 'A', 'wa', 4, 0, 5, 10, 0.4, 'USD', 'api'),
    ('w', '2026-11-01', 'us', 'B', 'wa', 2, 0, 0, 10, 0.2, 'USD', 'api'),
    ('w', '2026-11-02', 'us', 'B', 'wa', 2, 0, 0, 10, 0.2, 'USD', 'api'),
    ('w', '2026-11-03', 'us', 'B', 'wa', 2, 0, 0, 10, 0.2, 'USD', 'api'),
    ('w', '2026-11-04', 'us', 'B', 'wa', 2, 0, 0, 10, 0.2, 'USD', 'api'),
    ('w', '2026-11-01', 'us', 'C', 'wa', 7, 0, 0, 10, 0.7, 'USD', 'api'),
    ('w', '2026-11-02', 'us', 'C', 'wa', 7, 0, 0, 10, 0.7, 'USD', 'api'),
    ('w', '2026-11-03', 'us', 'C', 'wa', 7, 0, 0, 10, 0.7, 'USD', 'api'),
    ('w', '2026-11-04', 'us', 'C', 'wa', 7, 0, 0, 10, 0.7, 'USD', 'api'),
    ('w', '2026-11-01', 'de', 'D', 'wd', 3, 0, 0, 8, 0.3, 'EUR', 'api'),
    ('w', '2026-11-02', 'de', 'D', 'wd', 3, 0, 0, 8, 0.3, 'EUR', 'api'),
    ('w', '2026-11-04', 'de', 'D', 'wd', 3, 0, 0, 8, 0.3, 'EUR', 'api')`);
  // Ads: g1 has 12 + 10 clicks on two days and no order (wasted over the period, never on one
  // day); g2 converts; g3 stays under 20 clicks; c9 has no ad groups and is judged as a campaign.
  await d.query(sql`insert into fact_ads_daily (workspace_id, date, store_id, ad_platform, campaign_id, ad_group_id, sku_id,
      clicks, spend, attributed_orders, currency, source) values
    ('w', '2026-11-01', 'us', 'amazon_sp', 'c1', 'g1', 'A', 12, 5, 0, 'USD', 'api'),
    ('w', '2026-11-02', 'us', 'amazon_sp', 'c1', 'g1', 'A', 10, 6, 0, 'USD', 'api'),
    ('w', '2026-11-02', 'us', 'amazon_sp', 'c1', 'g2', 'B', 30, 20, 1, 'USD', 'api'),
    ('w', '2026-11-03', 'us', 'amazon_sp', 'c1', 'g3', 'B', 19, 4, 0, 'USD', 'api'),
    ('w', '2026-11-03', 'us', 'amazon_sb', 'c9', null, null, 25, 5, 0, 'USD', 'api')`);
  // Refund lines: one from an 11-02 order refunded after the period (counts), one refunded in
  // the period from an October order (does not), one from an 11-03 order.
  await d.query(sql`insert into fact_refund_lines (workspace_id, store_id, refund_line_id, sku_id, refund_date, order_date, units, amount, currency, source) values
    ('w', 'us', 'r1', 'A', '2026-11-06', '2026-11-02', 1, 30, 'USD', 'api'),
    ('w', 'us', 'r2', 'A', '2026-11-02', '2026-10-25', 2, 60, 'USD', 'api'),
    ('w', 'us', 'r3', 'B', '2026-11-03', '2026-11-03', 1, 30, 'USD', 'api')`);
  await d.query(sql`insert into fact_service_daily (workspace_id, date, store_id, account_health_value, account_health_scale, source) values
    ('w', '2026-11-04', 'us', 250, 'amazon_ahr', 'api'), ('w', '2026-11-04', 'de', 210, 'amazon_ahr', 'api'),
    ('w', '2026-11-03', 'de', 100, 'amazon_ahr', 'api'),
    ('w', '2026-11-04', 'sg', 2, 'shopee_penalty_points', 'api'), ('w', '2026-11-04', 'my', 5, 'shopee_penalty_points', 'api')`);
}

describe.each(ENGINES)('metric families on %s', (engine) => {
  let d: Database;
  beforeAll(async () => {
    d = await openTestDatabase(engine);
    await seed(d);
  });
  afterAll(async () => d?.close());

  const q = (over: Partial<KpiQuery>) => queryKpi(d, { workspaceId: 'w', metrics: ['gmv'], period: P, principal: admin, now: NOW, ...over });

  it('computes turnover from COGS and the average daily inventory value, store by store', async () => {
    // us: COGS 20 + 10 = 30 USD × 7 = 210 CNY over 4 days = 52.5 a day. Value per day (on hand ×
    // 10 USD): 190, 140, 90, 130 → avg 137.5 USD × 7 = 962.5. Turnover 52.5 × 365 / 962.5; days 962.5 / 52.5.
    // de: COGS 8 EUR × 8 = 64 → 16 a day; value 24 EUR on each of its 3 snapshot days → avg 192.
    // Total: (52.5 + 16) × 365 / (962.5 + 192) = 25002.5 / 1154.5; days 1154.5 / 68.5.
    const r = await q({ metrics: ['inventory_turnover', 'inventory_turnover_days'], groupBy: 'store' });
    expect(r.total).toEqual({ inventory_turnover: 21.6566, inventory_turnover_days: 16.854 });
    expect(r.rows).toEqual([
      { store: 'de', inventory_turnover: 30.4167, inventory_turnover_days: 12 }, // 16 × 365 / 192; 192 / 16
      { store: 'us', inventory_turnover: 19.9091, inventory_turnover_days: 18.3333 },
    ]);
    expect(r.fx).toEqual({ mode: 'daily', stale: false, latestRateDay: '2026-11-04' });
  });

  it('counts out-of-stock SKU-days among the days a SKU sells, from the snapshots', async () => {
    // velocity30 > 0 on: A all 4 days (sold 10-20, 11-02), available 10, 0, 0, 4 → 2 OOS days;
    // B 11-03 and 11-04 (sold 11-03), available 2 → 0; C never sells → not counted; D on its
    // 3 snapshot days (sold 11-01), available 3 → 0. us 2 / 6; total 2 / 9.
    const r = await q({ metrics: ['oos_rate'], groupBy: 'sku' });
    expect(r.total.oos_rate).toBe(0.222222);
    expect(r.rows).toEqual([{ sku: 'A', oos_rate: 0.5 }, { sku: 'B', oos_rate: 0 }, { sku: 'C', oos_rate: null }, { sku: 'D', oos_rate: 0 }]);
    const us = await q({ metrics: ['oos_rate'], filters: { store: ['us'] } });
    expect(us.total.oos_rate).toBe(0.333333);
  });

  it('computes sell-through as stocked SKUs that sold over stocked SKUs', async () => {
    // Stocked in the period: A, B, C, D. Sold in the period: A (11-02), B (11-03), D (11-01).
    const r = await q({ metrics: ['sku_sell_through_rate'], groupBy: 'store' });
    expect(r.total.sku_sell_through_rate).toBe(0.75);
    expect(r.rows).toEqual([{ store: 'de', sku_sell_through_rate: 1 }, { store: 'us', sku_sell_through_rate: 0.666667 }]);
  });

  it('measures storage use and reorder quantities at the period end', async () => {
    // 11-04 volumes in wa (10 m³): A 0.4 + B 0.2 + C 0.7 = 1.3 → 0.13; wd has no capacity.
    // Reorder: A velocity30 = (3 + 2) / 30, × (31 + 60) = 15.17 − available 4 − inbound 5 = 6.17 → 7;
    // B 1/30 × 30 − 2 < 0 → 0; C has no lead time (skipped); D 1/30 × 60 − 3 < 0 → 0.
    const r = await q({ metrics: ['storage_utilization', 'reorder_qty'], groupBy: 'store' });
    expect(r.total).toEqual({ storage_utilization: 0.13, reorder_qty: 7 });
    expect(r.rows).toEqual([
      { store: 'de', storage_utilization: null, reorder_qty: 0 },
      { store: 'us', storage_utilization: 0.13, reorder_qty: 7 },
    ]);
    const de = await q({ metrics: ['storage_utilization'], filters: { store: ['de'] } });
    expect(de.missing).toEqual({ storage_utilization: 'not_reported' });
    // Grouped by warehouse each keeps its own stock and capacity.
    const wh = await q({ metrics: ['storage_utilization', 'on_hand_units'], groupBy: 'warehouse' });
    expect(wh.rows).toEqual([
      { warehouse: 'wa', storage_utilization: 0.13, on_hand_units: 13 },
      { warehouse: 'wd', storage_utilization: null, on_hand_units: 3 },
    ]);
  });

  it('judges wasted spend per ad group over the whole period, then shares spend', async () => {
    // Wasted: g1 (22 clicks, 0 orders) 11 USD and campaign c9 (25 clicks, 0 orders) 5 USD;
    // g2 has an order, g3 only 19 clicks. 16 / 40.
    const r = await q({ metrics: ['wasted_spend_share', 'ad_spend'], groupBy: 'ad_group' });
    expect(r.total).toEqual({ wasted_spend_share: 0.4, ad_spend: 280 });
    expect(r.rows).toEqual([
      { ad_group: 'g1', wasted_spend_share: 1, ad_spend: 77 },
      { ad_group: 'g2', wasted_spend_share: 0, ad_spend: 140 },
      { ad_group: 'g3', wasted_spend_share: 0, ad_spend: 28 },
    ]);
    // One day alone: g1 has 12 clicks on 11-01, below the bar.
    const day = await q({ metrics: ['wasted_spend_share'], period: 'custom:2026-11-01..2026-11-01' });
    expect(day.total.wasted_spend_share).toBe(0);
  });

  it('dates cohort returns by order date and marks them immature for 30 days', async () => {
    // Units ordered 11-01..11-04: us A 2 + B 1, de D 1 = 4. Returned from those orders: r1 1 + r3 1.
    const r = await q({ metrics: ['return_rate_cohort', 'return_rate'], groupBy: 'store' });
    expect(r.total.return_rate_cohort).toBe(0.5);
    expect(r.rows.map((x) => [x.store, x.return_rate_cohort])).toEqual([['de', 0], ['us', 0.666667]]);
    expect(r.immature).toEqual({ return_rate_cohort: '2026-12-04' });
    const settled = await q({ metrics: ['return_rate_cohort'], now: new Date('2026-12-06T00:00:00Z') });
    expect(settled.immature).toBeUndefined();
  });

  it('takes the worst account health on one scale, and none across scales', async () => {
    // 11-04: us 250 and de 210 AHR (higher is better; de's 100 on 11-03 is not the period end),
    // sg 2 and my 5 penalty points (lower is better).
    const amazon = await q({ metrics: ['account_health'], filters: { platform: ['amazon'] } });
    expect(amazon.total.account_health).toBe(210);
    const shopee = await q({ metrics: ['account_health'], filters: { platform: ['shopee'] } });
    expect(shopee.total.account_health).toBe(5);
    const all = await q({ metrics: ['account_health'], groupBy: 'store' });
    expect(all.total.account_health).toBeNull();
    expect(all.missing).toEqual({ account_health: 'mixed_scales' });
    expect(all.rows).toEqual([
      { store: 'de', account_health: 210 }, { store: 'my', account_health: 5 }, { store: 'sg', account_health: 2 }, { store: 'us', account_health: 250 },
    ]);
  });

  it('keeps families in the comparison period and says when a family has no rows', async () => {
    // prev of 11-01..11-04 is 10-28..10-31: no snapshots, ads or health rows there.
    const r = await q({ metrics: ['oos_rate', 'wasted_spend_share', 'reorder_qty'], compare: 'prev' });
    expect(r.compare).toMatchObject({ from: '2026-10-28', to: '2026-10-31', total: { oos_rate: null, wasted_spend_share: null, reorder_qty: null } });
    const empty = await q({ metrics: ['oos_rate', 'inventory_turnover'], period: 'custom:2026-06-01..2026-06-02' });
    expect(empty.missing).toEqual({ oos_rate: 'no_data', inventory_turnover: 'no_data' });
  });
});
