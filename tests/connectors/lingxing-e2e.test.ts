/**
 * LingXing end to end on both engines: fake → connector → importRows → facts → KPI values, all
 * hand-computed from tests/fixtures/lingxing/account.json; re-pulling the window (also with pages
 * served twice) changes nothing.
 *
 * Window 2026-11-01..02, shops 1519 → us-main (USD, prices ex tax), 1520 → de-main (EUR, prices
 * incl. 19 % VAT); 1521 is not mapped and must not appear anywhere.
 * us-main sales: A-1 11-01 100.5 (3 u, 2 o), B-2 11-01 40 (1, 1), A-1 11-02 67 (2, 2) → GMV 207.5.
 * de-main: D-1 11-01 119 incl. VAT → tax 119 × 0.19 / 1.19 = 19, gross 100.
 * Refunds (profit 收入退款额): us A-1 11-01 20.1 + C-3 11-02 15 = 35.1 → net sales 172.4.
 * us costs: cogs 30 + 20 = 50; platform (平台费 + 其他订单费) 15.08 + 0.5 + 10.05 = 25.63; promo
 *   (coupon) 2 — the 39.99 subscription is not a promotion fee; FBA 9.6 + 6.4 = 16; first leg
 *   4.21 + 2.8 = 7.01; storage 1.2; SP spend 20.5 + 5.25 + 3 + 15.75 = 44.5 → total 146.34,
 *   contribution 172.4 − 146.34 = 26.06.
 * de costs: 40 + 15 + 1.5 (Vine) + 5 + 3 + 0 + ad 4.2 = 68.7 → contribution 100 − 68.7 = 31.3.
 * Cards convert EUR at the fixture's 1.1 (tests/fixtures/ingest/fx.csv).
 * Ad sales (7-day attribution): us 80 + 0 + 40 + 67 = 187, de 119 → ROAS us 187 / 44.5, de 119 / 4.2.
 * Stock at 2026-11-03 06:00 UTC (us day 11-02, de day 11-03): us A-1 50 + 2 + 1 + 3 = 56,
 *   B-2 10 → 66; de D-1 7 + 1 = 8.
 */
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import { Writable } from 'node:stream';
import pino from 'pino';
import { lingxing } from '../../src/ingest/connectors/lingxing/index.ts';
import { runConnector, testConnector } from '../../src/ingest/connectors/runner.ts';
import { saveConnector } from '../../src/ingest/connectors/service.ts';
import { importFile } from '../../src/ingest/import-file.ts';
import { importRows } from '../../src/ingest/pipeline/run-import.ts';
import { asAsync } from '../../src/ingest/push/json-rows.ts';
import { queryKpi } from '../../src/kpi/query.ts';
import { APP_ID, APP_SECRET, collect, context, NOW, startFake } from '../fakes/lingxing/context.ts';
import type { LingXingFake } from '../fakes/lingxing/server.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, insertWorkspace } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

/** KPIs are read a week later, when both days are complete everywhere. */
const LATER = new Date('2026-11-10T05:00:00Z');
const admin: Principal = { kind: 'system', workspaceId: 'w', role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: true };

const EXPECTED = [
  // Money in the workspace's USD at the fixture's EUR→USD 1.1: 100 → 110, 4.2 → 4.62, 31.3 → 34.43.
  { store: 'de-main', gmv: 110, units: 1, refund_amount: 0, net_sales: 110, ad_spend: 4.62, contribution_profit: 34.43, roas: 119 / 4.2 },
  { store: 'us-main', gmv: 207.5, units: 6, refund_amount: 35.1, net_sales: 172.4, ad_spend: 44.5, contribution_profit: 26.06, roas: 187 / 44.5 },
];
const close = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? Math.round(v * 1e4) / 1e4 : v])));

describe.each(ENGINES)('LingXing connector end to end on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x));
  let fake: LingXingFake | undefined;
  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });

  const setup = async () => {
    await insertWorkspace(d, { id: 'w', currency: 'USD', timezone: 'Asia/Shanghai' });
    for (const [f, ds] of [['stores.csv', 'stores'], ['fx.csv', 'fx']] as const) {
      await importFile(d, join(import.meta.dirname, '../fixtures/ingest', f), { workspaceId: 'w', dataset: ds, requestedBy: 'test' });
    }
    fake = await startFake();
  };

  const run = async () => {
    const out = [];
    for (const b of await collect(context(fake!))) {
      out.push(await importRows(d, asAsync(b.rows), { workspaceId: 'w', dataset: b.dataset, source: lingxing.source, kind: 'import', requestedBy: 'connector:lx' }));
    }
    return out;
  };

  const facts = async () => ({
    sales: await d.query(sql`select date::text as date, store_id, sku_id, fulfillment_channel as ch, currency, units_ordered as u, order_count as o,
        gross_sales::float8 as gross, tax_amount::float8 as tax, refund_amount::float8 as refund, units_returned as ret, cogs::float8 as cogs,
        platform_fees::float8 as platform, promo_fees::float8 as promo, fulfillment_fees::float8 as fba, first_leg_cost::float8 as first_leg,
        storage_fees::float8 as storage, source
      from fact_sales_daily where workspace_id = 'w' order by store_id, date, sku_id`),
    ads: await d.query(sql`select date::text as date, store_id, ad_platform, campaign_id, ad_group_id, sku_id, impressions, clicks, spend::float8 as spend,
        attributed_sales::float8 as sales, attributed_orders as orders, attributed_units as units, attribution_window_days as win, currency
      from fact_ads_daily where workspace_id = 'w' order by store_id, date, campaign_id, sku_id`),
    stock: await d.query(sql`select snapshot_date::text as day, store_id, sku_id, warehouse_id, on_hand_units as on_hand, reserved_units as reserved,
        inbound_units as inbound, unfulfillable_units as unfulfillable, age_0_30, age_181_365, age_365_plus
      from fact_inventory_daily where workspace_id = 'w' order by store_id, sku_id`),
  });

  const kpis = async () =>
    (await queryKpi(d, {
      workspaceId: 'w', metrics: ['gmv', 'units', 'refund_amount', 'net_sales', 'ad_spend', 'contribution_profit', 'roas'],
      period: 'custom:2026-11-01..2026-11-02', groupBy: 'store', principal: admin, now: LATER,
    })).rows;

  it('writes exactly the expected facts and KPI values, and a re-pull changes nothing', async () => {
    await setup();
    const first = await run();
    expect(first.map((r) => [r.dataset, r.status, r.rowsWritten])).toEqual([['orders', 'ok', 5], ['costs', 'ok', 4], ['ads', 'ok', 5], ['inventory', 'ok', 3]]);
    const z = { refund: 0, ret: 0, cogs: 0, platform: 0, promo: 0, fba: 0, first_leg: 0, storage: 0 };
    const f = await facts();
    expect(f.sales).toEqual([
      { date: '2026-11-01', store_id: 'de-main', sku_id: 'D-1', ch: 'fba', currency: 'EUR', u: 1, o: 1, gross: 100, tax: 19, ...z, cogs: 40, platform: 15, promo: 1.5, fba: 5, first_leg: 3, source: 'api' },
      { date: '2026-11-01', store_id: 'us-main', sku_id: 'A-1', ch: 'fba', currency: 'USD', u: 3, o: 2, gross: 100.5, tax: 0, refund: 20.1, ret: 1, cogs: 30, platform: 15.58, promo: 2, fba: 9.6, first_leg: 4.21, storage: 1.2, source: 'api' },
      { date: '2026-11-01', store_id: 'us-main', sku_id: 'B-2', ch: 'fba', currency: 'USD', u: 1, o: 1, gross: 40, tax: 0, ...z, source: 'api' },
      { date: '2026-11-02', store_id: 'us-main', sku_id: 'A-1', ch: 'fba', currency: 'USD', u: 2, o: 2, gross: 67, tax: 0, ...z, cogs: 20, platform: 10.05, fba: 6.4, first_leg: 2.8, source: 'api' },
      { date: '2026-11-02', store_id: 'us-main', sku_id: 'C-3', ch: 'fba', currency: 'USD', u: 0, o: 0, gross: 0, tax: 0, ...z, refund: 15, ret: 1, source: 'api' },
    ]);
    const ad = { ad_platform: 'amazon_sp', win: 7 };
    expect(f.ads).toEqual([
      { date: '2026-11-01', store_id: 'de-main', ...ad, campaign_id: '201133922102700', ad_group_id: '59508847952300', sku_id: 'D-1', impressions: 300, clicks: 6, spend: 4.2, sales: 119, orders: 1, units: 1, currency: 'EUR' },
      { date: '2026-11-01', store_id: 'us-main', ...ad, campaign_id: '101133922102706', ad_group_id: '49508847952398', sku_id: 'A-1', impressions: 1000, clicks: 40, spend: 20.5, sales: 80, orders: 2, units: 2, currency: 'USD' },
      { date: '2026-11-01', store_id: 'us-main', ...ad, campaign_id: '101133922102706', ad_group_id: '49508847952398', sku_id: 'B-2', impressions: 500, clicks: 10, spend: 5.25, sales: 0, orders: 0, units: 0, currency: 'USD' },
      { date: '2026-11-01', store_id: 'us-main', ...ad, campaign_id: '101133922102707', ad_group_id: '49508847952399', sku_id: 'A-1', impressions: 200, clicks: 5, spend: 3, sales: 40, orders: 1, units: 1, currency: 'USD' },
      { date: '2026-11-02', store_id: 'us-main', ...ad, campaign_id: '101133922102706', ad_group_id: '49508847952398', sku_id: 'A-1', impressions: 800, clicks: 30, spend: 15.75, sales: 67, orders: 2, units: 2, currency: 'USD' },
    ]);
    expect(f.stock).toEqual([
      { day: '2026-11-03', store_id: 'de-main', sku_id: 'D-1', warehouse_id: 'DE店德国仓', on_hand: 8, reserved: 1, inbound: 4, unfulfillable: 0, age_0_30: 8, age_181_365: 0, age_365_plus: 0 },
      // 181–365 = 181–270 (3) + 271–365 (2); buckets 30+10+6+5+5+0 = 56 = on hand.
      { day: '2026-11-02', store_id: 'us-main', sku_id: 'A-1', warehouse_id: 'US主店美国仓', on_hand: 56, reserved: 6, inbound: 25, unfulfillable: 4, age_0_30: 30, age_181_365: 5, age_365_plus: 0 },
      // Buckets (5) do not add up to on hand (10): stored as unknown, not refused.
      { day: '2026-11-02', store_id: 'us-main', sku_id: 'B-2', warehouse_id: 'US主店美国仓', on_hand: 10, reserved: 0, inbound: 0, unfulfillable: 0, age_0_30: null, age_181_365: null, age_365_plus: null },
    ]);
    expect(close(await kpis())).toEqual(close(EXPECTED));
    // Stock is read at each period's last day: the US snapshot is dated 11-02, the German 11-03.
    const stock = async (to: string) =>
      (await queryKpi(d, { workspaceId: 'w', metrics: ['on_hand_units'], period: `custom:2026-11-01..${to}`, groupBy: 'store', principal: admin, now: LATER })).rows;
    expect(await stock('2026-11-02')).toEqual([{ store: 'us-main', on_hand_units: 66 }]);
    expect(await stock('2026-11-03')).toEqual([{ store: 'de-main', on_hand_units: 8 }]);

    // Re-pull the same window, then once more with every list endpoint serving a page twice.
    await run();
    for (const p of ['/erp/sc/data/sales_report/asinDailyLists', '/bd/profit/statistics/open/msku/list', '/pb/openapi/newad/spProductAdReports', '/erp/sc/routing/fba/fbaStock/fbaList']) fake!.duplicateFirstPage(p);
    await run();
    expect(await facts()).toEqual(f);
    expect(close(await kpis())).toEqual(close(EXPECTED));
    // The unmapped shop 1521 wrote nothing.
    expect(await d.query(sql`select count(*)::int as n from fact_sales_daily where sku_id = 'X-9'`)).toEqual([{ n: 0 }]);
  });

  it('runs through the framework: encrypted credentials, sync runs, and 授权失效 when the AppSecret is revoked', async () => {
    await setup();
    const SECRETS_KEY = 'test-secrets-key-0123456789abcdef-lingxing';
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, new Writable({ write: (c: Buffer, _e, done) => void (lines.push(c.toString('utf8')), done()) }));
    const sleeps: number[] = [];
    const deps = { database: d, publicUrl: 'http://127.0.0.1', secretsKey: SECRETS_KEY, logger, fetch, now: () => NOW, sleep: async (ms: number) => void sleeps.push(ms) };
    await saveConnector(d, SECRETS_KEY, 'w', {
      id: 'lx', kind: lingxing.kind, createdBy: 'test',
      settings: { appId: APP_ID, appSecret: APP_SECRET, shopMap: ['1519=us-main', '1520=de-main'], baseUrl: fake!.url, pageSize: 2 },
    });
    const [row] = await d.query<{ config: string; credentials_encrypted: string }>(sql`select config::text as config, credentials_encrypted from connectors where id = 'lx'`);
    expect(row!.config).not.toContain(APP_SECRET);
    expect(row!.credentials_encrypted).not.toContain(APP_SECRET);
    expect(row!.credentials_encrypted.startsWith('kb1.')).toBe(true);

    expect(await testConnector(deps, { workspaceId: 'w', connectorId: 'lx', requestedBy: 'test' })).toMatchObject({ ok: true, detail: expect.stringContaining('1519→us-main') });
    // The same ad bucket held by another client twice: two waits, then the run completes.
    fake!.holdBucket('/pb/openapi/newad/spProductAdReports', 2);
    const res = await runConnector(deps, { workspaceId: 'w', connectorId: 'lx', from: '2026-11-01', to: '2026-11-02', requestedBy: 'test' });
    expect(res).toMatchObject({ status: 'ok', state: 'active', window: { from: '2026-11-01', to: '2026-11-02' } });
    expect(res.runs.map((r) => [r.dataset, r.status, r.rowsWritten])).toEqual([['orders', 'ok', 5], ['costs', 'ok', 4], ['ads', 'ok', 5], ['inventory', 'ok', 3]]);
    expect(sleeps).toEqual([1000, 2000]);
    expect(close(await kpis())).toEqual(close(EXPECTED));

    fake!.rotateSecret();
    const revoked = await runConnector(deps, { workspaceId: 'w', connectorId: 'lx', from: '2026-11-01', to: '2026-11-02', requestedBy: 'test' });
    expect(revoked).toMatchObject({ status: 'failed', errorCode: 'auth_revoked', state: 'auth_revoked' });
    expect(await d.query(sql`select scope_key, severity, status from alerts`)).toEqual([{ scope_key: 'connector:lx:auth_revoked', severity: 'critical', status: 'open' }]);
    // Nothing was lost or doubled by the failed run.
    expect(close(await kpis())).toEqual(close(EXPECTED));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('')).not.toContain(APP_SECRET);
  });
});
