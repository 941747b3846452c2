/**
 * Amazon Selling Partner API connector, end to end on both engines: loopback SP-API fake →
 * connector → runner → facts → KPI values, all hand-computed from tests/fixtures/amazon.
 *
 * Window 2026-11-01..02 (America/Los_Angeles; DST ended 2026-11-01 02:00, so PST = UTC−8).
 * Sales and Traffic, one report per day (asinGranularity SKU):
 *   11-01  A-1: 3 units, 2 order items, $59.97, 40 sessions, 55 page views
 *          B-2: 1 unit, 1 item, $25.00, 10 sessions, 12 page views
 *   11-02  A-1: 2 units, 2 items, $39.98, 30 sessions, 41 page views
 *          C-3: 0 units, $0.00, 5 sessions, 6 page views
 * FBA customer returns (timestamps → local day):
 *   2026-11-01T18:00Z = 10:00 11-01 → A-1 +1;  2026-11-02T06:30Z = 22:30 11-01 (UTC says 11-02) → A-1 +1
 *   2026-11-02T20:00Z = 12:00 11-02 → B-2 +2;  2026-11-03T09:00Z = 01:00 11-03 → outside the window, dropped
 * FBA inventory (two pages, nextToken "page-2"), run at 2026-11-03 06:00 PST → snapshot 11-02:
 *   A-1 on hand 100 + 5 reserved + 2 unfulfillable + 1 researching = 108 (inbound 10 + 20 = 30); B-2 on hand 7.
 * KPIs: gmv 59.97 + 25 + 39.98 + 0 = 124.95; units 3 + 1 + 2 = 6; sessions 40 + 10 + 30 + 5 = 85;
 *   return_rate (1 + 1 + 2) / 6 = 0.666667; on_hand_units 108 + 7 = 115.
 */
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { clearLwaCache } from '../../src/ingest/connectors/amazon-lwa.ts';
import { runConnector, testConnector } from '../../src/ingest/connectors/runner.ts';
import { saveConnector } from '../../src/ingest/connectors/service.ts';
import { FakeClock } from '../fakes/amazon/common.ts';
import { FakeSpApi, fixture, SP_APP, US, type SpFakeOptions } from '../fakes/amazon/sp-api.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases } from '../helpers/db.ts';
import { kpis, runnerDeps, SECRETS_KEY, seedStore } from './amazon-helpers.ts';

afterAll(dropCreatedDatabases);

// 06:00 in Los Angeles on 2026-11-03: the daily run's window ends yesterday, 11-02.
const NOW = Date.parse('2026-11-03T14:00:00Z');
const WINDOW = { from: '2026-11-01', to: '2026-11-02' };

const SALES = sql`select date::text, sku_id, units_ordered, order_count, gross_sales::float8 as gross, sessions, page_views, units_returned, currency, source
  from fact_sales_daily order by date, sku_id`;
const INVENTORY = sql`select snapshot_date::text, sku_id, warehouse_id, on_hand_units, reserved_units, unfulfillable_units, inbound_units from fact_inventory_daily order by sku_id`;

const EXPECTED_SALES = [
  { date: '2026-11-01', sku_id: 'A-1', units_ordered: 3, order_count: 2, gross: 59.97, sessions: 40, page_views: 55, units_returned: 2, currency: 'USD', source: 'api' },
  { date: '2026-11-01', sku_id: 'B-2', units_ordered: 1, order_count: 1, gross: 25, sessions: 10, page_views: 12, units_returned: 0, currency: 'USD', source: 'api' },
  { date: '2026-11-02', sku_id: 'A-1', units_ordered: 2, order_count: 2, gross: 39.98, sessions: 30, page_views: 41, units_returned: 0, currency: 'USD', source: 'api' },
  // A return on a day without sales of that SKU: a row with the return only (traffic unknown → null).
  { date: '2026-11-02', sku_id: 'B-2', units_ordered: 0, order_count: 0, gross: 0, sessions: null, page_views: null, units_returned: 2, currency: 'USD', source: 'api' },
  { date: '2026-11-02', sku_id: 'C-3', units_ordered: 0, order_count: 0, gross: 0, sessions: 5, page_views: 6, units_returned: 0, currency: 'USD', source: 'api' },
];
const EXPECTED_INVENTORY = [
  { snapshot_date: '2026-11-02', sku_id: 'A-1', warehouse_id: 'FBA', on_hand_units: 108, reserved_units: 5, unfulfillable_units: 2, inbound_units: 30 },
  { snapshot_date: '2026-11-02', sku_id: 'B-2', warehouse_id: 'FBA', on_hand_units: 7, reserved_units: 0, unfulfillable_units: 0, inbound_units: 0 },
];

describe.each(ENGINES)('Amazon SP-API connector on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), seedStore);
  let clock: FakeClock;
  let fake: FakeSpApi;

  const start = async (o: SpFakeOptions = {}, config: Record<string, unknown> = {}) => {
    clock = new FakeClock(NOW);
    fake = await new FakeSpApi(clock, o).start();
    await saveConnector(d, SECRETS_KEY, 'w', {
      id: 'amz-us', kind: 'amazon_sp', storeId: 'us-amz', createdBy: 'test',
      settings: { marketplaceId: US, clientId: SP_APP.clientId, clientSecret: SP_APP.clientSecret, refreshToken: SP_APP.refreshToken, endpoint: fake.url, lwaEndpoint: `${fake.url}/auth/o2/token`, ...config },
    });
    return runnerDeps(d, clock);
  };
  beforeEach(() => clearLwaCache());
  afterEach(async () => fake?.close());

  it('pulls sales, returns and inventory into facts and KPI values; a re-run changes nothing', async () => {
    const { deps, lines } = await start();
    const first = await runConnector(deps, { workspaceId: 'w', connectorId: 'amz-us', ...WINDOW, requestedBy: 'test' });
    expect(first).toMatchObject({ status: 'ok', state: 'active', window: WINDOW });
    expect(first.runs.map((r) => [r.dataset, r.status, r.rowsWritten])).toEqual([['orders', 'ok', 4], ['orders', 'ok', 2], ['inventory', 'ok', 2]]);
    expect(await d.query(SALES)).toEqual(EXPECTED_SALES);
    expect(await d.query(INVENTORY)).toEqual(EXPECTED_INVENTORY);
    expect(await kpis(d, ['gmv', 'units', 'sessions', 'return_rate', 'on_hand_units'], 'custom:2026-11-01..2026-11-02', clock.now())).toMatchObject({
      store: 'us-amz', gmv: 124.95, units: 6, sessions: 85, return_rate: 0.666667, on_hand_units: 115,
    });

    // Documented flow: 2 daily Sales and Traffic reports + 1 returns report, each polled three
    // times (IN_QUEUE, IN_PROGRESS, DONE), one document each; two inventory pages; one LWA exchange.
    expect(fake.reportRequests).toEqual([
      { reportType: 'GET_SALES_AND_TRAFFIC_REPORT', marketplaceIds: [US], dataStartTime: '2026-11-01', dataEndTime: '2026-11-01', reportOptions: { dateGranularity: 'DAY', asinGranularity: 'SKU' } },
      { reportType: 'GET_SALES_AND_TRAFFIC_REPORT', marketplaceIds: [US], dataStartTime: '2026-11-02', dataEndTime: '2026-11-02', reportOptions: { dateGranularity: 'DAY', asinGranularity: 'SKU' } },
      // Local midnight 11-01 PDT (UTC−7) to 23:59:59 11-02 PST (UTC−8).
      { reportType: 'GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA', marketplaceIds: [US], dataStartTime: '2026-11-01T07:00:00.000Z', dataEndTime: '2026-11-03T07:59:59.000Z' },
    ]);
    expect(fake.count('GET', /^\/reports\/2021-06-30\/reports\/\d+$/)).toBe(9);
    expect(fake.count('GET', /^\/reports\/2021-06-30\/documents\//)).toBe(3);
    expect(fake.count('GET', /^\/fba\/inventory\/v1\/summaries$/)).toBe(2);
    expect(fake.lwa.requests).toBe(1);
    expect(fake.downloadsWithToken).toEqual([]);

    const again = await runConnector(deps, { workspaceId: 'w', connectorId: 'amz-us', ...WINDOW, requestedBy: 'test' });
    expect(again.status).toBe('ok');
    expect(await d.query(SALES)).toEqual(EXPECTED_SALES);
    expect(await d.query(INVENTORY)).toEqual(EXPECTED_INVENTORY);
    expect(await kpis(d, ['gmv', 'return_rate'], 'custom:2026-11-01..2026-11-02', clock.now())).toMatchObject({ gmv: 124.95, return_rate: 0.666667 });

    // Secrets: encrypted at rest, in no log line, and no access token either.
    const [row] = await d.query<{ config: string; credentials_encrypted: string }>(sql`select config::text, credentials_encrypted from connectors where id = 'amz-us'`);
    const text = `${lines.join('\n')}\n${row!.config}\n${row!.credentials_encrypted}`;
    expect(lines.some((l) => l.includes('amazon sales and traffic pulled'))).toBe(true);
    for (const secret of [SP_APP.clientSecret, SP_APP.refreshToken, ...fake.lwa.issued]) expect(text).not.toContain(secret);
  });

  it('answers connectors test through getMarketplaceParticipations', async () => {
    const { deps } = await start();
    expect(await testConnector(deps, { workspaceId: 'w', connectorId: 'amz-us', requestedBy: 'test' })).toEqual({ connectorId: 'amz-us', ok: true, detail: 'authorised for US' });
  });

  it('honours the createReport usage plan: one 429, then a wait of 1 / rate before the next call', async () => {
    // Burst 2, 0.0167 requests/s: the third createReport (returns, ~12 s in) finds 0.2 tokens.
    const { deps } = await start({ createReport: { rate: 0.0167, burst: 2 } });
    const res = await runConnector(deps, { workspaceId: 'w', connectorId: 'amz-us', ...WINDOW, requestedBy: 'test' });
    expect(res.status).toBe('ok');
    const log = fake.createBucket.log;
    expect(log.map((c) => c.ok)).toEqual([true, true, false, true]);
    // x-amzn-RateLimit-Limit 0.0167 → ceil(1 / 0.0167) = 60 s; the 429 itself carries no rate header.
    expect(log[3]!.at - log[2]!.at).toBe(60_000);
    expect(await d.query(SALES)).toEqual(EXPECTED_SALES);
  });

  it('stops after five throttled retries with rate_limited, which the runner backs off and retries', async () => {
    // A bucket that never refills: every createReport is a 429 without a rate header, so the
    // connector backs off 1, 2, 4, 8, 16 s and gives up after the sixth call (retryAfter 32 s).
    const { deps } = await start({ createReport: { rate: 0, burst: 0 } });
    const res = await runConnector(deps, { workspaceId: 'w', connectorId: 'amz-us', ...WINDOW, requestedBy: 'test' });
    expect(res).toMatchObject({ status: 'failed', errorCode: 'rate_limited', waits: [32, 32, 32] });
    const at = fake.createBucket.log.map((c) => c.at - NOW);
    // 4 pulls (1 + 3 runner retries) × 6 calls; within a pull the gaps are 1, 2, 4, 8, 16 s.
    expect(at).toHaveLength(24);
    expect(at.slice(0, 6)).toEqual([0, 1000, 3000, 7000, 15000, 31000]);
    expect(await d.query(SALES)).toEqual([]);
  });

  it('refreshes an access token Amazon calls expired, once, and carries on', async () => {
    const { deps } = await start({ expireTokensAfter: 3 });
    const res = await runConnector(deps, { workspaceId: 'w', connectorId: 'amz-us', ...WINDOW, requestedBy: 'test' });
    expect(res.status).toBe('ok');
    expect(fake.lwa.requests).toBe(2);
    expect(fake.calls.filter((c) => c.status === 403)).toHaveLength(1);
    expect(await d.query(SALES)).toEqual(EXPECTED_SALES);
  });

  it('classifies a revoked refresh token as auth_revoked and parks the connector', async () => {
    const { deps, lines } = await start();
    fake.lwa.revoked = true;
    const res = await runConnector(deps, { workspaceId: 'w', connectorId: 'amz-us', ...WINDOW, requestedBy: 'test' });
    expect(res).toMatchObject({ status: 'failed', errorCode: 'auth_revoked', state: 'auth_revoked' });
    expect(res.message).toContain('invalid_grant');
    expect(fake.count('POST', /reports$/)).toBe(0);
    // The admin alert (授权失效): one open alert for this connector.
    expect(await d.query(sql`select scope_key, severity, status from alerts`)).toEqual([{ scope_key: 'connector:amz-us:auth_revoked', severity: 'critical', status: 'open' }]);
    expect(await d.query(SALES)).toEqual([]);
    for (const secret of [SP_APP.clientSecret, SP_APP.refreshToken]) {
      expect(res.message).not.toContain(secret);
      expect(lines.join('\n')).not.toContain(secret);
    }
  });

  it('gives up on a report that never completes, classified provider_unavailable, writing nothing', async () => {
    const { deps } = await start({ pollsUntilDone: Number.POSITIVE_INFINITY }, { maxPolls: 4 });
    const res = await runConnector(deps, { workspaceId: 'w', connectorId: 'amz-us', ...WINDOW, requestedBy: 'test' });
    expect(res).toMatchObject({ status: 'failed', errorCode: 'provider_unavailable', state: 'failing' });
    expect(res.message).toContain('did not complete after 4 polls');
    expect(fake.count('GET', /^\/reports\/2021-06-30\/reports\/\d+$/)).toBe(4);
    expect(await d.query(SALES)).toEqual([]);
  });

  it('counts a repeated inventory page once and refuses a nextToken loop', async () => {
    const page1 = JSON.parse(fixture('inventory-page-1.json')) as { pagination: { nextToken?: string } };
    // Page 2 served again as the last page: A-1 arrives twice, on hand stays 108 + 7 = 115.
    const repeated = JSON.stringify({ ...page1, pagination: {} });
    const { deps } = await start({ inventoryPages: [fixture('inventory-page-1.json'), fixture('inventory-page-2.json').replace('"pagination": {}', '"pagination": { "nextToken": "page-3" }'), repeated] }, { reports: ['inventory'] });
    expect((await runConnector(deps, { workspaceId: 'w', connectorId: 'amz-us', ...WINDOW, requestedBy: 'test' })).status).toBe('ok');
    expect(await d.query(INVENTORY)).toEqual(EXPECTED_INVENTORY);
    expect(await kpis(d, ['on_hand_units'], 'custom:2026-11-01..2026-11-02', clock.now())).toMatchObject({ on_hand_units: 115 });

    await fake.close();
    // A provider that hands back the token it was given would page forever.
    const looping = fixture('inventory-page-2.json').replace('"pagination": {}', '"pagination": { "nextToken": "page-2" }');
    const { deps: again } = await start({ inventoryPages: [fixture('inventory-page-1.json'), looping] }, { reports: ['inventory'] });
    const res = await runConnector(again, { workspaceId: 'w', connectorId: 'amz-us', ...WINDOW, requestedBy: 'test' });
    expect(res).toMatchObject({ status: 'failed', errorCode: 'malformed_response' });
  });

  it('rejects a malformed Sales and Traffic document as malformed_response without a partial import', async () => {
    const { deps } = await start({ salesDocs: { '2026-11-02': '{"salesAndTrafficByAsin": "not a list"}' } });
    const res = await runConnector(deps, { workspaceId: 'w', connectorId: 'amz-us', ...WINDOW, requestedBy: 'test' });
    expect(res).toMatchObject({ status: 'failed', errorCode: 'malformed_response' });
    // Day 11-01 parsed fine, but the sales batch is all or nothing.
    expect(await d.query(SALES)).toEqual([]);
  });
});
