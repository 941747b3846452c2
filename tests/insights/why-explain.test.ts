/**
 * "Why did it move" on a hand-computed fixture through the real engine, on both engines: the GMV
 * change of one day vs the day before split into traffic × conversion × order value (LMDI: the
 * drivers add up to the change), stores and SKUs ranked by their contribution with their share,
 * ad spend split into ad sales × ACoS, the same through `GET /api/v1/why`, and refusals for
 * metrics it cannot explain.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import { explainChange } from '../../src/insights/why/explain.ts';
import { KpiError } from '../../src/kpi/query.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { ENGINES, dropCreatedDatabases, openTestDatabase } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

const admin: Principal = { kind: 'system', workspaceId: 'w', role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: true };
const NOW = new Date('2026-11-12T12:00:00Z');
const DAY = 'custom:2026-11-10..2026-11-10';

/**
 * 11-09 (before): A/a1 gross 1,000, 400 sessions, 20 orders; A/a2 500, 100, 10; B/b1 1,000, 500, 20.
 *   Distinct orders A 30, B 20. Totals: GMV 2,500, sessions 1,000, orders 50 (cvr 5 %, AOV 50).
 * 11-10 (after): A/a1 1,200, 300, 24; A/a2 240, 100, 4; B/b1 1,200, 400, 20. Distinct A 28, B 20.
 *   Totals: GMV 2,640, sessions 800, orders 48 (cvr 6 %, AOV 55). Change +140.
 * Ads on A: spend 100 → 150, ad sales 400 → 500 (ACoS 25 % → 30 %).
 */
async function seed(d: Database): Promise<void> {
  await d.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('w', 'W', 'UTC', 'USD', 'en')`);
  await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values
    ('w', 'A', 'A', 'shopify', 'US', 'USD', 'UTC'), ('w', 'B', 'B', 'shopify', 'US', 'USD', 'UTC')`);
  await d.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, order_count, gross_sales, sessions, currency, source) values
    ('w', '2026-11-09', 'A', 'a1', 'platform', 20, 20, 1000, 400, 'USD', 'api'),
    ('w', '2026-11-09', 'A', 'a2', 'platform', 10, 10, 500, 100, 'USD', 'api'),
    ('w', '2026-11-09', 'B', 'b1', 'platform', 20, 20, 1000, 500, 'USD', 'api'),
    ('w', '2026-11-10', 'A', 'a1', 'platform', 24, 24, 1200, 300, 'USD', 'api'),
    ('w', '2026-11-10', 'A', 'a2', 'platform', 4, 4, 240, 100, 'USD', 'api'),
    ('w', '2026-11-10', 'B', 'b1', 'platform', 20, 20, 1200, 400, 'USD', 'api')`);
  await d.query(sql`insert into fact_service_daily (workspace_id, date, store_id, orders_distinct, source) values
    ('w', '2026-11-09', 'A', 30, 'api'), ('w', '2026-11-09', 'B', 20, 'api'), ('w', '2026-11-10', 'A', 28, 'api'), ('w', '2026-11-10', 'B', 20, 'api')`);
  await d.query(sql`insert into fact_ads_daily (workspace_id, date, store_id, ad_platform, campaign_id, ad_group_id, sku_id,
      impressions, clicks, spend, attributed_sales, attributed_orders, attributed_units, currency, source) values
    ('w', '2026-11-09', 'A', 'google', 'c', 'g', 'a1', 1000, 50, 100, 400, 8, 8, 'USD', 'api'),
    ('w', '2026-11-10', 'A', 'google', 'c', 'g', 'a1', 1000, 50, 150, 500, 10, 10, 'USD', 'api')`);
}

describe.each(ENGINES)('why did it move on %s', (engine) => {
  let d: Database;
  beforeAll(async () => {
    d = await openTestDatabase(engine);
    await seed(d);
  });
  afterAll(async () => d?.close());

  it('splits the GMV change into traffic, conversion and order value that add up to it', async () => {
    const a = await explainChange(d, { workspaceId: 'w', metric: 'gmv', period: DAY, principal: admin, now: NOW });
    expect(a).toMatchObject({ before: 2500, after: 2640, change: 140, method: 'lmdi', period: { from: '2026-11-10', to: '2026-11-10' }, compare: { id: 'prev', from: '2026-11-09', to: '2026-11-09' } });
    // L(2640, 2500) = 2,569.364: traffic L·ln(800/1000) = −573.337, conversion L·ln(0.06/0.05) = +468.451,
    // order value L·ln(55/50) = +244.887. Shares of +140: −4.095, +3.346, +1.749.
    expect(a.drivers.map((x) => [x.id, x.before, x.after])).toEqual([['traffic', 1000, 800], ['conversion', 0.05, expect.closeTo(0.06, 12)], ['price', 50, 55]]);
    expect(a.drivers.map((x) => x.effect)).toEqual([expect.closeTo(-573.337, 3), expect.closeTo(468.451, 3), expect.closeTo(244.887, 3)]);
    expect(a.drivers.reduce((s, x) => s + x.effect, 0)).toBeCloseTo(140, 9);
    expect(a.drivers.reduce((s, x) => s + x.share!, 0)).toBeCloseTo(1, 9);
  });

  it('names the stores and SKUs that moved it, with their share of the change', async () => {
    const a = await explainChange(d, { workspaceId: 'w', metric: 'gmv', period: DAY, principal: admin, now: NOW });
    // Stores: B 1,000 → 1,200 (+200, 200/140 = 142.9 %), A 1,500 → 1,440 (−60, −42.9 %).
    expect(a.stores.count).toBe(2);
    expect(a.stores.top.map((c) => [c.key, c.change])).toEqual([['B', 200], ['A', -60]]);
    expect(a.stores.top[0]!.share).toBeCloseTo(200 / 140, 12);
    // SKUs: a2 500 → 240 (−260), then a1 and b1 (+200 each, by key).
    expect(a.skus.top.map((c) => [c.key, c.change])).toEqual([['a2', -260], ['a1', 200], ['b1', 200]]);
    expect(a.skus.top.reduce((s, c) => s + c.change, 0)).toBe(140);
  });

  it('splits ad spend into ad sales × ACoS, and ACoS into spend ÷ ad sales', async () => {
    const spend = await explainChange(d, { workspaceId: 'w', metric: 'ad_spend', period: DAY, principal: admin, now: NOW });
    // L(150, 100) = 123.315: ad sales L·ln 1.25 = +27.517, ACoS L·ln 1.2 = +22.483; sum +50.
    expect(spend).toMatchObject({ before: 100, after: 150, change: 50 });
    expect(spend.drivers.map((x) => [x.id, x.effect])).toEqual([['ad_sales', expect.closeTo(27.517, 3)], ['acos', expect.closeTo(22.483, 3)]]);
    expect(spend.stores.top.map((c) => [c.key, c.change])).toEqual([['A', 50]]);
    // Ad sales of the last 3 complete days are provisional: 11-10 settles once 11-13 is in.
    const acos = await explainChange(d, { workspaceId: 'w', metric: 'acos', period: DAY, principal: admin, now: NOW });
    expect(acos.provisional).toEqual({ from: '2026-11-10', to: '2026-11-10', until: '2026-11-13' });
    expect(acos.drivers.map((x) => [x.id, x.effect])).toEqual([['ad_spend', expect.closeTo(0.111195, 6)], ['ad_sales', expect.closeTo(-0.061195, 6)]]);
    expect(acos.stores.top).toEqual([]); // a ratio: no member contributions
  });

  it('answers GET /api/v1/why with the same decomposition, and a 400 with the reason for bad input', async () => {
    const { app } = await buildTestApp(d);
    const res = await app.inject({ method: 'GET', url: `/api/v1/why?metric=gmv&period=${DAY}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ metric: 'gmv', before: 2500, after: 2640, change: 140, method: 'lmdi' });
    expect(body.drivers.map((x: { id: string }) => x.id)).toEqual(['traffic', 'conversion', 'price']);
    expect(body.stores.top.map((c: { key: string }) => c.key)).toEqual(['B', 'A']);
    const ratio = await app.inject({ method: 'GET', url: `/api/v1/why?metric=cvr&period=${DAY}` });
    expect(ratio.statusCode).toBe(400);
    expect(ratio.json()).toMatchObject({ error: 'invalid_argument', field: 'metric' });
    expect(ratio.json().message).toContain('cvr is not additive and has no driver identity');
    expect((await app.inject({ method: 'GET', url: '/api/v1/why?metric=gmv&period=last_week_ish' })).statusCode).toBe(400);
  });

  it('refuses metrics it cannot split, and says when one period has no data', async () => {
    await expect(explainChange(d, { workspaceId: 'w', metric: 'cvr', period: DAY, principal: admin, now: NOW })).rejects.toBeInstanceOf(KpiError);
    await expect(explainChange(d, { workspaceId: 'w', metric: 'gvm', period: DAY, principal: admin, now: NOW })).rejects.toThrow('unknown metric "gvm"');
    const empty = await explainChange(d, { workspaceId: 'w', metric: 'gmv', period: 'custom:2026-11-01..2026-11-01', principal: admin, now: NOW });
    expect(empty).toMatchObject({ change: null, missing: 'no_data', drivers: [] });
  });
});
