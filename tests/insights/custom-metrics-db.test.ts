/**
 * Custom metrics end to end on both engines: an admin adds them (others are refused with a
 * reason), the engine evaluates them in queries (total, by store, ratio of sums, zero totals),
 * goals accept and evaluate them, removal is refused while something uses them, and the REST
 * routes list, add and remove them with 4xx reasons for bad input. Expected numbers are worked
 * out by hand in the comments.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/access/tokens.ts';
import type { Database } from '../../src/db/client.ts';
import { insertRows } from '../../src/demo/bulk-insert.ts';
import { createGoal } from '../../src/goals/create.ts';
import { computeProgress } from '../../src/goals/progress.ts';
import { getGoal } from '../../src/goals/repo.ts';
import { addCustomMetric, CustomMetricError, listCustomMetrics, removeCustomMetric } from '../../src/insights/custom-metrics/service.ts';
import { queryKpi } from '../../src/kpi/query.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases } from '../helpers/db.ts';
import { days, deps, sales, seedGoalOrg, who, WS } from '../helpers/goals-fixture.ts';

afterAll(dropCreatedDatabases);

async function ads(d: Database, store: string, rows: [string, number][]): Promise<void> {
  await insertRows(d.db, 'fact_ads_daily', rows.map(([date, spend]) => ({
    workspace_id: WS, date, store_id: store, ad_platform: 'amazon_sp', campaign_id: `${store}-c`, ad_group_id: `${store}-g`, sku_id: `${store}-sku`,
    impressions: 1000, clicks: 10, spend: spend.toFixed(2), attributed_sales: '0', attributed_orders: 0, attributed_units: 0, currency: 'USD', source: 'api',
  })));
}

async function refusal(p: Promise<unknown>): Promise<CustomMetricError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CustomMetricError) return err;
    throw err;
  }
  throw new Error('not refused');
}

const AD_MARGIN = { id: 'ad_margin', formula: '(gross_sales - ad_spend) / gross_sales', unit: 'percent', direction: 'up', name: { en: 'Margin after ads', zh: '广告后毛利率' } };

describe.each(ENGINES)('custom metrics on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), seedGoalOrg);
  const P = 'custom:2026-06-01..2026-06-02';
  const NOW = new Date('2026-07-01T12:00:00Z');

  async function seedJune() {
    // us-main: gross 100 and 300, spend 50 and 30. us-outlet: no sales (gross 0), spend 10.
    await sales(d, 'us-main', 'USD', [['2026-06-01', 100], ['2026-06-02', 300]]);
    await sales(d, 'us-outlet', 'USD', [['2026-06-01', 0]]);
    await ads(d, 'us-main', [['2026-06-01', 50], ['2026-06-02', 30]]);
    await ads(d, 'us-outlet', [['2026-06-01', 10]]);
  }

  it('only admins add them; others are refused with the reason', async () => {
    const carol = await who(d, 'carol');
    const e = await refusal(addCustomMetric(d, carol, AD_MARGIN));
    expect(e).toMatchObject({ code: 'forbidden', status: 403, field: 'role' });
    expect(e.zh).toContain('只有管理员');
    const alice = await who(d, 'alice');
    const def = await addCustomMetric(d, alice, AD_MARGIN);
    expect(def).toMatchObject({ id: 'ad_margin', unit: 'ratio', direction: 'higher', aggregation: 'ratio', name: { en: 'Margin after ads', zh: '广告后毛利率' } });
    const [row] = await d.query<{ formula: string; unit: string; created_by: string }>(sql`select formula, unit, created_by from custom_metrics where workspace_id = ${WS}`);
    expect(row).toEqual({ formula: AD_MARGIN.formula, unit: 'ratio', created_by: 'alice' });
    const [audit] = await d.query<{ action: string; entity_id: string }>(sql`select action, entity_id from audit_log where entity = 'custom_metric'`);
    expect(audit).toEqual({ action: 'create', entity_id: 'ad_margin' });
  });

  it('refuses bad input: unknown names, ids taken, a self-reference, 10,000 characters', async () => {
    const alice = await who(d, 'alice');
    const unknown = await refusal(addCustomMetric(d, alice, { ...AD_MARGIN, formula: '(gross_sales - ad_spnd) / gross_sales' }));
    expect(unknown).toMatchObject({ code: 'invalid_argument', field: 'formula', pos: 16, suggestion: 'ad_spend' });
    expect(unknown.message).toContain('did you mean ad_spend?');
    expect((await refusal(addCustomMetric(d, alice, { ...AD_MARGIN, id: 'gmv' }))).code).toBe('conflict');
    expect((await refusal(addCustomMetric(d, alice, { ...AD_MARGIN, id: 'sales' }))).message).toBe('sales already means gmv in chat; pick another id');
    expect((await refusal(addCustomMetric(d, alice, { ...AD_MARGIN, id: 'loop', formula: 'loop + 1' }))).message).toContain('refers to itself');
    const long = await refusal(addCustomMetric(d, alice, { ...AD_MARGIN, id: 'long', formula: 'gmv+'.repeat(2500) }));
    expect(long).toMatchObject({ code: 'invalid_argument', field: 'formula' });
    expect(long.message).toContain('at most 500 characters');
    expect((await refusal(addCustomMetric(d, alice, { ...AD_MARGIN, id: 'x', unit: 'furlongs' }))).field).toBe('id');
    expect((await refusal(addCustomMetric(d, alice, { ...AD_MARGIN, id: 'xx', unit: 'furlongs' }))).field).toBe('unit');
    await addCustomMetric(d, alice, AD_MARGIN);
    expect((await refusal(addCustomMetric(d, alice, AD_MARGIN))).code).toBe('conflict');
  });

  it('evaluates in queries as a ratio of sums, by store, with null and a reason for zero totals', async () => {
    await seedJune();
    await addCustomMetric(d, await who(d, 'alice'), AD_MARGIN);
    const admin = await who(d, 'alice');
    const r = await queryKpi(d, { workspaceId: WS, metrics: ['ad_margin', 'gmv'], period: P, groupBy: 'store', currency: 'USD', principal: admin, now: NOW });
    // Total: gross 400, spend 90 → (400 − 90) / 400 = 0.775. us-main: (400 − 80) / 400 = 0.8 (the
    // average of its daily margins 0.5 and 0.9 would be 0.7). us-outlet: gross 0 → null.
    expect(r.total).toEqual({ ad_margin: 0.775, gmv: 400 });
    expect(r.rows).toEqual([
      { store: 'us-main', ad_margin: 0.8, gmv: 400 },
      { store: 'us-outlet', ad_margin: null, gmv: 0 },
    ]);
    const outlet = await queryKpi(d, { workspaceId: WS, metrics: ['ad_margin'], period: P, filters: { store: ['us-outlet'] }, currency: 'USD', principal: admin, now: NOW });
    expect(outlet.total.ad_margin).toBeNull();
    expect(outlet.missing).toEqual({ ad_margin: 'zero_denominator' });
    // By day, each day's own ratio: 06-01 (100 − 60) / 100 = 0.4; 06-02 (300 − 30) / 300 = 0.9.
    const daily = await queryKpi(d, { workspaceId: WS, metrics: ['ad_margin'], period: P, groupBy: 'day', currency: 'USD', principal: admin, now: NOW });
    expect(daily.rows).toEqual([{ day: '2026-06-01', ad_margin: 0.4 }, { day: '2026-06-02', ad_margin: 0.9 }]);
  });

  it('builds on other custom metrics and refuses removing one that is used', async () => {
    await seedJune();
    const alice = await who(d, 'alice');
    await addCustomMetric(d, alice, { id: 'ads_net', formula: 'gross_sales - ad_spend', unit: 'money', direction: 'up' });
    const share = await addCustomMetric(d, alice, { id: 'ads_net_share', formula: 'ads_net / gmv', unit: 'percent', direction: 'up' });
    expect(share.aggregation).toBe('ratio');
    const r = await queryKpi(d, { workspaceId: WS, metrics: ['ads_net', 'ads_net_share'], period: P, currency: 'USD', principal: alice, now: NOW });
    expect(r.total).toEqual({ ads_net: 310, ads_net_share: 0.775 }); // 400 − 90; 310 / 400
    const used = await refusal(removeCustomMetric(d, alice, 'ads_net'));
    expect(used).toMatchObject({ code: 'conflict', message: 'ads_net is used by ads_net_share; remove those first' });
    expect((await refusal(removeCustomMetric(d, await who(d, 'carol'), 'ads_net_share'))).code).toBe('forbidden');
    await removeCustomMetric(d, alice, 'ads_net_share');
    await removeCustomMetric(d, alice, 'ads_net');
    expect(await listCustomMetrics(d, WS)).toEqual([]);
    expect((await refusal(removeCustomMetric(d, alice, 'ads_net'))).code).toBe('not_found');
  });

  it('takes goals and evaluates them through the engine', async () => {
    const alice = await who(d, 'alice');
    await addCustomMetric(d, alice, { id: 'ads_net', formula: 'gross_sales - ad_spend', unit: 'money', direction: 'up', name: 'Sales after ads' });
    await sales(d, 'us-main', 'USD', days('2026-07-01', 10).map((x) => [x, 900]));
    await ads(d, 'us-main', days('2026-07-01', 10).map((x) => [x, 100]));
    const { goal } = await createGoal(deps(d, '2026-06-20T00:00:00Z'), alice, { metric: 'ads_net', target: 31_000, period: 'month:2026-07', scope: { level: 'store', id: 'us-main' }, owner: 'carol' });
    expect(goal).toMatchObject({ metricId: 'ads_net', currency: 'USD', status: 'active' });
    // 2026-07-11 12:00 UTC is 05:00 in Los Angeles: the last complete day is 07-10.
    // Actual 10 × (900 − 100) = 8,000; expected 31,000 × 10 / 31 = 10,000 → pace 0.8, red.
    const p = await computeProgress({ database: d, now: new Date('2026-07-11T12:00:00Z') }, (await getGoal(d.db, WS, goal.id))!);
    expect(p.pacing).toMatchObject({ asOf: '2026-07-10', actualToDate: 8000 });
    expect(p.pacing.expectedToDate).toBeCloseTo(10_000, 6);
    expect(p.pacing.pace).toBeCloseTo(0.8, 9);
    expect(p.rag.rag).toBe('red');
    // A goal keeps its metric: removing it is refused until the goal is closed.
    expect((await refusal(removeCustomMetric(d, alice, 'ads_net'))).message).toBe('ads_net has 1 open goal(s); close them first');
  });

  it('REST: lists, adds and removes them; 4xx with the reason for bad input and non-admins', async () => {
    await seedJune();
    const { app } = await buildTestApp(d);
    const operator = (await createToken(d.db, { workspaceId: WS, role: 'operator', userId: 'carol', createdBy: 'test' })).token;
    const post = (payload: unknown, token?: string) =>
      app.inject({ method: 'POST', url: '/api/v1/metrics', payload: payload as Record<string, unknown>, headers: token ? { authorization: `Bearer ${token}` } : {} });

    const added = await post(AD_MARGIN);
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ id: 'ad_margin', unit: 'ratio', direction: 'higher', aggregation: 'ratio', custom: true, formula: AD_MARGIN.formula });
    const list = (await app.inject({ method: 'GET', url: '/api/v1/metrics' })).json().metrics as { id: string; custom: boolean }[];
    expect(list.find((m) => m.id === 'ad_margin')).toMatchObject({ custom: true, name: { en: 'Margin after ads', zh: '广告后毛利率' } });
    expect(list.find((m) => m.id === 'gmv')).toMatchObject({ custom: false });

    const kpi = await app.inject({ method: 'GET', url: `/api/v1/kpi?metrics=ad_margin&period=${P}&currency=USD` });
    expect(kpi.statusCode).toBe(200);
    expect(kpi.json().total).toEqual({ ad_margin: 0.775 });

    const bad = await post({ ...AD_MARGIN, id: 'bad', formula: 'gmv / (orders' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'invalid_argument', field: 'formula', position: 14 });
    const typo = await post({ ...AD_MARGIN, id: 'typo', formula: 'gmvv / orders' });
    expect(typo.json()).toMatchObject({ position: 1, suggestion: 'gmv' });
    const long = await post({ ...AD_MARGIN, id: 'long', formula: 'x'.repeat(10_000) });
    expect(long.statusCode).toBe(400);
    expect(long.json().message).toContain('at most 500 characters (this one has 10000)');
    const forbidden = await post({ ...AD_MARGIN, id: 'mine' }, operator);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toMatchObject({ error: 'forbidden', message: 'only admins add or remove custom metrics' });
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/metrics/ad_margin', headers: { authorization: `Bearer ${operator}` } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/metrics/ad_margin' })).statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/metrics/ad_margin' })).statusCode).toBe(404);
    const gone = await app.inject({ method: 'GET', url: `/api/v1/kpi?metrics=ad_margin&period=${P}` });
    expect(gone.statusCode).toBe(400);
  });
});
