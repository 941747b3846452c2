/**
 * Health scores: the §3.6 formula on hand-made parts (achievement, cap, redistribution of grey
 * weight, no score past 50 % grey, the red-line veto, grades), then one store's ad and account
 * health from the database on both engines, worked out in the comments.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import { healthFor } from '../../src/insights/health/load.ts';
import { achievement, gradeOf, healthScore } from '../../src/insights/health/score.ts';
import { addDays } from '../../src/kpi/dates.ts';
import { ENGINES, dropCreatedDatabases, openTestDatabase } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

describe('the scoring formula', () => {
  it('achievement per direction, including the edge cases of §3.2', () => {
    expect(achievement(12, 10, 'higher')).toBe(1.2);
    expect(achievement(-5, -10, 'higher')).toBe(1.5); // target ≤ 0: 1 + (−5 − −10) / 10
    expect(achievement(0.2, 0.25, 'lower')).toBe(1.25);
    expect(achievement(0, 0.25, 'lower')).toBe(1.2); // actual 0 → cap
  });

  it('caps, redistributes grey weight and refuses past half grey', () => {
    const h = healthScore([
      { metric: 'a', value: 2, target: 1, direction: 'higher', weight: 25 }, // 2 → capped 1.2
      { metric: 'b', value: 0.5, target: 1, direction: 'higher', weight: 25 }, // 0.5
      { metric: 'c', value: null, target: 1, direction: 'higher', weight: 25 },
      { metric: 'd', value: 9, target: 1, direction: 'higher', weight: 25, grey: '30 clicks needed, 3' },
    ]);
    // Half the weight is grey: a and b get 50 % each → 100 × (0.5 × 1.2 + 0.5 × 0.5) = 85 → B.
    expect([h.score, h.grade]).toEqual([85, 'B']);
    expect(h.parts.map((p) => p.effectiveWeight)).toEqual([0.5, 0.5, 0, 0]);
    const none = healthScore([
      { metric: 'a', value: 1, target: 1, direction: 'higher', weight: 25 },
      { metric: 'b', value: null, target: 1, direction: 'higher', weight: 75 },
    ]);
    expect(none.score).toBeNull();
    expect(healthScore([{ metric: 'a', value: 1.2, target: 1, direction: 'higher', weight: 1 }], ['odr'])).toMatchObject({ score: 60, grade: 'C', veto: ['odr'] });
    expect([gradeOf(110), gradeOf(109.9), gradeOf(100), gradeOf(85), gradeOf(84.9)]).toEqual(['S', 'A', 'A', 'B', 'C']);
  });
});

const admin: Principal = { kind: 'system', workspaceId: 'w', role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: true };
const NOW = new Date('2026-11-10T12:00:00Z'); // UTC store: `7d` = 11-03 … 11-09

async function seed(d: Database): Promise<void> {
  await d.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('w', 'W', 'UTC', 'USD', 'en')`);
  await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values ('w', 'us', 'US', 'amazon', 'US', 'USD', 'UTC')`);
  // Ads: gX 8,000 impressions, 80 clicks, 12 orders, spend 180, sales 1,000; gY 2,000 impressions,
  // 20 clicks, no order, spend 20 (wasted). Totals: 10,000 impr, 100 clicks, spend 200.
  await d.query(sql`insert into fact_ads_daily (workspace_id, date, store_id, ad_platform, campaign_id, ad_group_id, impressions, clicks, spend, attributed_orders, attributed_sales, currency, source) values
    ('w', '2026-11-05', 'us', 'amazon_sp', 'c', 'gX', 8000, 80, 180, 12, 1000, 'USD', 'api'),
    ('w', '2026-11-05', 'us', 'amazon_sp', 'c', 'gY', 2000, 20, 20, 0, 0, 'USD', 'api')`);
  // Service: 100 orders with 1 defect (ODR 1 % = Amazon's red line), no cancellation, no
  // seller-fulfilled shipment (on-time rate has no data), 45 of 50 threads answered within 24 h.
  const rows: string[] = [];
  for (let i = 0; i < 5; i++) {
    const day = addDays('2026-11-03', i);
    rows.push(`('w', '${day}', 'us', 20, 0, ${i === 0 ? 1 : 0}, 10, 9, 'api')`);
  }
  await d.query(sql.raw(`insert into fact_service_daily (workspace_id, date, store_id, orders_distinct, cancelled_by_seller, defect_orders, threads_received, responded_within_24h, source) values ${rows.join(', ')}`));
}

describe.each(ENGINES)('health from the database on %s', (engine) => {
  let d: Database;
  beforeAll(async () => {
    d = await openTestDatabase(engine);
    await seed(d);
  });
  afterAll(async () => d?.close());

  it('scores ad health and account health with their parts', async () => {
    const r = await healthFor(d, { workspaceId: 'w', days: 7, principal: admin, now: NOW });
    const s = r.stores[0]!;
    // Ads: acos 200 / 1000 = 20 % vs 25 % → 1.25 → capped 1.2; ctr 100 / 10,000 = 1 % vs 0.4 %
    // → 2.5 → 1.2; ad_cvr 12 / 100 = 12 % vs 10 % → 1.2; wasted 20 / 200 = 10 % vs 10 % → 1.
    // 100 × (0.25 × 1.2 × 3 + 0.25 × 1) = 115 → S.
    expect(s.ads.parts.map((p) => [p.metric, p.value])).toEqual([['acos', 0.2], ['ctr', 0.01], ['ad_cvr', 0.12], ['wasted_spend_share', 0.1]]);
    expect([s.ads.score, s.ads.grade]).toEqual([115, 'S']);
    // Account: odr 1 / 100 = 1 % vs 0.5 % → 0.5; cancel 0 → cap 1.2; on-time no data (weight
    // redistributed); replies 45 / 50 = 90 % vs 95 % → 0.947368. 100 × (0.5 + 1.2 + 0.947368) / 3
    // = 88.2 — but ODR 1 % breaches Amazon's red line (≥ 1 %): capped at 60 → C.
    expect(s.account.parts.map((p) => [p.metric, p.value, p.effectiveWeight])).toEqual([
      ['odr', 0.01, 1 / 3], ['fulfillment_on_time_rate', null, 0], ['cancel_rate', 0, 1 / 3], ['cs_response_24h_rate', 0.9, 1 / 3],
    ]);
    expect(s.account.parts.reduce((t, p) => t + (p.points ?? 0), 0)).toBeCloseTo((100 * (0.5 + 1.2 + 45 / 50 / 0.95)) / 3, 6);
    expect(s.account).toMatchObject({ score: 60, grade: 'C', veto: ['odr'] });
  });

  it('greys parts below the minimum sample', async () => {
    const r = await healthFor(d, { workspaceId: 'w', days: 3, principal: admin, now: NOW });
    // 11-07 … 11-09: no ads at all; service rows only on 11-07 with 20 orders (< 30) → odr and
    // cancel grey; replies 9 / 10 = 90 % is the only live part.
    const s = r.stores[0]!;
    expect(s.ads.score).toBeNull();
    expect(s.account.parts.find((p) => p.metric === 'odr')!.grey).toBe('30 orders needed, 20');
    expect(s.account.score).toBeNull(); // 75 % of the weight grey or empty
  });
});
