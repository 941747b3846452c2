/**
 * Ad tags on both engines, each rule on both sides of its boundary, with the arithmetic in the
 * comments: 19 vs 20 clicks without an order (否定/关停), ACoS equal to vs above the store's
 * break-even ACoS (降竞价), ROAS at vs above the target and budget capped on 3 vs 4 of 7 days
 * (加预算); a campaign without a daily budget is named as undecidable; a Done click is kept.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import { recordInsightAction } from '../../src/insights/ad-tags/actions.ts';
import { adTagsFor } from '../../src/insights/ad-tags/load.ts';
import { adGroupTags, campaignBudgetTag } from '../../src/insights/ad-tags/rules.ts';
import { addDays } from '../../src/kpi/dates.ts';
import { ENGINES, dropCreatedDatabases, openTestDatabase } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

const admin: Principal = { kind: 'system', workspaceId: 'w', role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: true };
/** UTC store: last complete day 11-09; `7d` = 11-03 … 11-09. */
const NOW = new Date('2026-11-10T12:00:00Z');
const T = { minClicks: 20, targetRoas: 4, cappedDaysShare: 0.5 };

async function seed(d: Database): Promise<void> {
  await d.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('w', 'W', 'UTC', 'USD', 'en')`);
  await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values ('w', 'us', 'US', 'amazon', 'US', 'USD', 'UTC')`);
  // Break-even ACoS = (net_sales − cogs − fees) / net_sales = (1000 − 550 − 200) / 1000 = 25 %.
  await d.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, order_count, gross_sales, cogs, platform_fees, currency, source)
    values ('w', '2026-11-05', 'us', 'A', 'fba', 10, 10, 1000, 550, 200, 'USD', 'api')`);
  await d.query(sql`insert into campaigns (workspace_id, id, ad_platform, store_id, name, budget, budget_period, currency) values
    ('w', 'c1', 'amazon_sp', 'us', 'Search', null, null, null),
    ('w', 'c2', 'amazon_sp', 'us', 'Winner', 50, 'daily', 'USD'),
    ('w', 'c3', 'amazon_sp', 'us', 'Almost', 50, 'daily', 'USD'),
    ('w', 'c5', 'amazon_sp', 'us', 'AtTarget', 50, 'daily', 'USD')`);
  await d.query(sql`insert into ad_groups (workspace_id, id, campaign_id, ad_platform, store_id, name) values
    ('w', 'g19', 'c1', 'amazon_sp', 'us', 'nineteen'), ('w', 'g20', 'c1', 'amazon_sp', 'us', 'twenty'),
    ('w', 'gA', 'c1', 'amazon_sp', 'us', 'at break-even'), ('w', 'gB', 'c1', 'amazon_sp', 'us', 'above break-even'),
    ('w', 'gc2', 'c2', 'amazon_sp', 'us', 'w'), ('w', 'gc3', 'c3', 'amazon_sp', 'us', 'a'), ('w', 'gc5', 'c5', 'amazon_sp', 'us', 't')`);
  const rows: string[] = [];
  const ad = (day: string, c: string, g: string, clicks: number, spend: number, orders: number, sales: number) =>
    rows.push(`('w', '${day}', 'us', 'amazon_sp', '${c}', '${g}', ${clicks}, ${spend}, ${orders}, ${sales}, 'USD', 'api')`);
  // g19: 5 clicks on 11-02 (outside the window) + 10 + 9 inside = 19 in the window, 0 orders → no tag.
  ad('2026-11-02', 'c1', 'g19', 5, 1, 0, 0);
  ad('2026-11-04', 'c1', 'g19', 10, 2, 0, 0);
  ad('2026-11-05', 'c1', 'g19', 9, 2, 0, 0);
  // g20: 10 + 10 = 20 clicks, 0 orders → 否定/关停.
  ad('2026-11-04', 'c1', 'g20', 10, 3, 0, 0);
  ad('2026-11-06', 'c1', 'g20', 10, 3, 0, 0);
  // gA: ACoS 25 / 100 = 25 % = break-even → no tag; gB: 26 / 100 = 26 % > 25 % → 降竞价.
  ad('2026-11-07', 'c1', 'gA', 30, 25, 2, 100);
  ad('2026-11-07', 'c1', 'gB', 30, 26, 2, 100);
  // c2: 48 ≥ 95 % × 50 = 47.5 on 4 of 7 days, 40 on 3 → capped 4/7 ≥ 50 %; spend 4 × 48 + 3 × 40
  // = 312, sales 1560 → ROAS 5 > 4, ACoS 20 % ≤ 25 % → 加预算.
  // c3: the same ROAS, capped on 3 of 7 days → 3/7 < 50 % → no tag.
  // c5: capped on all 7 days at 48, sales 4 × 48 × 7 = 1344 → ROAS exactly 4 → no tag.
  for (let i = 0; i < 7; i++) {
    const day = addDays('2026-11-03', i);
    const s2 = i < 4 ? 48 : 40;
    ad(day, 'c2', 'gc2', 40, s2, 5, s2 * 5);
    const s3 = i < 3 ? 48 : 40;
    ad(day, 'c3', 'gc3', 40, s3, 5, s3 * 5);
    ad(day, 'c5', 'gc5', 40, 48, 5, 48 * 4);
  }
  await d.query(sql.raw(`insert into fact_ads_daily (workspace_id, date, store_id, ad_platform, campaign_id, ad_group_id, clicks, spend, attributed_orders, attributed_sales, currency, source) values ${rows.join(', ')}`));
}

describe('ad tag rules', () => {
  it('fire exactly at their boundaries', () => {
    expect(adGroupTags({ clicks: 19, orders: 0, acos: null }, 0.25, T)).toEqual([]);
    expect(adGroupTags({ clicks: 20, orders: 0, acos: null }, 0.25, T)).toEqual([{ kind: 'negate', clicks: 20, minClicks: 20 }]);
    expect(adGroupTags({ clicks: 20, orders: 1, acos: 0.25 }, 0.25, T)).toEqual([]);
    expect(adGroupTags({ clicks: 20, orders: 1, acos: 0.2501 }, 0.25, T)).toEqual([{ kind: 'lower_bid', acos: 0.2501, breakEven: 0.25 }]);
    expect(adGroupTags({ clicks: 20, orders: 1, acos: 0.9 }, null, T)).toEqual([]);
    const budget = { spendDays: 8, cappedDays: 4 };
    expect(campaignBudgetTag({ roas: 4, acos: 0.25, budget }, 0.3, T)).toBeNull();
    expect(campaignBudgetTag({ roas: 4.01, acos: 0.249, budget }, 0.3, T)?.kind).toBe('raise_budget');
    expect(campaignBudgetTag({ roas: 4.01, acos: 0.249, budget: { spendDays: 8, cappedDays: 3 } }, 0.3, T)).toBeNull();
    expect(campaignBudgetTag({ roas: 9, acos: 0.11, budget: null }, 0.3, T)).toBeNull();
    // Never more budget for a loss: ROAS above target but ACoS above break-even.
    expect(campaignBudgetTag({ roas: 5, acos: 0.2, budget }, 0.15, T)).toBeNull();
  });
});

describe.each(ENGINES)('ad tags from the database on %s', (engine) => {
  let d: Database;
  beforeAll(async () => {
    d = await openTestDatabase(engine);
    await seed(d);
  });
  afterAll(async () => d?.close());

  it('tags exactly the ad groups and campaigns past their rule', async () => {
    const r = await adTagsFor(d, { workspaceId: 'w', days: 7, principal: admin, now: NOW });
    const tags = r.lines.map((l) => `${l.key} ${l.tag.kind}`).sort();
    expect(tags).toEqual(['ad_group:g20 negate', 'ad_group:gB lower_bid', 'campaign:c2 raise_budget']);
    expect(r.lines.find((l) => l.key === 'campaign:c2')!.tag).toEqual({ kind: 'raise_budget', roas: 5, targetRoas: 4, cappedDays: 4, spendDays: 7, acos: 0.2, breakEven: 0.25 });
    expect(r.lines.find((l) => l.key === 'ad_group:gB')!.tag).toEqual({ kind: 'lower_bid', acos: 0.26, breakEven: 0.25 });
    expect(r.budgetUnknown).toEqual(['c1']);
    expect(r.breakEvenUnknown).toEqual([]);
  });

  it('uses the workspace threshold', async () => {
    await d.query(sql`update workspaces set settings = '{"insights": {"adTagMinClicks": 19}}'::jsonb where id = 'w'`);
    try {
      const r = await adTagsFor(d, { workspaceId: 'w', days: 7, principal: admin, now: NOW });
      expect(r.lines.filter((l) => l.tag.kind === 'negate').map((l) => l.key).sort()).toEqual(['ad_group:g19', 'ad_group:g20']);
    } finally {
      await d.query(sql`update workspaces set settings = '{}'::jsonb where id = 'w'`);
    }
  });

  it('keeps a Done click on its line, once per day', async () => {
    const a = { workspaceId: 'w', kind: 'ad_tag' as const, objectKey: 'ad_group:g20', tag: 'negate', action: 'done' as const, day: '2026-11-09', actorLabel: 'Carol' };
    expect(await recordInsightAction(d, a)).toEqual({ created: true, by: 'Carol' });
    expect(await recordInsightAction(d, { ...a, actorLabel: 'Bob' })).toEqual({ created: false, by: 'Carol' });
    const r = await adTagsFor(d, { workspaceId: 'w', days: 7, principal: admin, now: NOW });
    expect(r.lines.find((l) => l.key === 'ad_group:g20')!.done).toEqual({ by: 'Carol', day: '2026-11-09' });
    expect(r.lines.find((l) => l.key === 'ad_group:gB')!.done).toBeUndefined();
  });
});
