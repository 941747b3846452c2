/**
 * Currency modes and the KPI engine's ports: the fixed budget rate (most specific period first,
 * cross rates through the workspace currency), the data alert a missing rate records (once per
 * currency and day range while it is live), compare=goal through a GoalLookup and kpi_score
 * through a ScoreLookup. The lookups here are small in-test implementations of those ports.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import type { GoalLookup, GoalLookupRequest, GoalValue } from '../../src/kpi/goal-compare.ts';
import { KpiError, queryKpi, type KpiQuery } from '../../src/kpi/query.ts';
import type { ScoreLookup } from '../../src/kpi/score-lookup.ts';
import { ENGINES, dropCreatedDatabases, openTestDatabase } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

const admin: Principal = { kind: 'system', workspaceId: 'w', role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: true };
const member: Principal = { ...admin, kind: 'user', role: 'member', scope: { all: false, teamIds: [], storeIds: [], skuIds: [] } };
const NOW = new Date('2026-11-10T12:00:00Z');
const P = 'custom:2026-10-31..2026-11-01';

async function seed(d: Database): Promise<void> {
  await d.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('w', 'W', 'UTC', 'CNY', 'en')`);
  await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values
    ('w', 'us', 'US', 'amazon', 'US', 'USD', 'UTC'), ('w', 'de', 'DE', 'amazon', 'DE', 'EUR', 'UTC'), ('w', 'jp', 'JP', 'amazon', 'JP', 'JPY', 'UTC')`);
  await d.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, gross_sales, currency, source) values
    ('w', '2026-10-31', 'us', 'A', 'fba', 1, 50, 'USD', 'api'), ('w', '2026-11-01', 'us', 'A', 'fba', 2, 100, 'USD', 'api'),
    ('w', '2026-11-01', 'de', 'B', 'fba', 1, 10, 'EUR', 'api'), ('w', '2026-11-03', 'jp', 'C', 'fba', 1, 1000, 'JPY', 'api')`);
  await d.query(sql`insert into fx_rates (workspace_id, date, from_ccy, to_ccy, rate, source) values
    ('w', '2026-10-31', 'USD', 'CNY', 7.0, 'test'), ('w', '2026-11-01', 'USD', 'CNY', 7.2, 'test'), ('w', '2026-11-01', 'EUR', 'CNY', 8.0, 'test')`);
  await d.query(sql`insert into budget_fx_rates (workspace_id, period_id, from_ccy, to_ccy, rate, set_by) values
    ('w', 'month:2026-11', 'USD', 'CNY', 7.3, 'dave'), ('w', 'year:2026', 'USD', 'CNY', 7.1, 'dave'), ('w', 'year:2026', 'EUR', 'CNY', 7.8, 'dave')`);
}

const goal = (goalId: number, target: number, expectedToDate: number, rag: GoalValue['rag']): GoalValue => ({ goalId, target, expectedToDate, rag });

/** A GoalLookup with fixed targets that records what it was asked. */
function fakeGoals(): GoalLookup & { asked: GoalLookupRequest[] } {
  const asked: GoalLookupRequest[] = [];
  return {
    asked,
    async targets(req) {
      asked.push(req);
      if (!req.metrics.includes('gmv')) return new Map();
      return new Map([['gmv', { total: goal(1, 3000, 1500, 'amber'), rows: new Map([['us', goal(2, 2000, 1000, 'green'), ], ['de', goal(3, 1000, 500, 'red')]]) }]]);
    },
  };
}

describe.each(ENGINES)('currency modes, FX alerts and ports on %s', (engine) => {
  let d: Database;
  beforeAll(async () => {
    d = await openTestDatabase(engine);
    await seed(d);
  });
  afterAll(async () => d?.close());

  const q = (over: Partial<KpiQuery>) => queryKpi(d, { workspaceId: 'w', metrics: ['gmv'], period: P, principal: admin, now: NOW, ...over });
  const alerts = (key: string) =>
    d.query<{ status: string; type: string; title: string; details: { currency: string; days: string[] } }>(sql`
      select status, type, title, details from alerts where workspace_id = 'w' and scope_key = ${key} order by id`);

  it('converts at the fixed budget rate of the most specific period, and says which', async () => {
    // us 50 USD on 10-31 at year:2026 7.1 (no October month rate) + 100 on 11-01 at month:2026-11
    // 7.3 = 355 + 730; de 10 EUR × 7.8 = 78. Daily rates would give 350 + 720 + 80 = 1150.
    const budget = await q({ currencyMode: 'budget' });
    expect(budget.total.gmv).toBe(1163);
    expect(budget.fx).toEqual({ mode: 'budget', stale: false, budgetPeriods: ['month:2026-11', 'year:2026'] });
    const daily = await q({});
    expect(daily.total.gmv).toBe(1150);
    expect(daily.fx).toEqual({ mode: 'daily', stale: false, latestRateDay: '2026-11-01' });
  });

  it('crosses budget rates through the workspace currency', async () => {
    // USD: us 150 as is; de 10 EUR × 7.8 (EUR year) ÷ 7.3 (USD November) = 10.68.
    const r = await q({ currencyMode: 'budget', currency: 'USD' });
    expect(r.total.gmv).toBe(160.68);
  });

  it('answers null and records one data alert per currency and day range when a rate is missing', async () => {
    const key = 'fx:daily:JPY>CNY:2026-11-03..2026-11-03';
    const r = await q({ period: 'custom:2026-11-03..2026-11-03', metrics: ['gmv', 'units'] });
    expect(r.total).toEqual({ gmv: null, units: 1 });
    expect(r.missing).toEqual({ gmv: 'fx_missing' });
    await q({ period: 'custom:2026-11-03..2026-11-03' });
    const open = await alerts(key);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ status: 'open', type: 'freshness', details: { currency: 'JPY', days: ['2026-11-03'] } });
    expect(open[0]!.title).toContain('JPY→CNY');
    // Once resolved, the next answer without a rate opens a new alert.
    await d.query(sql`update alerts set status = 'resolved', resolved_at = now() where scope_key = ${key}`);
    await q({ period: 'custom:2026-11-03..2026-11-03' });
    expect((await alerts(key)).map((a) => a.status)).toEqual(['resolved', 'open']);
  });

  it('treats a day without a budget period as missing, never as the daily rate', async () => {
    const r = await q({ period: 'custom:2026-11-03..2026-11-03', currencyMode: 'budget' });
    expect(r.missing).toEqual({ gmv: 'fx_missing' });
    expect(await alerts('fx:budget:JPY>CNY:2026-11-03..2026-11-03')).toHaveLength(1);
  });

  it('compares with goals through the GoalLookup: expected-to-date targets beside the actuals', async () => {
    const goals = fakeGoals();
    const r = await q({ metrics: ['gmv', 'units'], groupBy: 'store', compare: 'goal', goals });
    expect(r.total.gmv).toBe(1150);
    expect(r.compare).toEqual({
      id: 'goal', from: '2026-10-31', to: '2026-11-01', asOf: '2026-11-01',
      total: { gmv: 1500, units: null },
      rows: [{ store: 'de', gmv: 500, units: null }, { store: 'us', gmv: 1000, units: null }],
      goals: { gmv: { total: goal(1, 3000, 1500, 'amber'), rows: { us: goal(2, 2000, 1000, 'green'), de: goal(3, 1000, 500, 'red') } } },
    });
    expect(goals.asked).toEqual([{ workspaceId: 'w', metrics: ['gmv', 'units'], from: '2026-10-31', to: '2026-11-01', groupBy: 'store', filters: {}, asOf: '2026-11-01', currency: 'CNY', principal: admin }]);
    // Metrics the principal may not see are not asked about.
    await q({ metrics: ['gmv', 'net_profit'], compare: 'goal', goals, principal: member });
    expect(goals.asked[1]!.metrics).toEqual(['gmv']);
  });

  it('refuses compare=goal when no goals are configured', async () => {
    await expect(q({ compare: 'goal' })).rejects.toBeInstanceOf(KpiError);
    await expect(q({ compare: 'goal' })).rejects.toMatchObject({ field: 'compare' });
  });

  it('leaves kpi_score to the Scores feature: not available without a ScoreLookup', async () => {
    const none = await q({ metrics: ['kpi_score'], groupBy: 'owner' });
    expect(none.total).toEqual({ kpi_score: null });
    expect(none.missing).toEqual({ kpi_score: 'not_available' });
    const scores: ScoreLookup = { scores: async () => ({ total: null, rows: new Map([['carol', 104.5], ['frank', 88]]) }) };
    const r = await q({ metrics: ['kpi_score'], groupBy: 'owner', scores });
    expect(r.rows).toEqual([{ owner: 'carol', kpi_score: 104.5 }, { owner: 'frank', kpi_score: 88 }]);
    // No total (scores are never summed), and with rows present that is not reported as missing data.
    expect(r.total).toEqual({ kpi_score: null });
    expect(r.missing?.kpi_score).toBeUndefined();
    const empty: ScoreLookup = { scores: async () => ({ total: null, rows: new Map() }) };
    expect((await q({ metrics: ['kpi_score'], groupBy: 'owner', scores: empty })).missing).toEqual({ kpi_score: 'no_data' });
  });
});
