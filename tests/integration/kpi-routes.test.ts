/**
 * `/api/v1/metrics` and `/api/v1/kpi` through `app.inject`, and the catalogue against the
 * glossary itself: every metric id of kpi-glossary.md §1 must be in it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { METRICS } from '../../src/kpi/catalogue/index.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { dropCreatedDatabases, openTestDatabase } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

const GLOSSARY = join(import.meta.dirname, '../../../shared/design/kpi-glossary.md');

describe('metric catalogue', () => {
  it('holds every metric id of the glossary §1 tables', () => {
    const text = readFileSync(GLOSSARY, 'utf8');
    const section = text.slice(text.indexOf('## 1. Metric catalogue'), text.indexOf('## 2. Base facts'));
    const ids = [...section.matchAll(/^\| (?:\*\*)?([a-z][a-z0-9_]*)(?:\*\*)? \|/gm)].map((m) => m[1]!);
    ids.splice(ids.indexOf('id'), 1); // the table header
    expect(ids.length).toBeGreaterThan(80);
    const ours = new Set(METRICS.map((m) => m.id));
    expect(ids.filter((id) => !ours.has(id))).toEqual([]);
    expect(new Set(METRICS.map((m) => m.id)).size).toBe(METRICS.length);
  });
});

describe('KPI routes', () => {
  let d: Database;
  beforeAll(async () => {
    d = await openTestDatabase('pglite');
    await d.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('w', 'W', 'Asia/Shanghai', 'CNY', 'zh-CN')`);
    await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values ('w', 'cn', 'CN', 'shopify', 'CN', 'CNY', 'Asia/Shanghai')`);
    await d.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, gross_sales, currency, source)
      values ('w', '2026-11-01', 'cn', 'A', 'platform', 3, 120.5, 'CNY', 'api'), ('w', '2026-11-02', 'cn', 'A', 'platform', 1, 30, 'CNY', 'api')`);
    await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values ('w', 'us', 'US', 'amazon', 'US', 'USD', 'Asia/Shanghai')`);
    await d.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, gross_sales, currency, source)
      values ('w', '2026-11-01', 'us', 'B', 'fba', 1, 10, 'USD', 'api')`);
    await d.query(sql`insert into fx_rates (workspace_id, date, from_ccy, to_ccy, rate, source) values ('w', '2026-11-01', 'USD', 'CNY', 7.2, 'test')`);
    await d.query(sql`insert into budget_fx_rates (workspace_id, period_id, from_ccy, to_ccy, rate, set_by) values ('w', 'year:2026', 'USD', 'CNY', 7, 'dave')`);
    await d.query(sql`insert into users (workspace_id, id, display_name) values ('w', 'carol', 'Carol')`);
    await d.query(sql`insert into ownership (workspace_id, scope_type, scope_id, user_id, valid_from) values ('w', 'store', 'us', 'carol', '2026-01-01')`);
  });
  afterAll(async () => d?.close());

  it('lists the catalogue with names in both languages', async () => {
    const { app } = await buildTestApp(d);
    const res = await app.inject({ method: 'GET', url: '/api/v1/metrics' });
    const gmv = res.json().metrics.find((m: { id: string }) => m.id === 'gmv');
    expect(gmv).toEqual({ id: 'gmv', name: { en: 'GMV', zh: '销售额' }, unit: 'money', direction: 'higher', aggregation: 'sum', custom: false, computed: true });
  });

  it('answers /api/v1/kpi in the documented shape', async () => {
    const { app } = await buildTestApp(d);
    const res = await app.inject({ method: 'GET', url: '/api/v1/kpi?metrics=gmv,units&period=custom:2026-11-01..2026-11-02&groupBy=day' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      period: { id: 'custom:2026-11-01..2026-11-02', from: '2026-11-01', to: '2026-11-02' },
      currency: 'CNY',
      total: { gmv: 222.5, units: 5 },
      rows: [{ day: '2026-11-01', gmv: 192.5, units: 4 }, { day: '2026-11-02', gmv: 30, units: 1 }], // 120.5 + 10 USD × 7.2
    });
  });

  it('takes fx=budget and the filters below the store', async () => {
    const { app } = await buildTestApp(d);
    // 10 USD at the year:2026 budget rate 7 (the daily rate is 7.2); carol owns the us store.
    const res = await app.inject({ method: 'GET', url: '/api/v1/kpi?metrics=gmv&period=custom:2026-11-01..2026-11-01&fx=budget&owner=carol' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ total: { gmv: 70 }, fx: { mode: 'budget', budgetPeriods: ['year:2026'] } });
    const byOwner = await app.inject({ method: 'GET', url: '/api/v1/kpi?metrics=gmv&period=custom:2026-11-01..2026-11-01&groupBy=owner' });
    expect(byOwner.json().rows).toEqual([{ owner: 'carol', gmv: 72 }]);
  });

  it('names the bad parameter and what it accepts', async () => {
    const { app } = await buildTestApp(d);
    const cases: [string, string][] = [
      ['/api/v1/kpi?metrics=gvm', 'metrics'],
      ['/api/v1/kpi?metrics=gmv&period=fortnight', 'period'],
      ['/api/v1/kpi?metrics=gmv&groupBy=planet', 'groupBy'],
      ['/api/v1/kpi?metrics=gmv&compare=later', 'compare'],
      ['/api/v1/kpi?metrics=gmv&fx=weekly', 'fx'],
      ['/api/v1/kpi?metrics=gmv&groupBy=shelf', 'groupBy'],
      ['/api/v1/kpi?period=last_7d', 'metrics'],
    ];
    for (const [url, field] of cases) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().field, url).toBe(field);
    }
    const hint = await app.inject({ method: 'GET', url: '/api/v1/kpi?metrics=gvm' });
    expect(hint.json().message).toContain('did you mean gmv');
  });

  it('documents the KPI routes in the OpenAPI document', async () => {
    const { app } = await buildTestApp(d);
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/metrics', '/api/v1/kpi', '/api/v1/audit']));
    const params = doc.paths['/api/v1/kpi'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(expect.arrayContaining(['metrics', 'period', 'groupBy', 'compare', 'currency', 'fx', 'store', 'team', 'category', 'parent_sku', 'owner', 'ad_group', 'warehouse']));
    const groupBy = doc.paths['/api/v1/kpi'].get.parameters.find((p: { name: string }) => p.name === 'groupBy');
    expect(groupBy.schema.enum).toEqual(expect.arrayContaining(['category', 'parent_sku', 'owner', 'ad_group', 'warehouse']));
  });
});
