/**
 * KPI values against numbers worked out by hand from a small fixture: two currencies with FX at
 * each day's rate, a tax-inclusive store, refunds, unreported sessions, a marketplace-day
 * boundary, stale and missing rates, compare, grouping and principals. Every expected number
 * below is arithmetic on the fixture rows, written out in the comments.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import { KpiError, queryKpi } from '../../src/kpi/query.ts';
import { ENGINES, dropCreatedDatabases, openTestDatabase } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

const admin: Principal = { kind: 'system', workspaceId: 'w', role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: false };
const member: Principal = { ...admin, kind: 'user', role: 'member', scope: { all: false, teamIds: [], storeIds: [], skuIds: [] } };
const operatorDe: Principal = { ...admin, kind: 'user', role: 'operator', scope: { all: false, teamIds: [], storeIds: ['de'], skuIds: [] } };
const NOW = new Date('2026-11-10T05:00:00Z'); // Los Angeles: 11-09 21:00; Berlin: 11-10 06:00
const P = 'custom:2026-11-01..2026-11-02';

async function seed(d: Database): Promise<void> {
  await d.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('w', 'W', 'Asia/Shanghai', 'CNY', 'zh-CN')`);
  await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, region, currency, timezone, prices_include_tax) values
    ('w', 'us', 'US', 'amazon', 'US', '北美', 'USD', 'America/Los_Angeles', false),
    ('w', 'de', 'DE', 'amazon', 'DE', '欧洲', 'EUR', 'Europe/Berlin', true)`);
  await d.query(sql`insert into fx_rates (workspace_id, date, from_ccy, to_ccy, rate, source) values
    ('w', '2026-10-31', 'USD', 'CNY', 7.0, 'test'), ('w', '2026-11-01', 'USD', 'CNY', 7.0, 'test'), ('w', '2026-11-02', 'USD', 'CNY', 7.2, 'test'),
    ('w', '2026-11-01', 'EUR', 'CNY', 8.0, 'test'), ('w', '2026-11-02', 'EUR', 'CNY', 8.0, 'test')`);
  await d.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, order_count,
      gross_sales, tax_amount, promo_fees, refund_amount, units_returned, platform_fees, fulfillment_fees, first_leg_cost, storage_fees, cogs,
      other_costs, sessions, currency, source) values
    ('w', '2026-10-31', 'us', 'A', 'fba', 1, 1, 50, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, 20, 'USD', 'api'),
    ('w', '2026-11-01', 'us', 'A', 'fba', 2, 2, 100, 0, 3, 10, 1, 15, 10, 5, 2, 30, null, 50, 'USD', 'api'),
    ('w', '2026-11-02', 'us', 'A', 'fba', 4, 3, 200, 0, 0, 0, 0, 30, 20, 10, 4, 60, null, 100, 'USD', 'api'),
    ('w', '2026-11-02', 'de', 'B', 'fba', 1, 1, 50, 9.5, 0, 0, 0, 7.5, 5, 0, 0, 20, null, null, 'EUR', 'api'),
    ('w', '2026-11-03', 'de', 'B', 'fba', 1, 1, 10, 1.9, 0, 0, 0, 0, 0, 0, 0, 0, null, null, 'EUR', 'api')`);
  await d.query(sql`insert into fact_ads_daily (workspace_id, date, store_id, ad_platform, campaign_id, ad_group_id, sku_id,
      impressions, clicks, spend, attributed_sales, attributed_orders, attributed_units, currency, source) values
    ('w', '2026-11-01', 'us', 'amazon_sp', 'c1', 'g1', 'A', 2000, 40, 20, 80, 2, 2, 'USD', 'api'),
    ('w', '2026-11-02', 'us', 'amazon_sp', 'c1', 'g1', 'A', 3000, 60, 30, 90, 3, 3, 'USD', 'api')`);
  await d.query(sql`insert into fact_inventory_daily (workspace_id, snapshot_date, store_id, sku_id, warehouse_id, on_hand_units, reserved_units,
      inbound_units, age_0_30, age_31_60, age_61_90, age_91_180, age_181_365, age_365_plus, unit_cost, currency, source) values
    ('w', '2026-11-01', 'us', 'A', 'fba-1', 999, 0, 0, 999, 0, 0, 0, 0, 0, 5, 'USD', 'api'),
    ('w', '2026-11-02', 'us', 'A', 'fba-1', 100, 10, 20, 50, 20, 10, 15, 5, 0, 5, 'USD', 'api'),
    ('w', '2026-11-02', 'de', 'B', 'fba-1', 40, 0, 0, null, null, null, null, null, null, 10, 'EUR', 'api')`);
  await d.query(sql`insert into fact_service_daily (workspace_id, date, store_id, orders_distinct, defect_orders, source) values
    ('w', '2026-11-01', 'us', 2, 0, 'api'), ('w', '2026-11-02', 'us', 3, 1, 'api'), ('w', '2026-11-02', 'de', 1, 0, 'api')`);
}

describe.each(ENGINES)('queryKpi on %s', (engine) => {
  let d: Database;
  beforeAll(async () => {
    d = await openTestDatabase(engine);
    await seed(d);
  });
  afterAll(async () => d?.close());

  const q = (over: Partial<Parameters<typeof queryKpi>[1]>) =>
    queryKpi(d, { workspaceId: 'w', metrics: ['gmv'], period: P, principal: admin, now: NOW, ...over });

  it('converts each day at its own rate and sums ex-tax GMV across currencies', async () => {
    // us: 100 × 7.0 + 200 × 7.2 = 2140; de: 50 × 8.0 = 400 (tax 9.5 is not GMV)
    const r = await q({ metrics: ['gmv', 'tax_amount', 'orders', 'aov', 'units'], groupBy: 'store' });
    expect(r.currency).toBe('CNY');
    expect(r.total).toEqual({ gmv: 2540, tax_amount: 76, orders: 6, aov: 423.33, units: 7 });
    expect(r.rows).toEqual([
      { store: 'de', gmv: 400, tax_amount: 76, orders: 1, aov: 400, units: 1 },
      { store: 'us', gmv: 2140, tax_amount: 0, orders: 5, aov: 428, units: 6 },
    ]);
    expect(r.period).toMatchObject({ from: '2026-11-01', to: '2026-11-02', partial: false });
  });

  it('computes ad ratios as ratio of sums, never averages of daily ratios', async () => {
    // spend 20×7 + 30×7.2 = 356; ad sales 80×7 + 90×7.2 = 1208; clicks 100; impressions 5000
    const r = await q({ metrics: ['ad_spend', 'ad_sales', 'acos', 'roas', 'tacos', 'ctr', 'cpc', 'cpm', 'ad_cvr', 'cpa'] });
    expect(r.total).toEqual({
      ad_spend: 356,
      ad_sales: 1208,
      acos: 0.294702, // 356 / 1208 (daily ACoS average would be 0.292)
      roas: 3.3933, // 1208 / 356
      tacos: 0.140157, // 356 / 2540
      ctr: 0.02, // 100 / 5000
      cpc: 3.56, // 356 / 100
      cpm: 71.2, // 356 / 5000 × 1000
      ad_cvr: 0.05, // 5 / 100
      cpa: 71.2, // 356 / 5
    });
  });

  it('computes profit from net sales and every cost, in the reporting currency', async () => {
    // us 11-01: 90 − (30+15+10+5+2+3) − 20 ads = 5 USD → 35; us 11-02: 200 − 124 − 30 = 46 → 331.2;
    // de 11-02: 50 − (20+7.5+5) = 17.5 EUR → 140. Net sales: 630 + 1440 + 400 = 2470.
    const r = await q({ metrics: ['net_sales', 'net_profit', 'net_margin', 'gross_profit', 'refund_rate', 'return_rate'] });
    expect(r.total).toEqual({
      net_sales: 2470,
      net_profit: 506.2,
      net_margin: 0.204939, // 506.2 / 2470
      gross_profit: 1668, // 2470 − cogs (30×7 + 60×7.2 + 20×8 = 802)
      refund_rate: 0.027559, // 70 / 2540
      return_rate: 0.142857, // 1 / 7
    });
  });

  it('converts into another reporting currency through the workspace currency', async () => {
    // USD: us 300 as is; de 50 EUR × (8.0 / 7.2) = 55.5556 → 355.56
    const r = await q({ currency: 'USD' });
    expect(r).toMatchObject({ currency: 'USD', total: { gmv: 355.56 } });
  });

  it('flags a rate older than the day (≤ 7 days) as stale', async () => {
    // de 11-03 has no EUR rate that day: 11-02's 8.0 is used (10 × 8 = 80)
    const r = await q({ period: 'custom:2026-11-03..2026-11-03' });
    expect(r.total.gmv).toBe(80);
    expect(r.fx).toEqual({ mode: 'daily', stale: true, latestRateDay: '2026-11-02' });
  });

  it('returns null with fx_missing, never a silent zero, when a rate is missing', async () => {
    await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values ('w', 'jp', 'JP', 'amazon', 'JP', 'JPY', 'Asia/Tokyo')`);
    await d.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, gross_sales, currency, source)
      values ('w', '2026-11-01', 'jp', 'C', 'fba', 1000, 'JPY', 'api')`);
    try {
      const r = await q({ metrics: ['gmv', 'units'] });
      expect(r.total).toEqual({ gmv: null, units: 7 });
      expect(r.missing).toEqual({ gmv: 'fx_missing' });
    } finally {
      await d.query(sql`delete from fact_sales_daily where store_id = 'jp'`);
      await d.query(sql`delete from stores where id = 'jp'`);
    }
  });

  it('says why a value is missing: unreported sessions, no rows, scores without the Scores feature', async () => {
    const r = await q({ metrics: ['sessions', 'csat', 'kpi_score'], filters: { store: ['de'] } });
    expect(r.total).toEqual({ sessions: null, csat: null, kpi_score: null });
    expect(r.missing).toEqual({ sessions: 'not_reported', csat: 'not_reported', kpi_score: 'not_available' });
    const empty = await q({ metrics: ['gmv'], period: 'custom:2026-06-01..2026-06-02' });
    expect(empty).toMatchObject({ total: { gmv: null }, missing: { gmv: 'no_data' } });
  });

  it('answers "yesterday" per store in its own marketplace day', async () => {
    const r = await q({ period: 'yesterday' });
    expect(r.period.storeDays).toEqual({ de: { from: '2026-11-09', to: '2026-11-09' }, us: { from: '2026-11-08', to: '2026-11-08' } });
  });

  it('dates a store-scoped answer by its own stores only (no other team\'s store in the period)', async () => {
    // operatorDe sees only de: Berlin's yesterday is 11-09, and us (Los Angeles, 11-08) is not named.
    const r = await q({ period: 'yesterday', principal: operatorDe });
    expect(r.period.storeDays).toBeUndefined();
    expect(r.period).toMatchObject({ from: '2026-11-09', to: '2026-11-09' });
  });

  it('compares with the previous period of equal length', async () => {
    // prev of 11-01..11-02 is 10-30..10-31: us 50 USD × 7.0 = 350
    const r = await q({ compare: 'prev' });
    expect(r.compare).toMatchObject({ id: 'prev', from: '2026-10-30', to: '2026-10-31', total: { gmv: 350 } });
  });

  it('computes ODR over the rolling 60 days ending at the period end', async () => {
    // defects 1 / orders_distinct 6 over 09-04..11-02
    const r = await q({ metrics: ['odr'], period: 'custom:2026-11-02..2026-11-02' });
    expect(r.total.odr).toBe(0.166667);
  });

  it('hides money it may not show and keeps scoped roles to their stores', async () => {
    const m = await q({ metrics: ['gmv', 'net_profit', 'cogs'], principal: member });
    expect(m.total).toEqual({ gmv: 2540, net_profit: null, cogs: null });
    expect(m.missing).toEqual({ net_profit: 'forbidden', cogs: 'forbidden' });
    const op = await q({ metrics: ['gmv', 'net_margin', 'cogs'], principal: operatorDe });
    expect(op.total).toEqual({ gmv: 400, net_margin: 0.35, cogs: null }); // 17.5 / 50
  });

  it('uses orders containing the SKU at SKU grain, distinct orders above it', async () => {
    const r = await q({ metrics: ['orders'], groupBy: 'sku' });
    expect(r.total.orders).toBe(6); // S.order_count 2 + 3 + 1
    expect(r.rows).toEqual([{ sku: 'A', orders: 5 }, { sku: 'B', orders: 1 }]);
  });

  it('reads stock as a snapshot at the period end, never summed over days', async () => {
    // Snapshot 11-02: on hand 100 + 40; available 90 + 40; value 100×5×7.2 + 40×10×8 = 6800.
    // Ages only where reported (us): >90 d (15+5)/100, >180 d 5/100. velocity30 = 8 units / 30.
    const r = await q({ metrics: ['on_hand_units', 'available_units', 'inbound_units', 'inventory_value', 'stock_age_90d_share', 'stock_age_180d_share', 'days_of_cover', 'days_of_cover_incl_inbound'], groupBy: 'store' });
    expect(r.total).toEqual({
      on_hand_units: 140,
      available_units: 130,
      inbound_units: 20,
      inventory_value: 6800,
      stock_age_90d_share: 0.2,
      stock_age_180d_share: 0.05,
      days_of_cover: 487.5, // 130 / (8 / 30)
      days_of_cover_incl_inbound: 562.5, // 150 / (8 / 30)
    });
    // us sold 1 + 2 + 4 units over 10-04..11-02: 90 / (7 / 30)
    expect(r.rows.find((x) => x.store === 'us')?.days_of_cover).toBe(385.7143);
    expect(r.rows.find((x) => x.store === 'de')?.stock_age_90d_share).toBeNull();
  });

  it('refuses unknown metrics and periods with the closest name', async () => {
    await expect(q({ metrics: ['gvm'] })).rejects.toMatchObject({ field: 'metrics', suggestion: 'gmv' });
    await expect(q({ period: 'last_fortnight' })).rejects.toBeInstanceOf(KpiError);
    await expect(q({ period: 'custom:2020-01-01..2026-01-01' })).rejects.toThrow(/5 years/);
    await expect(q({ period: 'month:2027-01' })).rejects.toThrow(/no complete day/);
  });
});

