/**
 * The store-day sales and ads rollups stay equal to a fresh aggregation of the fact table through random
 * inserts, natural-key re-imports (upserts), updates and deletes, on both engines. Nullable
 * traffic stays null until some row reports it, and goes back to null when those rows leave.
 */
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, insertWorkspace } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

const op = fc.oneof(
  fc.record({
    kind: fc.constant('upsert' as const),
    store: fc.constantFrom('a', 'b'),
    day: fc.constantFrom('2026-11-01', '2026-11-02'),
    sku: fc.constantFrom('X', 'Y', 'Z'),
    gross: fc.integer({ min: 0, max: 10_000 }).map((c) => c / 100),
    units: fc.integer({ min: 0, max: 9 }),
    sessions: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
  }),
  fc.record({ kind: fc.constant('delete' as const), sku: fc.constantFrom('X', 'Y', 'Z') }),
  fc.record({ kind: fc.constant('bump' as const), store: fc.constantFrom('a', 'b') }),
);

const FRESH = sql`select store_id, date::text as date, sum(gross_sales)::text as gross, sum(units_ordered)::int as units,
    sum(sessions)::int as sessions, count(*)::int as n
  from fact_sales_daily group by store_id, date order by store_id, date`;
const ROLLED = sql`select store_id, date::text as date, sum(gross_sales)::text as gross, sum(units_ordered)::int as units,
    sum(sessions)::int as sessions, sum(row_count)::int as n
  from fact_sales_store_daily group by store_id, date order by store_id, date`;

describe.each(ENGINES)('sales rollup on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), (x) => insertWorkspace(x, { id: 'w' }));

  it('matches a fresh aggregation after any sequence of writes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 15 }), async (ops) => {
        await d.query(sql`delete from fact_sales_daily`);
        for (const o of ops) {
          if (o.kind === 'upsert') {
            await d.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, gross_sales, sessions, currency, source)
              values ('w', ${o.day}, ${o.store}, ${o.sku}, 'fba', ${o.units}, ${o.gross}, ${o.sessions}, 'USD', 'api')
              on conflict on constraint fact_sales_daily_natural_key do update
              set units_ordered = excluded.units_ordered, gross_sales = excluded.gross_sales, sessions = excluded.sessions`);
          } else if (o.kind === 'delete') {
            await d.query(sql`delete from fact_sales_daily where sku_id = ${o.sku}`);
          } else {
            await d.query(sql`update fact_sales_daily set gross_sales = gross_sales + 1, sessions = null where store_id = ${o.store}`);
          }
          expect(await d.query(ROLLED)).toEqual(await d.query(FRESH));
        }
      }),
      { numRuns: engine === 'pglite' ? 12 : 6 },
    );
  });

  it('keeps the ads rollup equal to a fresh aggregation through upserts and deletes', async () => {
    const adsOp = fc.record({
      del: fc.boolean(),
      store: fc.constantFrom('a', 'b'),
      group: fc.constantFrom('g1', 'g2', 'g3'),
      sku: fc.option(fc.constantFrom('X', 'Y'), { nil: null }),
      spend: fc.integer({ min: 0, max: 5_000 }).map((c) => c / 100),
      clicks: fc.integer({ min: 0, max: 99 }),
    });
    const fresh = sql`select store_id, date::text as date, sum(spend)::text as spend, sum(clicks)::int as clicks, count(*)::int as n
      from fact_ads_daily group by store_id, date order by store_id, date`;
    const rolled = sql`select store_id, date::text as date, sum(spend)::text as spend, sum(clicks)::int as clicks, sum(row_count)::int as n
      from fact_ads_store_daily group by store_id, date order by store_id, date`;
    await fc.assert(
      fc.asyncProperty(fc.array(adsOp, { minLength: 1, maxLength: 12 }), async (ops) => {
        await d.query(sql`delete from fact_ads_daily`);
        for (const o of ops) {
          if (o.del) await d.query(sql`delete from fact_ads_daily where ad_group_id = ${o.group}`);
          else {
            await d.query(sql`insert into fact_ads_daily (workspace_id, date, store_id, ad_platform, campaign_id, ad_group_id, sku_id, clicks, spend, currency, source)
              values ('w', '2026-11-01', ${o.store}, 'amazon_sp', 'c', ${o.group}, ${o.sku}, ${o.clicks}, ${o.spend}, 'USD', 'api')
              on conflict on constraint fact_ads_daily_natural_key do update set clicks = excluded.clicks, spend = excluded.spend`);
          }
          expect(await d.query(rolled)).toEqual(await d.query(fresh));
        }
      }),
      { numRuns: engine === 'pglite' ? 10 : 5 },
    );
  });

  it('is empty again once every fact row is gone', async () => {
    await d.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, gross_sales, currency, source)
      values ('w', '2026-11-01', 'a', 'X', 'fba', 5, 'USD', 'api')`);
    await d.query(sql`delete from fact_sales_daily`);
    expect(await d.query(sql`select * from fact_sales_store_daily`)).toEqual([]);
  });
});
