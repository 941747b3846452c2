/**
 * Team activity and content counts against numbers worked out by hand: events bucketed in each
 * person's own zone (user, else team), listing edits and ad changes deduplicated per person,
 * object and local hour, distinct counts that do not add across people, the on-time rate by due
 * day; videos, lives, active affiliates, affiliate GMV and the content buffer from content items.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import { queryKpi, type KpiQuery } from '../../src/kpi/query.ts';
import { ENGINES, dropCreatedDatabases, openTestDatabase } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

const admin: Principal = { kind: 'system', workspaceId: 'w', role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: true };
const NOW = new Date('2026-11-10T12:00:00Z');
const P = 'custom:2026-11-02..2026-11-03';

type Ev = [id: string, at: string, user: string, type: string, extra?: Record<string, string>];
// u1 works in Shanghai (UTC+8), u2 takes Los Angeles (UTC−8 after 11-01) from team t2.
const EVENTS: Ev[] = [
  ['e1', '2026-11-02T01:10Z', 'u1', 'listing_updated', { sku_id: 'A' }], // local 11-02 09:10
  ['e2', '2026-11-02T01:50Z', 'u1', 'listing_updated', { sku_id: 'A' }], // 09:50, same hour as e1
  ['e3', '2026-11-02T02:05Z', 'u1', 'listing_updated', { sku_id: 'A' }], // 10:05
  ['e4', '2026-11-02T01:20Z', 'u1', 'listing_updated', { sku_id: 'B' }], // 09:20, other SKU
  ['e5', '2026-11-01T17:30Z', 'u1', 'listing_updated', { sku_id: 'A' }], // local 11-02 01:30 (UTC date 11-01)
  ['e6', '2026-11-03T16:30Z', 'u1', 'listing_updated', { sku_id: 'A' }], // local 11-04: outside
  ['e7', '2026-11-02T03:00Z', 'u1', 'ad_change', { ad_group_id: 'g1' }], // 11:00
  ['e8', '2026-11-02T03:59Z', 'u1', 'ad_change', { ad_group_id: 'g1' }], // 11:59, same hour
  ['e9', '2026-11-02T03:30Z', 'u1', 'ad_change', { ad_group_id: 'g2' }],
  ['e10', '2026-11-03T02:00Z', 'u1', 'listing_created', { sku_id: 'N1' }],
  ['e11', '2026-11-03T05:00Z', 'u1', 'listing_created', { sku_id: 'N1' }],
  ['e12', '2026-11-02T02:00Z', 'u1', 'listing_created', { sku_id: 'N2' }],
  ['e13', '2026-11-02T06:00Z', 'u1', 'cs_reply'],
  ['e14', '2026-11-02T06:10Z', 'u1', 'cs_reply'],
  ['e15', '2026-11-02T06:20Z', 'u1', 'cs_reply'],
  ['e16', '2026-11-02T09:00Z', 'u1', 'task_completed', { task_id: 'T1', due_at: '2026-11-02T10:00Z', completed_at: '2026-11-02T09:00Z' }],
  ['e17', '2026-11-03T05:00Z', 'u1', 'task_completed', { task_id: 'T2', due_at: '2026-11-03T01:00Z', completed_at: '2026-11-03T05:00Z' }],
  ['e18', '2026-11-02T04:00Z', 'u1', 'task_completed', { task_id: 'T3', due_at: '2026-10-30T10:00Z', completed_at: '2026-11-02T04:00Z' }],
  ['e19', '2026-11-02T05:00Z', 'u1', 'creator_contacted', { creator_id: 'cr1' }],
  ['e20', '2026-11-03T05:00Z', 'u1', 'creator_contacted', { creator_id: 'cr1' }],
  ['e21', '2026-11-03T06:00Z', 'u1', 'creator_contacted', { creator_id: 'cr2' }],
  ['e22', '2026-11-03T07:00Z', 'u1', 'neg_review_handled'],
  ['e23', '2026-11-03T07:30Z', 'u2', 'listing_updated', { sku_id: 'C' }], // LA 11-02 23:30
  ['e24', '2026-11-02T07:30Z', 'u2', 'listing_updated', { sku_id: 'C' }], // LA 11-01 23:30: outside
  ['e25', '2026-11-04T07:00Z', 'u2', 'cs_reply'], // LA 11-03 23:00
  ['e26', '2026-11-02T20:00Z', 'u2', 'creator_contacted', { creator_id: 'cr1' }],
];

async function seed(d: Database): Promise<void> {
  await d.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('w', 'W', 'Asia/Shanghai', 'CNY', 'zh-CN')`);
  await d.query(sql`insert into teams (workspace_id, id, name, timezone) values ('w', 't1', 'T1', null), ('w', 't2', 'T2', 'America/Los_Angeles')`);
  await d.query(sql`insert into users (workspace_id, id, display_name, team_id, timezone) values
    ('w', 'u1', 'U1', 't1', 'Asia/Shanghai'), ('w', 'u2', 'U2', 't2', null)`);
  await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values
    ('w', 'tt', 'TikTok US', 'tiktok_shop', 'US', 'USD', 'America/Los_Angeles')`);
  await d.query(sql`insert into fx_rates (workspace_id, date, from_ccy, to_ccy, rate, source)
    select 'w', day::date, 'USD', 'CNY', 7, 't' from generate_series('2026-10-25'::date, '2026-11-09'::date, interval '1 day') day`);
  for (const [id, at, user, type, x = {}] of EVENTS) {
    await d.query(sql`insert into fact_team_events (workspace_id, event_id, occurred_at, user_id, team_id, event_type, sku_id, ad_group_id,
        creator_id, task_id, due_at, completed_at, source)
      values ('w', ${id}, ${at}, ${user}, ${user === 'u1' ? 't1' : 't2'}, ${type}, ${x.sku_id ?? null}, ${x.ad_group_id ?? null},
        ${x.creator_id ?? null}, ${x.task_id ?? null}, ${x.due_at ?? null}, ${x.completed_at ?? null}, 'api')`);
  }
  await d.query(sql`insert into creators (workspace_id, id, name, type) values
    ('w', 'c-own', 'Own', 'own'), ('w', 'c-aff', 'Aff', 'affiliate'), ('w', 'c-aff2', 'Aff 2', 'affiliate')`);
  // The store's day is Los Angeles; its period ends at 11-04 00:00 PST = 11-04T08:00Z.
  await d.query(sql`insert into content_items (workspace_id, id, type, platform, store_id, creator_id, owner_user_id, status, ready_at, published_at) values
    ('w', 'v1', 'video', 'tiktok', 'tt', 'c-own', 'u1', 'published', null, '2026-11-02T20:00Z'),
    ('w', 'v2', 'video', 'tiktok', 'tt', 'c-aff', null, 'published', null, '2026-11-03T06:00Z'),
    ('w', 'v3', 'video', 'tiktok', 'tt', 'c-aff', null, 'published', null, '2026-11-04T09:00Z'),
    ('w', 'v4', 'video', 'tiktok', 'tt', 'c-aff2', null, 'published', null, '2026-11-02T07:00Z'),
    ('w', 'l1', 'live', 'tiktok', 'tt', 'c-own', null, 'published', null, '2026-11-03T18:00Z'),
    ('w', 'b1', 'video', 'tiktok', 'tt', 'c-own', null, 'ready', '2026-11-01T00:00Z', null),
    ('w', 'b2', 'video', 'tiktok', 'tt', 'c-own', null, 'published', '2026-11-03T20:00Z', '2026-11-05T00:00Z'),
    ('w', 'b3', 'video', 'tiktok', 'tt', 'c-own', null, 'ready', '2026-11-04T10:00Z', null)`);
  await d.query(sql`insert into fact_content_daily (workspace_id, date, content_id, store_id, creator_id, content_type, views, attributed_gmv, currency, source) values
    ('w', '2026-11-02', 'v1', 'tt', 'c-own', 'video', 1000, 100, 'USD', 'api'),
    ('w', '2026-11-02', 'v2', 'tt', 'c-aff', 'video', 500, 50, 'USD', 'api'),
    ('w', '2026-11-03', 'v2', 'tt', 'c-aff', 'video', 300, 30, 'USD', 'api'),
    ('w', '2026-11-01', 'v4', 'tt', 'c-aff2', 'video', 200, 20, 'USD', 'api')`);
}

const ACTIVITY = ['listing_updates', 'ad_optimizations', 'new_listings', 'cs_replies', 'neg_reviews_handled', 'tasks_completed', 'task_on_time_rate', 'creators_contacted'];

describe.each(ENGINES)('team activity and content on %s', (engine) => {
  let d: Database;
  beforeAll(async () => {
    d = await openTestDatabase(engine);
    await seed(d);
  });
  afterAll(async () => d?.close());

  const q = (over: Partial<KpiQuery>) => queryKpi(d, { workspaceId: 'w', metrics: ACTIVITY, period: P, principal: admin, now: NOW, ...over });

  it('counts events in each person’s own day, deduplicated per person, object and hour', async () => {
    const r = await q({});
    expect(r.total).toEqual({
      listing_updates: 5, // u1: A@09h, A@10h, B@09h, A@01h (e2 repeats e1's hour; e6 is 11-04) + u2: C (e24 is LA 11-01)
      ad_optimizations: 2, // g1@11h (e7, e8), g2@11h
      new_listings: 2, // N1 (twice), N2
      cs_replies: 4, // 3 + e25 (LA 11-03 23:00)
      neg_reviews_handled: 1,
      tasks_completed: 3, // T1, T2, T3 completed in the period
      task_on_time_rate: 0.5, // due in the period: T1 on time, T2 late (T3 was due 10-30)
      creators_contacted: 2, // cr1, cr2
    });
  });

  it('splits by person, team and local day; distinct counts do not add up across people', async () => {
    const byOwner = await q({ groupBy: 'owner', metrics: ['listing_updates', 'creators_contacted'] });
    expect(byOwner.rows).toEqual([
      { owner: 'u1', listing_updates: 4, creators_contacted: 2 },
      { owner: 'u2', listing_updates: 1, creators_contacted: 1 }, // cr1 again: the total stays 2
    ]);
    expect(byOwner.total.creators_contacted).toBe(2);
    const byTeam = await q({ groupBy: 'team', metrics: ['listing_updates'] });
    expect(byTeam.rows).toEqual([{ team: 't1', listing_updates: 4 }, { team: 't2', listing_updates: 1 }]);
    // Team t2 has no store of its own: its people's activity still counts.
    expect((await q({ filters: { team: ['t2'] }, metrics: ['listing_updates', 'cs_replies'] })).total).toEqual({ listing_updates: 1, cs_replies: 1 });
    const byDay = await q({ groupBy: 'day', metrics: ['listing_updates', 'new_listings', 'task_on_time_rate'] });
    expect(byDay.rows).toEqual([
      { day: '2026-11-02', listing_updates: 5, new_listings: 1, task_on_time_rate: 1 }, // N2; T1 due 11-02
      { day: '2026-11-03', listing_updates: 0, new_listings: 1, task_on_time_rate: 0 }, // N1; T2 due 11-03
    ]);
  });

  it('shows an operator their own activity', async () => {
    const u2: Principal = { ...admin, kind: 'user', role: 'operator', userId: 'u2', scope: { all: false, teamIds: ['t2'], storeIds: [], skuIds: [] } };
    const r = await q({ principal: u2, metrics: ['listing_updates', 'cs_replies'] });
    expect(r.total).toEqual({ listing_updates: 1, cs_replies: 1 });
  });

  it('counts videos, lives and active affiliates by the store’s local publishing day', async () => {
    // LA 11-02..11-03: v1 (11-02 12:00), v2 (11-02 22:00), live l1; v4 is LA 11-01, v3 LA 11-04.
    // Affiliates with an item published: c-aff (v2). Affiliate GMV 50 + 30 USD × 7; all content 180 × 7.
    const r = await q({ metrics: ['videos_published', 'lives_hosted', 'creators_active', 'creator_gmv', 'content_gmv'] });
    expect(r.total).toEqual({ videos_published: 2, lives_hosted: 1, creators_active: 1, creator_gmv: 560, content_gmv: 1260 });
    const byOwner = await q({ metrics: ['videos_published'], groupBy: 'owner' });
    expect(byOwner.rows).toEqual([{ owner: 'u1', videos_published: 1 }]);
  });

  it('measures the content buffer at the period end against the last 28 days of publishing', async () => {
    // Ready and unpublished at 11-04T08:00Z: b1, b2 (published 11-05); b3 is ready only after.
    // Videos published in LA 10-07..11-03: v1, v2, v4 → 3 / 28 a day. 2 / (3 / 28) days.
    const r = await q({ metrics: ['content_buffer_days'] });
    expect(r.total.content_buffer_days).toBe(18.6667);
    const later = await q({ metrics: ['content_buffer_days', 'videos_published'], period: 'custom:2026-11-06..2026-11-06' });
    // At 11-07 08:00Z only b1 and b3 wait; v1, v2, v3, v4 and b2 published in the 28 days: 2 / (5 / 28).
    expect(later.total).toEqual({ content_buffer_days: 11.2, videos_published: 0 });
  });
});
