/**
 * The data routes over HTTP on both engines: uploads past Fastify's 1 MiB default (raw CSV and
 * multipart XLSX), a 2 GB body refused with 413 before it is read, dry runs and the downloadable
 * row report, the signed push with every 401 case, and streamed exports escaped against
 * formula injection.
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { xlsxChunks } from '../../src/ingest/export/xlsx-write.ts';
import { signPush } from '../../src/ingest/push/signature.ts';
import { openTabularFile } from '../../src/ingest/source/open.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, insertWorkspace } from '../helpers/db.ts';
import { buildTestApp } from '../helpers/build-app.ts';

afterAll(dropCreatedDatabases);

const SECRET = 'push-secret-0123456789abcdef';

async function seed(d: Database): Promise<void> {
  await insertWorkspace(d, { id: 'w', currency: 'USD', timezone: 'Asia/Shanghai' });
  await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone)
    values ('w', 'us-main', 'US Main', 'amazon', 'US', 'USD', 'America/Los_Angeles')`);
}

async function* list<T>(xs: T[]): AsyncGenerator<T> {
  yield* xs;
}

function multipart(boundary: string, fileName: string, bytes: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

describe.each(ENGINES)('data routes on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), seed);

  it('streams a raw CSV larger than the 1 MiB default body limit', async () => {
    const { app } = await buildTestApp(d);
    // 400 days × 60 SKUs = 24,000 rows of ~60 bytes ≈ 1.5 MB; each row: 1 unit, 10.00.
    let csv = 'date,store_id,sku_id,units_ordered,order_count,gross_sales,note\n';
    for (let i = 0; i < 400; i++) {
      const day = new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10);
      for (let s = 0; s < 60; s++) csv += `${day},us-main,SKU-${String(s).padStart(3, '0')},1,1,10.00,padding-padding\n`;
    }
    expect(csv.length).toBeGreaterThan(1024 * 1024);
    const res = await app.inject({ method: 'POST', url: '/api/v1/imports/orders', headers: { 'content-type': 'text/csv' }, payload: csv });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', rowsAccepted: 24_000, rowsWritten: 24_000, created: { skus: 60 } });
    const [sum] = await d.query<{ n: number; g: string }>(sql`select count(*)::int as n, sum(gross_sales)::text as g from fact_sales_daily`);
    expect(sum).toEqual({ n: 24_000, g: '240000.0000' });
  });

  it('imports a multipart XLSX with Chinese headers; dry run writes nothing and the report downloads', async () => {
    const { app } = await buildTestApp(d);
    const header = ['日期', '店铺', '广告活动', '广告组', '广告SKU', '曝光量', '点击量', '花费', '广告销售额'];
    const rows = [
      ['2026-11-01', 'us-main', 'Brand', 'Exact', 'A-1', 1000, 20, 10, 40],
      ['2026-11-02', 'us-main', 'Brand', 'Exact', 'A-1', 3000, 40, 30, 80],
      ['2026-11-02', 'us-main', 'Brand', null, null, -5, 1, 1, 0],
    ];
    const xlsx = Buffer.concat(await (async () => { const out: Uint8Array[] = []; for await (const c of xlsxChunks(header, list(rows))) out.push(c); return out; })());
    const body = multipart('XyZ', 'ads.xlsx', xlsx);
    const headers = { 'content-type': 'multipart/form-data; boundary=XyZ' };
    const dry = await app.inject({ method: 'POST', url: '/api/v1/imports/ads?dryRun=1', headers, payload: body });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ status: 'partial', dryRun: true, rowsAccepted: 2, rowsRejected: 1, rowsWritten: 0, created: { campaigns: 1, ad_groups: 1, skus: 1 } });
    expect((await d.query(sql`select * from fact_ads_daily`)).length).toBe(0);
    const report = await app.inject({ method: 'GET', url: `/api/v1/imports/runs/${dry.json().runId}?format=csv` });
    expect(report.headers['content-type']).toMatch(/text\/csv/);
    expect(report.body).toBe("\ufeffrow,column,value,code,reason\r\n4,impressions,'-5,negative,a count cannot be negative\r\n");
    const real = await app.inject({ method: 'POST', url: '/api/v1/imports/ads', headers, payload: body });
    expect(real.json()).toMatchObject({ status: 'partial', rowsWritten: 2, profile: { id: 'template' } });
    // ACoS = spend / ad sales = (10 + 30) / (40 + 80) = 0.333333
    const kpi = await app.inject({ method: 'GET', url: '/api/v1/kpi?metrics=ad_spend,acos,ctr&period=custom:2026-11-01..2026-11-02' });
    expect(kpi.json().total).toEqual({ ad_spend: 40, acos: 0.333333, ctr: 0.015 }); // ctr 60 / 4000
  });

  it('answers 413 to a 2 GB upload before reading it', async () => {
    const { app } = await buildTestApp(d);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/imports/orders', headers: { 'content-type': 'text/csv', 'content-length': String(2 * 1024 ** 3) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.write('date,store_id,sku_id\n');
    });
    expect(status).toBe(413);
  });

  it('refuses pushes without PUSH_SECRET, without or with a wrong or stale signature — 401, never 404', async () => {
    const body = JSON.stringify([{ date: '2026-11-01', store_id: 'us-main', sku_id: 'A-1', units_ordered: 2, gross_sales: 20 }]);
    const now = Math.floor(Date.now() / 1000);
    const post = async (app: Awaited<ReturnType<typeof buildTestApp>>['app'], url: string, headers: Record<string, string>) =>
      app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: body });
    const unset = (await buildTestApp(d)).app;
    const signed = { 'x-kpibot-timestamp': String(now), 'x-kpibot-signature': signPush(SECRET, now, body) };
    expect((await post(unset, '/api/v1/push/orders', signed)).statusCode).toBe(401);
    const { app } = await buildTestApp(d, { PUSH_SECRET: SECRET });
    expect((await post(app, '/api/v1/push/orders', {})).statusCode).toBe(401);
    expect((await post(app, '/api/v1/push/orders', { ...signed, 'x-kpibot-signature': signPush('another-secret-0123456789', now, body) })).statusCode).toBe(401);
    expect((await post(app, '/api/v1/push/orders', { 'x-kpibot-timestamp': String(now - 301), 'x-kpibot-signature': signPush(SECRET, now - 301, body) })).statusCode).toBe(401);
    expect((await post(app, '/api/v1/push/nonsense', {})).statusCode).toBe(401);
    const tampered = await app.inject({ method: 'POST', url: '/api/v1/push/orders', headers: { 'content-type': 'application/json', ...signed }, payload: body.replace('20', '2000') });
    expect(tampered.statusCode).toBe(401);
    expect(tampered.json()).toEqual({ error: 'unauthorized', message: 'the signature does not match' });
    const ok = await post(app, '/api/v1/push/orders', signed);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'ok', rowsWritten: 1 });
    expect(await d.query(sql`select source, gross_sales::text as g from fact_sales_daily`)).toEqual([{ source: 'push', g: '20.0000' }]);
    expect((await post(app, '/api/v1/push/orders', signed)).statusCode).toBe(409); // replayed
  });

  it('exports CSV escaped against formula injection and XLSX that reads back', async () => {
    const { app } = await buildTestApp(d);
    const csv = 'date,store_id,sku_id,units_ordered,gross_sales\n2026-11-01,us-main,-1+1,1,5\n2026-11-02,us-main,A-1,2,12.5\n';
    // A SKU that looks like a formula is refused on import; prove the escape with a store name instead.
    expect((await app.inject({ method: 'POST', url: '/api/v1/imports/orders', headers: { 'content-type': 'text/csv' }, payload: csv })).json()).toMatchObject({ rowsRejected: 1 });
    await d.query(sql`update stores set name = '=HYPERLINK("http://evil","x")' where id = 'us-main'`);
    const stores = await app.inject({ method: 'GET', url: '/api/v1/exports/stores' });
    expect(stores.statusCode).toBe(200);
    expect(stores.body).toContain(`us-main,"'=HYPERLINK(""http://evil"",""x"")",amazon,US,USD`);
    const orders = await app.inject({ method: 'GET', url: '/api/v1/exports/orders?from=2026-11-01&to=2026-11-30' });
    expect(orders.headers['content-disposition']).toBe('attachment; filename="w-orders-2026-11-01_2026-11-30.csv"');
    const lines = orders.body.replace('\ufeff', '').trim().split('\r\n');
    expect(lines[0]).toBe('date,store_id,sku_id,fulfillment_channel,units_ordered,order_count,gross_sales,tax_amount,promo_fees,refund_amount,units_returned,platform_fees,fulfillment_fees,first_leg_cost,storage_fees,cogs,other_costs,sessions,page_views,currency');
    expect(lines.slice(1)).toEqual(['2026-11-02,us-main,A-1,platform,2,0,12.5,0,0,0,0,0,0,0,0,0,,,,USD']);
    const xlsx = await app.inject({ method: 'GET', url: '/api/v1/exports/orders?format=xlsx' });
    const p = join(mkdtempSync(join(tmpdir(), 'exp-')), 'o.xlsx');
    writeFileSync(p, xlsx.rawPayload);
    const src = await openTabularFile(p);
    const got = [];
    for await (const r of src.rows) got.push(r.cells.slice(0, 7));
    expect(got).toEqual([['date', 'store_id', 'sku_id', 'fulfillment_channel', 'units_ordered', 'order_count', 'gross_sales'], ['2026-11-02', 'us-main', 'A-1', 'platform', '2', '0', '12.5']]);
    for (const name of ['audit', 'goals', 'alerts', 'followups', 'scores']) {
      const r = await app.inject({ method: 'GET', url: `/api/v1/exports/${name}?from=2026-01-01&to=2026-12-31` });
      expect(r.statusCode).toBe(200);
      expect(r.body.startsWith('\ufeff')).toBe(true);
    }
    const audit = await app.inject({ method: 'GET', url: '/api/v1/exports/audit' });
    expect(audit.body.split('\r\n')[0]).toContain('actor_kind');
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/imports/{dataset}', '/api/v1/push/{dataset}', '/api/v1/exports/{dataset}', '/api/v1/imports/runs/{id}']));
  });
});
