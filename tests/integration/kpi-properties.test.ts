/**
 * Properties over random fixtures (fast-check): grouped rows of additive metrics add up to the
 * total, and ratio totals equal the ratio of the summed parts, computed here from the raw rows
 * with each day's rate, never from the engine's own intermediate numbers.
 */
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import { queryKpi } from '../../src/kpi/query.ts';
import { openTestDatabase } from '../helpers/db.ts';

const admin: Principal = { kind: 'system', workspaceId: 'w', role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: true };
const STORES = [
  { id: 's1', ccy: 'USD' },
  { id: 's2', ccy: 'EUR' },
  { id: 's3', ccy: 'CNY' },
];
const RATES: Record<string, number[]> = { USD: [7.1, 7.2, 7.15], EUR: [7.8, 7.9, 8.05], CNY: [1, 1, 1] };
const DAYS = ['2026-11-01', '2026-11-02', '2026-11-03'];

const row = fc.record({
  store: fc.integer({ min: 0, max: 2 }),
  day: fc.integer({ min: 0, max: 2 }),
  sku: fc.constantFrom('A', 'B', 'C'),
  gross: fc.integer({ min: 0, max: 100_000 }).map((c) => c / 100),
  units: fc.integer({ min: 0, max: 50 }),
  spend: fc.integer({ min: 0, max: 5_000 }).map((c) => c / 100),
  adSales: fc.integer({ min: 0, max: 20_000 }).map((c) => c / 100),
});

describe('KPI aggregation properties', () => {
  let d: Database;
  beforeAll(async () => {
    d = await openTestDatabase('pglite');
    await d.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('w', 'W', 'UTC', 'CNY', 'en')`);
    for (const s of STORES) {
      await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values ('w', ${s.id}, ${s.id}, 'amazon', 'US', ${s.ccy}, 'UTC')`);
    }
    for (const [ccy, rates] of Object.entries(RATES)) {
      if (ccy === 'CNY') continue;
      for (let i = 0; i < DAYS.length; i++) {
        await d.query(sql`insert into fx_rates (workspace_id, date, from_ccy, to_ccy, rate, source) values ('w', ${DAYS[i]!}, ${ccy}, 'CNY', ${rates[i]!}, 't')`);
      }
    }
  });
  afterAll(async () => d?.close());

  it('grouped rows re-aggregate to totals; ratio totals are ratio of sums', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(row, { minLength: 1, maxLength: 12, selector: (r) => `${r.store}:${r.day}:${r.sku}` }), async (rows) => {
        await d.query(sql`delete from fact_sales_daily`);
        await d.query(sql`delete from fact_ads_daily`);
        let gmv = 0;
        let spend = 0;
        let adSales = 0;
        for (const r of rows) {
          const s = STORES[r.store]!;
          const rate = RATES[s.ccy]![r.day]!;
          gmv += r.gross * rate;
          spend += r.spend * rate;
          adSales += r.adSales * rate;
          await d.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, gross_sales, currency, source)
            values ('w', ${DAYS[r.day]!}, ${s.id}, ${r.sku}, 'fba', ${r.units}, ${r.gross}, ${s.ccy}, 'api')`);
          await d.query(sql`insert into fact_ads_daily (workspace_id, date, store_id, ad_platform, campaign_id, ad_group_id, sku_id, spend, attributed_sales, currency, source)
            values ('w', ${DAYS[r.day]!}, ${s.id}, 'amazon_sp', 'c', 'g', ${r.sku}, ${r.spend}, ${r.adSales}, ${s.ccy}, 'api')`);
        }
        for (const groupBy of ['store', 'sku', 'day'] as const) {
          const res = await queryKpi(d, {
            workspaceId: 'w',
            metrics: ['gmv', 'units', 'ad_spend', 'acos'],
            period: 'custom:2026-11-01..2026-11-03',
            groupBy,
            principal: admin,
            now: new Date('2026-11-10T12:00:00Z'),
          });
          const sum = (k: string) => res.rows.reduce((t, r) => t + Number(r[k] ?? 0), 0);
          expect(Math.abs(sum('gmv') - (res.total.gmv ?? 0))).toBeLessThan(0.01 * res.rows.length + 1e-9);
          expect(sum('units')).toBe(res.total.units);
          expect(Math.abs((res.total.gmv ?? 0) - gmv)).toBeLessThan(0.006);
          expect(Math.abs((res.total.ad_spend ?? 0) - spend)).toBeLessThan(0.006);
          if (adSales > 0) expect(Math.abs((res.total.acos ?? NaN) - spend / adSales)).toBeLessThan(1e-6);
          else expect(res.total.acos).toBeNull();
        }
      }),
      { numRuns: 15 },
    );
  });
});
