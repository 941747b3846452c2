/**
 * `kpibot import` / `kpibot export` in process on both engines: a summary per file, failures as
 * exit codes, a workspace moved with `export --all` / `import --all` giving identical KPIs (from
 * PGlite into Postgres too when DATABASE_URL is set), and the single-process rule: with a server
 * holding the embedded database, a file import goes through its HTTP API and `--all` refuses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { xlsxChunks } from '../../src/ingest/export/xlsx-write.ts';
import { queryKpi } from '../../src/kpi/query.ts';
import { cli, cliEnv } from '../helpers/cli.ts';
import { ENGINES, createPostgresDatabase, dropCreatedDatabases, insertWorkspace, openTestDatabase } from '../helpers/db.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { testEnv } from '../helpers/env.ts';

afterAll(dropCreatedDatabases);

const FIX = join(import.meta.dirname, '../fixtures/ingest');
const tmp = mkdtempSync(join(tmpdir(), 'ingest-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const NOW = new Date('2026-11-10T05:00:00Z');
const METRICS = ['gmv', 'units', 'orders', 'aov', 'net_sales', 'refund_rate', 'tax_amount', 'ad_spend', 'acos', 'ctr', 'tacos', 'on_hand_units', 'inventory_value', 'cancel_rate', 'avg_rating'];

async function adsXlsx(): Promise<string> {
  async function* rows() {
    yield ['2026-11-04', 'us-main', 'Brand', 'Exact', 'A-1', 1000, 20, 10, 40];
    yield ['2026-11-05', 'us-main', 'Brand', 'Exact', 'A-1', 3000, 40, 30, 80];
  }
  const out: Uint8Array[] = [];
  for await (const c of xlsxChunks(['日期', '店铺', '广告活动', '广告组', '广告SKU', '曝光量', '点击量', '花费', '广告销售额'], rows())) out.push(c);
  const p = join(tmp, 'ads-zh.xlsx');
  writeFileSync(p, Buffer.concat(out));
  return p;
}

function open(env: Record<string, string>): Promise<Database> {
  return openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { pgliteDir: join(env.DATA_DIR!, 'pglite') });
}

async function kpis(env: Record<string, string>, workspaceId: string) {
  const d = await open(env);
  try {
    const principal: Principal = { kind: 'system', workspaceId, role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: true };
    const r = await queryKpi(d, { workspaceId, metrics: METRICS, period: 'custom:2026-11-01..2026-11-05', groupBy: 'store', principal, now: NOW });
    return { total: r.total, rows: r.rows };
  } finally {
    await d.close();
  }
}

async function fill(env: Record<string, string>): Promise<void> {
  expect((await cli(env, 'workspace', 'create', 'shop', '--currency', 'USD', '--timezone', 'Asia/Shanghai')).code).toBe(0);
  const d = await open(env);
  await d.query(sql`insert into teams (workspace_id, id, name) values ('shop', 'na', '北美'), ('shop', 'na-amz', 'Amazon NA')`);
  await d.query(sql`update teams set parent_team_id = 'na' where id = 'na-amz'`);
  await d.close();
  const imp = (file: string, ...a: string[]) => cli(env, 'import', file, '--workspace', 'shop', ...a);
  expect((await imp(join(FIX, 'stores.csv'), '--dataset', 'stores')).code).toBe(0);
  const d2 = await open(env);
  await d2.query(sql`update stores set team_id = 'na-amz' where id = 'us-main'`);
  await d2.close();
  expect((await imp(join(FIX, 'fx.csv'), '--dataset', 'fx')).code).toBe(0);
  const lx = await imp(join(FIX, 'orders-lingxing-gbk.csv'), '--dataset', 'orders');
  expect(lx.code).toBe(0);
  expect(lx.out.split('\n').slice(0, 2)).toEqual([
    expect.stringMatching(/^imported orders from .*orders-lingxing-gbk.csv: 5 rows ok, 3 rejected, 0 skipped \(run \d+, partial\)$/),
    'layout: LingXing – product sales statistics [lingxing_orders, assumed], confidence 100 %, header on row 1',
  ]);
  expect(lx.out).toContain('  row 5 units_ordered "-1": a count cannot be negative');
  expect((await imp(join(FIX, 'orders-seller-central.txt'), '--dataset', 'orders', '--store', 'us-main')).code).toBe(0);
  expect((await imp(await adsXlsx(), '--dataset', 'ads')).code).toBe(0);
  expect((await imp(join(FIX, 'inventory-zh.csv'), '--dataset', 'inventory')).code).toBe(0);
  expect((await imp(join(FIX, 'service.csv'), '--dataset', 'service')).code).toBe(0);
  // A second source for one store-day: stored, not counted (the first source seen is primary).
  const d3 = await open(env);
  await d3.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, gross_sales, currency, source)
    values ('shop', '2026-11-01', 'us-main', 'A-1', 'platform', 9, 999, 'USD', 'push')`);
  await d3.close();
}

// Each command opens the embedded database afresh (~1–2 s on a busy machine) and the first test runs a dozen.
const SLOW = 180_000;

describe.each(ENGINES)('kpibot import/export on %s', (engine) => {
  const env = cliEnv(engine, 'kpibot-ingest-');

  it('imports files with a summary, exits 1 when nothing is imported, exports CSV', async () => {
    await fill(env);
    const bad = await cli(env, 'import', join(FIX, 'fx.csv'), '--dataset', 'orders', '--workspace', 'shop');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/header row matches no known orders layout/);
    const usage = await cli(env, 'import', join(FIX, 'fx.csv'));
    expect(usage.code).toBe(2);
    const out = await cli(env, 'export', 'orders', '--workspace', 'shop', '--month', '2026-11');
    expect(out.code).toBe(0);
    const lines = out.out.split('\r\n');
    expect(lines[0]).toBe('\ufeffdate,store_id,sku_id,fulfillment_channel,units_ordered,order_count,gross_sales,tax_amount,promo_fees,refund_amount,units_returned,platform_fees,fulfillment_fees,first_leg_cost,storage_fees,cogs,other_costs,sessions,page_views,currency');
    expect(lines).toContain('2026-11-02,de-main,B-1,platform,1,1,100,19,0,0,0,0,0,0,0,0,,,,EUR');
    expect(lines.some((l) => l.includes('999'))).toBe(false); // the secondary source is not exported as counted
    const kp = await kpis(env, 'shop');
    // gmv us 11-01..11-05: 100 + 1200.5 + 30 + 12.5 + 45 + 50 + 20 + 10 = 1468; de 110 → 1578.
    expect(kp.total.gmv).toBe(1578);
  }, SLOW);

  it('moves a workspace with export --all / import --all and keeps every KPI', async () => {
    const dir = join(tmp, `bundle-${engine}`);
    const exp = await cli(env, 'export', '--all', dir, '--workspace', 'shop');
    expect(exp.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.workspace).toEqual({ id: 'shop', name: 'shop', timezone: 'Asia/Shanghai', currency: 'USD', locale: 'zh-CN' });
    expect(manifest.files.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['teams', 'stores', 'orders', 'ads', 'inventory', 'service', 'fx', 'source_priorities', 'audit']));
    const imp = await cli(env, 'import', '--all', dir, '--workspace', 'shop2');
    expect(imp.code).toBe(0);
    expect(imp.out).toMatch(/^imported .* into workspace shop2 \(created\)/);
    const before = await kpis(env, 'shop');
    // 1578 as above; ads 10 + 30; stock at the period end (11-05): 100 + 40 units.
    expect(before.total).toMatchObject({ gmv: 1578, ad_spend: 40, acos: 0.333333, on_hand_units: 140 });
    expect(await kpis(env, 'shop2')).toEqual(before);
    const again = await cli(env, 'import', '--all', dir, '--workspace', 'shop2');
    expect(again.code).toBe(1);
    expect(again.err).toContain('already has stores');
  }, SLOW);

  // Defined only where it can run (no skipped tests): PGlite source, a Postgres server to move to.
  if (engine === 'pglite' && testEnv.DATABASE_URL) it('moves a PGlite workspace into Postgres with identical KPIs', async () => {
    const dir = join(tmp, 'bundle-pglite');
    const target = { DATA_DIR: mkdtempSync(join(tmpdir(), 'kpibot-pg-')), DATABASE_URL: await createPostgresDatabase() };
    expect((await cli(target, 'import', '--all', dir)).code).toBe(0);
    expect(await kpis(target, 'shop')).toEqual(await kpis(env, 'shop'));
  }, SLOW);

  // The data-dir lock only exists for the embedded database.
  if (engine === 'pglite') it('with a server holding the data dir: imports go over HTTP, --all refuses', async () => {
    const serverDb = await openTestDatabase('pglite');
    await insertWorkspace(serverDb, { id: 'srv', currency: 'USD' });
    const { app } = await buildTestApp(serverDb);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const holder: ChildProcess = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      writeFileSync(join(env.DATA_DIR!, 'server.lock'), JSON.stringify({ pid: holder.pid, role: 'server', url, startedAt: new Date().toISOString() }));
      const r = await cli(env, 'import', join(FIX, 'stores.csv'), '--dataset', 'stores');
      expect(r.code).toBe(0);
      expect(r.err).toContain(`importing through ${url}`);
      expect(r.out).toMatch(/^imported stores from .*stores.csv: 2 rows ok/);
      expect((await serverDb.query(sql`select id from stores order by id`)).map((x) => x.id)).toEqual(['de-main', 'us-main']);
      const all = await cli(env, 'export', '--all', join(tmp, 'x'));
      expect(all.code).toBe(1);
      expect(all.err).toBe(`kpibot: the database is in use by a running server (pid ${holder.pid}); stop it to export a whole workspace`);
    } finally {
      holder.kill();
      rmSync(join(env.DATA_DIR!, 'server.lock'), { force: true });
      await serverDb.close();
    }
  }, SLOW);
});
