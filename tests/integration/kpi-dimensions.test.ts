/**
 * The drill-down dimensions below the store: category (a filter covers its subtree), parent SKU,
 * ad group, warehouse and owner, effective-dated (a hand-over splits the period by day; the most
 * specific ownership wins; co-owners get their share). Hand-computed values on both engines, and
 * a fast-check property that additive metrics grouped by these dimensions add up to the total.
 */
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import { queryKpi, type KpiQuery } from '../../src/kpi/query.ts';
import { ENGINES, dropCreatedDatabases, openTestDatabase } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

const admin: Principal = { kind: 'system', workspaceId: 'w', role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: true };
const NOW = new Date('2026-11-10T12:00:00Z');
const P = 'custom:2026-11-01..2026-11-02';

async function master(d: Database): Promise<void> {
  await d.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('w', 'W', 'UTC', 'CNY', 'en')`);
  await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values ('w', 'cn', 'CN', 'shopify', 'CN', 'CNY', 'UTC')`);
  await d.query(sql`insert into categories (workspace_id, id, name, parent_id, path) values
    ('w', 'home', 'Home', null, '/home/'), ('w', 'kitchen', 'Kitchen', 'home', '/home/kitchen/'), ('w', 'toys', 'Toys', null, '/toys/')`);
  await d.query(sql`insert into skus (workspace_id, id, store_id, name, parent_id, category_id) values
    ('w', 'A', 'cn', 'A', 'P1', 'kitchen'), ('w', 'B', 'cn', 'B', 'P1', 'home'), ('w', 'C', 'cn', 'C', null, 'toys')`);
  await d.query(sql`insert into users (workspace_id, id, display_name) values
    ('w', 'alice', 'Alice'), ('w', 'bob', 'Bob'), ('w', 'carol', 'Carol'), ('w', 'dave', 'Dave'), ('w', 'erin', 'Erin'), ('w', 'frank', 'Frank'), ('w', 'henry', 'Henry')`);
}

async function seed(d: Database): Promise<void> {
  await master(d);
  await d.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, order_count, gross_sales, currency, source)
    select 'w', day::date, 'cn', s.sku, 'platform', s.units, s.orders, s.gross, 'CNY', 'api'
    from generate_series('2026-11-01'::date, '2026-11-02'::date, interval '1 day') day,
      (values ('A', 1, 1, 10), ('B', 2, 2, 20), ('C', 4, 3, 40)) as s(sku, units, orders, gross)`);
  await d.query(sql`insert into fact_service_daily (workspace_id, date, store_id, orders_distinct, source) values
    ('w', '2026-11-01', 'cn', 3, 'api'), ('w', '2026-11-02', 'cn', 3, 'api')`);
  await d.query(sql`insert into fact_ads_daily (workspace_id, date, store_id, ad_platform, campaign_id, ad_group_id, sku_id, spend, currency, source) values
    ('w', '2026-11-01', 'cn', 'meta_ads', 'c1', 'g1', 'A', 5, 'CNY', 'api'),
    ('w', '2026-11-02', 'cn', 'meta_ads', 'c1', 'g2', 'A', 3, 'CNY', 'api'),
    ('w', '2026-11-02', 'cn', 'meta_ads', 'c2', null, null, 2, 'CNY', 'api')`);
  await d.query(sql`insert into fact_inventory_daily (workspace_id, snapshot_date, store_id, sku_id, warehouse_id, on_hand_units, currency, source) values
    ('w', '2026-11-02', 'cn', 'A', 'w1', 5, 'CNY', 'api'), ('w', '2026-11-02', 'cn', 'A', 'w2', 3, 'CNY', 'api'),
    ('w', '2026-11-02', 'cn', 'C', 'w1', 10, 'CNY', 'api')`);
  // The store passes from alice to bob on 11-02 (valid_to is exclusive); C is co-owned; kitchen
  // belongs to erin; home to frank from 11-02 only; campaign c1 to henry.
  await d.query(sql`insert into ownership (workspace_id, scope_type, scope_id, user_id, share, valid_from, valid_to) values
    ('w', 'store', 'cn', 'alice', 1, '2026-10-01', '2026-11-02'), ('w', 'store', 'cn', 'bob', 1, '2026-11-02', null),
    ('w', 'sku', 'C', 'carol', 0.5, '2026-01-01', null), ('w', 'sku', 'C', 'dave', 0.5, '2026-01-01', null),
    ('w', 'category', 'kitchen', 'erin', 1, '2026-01-01', null), ('w', 'category', 'home', 'frank', 1, '2026-11-02', null),
    ('w', 'campaign', 'c1', 'henry', 1, '2026-01-01', null)`);
}

describe.each(ENGINES)('dimensions below the store on %s', (engine) => {
  let d: Database;
  beforeAll(async () => {
    d = await openTestDatabase(engine);
    await seed(d);
  });
  afterAll(async () => d?.close());

  const q = (over: Partial<KpiQuery>) => queryKpi(d, { workspaceId: 'w', metrics: ['gmv'], period: P, principal: admin, now: NOW, ...over });

  it('groups by category and filters a category with its subtree', async () => {
    // Two days each: A 10 (kitchen), B 20 (home), C 40 (toys). Orders at category grain are
    // orders containing the SKU (1, 2, 3 a day), not the store's 3 distinct orders a day.
    const r = await q({ metrics: ['gmv', 'orders'], groupBy: 'category' });
    expect(r.total).toEqual({ gmv: 140, orders: 12 });
    expect(r.rows).toEqual([{ category: 'home', gmv: 40, orders: 4 }, { category: 'kitchen', gmv: 20, orders: 2 }, { category: 'toys', gmv: 80, orders: 6 }]);
    expect((await q({ filters: { category: ['home'] } })).total.gmv).toBe(60); // A (kitchen ⊂ home) + B
    expect((await q({ filters: { category: ['kitchen'] } })).total.gmv).toBe(20);
    expect((await q({ metrics: ['orders'] })).total.orders).toBe(6); // store grain: V.orders_distinct
  });

  it('groups by parent SKU, a SKU without a parent standing for itself', async () => {
    const r = await q({ groupBy: 'parent_sku' });
    expect(r.rows).toEqual([{ parent_sku: 'C', gmv: 80 }, { parent_sku: 'P1', gmv: 60 }]);
  });

  it('groups ads by ad group and stock by warehouse; other tables have no such dimension', async () => {
    const ads = await q({ metrics: ['ad_spend'], groupBy: 'ad_group' });
    expect(ads.total.ad_spend).toBe(10);
    expect(ads.rows).toEqual([{ ad_group: 'g1', ad_spend: 5 }, { ad_group: 'g2', ad_spend: 3 }]);
    const g1 = await q({ metrics: ['ad_spend', 'gmv'], filters: { ad_group: ['g1'] } });
    expect(g1.total).toEqual({ ad_spend: 5, gmv: null });
    expect(g1.missing).toEqual({ gmv: 'no_data' });
    const stock = await q({ metrics: ['on_hand_units', 'gmv'], groupBy: 'warehouse' });
    expect(stock.rows).toEqual([{ warehouse: 'w1', on_hand_units: 15, gmv: null }, { warehouse: 'w2', on_hand_units: 3, gmv: null }]);
    expect(stock.missing).toEqual({ gmv: 'not_applicable' });
    expect((await q({ metrics: ['on_hand_units'], filters: { warehouse: ['w2'] } })).total.on_hand_units).toBe(3);
  });

  it('credits each day to that day’s owner, the most specific ownership first, shares split', async () => {
    // A: kitchen → erin (20). B: 11-01 the store's alice (20); 11-02 home → frank (20).
    // C: carol and dave, half each of 80. Service is store-level: alice 11-01, bob 11-02.
    // Ads: c1 rows → henry (campaign beats category); the SKU-less c2 row on 11-02 → bob.
    const r = await q({ metrics: ['gmv', 'orders', 'ad_spend'], groupBy: 'owner' });
    expect(r.total).toEqual({ gmv: 140, orders: 6, ad_spend: 10 });
    expect(r.rows).toEqual([
      { owner: 'alice', gmv: 20, orders: 3, ad_spend: null },
      { owner: 'bob', gmv: null, orders: 3, ad_spend: 2 },
      { owner: 'carol', gmv: 40, orders: null, ad_spend: null },
      { owner: 'dave', gmv: 40, orders: null, ad_spend: null },
      { owner: 'erin', gmv: 20, orders: null, ad_spend: null },
      { owner: 'frank', gmv: 20, orders: null, ad_spend: null },
      { owner: 'henry', gmv: null, orders: null, ad_spend: 8 },
    ]);
    expect((await q({ filters: { owner: ['alice'] } })).total.gmv).toBe(20);
    // Asked about 11-01 alone, B is alice's: last month's owner for last month.
    expect((await q({ filters: { owner: ['frank'] }, period: 'custom:2026-11-01..2026-11-01' })).total).toEqual({ gmv: null });
    expect((await q({ filters: { owner: ['carol'] }, metrics: ['units'] })).total.units).toBe(4); // half of 2 × 4
  });
});

describe('dimension properties (fast-check)', () => {
  let d: Database;
  beforeAll(async () => {
    d = await openTestDatabase('pglite');
    await master(d);
  });
  afterAll(async () => d?.close());

  const DAYS = ['2026-11-01', '2026-11-02', '2026-11-03'];
  const fact = fc.record({ sku: fc.constantFrom('A', 'B', 'C'), day: fc.integer({ min: 0, max: 2 }), cents: fc.integer({ min: 0, max: 100_000 }), wh: fc.constantFrom('w1', 'w2') });

  it('additive metrics grouped by category, parent, owner and warehouse add up to the total', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fact, { minLength: 1, maxLength: 12, selector: (r) => `${r.sku}:${r.day}:${r.wh}` }),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom(0.25, 0.5, 0.75),
        async (rows, handover, share) => {
          await d.query(sql`delete from fact_sales_daily`);
          await d.query(sql`delete from fact_inventory_daily`);
          await d.query(sql`delete from ownership`);
          await d.query(sql`insert into ownership (workspace_id, scope_type, scope_id, user_id, share, valid_from, valid_to) values
            ('w', 'store', 'cn', 'alice', 1, '2026-10-01', ${`2026-11-0${handover + 1}`}), ('w', 'store', 'cn', 'bob', 1, ${`2026-11-0${handover + 1}`}, null),
            ('w', 'sku', 'C', 'carol', ${share}, '2026-01-01', null), ('w', 'sku', 'C', 'dave', ${1 - share}, '2026-01-01', null)`);
          let gmv = 0;
          let home = 0;
          let stock = 0;
          for (const r of rows) {
            gmv += r.cents;
            if (r.sku !== 'C') home += r.cents;
            if (r.day === 2) stock += r.cents % 50;
            await d.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, gross_sales, currency, source)
              values ('w', ${DAYS[r.day]!}, 'cn', ${r.sku}, ${r.wh === 'w1' ? 'fba' : 'fbm'}, ${r.cents / 100}, 'CNY', 'api')`);
            await d.query(sql`insert into fact_inventory_daily (workspace_id, snapshot_date, store_id, sku_id, warehouse_id, on_hand_units, currency, source)
              values ('w', ${DAYS[r.day]!}, 'cn', ${r.sku}, ${r.wh}, ${r.cents % 50}, 'CNY', 'api')`);
          }
          const ask = (groupBy: KpiQuery['groupBy'], filters: KpiQuery['filters'] = {}) =>
            queryKpi(d, { workspaceId: 'w', metrics: ['gmv', 'on_hand_units'], period: 'custom:2026-11-01..2026-11-03', groupBy, filters, principal: admin, now: NOW });
          for (const groupBy of ['category', 'parent_sku', 'owner', 'warehouse'] as const) {
            const res = await ask(groupBy);
            const sum = (k: string) => res.rows.reduce((t, x) => t + Number(x[k] ?? 0), 0);
            expect(Math.abs((res.total.gmv ?? 0) - gmv / 100)).toBeLessThan(0.006);
            if (groupBy !== 'warehouse') expect(Math.abs(sum('gmv') - (res.total.gmv ?? 0))).toBeLessThan(0.01 * res.rows.length + 1e-9);
            if (groupBy !== 'owner' && groupBy !== 'warehouse') continue;
            // Stock is a snapshot at 11-03; by owner C's units are split by share.
            expect(Math.abs(sum('on_hand_units') - stock)).toBeLessThan(1e-6);
          }
          expect(Math.abs(((await ask(undefined, { category: ['home'] })).total.gmv ?? 0) - home / 100)).toBeLessThan(0.006);
        },
      ),
      { numRuns: 12 },
    );
  });
});
