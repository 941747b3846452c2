/**
 * `GET /api/v1/kpi` on the demo workspace with the whole catalogue: every metric has a value or
 * one of the reasons the demo legitimately gives (its stores report health on three platform
 * scales; scores belong to the Scores feature), grouped by store and by owner, and a few values
 * are cross-checked against the same figure computed here in SQL from the demo's rows.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { seedDemo } from '../../src/demo/index.ts';
import { METRICS } from '../../src/kpi/catalogue/index.ts';
import { addDays } from '../../src/kpi/dates.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { ENGINES, dropCreatedDatabases, openTestDatabase } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

/** Fixed demo dates in the past, asked as a calendar period so every store answers the same days. */
const ANCHOR = '2026-10-31';
const PERIOD = 'custom:2026-10-01..2026-10-20';
const EXPECTED_MISSING = { account_health: 'mixed_scales', kpi_score: 'no_data' };

describe.each(ENGINES)('KPI API on the demo workspace (%s)', (engine) => {
  let d: Database;
  beforeAll(async () => {
    d = await openTestDatabase(engine);
    await seedDemo(d, { anchor: ANCHOR });
  }, 120_000);
  afterAll(async () => d?.close());

  it('answers every catalogue metric with a value or a stated reason', async () => {
    const { app } = await buildTestApp(d);
    const ids = METRICS.map((m) => m.id);
    const res = await app.inject({ method: 'GET', url: `/api/v1/kpi?workspace=demo&metrics=${ids.join(',')}&period=${PERIOD}&groupBy=store` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.missing).toEqual(EXPECTED_MISSING);
    for (const id of ids) if (!(id in EXPECTED_MISSING)) expect(body.total[id], id).not.toBeNull();
    expect(body.rows).toHaveLength(10);
    expect(body.immature).toBeUndefined(); // the cohort settled on 11-19, before today
  });

  it('agrees with the demo rows: videos published, listing updates, reorder quantity', async () => {
    const { app } = await buildTestApp(d);
    const res = await app.inject({ method: 'GET', url: `/api/v1/kpi?workspace=demo&metrics=videos_published,listing_updates,reorder_qty&period=${PERIOD}` });
    const total = res.json().total;
    // The demo's content store is tiktok-us (Los Angeles); its people work in Shanghai.
    const [v] = await d.query<{ n: number }>(sql`select count(*) as n from content_items
      where workspace_id = 'demo' and type = 'video' and (published_at at time zone 'America/Los_Angeles')::date between '2026-10-01' and '2026-10-20'`);
    expect(total.videos_published).toBe(Number(v!.n));
    const [u] = await d.query<{ n: number }>(sql`select count(distinct user_id || sku_id || to_char(occurred_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24')) as n
      from fact_team_events where workspace_id = 'demo' and event_type = 'listing_updated'
        and (occurred_at at time zone 'Asia/Shanghai')::date between '2026-10-01' and '2026-10-20'`);
    expect(total.listing_updates).toBe(Number(u!.n));
    const [r] = await d.query<{ q: number }>(sql`
      with stock as (select store_id, sku_id, warehouse_id, sum(on_hand_units - reserved_units) as a, sum(inbound_units) as i
        from fact_inventory_daily where workspace_id = 'demo' and snapshot_date = '2026-10-20' group by 1, 2, 3),
      sold as (select store_id, sku_id, sum(units_ordered) as u from fact_sales_daily
        where workspace_id = 'demo' and date between ${addDays('2026-10-20', -29)} and '2026-10-20' group by 1, 2)
      select sum(greatest(0, ceil((coalesce(sold.u, 0) * (k.lead_time_days + k.target_cover_days) - 30 * (stock.a + stock.i)) / 30.0))) as q
      from stock left join sold using (store_id, sku_id) join skus k on k.workspace_id = 'demo' and k.id = stock.sku_id
      where k.lead_time_days is not null and k.target_cover_days is not null`);
    expect(total.reorder_qty).toBe(Number(r!.q));
  });

  it('splits the demo by owner and by category', async () => {
    const { app } = await buildTestApp(d);
    const owner = (await app.inject({ method: 'GET', url: `/api/v1/kpi?workspace=demo&metrics=gmv,listing_updates&period=${PERIOD}&groupBy=owner` })).json();
    const gmvRows = owner.rows.filter((x: { gmv: number | null }) => x.gmv !== null);
    expect(gmvRows.length).toBeGreaterThan(3);
    // Every demo store has exactly one owner, so the owners' GMV adds up to the company's.
    const sum = gmvRows.reduce((t: number, x: { gmv: number }) => t + x.gmv, 0);
    expect(Math.abs(sum - owner.total.gmv)).toBeLessThan(0.01 * gmvRows.length);
    const cat = (await app.inject({ method: 'GET', url: `/api/v1/kpi?workspace=demo&metrics=gmv,oos_rate&period=${PERIOD}&groupBy=category` })).json();
    expect(cat.rows.length).toBeGreaterThan(3);
  });
});
