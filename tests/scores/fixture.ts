/**
 * A small, hand-computable scoring world on the demo organisation (tests/helpers/goals-fixture):
 * the 运营 template set by alice to gmv 50 % (cap 120 %), units 30 %, listing_updates 20 %
 * (activity, cap 100 %), and carol's October 2026 person goals with the facts behind them.
 *
 *   gmv:             31 days × $100 = $3,100 vs target $2,500 → 124 % → capped 120 % → 50 × 1.2 = 60
 *   units:           31 days × 1    = 31     vs target 40     → 77.5 %            → 30 × 0.775 = 23.25
 *   listing_updates: 5 updates (5 distinct SKU-hours) vs 4   → 125 % → capped 100 % → 20 × 1.0 = 20
 *   score = 103.25 → grade A
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { insertRows } from '../../src/demo/bulk-insert.ts';
import { saveTemplate } from '../../src/scores/template-repo.ts';
import { days, sales, seedGoalOrg, who, WS } from '../helpers/goals-fixture.ts';

export const MONTH = '2026-10';
export const EXPECTED = { score: 103.25, grade: 'A', gmvPoints: 60, unitsPoints: 23.25, listingPoints: 20 };

export async function seedScoreWorld(d: Database): Promise<Record<string, number>> {
  await seedGoalOrg(d);
  await saveTemplate(d, await who(d, 'alice', '2026-10-15'), {
    position: '运营',
    items: [{ metricId: 'gmv', weight: 50 }, { metricId: 'units', weight: 30 }, { metricId: 'listing_updates', weight: 20 }],
    vetoes: [{ code: 'fake_orders' }, { code: 'review_manipulation' }],
  });
  await sales(d, 'us-main', 'USD', days('2026-10-01', 31).map((day) => [day, 100]));
  // Five listing updates on different SKUs or hours (deduplicated per person, object and hour).
  const events = ['2026-10-03T02:00:00Z', '2026-10-03T05:00:00Z', '2026-10-10T02:00:00Z', '2026-10-20T02:00:00Z', '2026-10-28T02:00:00Z'];
  for (const [i, at] of events.entries()) {
    await d.query(sql`insert into fact_team_events (workspace_id, event_id, occurred_at, user_id, team_id, event_type, sku_id, source)
      values (${WS}, ${`e${i}`}, ${at}, 'carol', 'amazon-us', 'listing_updated', ${`sku-${i % 2}`}, 'api')`);
  }
  const goal = (metric: string, target: string, currency: string | null) => ({
    workspace_id: WS, metric_id: metric, scope_level: 'person', scope_id: 'carol', owner_user_id: 'carol', period_id: `month:${MONTH}`,
    period_start: '2026-10-01', period_end: '2026-10-31', target, currency, derived: metric !== 'listing_updates', status: 'closed', created_by: 'bob',
  });
  const rows = await insertRows(d.db, 'goals', [goal('gmv', '2500', 'USD'), goal('units', '40', null), goal('listing_updates', '4', null)], { returning: 'id, metric_id' });
  return Object.fromEntries(rows.map((r) => [String(r.metric_id), Number(r.id)]));
}
