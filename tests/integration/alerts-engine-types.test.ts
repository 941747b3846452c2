/**
 * Every rule type fires and resolves on a hand-made fixture, on both engines: sudden change vs
 * the anomaly baseline (off with the reason when history is short), days of cover against each
 * SKU's lead time, goal RAG (the announced colour after hysteresis), account-health red lines,
 * data freshness per source, and a threshold on a custom metric.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { evaluateWorkspace } from '../../src/alerts/evaluate/run.ts';
import { addCustomMetric } from '../../src/insights/custom-metrics/service.ts';
import { adminPrincipal } from '../../src/access/principal.ts';
import { addDays } from '../../src/kpi/dates.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases } from '../helpers/db.ts';
import { NOW, insertRule, liveAlerts, seedEngine } from '../alerts/engine-fixture.ts';

afterAll(dropCreatedDatabases);

const LATER = new Date(NOW.getTime() + 3600_000);

/**
 * Store us, SKU A1, 60 days 09-11 … 11-09: gross sales 100, 101, 102 in turn, 1 unit a day; the
 * last day 300 (≈ +197 % vs a same-weekday median of about 101). Store sg: 10 days only.
 */
async function seedSales(d: Database): Promise<void> {
  const rows: string[] = [];
  let i = 0;
  for (let day = '2026-09-11'; day <= '2026-11-09'; day = addDays(day, 1), i++) {
    const gs = day === '2026-11-09' ? 300 : 100 + (i % 3);
    rows.push(`('w', '${day}', 'us', 'A1', 'fba', 1, ${gs}, 'USD', 'api')`);
    if (day >= '2026-10-31') rows.push(`('w', '${day}', 'sg', 'S1', 'fbm', 1, 50, 'USD', 'api')`);
  }
  await d.query(sql.raw(`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, gross_sales, currency, source) values ${rows.join(', ')}`));
}

describe.each(ENGINES)('alert rule types on %s', (engine) => {
  let d: Database;
  databaseHooks(engine, (x) => (d = x), async (x) => {
    await seedEngine(x);
    await seedSales(x);
  });

  it('sudden change fires on the spike, is off with the reason on short history, and resolves', async () => {
    await insertRule(d, { type: 'sudden_change', name: 'GMV change', metricId: 'gmv', condition: { op: 'change', value: 0.3, minZ: 3 }, scope: { per: 'store' }, windowDays: 28, minSample: '50' });
    const [r] = await evaluateWorkspace(d, { workspaceId: 'w', now: NOW });
    expect(r!.outcome.fired.map((f) => f.scopeKey)).toEqual(['store:us']);
    expect(r!.outcome.fired[0]!.value).toBe(300);
    expect(r!.outcome.off.some((o) => o.startsWith('sg: not enough'))).toBe(true);
    await d.query(sql`update fact_sales_daily set gross_sales = 101 where date = '2026-11-09' and store_id = 'us'`);
    await evaluateWorkspace(d, { workspaceId: 'w', now: LATER });
    expect((await liveAlerts(d)).map((a) => a.status)).toEqual(['resolved']);
  });

  it('days of cover below 1 × lead time lists the SKU, and resolves after restocking', async () => {
    // A1: 30 units in the 30 days to 11-09 → velocity 1/day; 20 available → 20 days < 30 lead time.
    await d.query(sql`insert into fact_inventory_daily (workspace_id, snapshot_date, store_id, sku_id, warehouse_id, on_hand_units, reserved_units, inbound_units, currency, source)
      values ('w', '2026-11-09', 'us', 'A1', 'fba', 20, 0, 0, 'USD', 'api')`);
    await insertRule(d, { type: 'threshold', name: 'Cover', metricId: 'days_of_cover', condition: { op: '<', value: 1, of: 'lead_time' }, scope: { per: 'sku' }, windowDays: 30 });
    await evaluateWorkspace(d, { workspaceId: 'w', now: NOW });
    const [a] = await liveAlerts(d);
    expect(a!.scope_key).toBe('store:us');
    expect(Number(a!.value)).toBe(20);
    expect(Number(a!.threshold)).toBe(30);
    expect((a!.details['items'] as { label: string }[]).map((i) => i.label)).toEqual(['A1 Kettle']);
    await d.query(sql`update fact_inventory_daily set on_hand_units = 40`);
    await evaluateWorkspace(d, { workspaceId: 'w', now: LATER });
    expect((await liveAlerts(d))[0]!.status).toBe('resolved');
  });

  it('goal RAG: an announced red opens an alert for the goal, red → green resolves it', async () => {
    await d.query(sql`insert into goals (workspace_id, metric_id, scope_level, scope_id, owner_user_id, period_id, period_start, period_end, target, currency, status, created_by, last_announced_rag)
      values ('w', 'gmv', 'store', 'us', 'carol', 'month:2026-11', '2026-11-01', '2026-11-30', 10000, 'USD', 'active', 'alice', 'red')`);
    await insertRule(d, { type: 'pace', name: 'Goal red', scope: { per: 'goal' }, windowDays: 1 });
    await evaluateWorkspace(d, { workspaceId: 'w', now: NOW });
    const [a] = await liveAlerts(d);
    expect(a).toMatchObject({ status: 'open' });
    expect(a!.scope_key).toMatch(/^goal:\d+$/);
    expect(a!.details['ownerUserIds']).toEqual(['carol']);
    await d.query(sql`update goals set last_announced_rag = 'green'`);
    await evaluateWorkspace(d, { workspaceId: 'w', now: LATER });
    expect((await liveAlerts(d))[0]!.status).toBe('resolved');
  });

  it('account-health red lines: ODR 1 % breaches Amazon’s red line (critical); 0 % resolves', async () => {
    // 60 days × 100 orders, 1 defect a day → 60 / 6000 = 1 % ≥ 1 %.
    const rows: string[] = [];
    for (let day = '2026-09-11'; day <= '2026-11-09'; day = addDays(day, 1)) rows.push(`('w', '${day}', 'us', 100, 1, 'api')`);
    await d.query(sql.raw(`insert into fact_service_daily (workspace_id, date, store_id, orders_distinct, defect_orders, source) values ${rows.join(', ')}`));
    await insertRule(d, { type: 'red_line', name: 'Red lines', scope: { per: 'store' }, windowDays: 7 });
    await evaluateWorkspace(d, { workspaceId: 'w', now: NOW });
    const [a] = await liveAlerts(d);
    expect(a).toMatchObject({ scope_key: 'store:us', severity: 'critical', status: 'open' });
    expect((a!.details['items'] as { label: string }[]).map((i) => i.label)).toEqual(['odr']);
    await d.query(sql`update fact_service_daily set defect_orders = 0`);
    await evaluateWorkspace(d, { workspaceId: 'w', now: LATER });
    expect((await liveAlerts(d))[0]!.status).toBe('resolved');
  });

  it('freshness: a store whose orders never arrived is critical; a fresh run resolves it', async () => {
    await insertRule(d, { type: 'freshness', name: 'Freshness', scope: { per: 'store' }, windowDays: 1 });
    await evaluateWorkspace(d, { workspaceId: 'w', now: NOW });
    const live = await liveAlerts(d);
    // Stores are evaluated in id order: sg, then us.
    expect(live.map((a) => [a.scope_key, a.severity])).toEqual([['store:sg', 'critical'], ['store:us', 'critical']]);
    const cover = (store: string) => JSON.stringify({ [store]: { from: '2026-11-01', through: '2026-11-09', rows: 3 } });
    await d.query(sql`insert into sync_runs (workspace_id, kind, dataset, source, coverage, status, started_at, finished_at) values
      ('w', 'import', 'orders', 'api', ${cover('us')}::jsonb, 'ok', '2026-11-10T10:00:00Z', '2026-11-10T10:01:00Z')`);
    await evaluateWorkspace(d, { workspaceId: 'w', now: LATER });
    expect((await liveAlerts(d)).map((a) => [a.scope_key, a.status]).sort()).toEqual([['store:sg', 'open'], ['store:us', 'resolved']]);
  });

  it('a threshold on a custom metric', async () => {
    await addCustomMetric(d, await adminPrincipal(d, 'w', 'system'), { id: 'spend_per_click', formula: 'ad_spend / clicks', unit: 'money', direction: 'down', name: { en: 'Spend per click', zh: '单次点击花费' } });
    await insertRule(d, { type: 'threshold', name: 'CPC', metricId: 'spend_per_click', condition: { op: '>', value: 3 }, scope: { per: 'store' } });
    // us: (245 + 315 + 35) / (70 + 70 + 7) = 595 / 147 ≈ 4.05 > 3; sg: 70 / 70 = 1.
    const [r] = await evaluateWorkspace(d, { workspaceId: 'w', now: NOW });
    expect(r!.error).toBeUndefined();
    expect(r!.outcome.fired.map((f) => f.scopeKey)).toEqual(['store:us']);
    // 4.0476… rounded to cents by the KPI engine (a money unit).
    expect(r!.outcome.fired[0]!.value).toBe(4.05);
    expect(r!.outcome.clear).toEqual(['store:sg']);
  });
});
