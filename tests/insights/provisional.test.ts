/**
 * Provisional marks (glossary §3.9): ad-attributed values of each store's last N complete days
 * (workspace setting, default 3) and profit of the last 14 days. The marks follow the
 * clock: asked a day later, the window moves a day; a calendar period that ended long ago has
 * none. N is `settings.insights.attributionDays`. Both through the pure rule and through queryKpi and `/api/v1/kpi` with an explicit `now`.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import { metricById } from '../../src/kpi/catalogue/index.ts';
import { addDays, localDate } from '../../src/kpi/dates.ts';
import { attributionDaysOf, provisionalDays, provisionalMarks } from '../../src/kpi/provisional.ts';
import { queryKpi } from '../../src/kpi/query.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { ENGINES, dropCreatedDatabases, openTestDatabase } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

const admin: Principal = { kind: 'system', workspaceId: 'w', role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: true };
const def = (id: string) => metricById(id)!;

describe('the provisional rule', () => {
  it('marks ad-attributed metrics for N days and profit for 14, nothing else', () => {
    expect(provisionalDays(def('acos'), 3)).toBe(3); // reads A.attributed_sales
    expect(provisionalDays(def('ad_orders'), 3)).toBe(3);
    expect(provisionalDays(def('roas'), 5)).toBe(5);
    expect(provisionalDays(def('ad_spend'), 3)).toBe(0); // spend is billed, not attributed
    expect(provisionalDays(def('gmv'), 3)).toBe(0);
    expect(provisionalDays(def('net_profit'), 3)).toBe(14);
    expect(provisionalDays(def('gross_margin'), 3)).toBe(14);
    expect(attributionDaysOf({})).toBe(3);
    expect(attributionDaysOf({ insights: { attributionDays: 7 } })).toBe(7);
    expect(attributionDaysOf({ insights: { attributionDays: 0 } })).toBe(0);
    expect(attributionDaysOf({ insights: { attributionDays: 99 } })).toBe(3); // out of range: the default, as for every insight setting
    expect(attributionDaysOf({ insights: { attributionDays: 2.5 } })).toBe(3);
  });

  it('counts back from each store’s own last complete day and moves with it', () => {
    const ranges = [{ storeId: 'us', from: '2026-11-14', to: '2026-11-20' }, { storeId: 'cn', from: '2026-11-15', to: '2026-11-21' }];
    const last = { us: '2026-11-20', cn: '2026-11-21' } as Record<string, string>;
    // acos, 3 days: us 11-18..11-20, cn 11-19..11-21 → 11-18..11-21, final once 11-21 + 3 = 11-24 is in.
    expect(provisionalMarks([def('acos'), def('gmv')], ranges, (s) => last[s], 3)).toEqual({ acos: { from: '2026-11-18', to: '2026-11-21', until: '2026-11-24' } });
    // A day later every window moves by one day.
    const next = ranges.map((r) => ({ ...r, from: addDays(r.from, 1), to: addDays(r.to, 1) }));
    expect(provisionalMarks([def('acos')], next, (s) => addDays(last[s]!, 1), 3)).toEqual({ acos: { from: '2026-11-19', to: '2026-11-22', until: '2026-11-25' } });
    // Profit: 14 days back covers the whole 7-day period.
    expect(provisionalMarks([def('net_profit')], ranges, (s) => last[s], 3)).toEqual({ net_profit: { from: '2026-11-14', to: '2026-11-21', until: '2026-12-05' } });
    // A month that ended before the windows: nothing provisional.
    expect(provisionalMarks([def('acos'), def('net_profit')], [{ storeId: 'us', from: '2026-10-01', to: '2026-10-31' }], (s) => last[s], 3)).toEqual({});
  });
});

describe.each(ENGINES)('provisional marks in results on %s', (engine) => {
  let d: Database;
  beforeAll(async () => {
    d = await openTestDatabase(engine);
    await d.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('w', 'W', 'Asia/Shanghai', 'USD', 'en')`);
    await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values
      ('w', 'us', 'US', 'amazon', 'US', 'USD', 'America/Los_Angeles'), ('w', 'sg', 'SG', 'shopee', 'SG', 'USD', 'Asia/Singapore')`);
  });
  afterAll(async () => d?.close());

  it('marks the last 3 days of ACoS and 14 of profit, and the marks move with the clock', async () => {
    // 2026-11-21 12:00 UTC: Los Angeles 04:00 on 11-21 (last complete day 11-20), Singapore 20:00 (11-20).
    const now = new Date('2026-11-21T12:00:00Z');
    const r = await queryKpi(d, { workspaceId: 'w', metrics: ['acos', 'gmv', 'net_profit'], period: 'last_7d', principal: admin, now });
    expect(r.period).toMatchObject({ from: '2026-11-14', to: '2026-11-20' });
    expect(r.provisional).toEqual({
      acos: { from: '2026-11-18', to: '2026-11-20', until: '2026-11-23' },
      net_profit: { from: '2026-11-14', to: '2026-11-20', until: '2026-12-04' },
    });
    // 12 hours later Singapore has closed 11-21 and Los Angeles has not: the windows differ per store.
    const later = await queryKpi(d, { workspaceId: 'w', metrics: ['acos'], period: 'last_7d', principal: admin, now: new Date('2026-11-22T00:00:00Z') });
    expect(later.period.storeDays).toEqual({ us: { from: '2026-11-14', to: '2026-11-20' }, sg: { from: '2026-11-15', to: '2026-11-21' } });
    expect(later.provisional).toEqual({ acos: { from: '2026-11-18', to: '2026-11-21', until: '2026-11-24' } });
    // A week later, last week's ACoS is settled; profit still is not.
    const week = await queryKpi(d, { workspaceId: 'w', metrics: ['acos', 'net_profit'], period: 'custom:2026-11-14..2026-11-20', principal: admin, now: new Date('2026-11-28T12:00:00Z') });
    expect(week.provisional).toEqual({ net_profit: { from: '2026-11-14', to: '2026-11-20', until: '2026-12-04' } });
  });

  it('follows the workspace setting insights.attributionDays', async () => {
    await d.query(sql`update workspaces set settings = '{"insights": {"attributionDays": 5}}'::jsonb where id = 'w'`);
    const r = await queryKpi(d, { workspaceId: 'w', metrics: ['roas'], period: 'last_7d', principal: admin, now: new Date('2026-11-21T12:00:00Z') });
    expect(r.provisional).toEqual({ roas: { from: '2026-11-16', to: '2026-11-20', until: '2026-11-25' } });
    await d.query(sql`update workspaces set settings = '{}'::jsonb where id = 'w'`);
  });

  it('shows them in /api/v1/kpi', async () => {
    const { app } = await buildTestApp(d);
    const res = await app.inject({ method: 'GET', url: '/api/v1/kpi?metrics=ad_sales,ad_spend&period=yesterday' });
    expect(res.statusCode).toBe(200);
    // Yesterday is each store's last complete day: provisional, settled 3 days later.
    const last = [localDate('America/Los_Angeles', new Date()), localDate('Asia/Singapore', new Date())].map((x) => addDays(x, -1)).sort();
    expect(res.json().provisional).toEqual({ ad_sales: { from: last[0], to: last[1], until: addDays(last[1]!, 3) } });
  });
});
