/**
 * `GET /api/v1/charts` end to end through `app.inject`: a real KPI query rendered to a real PNG
 * (checked by its magic bytes and size), bars when grouped, a 422 with the numbers as text when
 * there is nothing to draw, and the same validation and role rules as the KPI API.
 */
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { dropCreatedDatabases, openTestDatabase } from '../helpers/db.ts';
import { prepareFonts } from '../helpers/render.ts';
import { createToken } from '../../src/access/tokens.ts';

afterAll(dropCreatedDatabases);

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('charts route', () => {
  let d: Database;
  beforeAll(async () => {
    prepareFonts();
    d = await openTestDatabase('pglite');
    await d.query(sql`insert into workspaces (id, name, timezone, currency, locale) values ('w', 'W', 'Asia/Shanghai', 'CNY', 'zh-CN')`);
    await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values
      ('w', 'cn1', 'CN1', 'shopify', 'CN', 'CNY', 'Asia/Shanghai'), ('w', 'cn2', 'CN2', 'shopify', 'CN', 'CNY', 'Asia/Shanghai')`);
    for (let i = 1; i <= 10; i++) {
      const day = `2026-11-${String(i).padStart(2, '0')}`;
      await d.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, gross_sales, currency, source)
        values ('w', ${day}, 'cn1', 'A', 'platform', ${i}, ${100 + i * 10}, 'CNY', 'api'), ('w', ${day}, 'cn2', 'B', 'platform', 1, 50, 'CNY', 'api')`);
    }
  });
  afterAll(async () => d?.close());

  it('draws a daily trend as PNG', async () => {
    const { app } = await buildTestApp(d);
    const res = await app.inject({ method: 'GET', url: '/api/v1/charts?metric=gmv&period=custom:2026-11-01..2026-11-10&lang=zh' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.rawPayload.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    const meta = await sharp(res.rawPayload).metadata();
    expect(meta.width).toBeGreaterThanOrEqual(1000); // ≈ 600 CSS px at 2×
  });

  it('draws bars when grouped, in English on request', async () => {
    const { app } = await buildTestApp(d);
    const zh = await app.inject({ method: 'GET', url: '/api/v1/charts?metric=units&period=custom:2026-11-01..2026-11-10&groupBy=store' });
    const en = await app.inject({ method: 'GET', url: '/api/v1/charts?metric=units&period=custom:2026-11-01..2026-11-10&groupBy=store&lang=en' });
    expect(zh.statusCode).toBe(200);
    expect(en.statusCode).toBe(200);
    expect(zh.rawPayload.equals(en.rawPayload)).toBe(false);
  });

  it('answers 422 with the numbers as text when there is nothing to draw', async () => {
    const { app } = await buildTestApp(d);
    const res = await app.inject({ method: 'GET', url: '/api/v1/charts?metric=gmv&period=custom:2026-06-01..2026-06-05' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error: 'chart_unavailable', reason: 'no_data' });
    expect(typeof res.json().fallback).toBe('string');
  });

  it('validates like the KPI API and keeps money from members of the wrong role', async () => {
    const { app } = await buildTestApp(d);
    const bad = await app.inject({ method: 'GET', url: '/api/v1/charts?metric=gvm' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('metric');
    const noMetric = await app.inject({ method: 'GET', url: '/api/v1/charts?period=last_7d' });
    expect(noMetric.json().field).toBe('metric');
    const fin = await createToken(d.db, { workspaceId: 'w', role: 'finance', createdBy: 't' });
    const manager = await app.inject({
      method: 'GET',
      url: '/api/v1/charts?metric=net_profit&period=custom:2026-11-01..2026-11-10',
      headers: { authorization: `Bearer ${fin.token}` },
    });
    // Finance may see profit: 200 or 422 (no cost data), never 403.
    expect([200, 422]).toContain(manager.statusCode);
    await d.query(sql`insert into users (workspace_id, id, display_name) values ('w', 'op', 'Op') on conflict do nothing`);
    const op = await createToken(d.db, { workspaceId: 'w', role: 'operator', userId: 'op', createdBy: 't' });
    const cogs = await app.inject({
      method: 'GET',
      url: '/api/v1/charts?metric=cogs&period=custom:2026-11-01..2026-11-10',
      headers: { authorization: `Bearer ${op.token}` },
    });
    expect(cogs.statusCode).toBe(403);
  });
});
