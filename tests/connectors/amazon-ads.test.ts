/**
 * Amazon Ads API connector (reporting v3), end to end on both engines: loopback Ads fake →
 * connector → runner → fact_ads_daily → KPI values, hand-computed from tests/fixtures/amazon.
 *
 * spAdvertisedProduct (7-day attribution), campaign 158410630682987, ad group 72320882861500:
 *   11-01 A-1: 1000 impr, 20 clicks, $12.50, sales7d $59.97, 2 purchases, 3 units
 *   11-01 B-2:  400 impr,  5 clicks,  $3.25, $0
 *   11-02 A-1 (two ads of the same SKU, summed): 800 + 200 impr, 10 + 2 clicks, $6.25 + $1.00 = $7.25, $19.99, 1, 1
 *   10-31 A-1: outside the window, dropped
 * sbCampaigns (14-day attribution), campaign 311000000000001, no ad group / SKU:
 *   11-01: 500 impr, 8 clicks, $4.00, $25.00, 1, 1;  11-02: 300 impr, 4 clicks, $2.00, $0
 * KPIs: ad_spend 12.50 + 3.25 + 7.25 + 4 + 2 = 29; ad_sales 59.97 + 19.99 + 25 = 104.96;
 *   acos 29 / 104.96 = 0.276296; impressions 3200; clicks 49.
 */
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { freshness } from '../../src/ingest/freshness.ts';
import { clearLwaCache } from '../../src/ingest/connectors/amazon-lwa.ts';
import { runConnector, testConnector } from '../../src/ingest/connectors/runner.ts';
import { saveConnector } from '../../src/ingest/connectors/service.ts';
import { ADS_APP, FakeAdsApi, PROFILE_ID, type AdsFakeOptions } from '../fakes/amazon/ads-api.ts';
import { FakeClock } from '../fakes/amazon/common.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases } from '../helpers/db.ts';
import { kpis, runnerDeps, SECRETS_KEY, seedStore } from './amazon-helpers.ts';

afterAll(dropCreatedDatabases);

const NOW = Date.parse('2026-11-03T14:00:00Z');
const WINDOW = { from: '2026-11-01', to: '2026-11-02' };

const ADS = sql`select date::text, ad_platform, campaign_id, ad_group_id, sku_id, impressions, clicks, spend::float8 as spend, attributed_sales::float8 as sales,
  attributed_orders, attributed_units, attribution_window_days, currency, account_timezone, source
  from fact_ads_daily order by date, ad_platform, sku_id nulls last`;

const sp = { ad_platform: 'amazon_sp', campaign_id: '158410630682987', ad_group_id: '72320882861500', attribution_window_days: 7, currency: 'USD', account_timezone: 'America/Los_Angeles', source: 'api' };
const sb = { ad_platform: 'amazon_sb', campaign_id: '311000000000001', ad_group_id: null, sku_id: null, attribution_window_days: 14, currency: 'USD', account_timezone: 'America/Los_Angeles', source: 'api' };
const EXPECTED = [
  { date: '2026-11-01', ...sb, impressions: 500, clicks: 8, spend: 4, sales: 25, attributed_orders: 1, attributed_units: 1 },
  { date: '2026-11-01', ...sp, sku_id: 'A-1', impressions: 1000, clicks: 20, spend: 12.5, sales: 59.97, attributed_orders: 2, attributed_units: 3 },
  { date: '2026-11-01', ...sp, sku_id: 'B-2', impressions: 400, clicks: 5, spend: 3.25, sales: 0, attributed_orders: 0, attributed_units: 0 },
  { date: '2026-11-02', ...sb, impressions: 300, clicks: 4, spend: 2, sales: 0, attributed_orders: 0, attributed_units: 0 },
  { date: '2026-11-02', ...sp, sku_id: 'A-1', impressions: 1000, clicks: 12, spend: 7.25, sales: 19.99, attributed_orders: 1, attributed_units: 1 },
].map(({ date, ad_platform, campaign_id, ad_group_id, sku_id, impressions, clicks, spend, sales, attributed_orders, attributed_units, attribution_window_days, currency, account_timezone, source }) => ({
  date, ad_platform, campaign_id, ad_group_id, sku_id, impressions, clicks, spend, sales, attributed_orders, attributed_units, attribution_window_days, currency, account_timezone, source,
}));

describe.each(ENGINES)('Amazon Ads API connector on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), seedStore);
  let clock: FakeClock;
  let fake: FakeAdsApi;

  const start = async (o: AdsFakeOptions = {}, config: Record<string, unknown> = {}) => {
    clock = new FakeClock(NOW);
    fake = await new FakeAdsApi(clock, o).start();
    await saveConnector(d, SECRETS_KEY, 'w', {
      id: 'ads-us', kind: 'amazon_ads', storeId: 'us-amz', createdBy: 'test',
      settings: { profileId: PROFILE_ID, clientId: ADS_APP.clientId, clientSecret: ADS_APP.clientSecret, refreshToken: ADS_APP.refreshToken, endpoint: fake.url, lwaEndpoint: `${fake.url}/auth/o2/token`, ...config },
    });
    return runnerDeps(d, clock);
  };
  beforeEach(() => clearLwaCache());
  afterEach(async () => fake?.close());

  it('pulls Sponsored Products and Brands into fact_ads_daily and KPI values; a re-run changes nothing', async () => {
    const { deps, lines } = await start();
    const first = await runConnector(deps, { workspaceId: 'w', connectorId: 'ads-us', ...WINDOW, requestedBy: 'test' });
    expect(first).toMatchObject({ status: 'ok', state: 'active' });
    expect(first.runs.map((r) => [r.dataset, r.status, r.rowsWritten])).toEqual([['ads', 'ok', 5]]);
    expect(await d.query(ADS)).toEqual(EXPECTED);
    // The run counts as fresh ads data for the store through 11-02.
    expect((await freshness(d, 'w', { now: clock.now() })).find((e) => e.dataset === 'ads')).toMatchObject({ storeId: 'us-amz', source: 'api', completeThrough: '2026-11-02' });
    expect(await kpis(d, ['ad_spend', 'ad_sales', 'acos', 'impressions', 'clicks'], 'custom:2026-11-01..2026-11-02', clock.now())).toMatchObject({
      store: 'us-amz', ad_spend: 29, ad_sales: 104.96, acos: 0.276296, impressions: 3200, clicks: 49,
    });
    expect(fake.reportRequests.map((r) => [r.startDate, r.endDate, r.configuration.reportTypeId, r.configuration.timeUnit, r.configuration.groupBy])).toEqual([
      ['2026-11-01', '2026-11-02', 'spAdvertisedProduct', 'DAILY', ['advertiser']],
      ['2026-11-01', '2026-11-02', 'sbCampaigns', 'DAILY', ['campaign']],
    ]);
    // Three polls each (PENDING, PROCESSING, COMPLETED), one token exchange for the whole run.
    expect(fake.count('GET', /^\/reporting\/reports\/[\w-]+$/)).toBe(6);
    expect(fake.lwa.requests).toBe(1);
    expect(fake.downloadsWithToken).toEqual([]);

    const again = await runConnector(deps, { workspaceId: 'w', connectorId: 'ads-us', ...WINDOW, requestedBy: 'test' });
    expect(again.status).toBe('ok');
    expect(await d.query(ADS)).toEqual(EXPECTED);
    expect(await kpis(d, ['ad_spend', 'acos'], 'custom:2026-11-01..2026-11-02', clock.now())).toMatchObject({ ad_spend: 29, acos: 0.276296 });

    const [row] = await d.query<{ config: string; credentials_encrypted: string }>(sql`select config::text, credentials_encrypted from connectors where id = 'ads-us'`);
    const text = `${lines.join('\n')}\n${row!.config}\n${row!.credentials_encrypted}`;
    expect(lines.some((l) => l.includes('amazon ads pulled'))).toBe(true);
    for (const secret of [ADS_APP.clientSecret, ADS_APP.refreshToken, ...fake.lwa.issued]) expect(text).not.toContain(secret);
  });

  it('answers connectors test through GET /v2/profiles', async () => {
    const { deps } = await start();
    expect(await testConnector(deps, { workspaceId: 'w', connectorId: 'ads-us', requestedBy: 'test' })).toEqual({ connectorId: 'ads-us', ok: true, detail: `profile ${PROFILE_ID} (US, USD)` });
  });

  it('honours Retry-After on a throttled createReport', async () => {
    // Burst 1, 0.1/s: the Brands request ~6 s after the Products one finds 0.6 tokens → 429, Retry-After 10.
    const { deps } = await start({ createReport: { rate: 0.1, burst: 1, retryAfter: 10 } });
    const res = await runConnector(deps, { workspaceId: 'w', connectorId: 'ads-us', ...WINDOW, requestedBy: 'test' });
    expect(res.status).toBe('ok');
    const log = fake.createBucket.log;
    expect(log.map((c) => c.ok)).toEqual([true, false, true]);
    expect(log[2]!.at - log[1]!.at).toBe(10_000);
    expect(await d.query(ADS)).toEqual(EXPECTED);
  });

  it('splits windows longer than the 31-day report limit', async () => {
    const { deps } = await start({}, { adProducts: ['sb'] });
    const res = await runConnector(deps, { workspaceId: 'w', connectorId: 'ads-us', from: '2026-09-01', to: '2026-11-02', requestedBy: 'test' });
    expect(res.status).toBe('ok');
    // 63 days: 09-01..10-01, 10-02..11-01, 11-02..11-02.
    expect(fake.reportRequests.map((r) => [r.startDate, r.endDate])).toEqual([['2026-09-01', '2026-10-01'], ['2026-10-02', '2026-11-01'], ['2026-11-02', '2026-11-02']]);
  });

  it('classifies a revoked refresh token as auth_revoked', async () => {
    const { deps, lines } = await start();
    fake.lwa.revoked = true;
    const res = await runConnector(deps, { workspaceId: 'w', connectorId: 'ads-us', ...WINDOW, requestedBy: 'test' });
    expect(res).toMatchObject({ status: 'failed', errorCode: 'auth_revoked', state: 'auth_revoked' });
    expect(await d.query(ADS)).toEqual([]);
    for (const secret of [ADS_APP.clientSecret, ADS_APP.refreshToken]) expect(`${res.message}\n${lines.join('\n')}`).not.toContain(secret);
  });

  it('gives up on a report that never completes, as provider_unavailable', async () => {
    const { deps } = await start({ pollsUntilDone: Number.POSITIVE_INFINITY }, { maxPolls: 5 });
    const res = await runConnector(deps, { workspaceId: 'w', connectorId: 'ads-us', ...WINDOW, requestedBy: 'test' });
    expect(res).toMatchObject({ status: 'failed', errorCode: 'provider_unavailable' });
    expect(fake.count('GET', /^\/reporting\/reports\/[\w-]+$/)).toBe(5);
    expect(await d.query(ADS)).toEqual([]);
  });

  it('rejects a malformed report as malformed_response, writing nothing', async () => {
    const { deps } = await start({ rows: { sbCampaigns: '[{"date": "2026-11-01", "campaignId": 1, "cost": "free"}]' } });
    const res = await runConnector(deps, { workspaceId: 'w', connectorId: 'ads-us', ...WINDOW, requestedBy: 'test' });
    expect(res).toMatchObject({ status: 'failed', errorCode: 'malformed_response' });
    expect(await d.query(ADS)).toEqual([]);
  });
});
