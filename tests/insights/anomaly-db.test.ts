/**
 * Anomalies read from the database (insights/anomaly/series.ts) on both engines: the daily gmv of
 * a store from the KPI engine, its marketplace's declared promo day kept out of the baseline, the
 * store's current (incomplete) day never used, and too little history answered with the reason.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import { anomaliesFor } from '../../src/insights/anomaly/series.ts';
import { addDays } from '../../src/kpi/dates.ts';
import { ENGINES, dropCreatedDatabases, openTestDatabase } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

const admin: Principal = { kind: 'system', workspaceId: 'w', role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: true };
/** Both stores are on UTC: the current day is 11-10 (incomplete), the last complete day 11-09, a Monday. */
const NOW = new Date('2026-11-10T12:00:00Z');

async function seed(d: Database): Promise<void> {
  await d.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('w', 'W', 'UTC', 'USD', 'en')`);
  await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values
    ('w', 'us', 'US', 'amazon', 'US', 'USD', 'UTC'), ('w', 'new', 'New', 'amazon', 'US', 'USD', 'UTC')`);
  // gmv 50 a day from 10-05; Mondays 100, 110, 90, 120 and 1000 on the promo Monday 11-02;
  // 200 on 11-09; 9999 on the incomplete 11-10. The new store only has 20 days before 11-09 (19 without the promo day).
  const mondays: Record<string, number> = { '2026-10-05': 100, '2026-10-12': 110, '2026-10-19': 90, '2026-10-26': 120, '2026-11-02': 1000, '2026-11-09': 200, '2026-11-10': 9999 };
  const rows: string[] = [];
  for (let day = '2026-10-05'; day <= '2026-11-10'; day = addDays(day, 1)) {
    rows.push(`('w', '${day}', 'us', 'A', 'fba', 1, 1, ${mondays[day] ?? 50}, 'USD', 'api')`);
    if (day >= '2026-10-20') rows.push(`('w', '${day}', 'new', 'B', 'fba', 1, 1, 50, 'USD', 'api')`);
  }
  await d.query(sql.raw(`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, order_count, gross_sales, currency, source) values ${rows.join(', ')}`));
  await d.query(sql`insert into season_calendar (workspace_id, scope_type, scope_id, kind, name, start_date, end_date) values
    ('w', 'marketplace', 'US', 'promo', 'prime_day', '2026-11-02', '2026-11-02'),
    ('w', 'marketplace', 'US', 'season', 'q4', '2026-10-01', '2026-12-31'),
    ('w', 'marketplace', 'SG', 'double_day', '11.11', '2026-10-26', '2026-10-26')`);
}

describe.each(ENGINES)('anomalies from the database on %s', (engine) => {
  let d: Database;
  beforeAll(async () => {
    d = await openTestDatabase(engine);
    await seed(d);
  });
  afterAll(async () => d?.close());

  it('scores the last complete day against the same-weekday baseline without the promo day', async () => {
    const r = await anomaliesFor(d, { workspaceId: 'w', metric: 'gmv', days: 1, storeIds: ['us'], principal: admin, now: NOW });
    const us = r.stores[0]!;
    expect([us.from, us.to]).toEqual(['2026-11-09', '2026-11-09']);
    const day = us.days[0]!;
    // Baseline Mondays 100, 110, 90, 120 (11-02 is the declared prime_day; the Q4 season and the
    // SG double day do not exclude anything): median 105; |x − 105| = 5, 5, 15, 15 → MAD 10.
    // History 10-05 … 11-08 = 35 days − 1 declared = 34. σ = 14.826; z = (200 − 105) / 14.826.
    expect(day.baseline).toMatchObject({ status: 'ok', median: 105, mad: 10, historyDays: 34, sample: [100, 110, 90, 120] });
    expect(day.score!.score).toBeCloseTo(95 / 14.826, 6);
    expect(day.score!.expected.lo).toBeCloseTo(105 - 3 * 14.826, 6);
    expect(day.score!.expected.hi).toBeCloseTo(105 + 3 * 14.826, 6);
    expect(us.anomalies.map((x) => x.date)).toEqual(['2026-11-09']);
  });

  it('never reads the incomplete current day, and marks the declared day off', async () => {
    const r = await anomaliesFor(d, { workspaceId: 'w', metric: 'gmv', days: 8, storeIds: ['us'], principal: admin, now: NOW });
    const us = r.stores[0]!;
    expect(us.days.map((x) => x.date)).toEqual(['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06', '2026-11-07', '2026-11-08', '2026-11-09']);
    expect(us.days.some((x) => x.value === 9999)).toBe(false);
    expect(us.days[0]!.baseline).toMatchObject({ status: 'off', reason: 'declared calendar day (prime_day)' });
    expect(us.off).toEqual({ 'declared calendar day (prime_day)': 1 });
    // Flat 50s on other days: no anomaly besides 11-09.
    expect(us.anomalies.map((x) => x.date)).toEqual(['2026-11-09']);
  });

  it('stops at the last day the data is synced through', async () => {
    // An orders import complete through 11-08: 11-09 is not synced yet, so it is incomplete too.
    await d.query(sql`insert into sync_runs (workspace_id, kind, dataset, source, store_id, status, data_through_date, finished_at)
      values ('w', 'import', 'orders', 'api', 'us', 'ok', '2026-11-08', now())`);
    try {
      const r = await anomaliesFor(d, { workspaceId: 'w', metric: 'gmv', days: 1, storeIds: ['us'], principal: admin, now: NOW });
      expect([r.stores[0]!.from, r.stores[0]!.to]).toEqual(['2026-11-08', '2026-11-08']);
      // Ads are another dataset: an ad metric still ends on 11-09.
      const ads = await anomaliesFor(d, { workspaceId: 'w', metric: 'ad_spend', days: 1, storeIds: ['us'], principal: admin, now: NOW });
      expect(ads.stores[0]!.to).toBe('2026-11-09');
    } finally {
      await d.query(sql`delete from sync_runs`);
    }
  });

  it('answers "not enough data" instead of a guess', async () => {
    const r = await anomaliesFor(d, { workspaceId: 'w', metric: 'gmv', days: 1, storeIds: ['new'], principal: admin, now: NOW });
    // 10-20 … 11-08 = 20 days before 11-09, less the declared prime_day 11-02 = 19.
    expect(r.stores[0]!.days[0]!.baseline).toMatchObject({ status: 'off', reason: 'not enough data (19 days, need 28)' });
    expect(r.stores[0]!.anomalies).toEqual([]);
  });

  it('refuses an unknown metric and an impossible window', async () => {
    await expect(anomaliesFor(d, { workspaceId: 'w', metric: 'gmvv', days: 7, principal: admin, now: NOW })).rejects.toMatchObject({ code: 'invalid_argument', field: 'metric' });
    await expect(anomaliesFor(d, { workspaceId: 'w', metric: 'gmv', days: 0, principal: admin, now: NOW })).rejects.toMatchObject({ code: 'invalid_argument', field: 'period' });
  });
});
