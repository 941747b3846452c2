/**
 * File imports end to end on both engines: hand-made files in the template and ERP layouts
 * (GBK with Chinese headers, a Seller Central tab file with order lines), broken rows reported per
 * row, duplicate and corrected re-imports, and the facts and KPI values they produce, worked out
 * by hand in the comments.
 */
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import { importFile } from '../../src/ingest/import-file.ts';
import { listRestatements, restatementSummary } from '../../src/ingest/pipeline/restatements.ts';
import { restatedMarks } from '../../src/ingest/restated-annotator.ts';
import { queryKpi } from '../../src/kpi/query.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, insertWorkspace } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

const FIX = join(import.meta.dirname, '../fixtures/ingest');
const admin: Principal = { kind: 'system', workspaceId: 'w', role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: false };
const NOW = new Date('2026-11-10T05:00:00Z');

describe.each(ENGINES)('file imports on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), (x) => insertWorkspace(x, { id: 'w', currency: 'USD', timezone: 'Asia/Shanghai' }));
  const run = (file: string, o: Partial<Parameters<typeof importFile>[2]> & { dataset: Parameters<typeof importFile>[2]['dataset'] }) =>
    importFile(d, join(FIX, file), { workspaceId: 'w', requestedBy: 'test', ...o });
  const kpi = (period: string, metrics: string[], groupBy?: 'store') => queryKpi(d, { workspaceId: 'w', metrics, period, principal: admin, now: NOW, groupBy });

  beforeEach(async () => {
    expect((await run('stores.csv', { dataset: 'stores' })).status).toBe('ok');
    expect((await run('fx.csv', { dataset: 'fx' })).status).toBe('ok');
  });

  it('imports a GBK LingXing export: dates in five formats, store names, tax taken out, bad rows reported', async () => {
    const r = await run('orders-lingxing-gbk.csv', { dataset: 'orders' });
    expect(r).toMatchObject({ status: 'partial', format: 'csv', encoding: 'gb18030', delimiter: ',', rowsRead: 8, rowsAccepted: 5, rowsRejected: 3 });
    expect(r.profile).toMatchObject({ id: 'lingxing_orders', origin: 'assumed', confidence: 1, headerRow: 1 });
    expect(r.issues.map((i) => [i.row, i.column, i.code])).toEqual([
      [5, 'units_ordered', 'negative'],
      [6, 'store_id', 'unknown_store'],
      [7, 'sales_amount', 'formula'],
    ]);
    expect(r.dateRange).toEqual({ from: '2026-11-01', to: '2026-11-04' });
    expect(r.coverage).toEqual({ 'us-main': { from: '2026-11-01', through: '2026-11-04', rows: 4 }, 'de-main': { from: '2026-11-02', through: '2026-11-02', rows: 1 } });
    expect(r.created).toEqual({ skus: 3 });
    const facts = await d.query(sql`select date::text as date, store_id, sku_id, fulfillment_channel as ch, units_ordered as u, order_count as o,
        gross_sales::text as g, tax_amount::text as t, refund_amount::text as rf, units_returned as ur, sessions, page_views as pv, trim(currency) as ccy, source
      from fact_sales_daily order by date, store_id, sku_id`);
    expect(facts).toEqual([
      { date: '2026-11-01', store_id: 'us-main', sku_id: 'A-1', ch: 'platform', u: 2, o: 2, g: '100.0000', t: '0.0000', rf: '0.0000', ur: 0, sessions: 40, pv: null, ccy: 'USD', source: 'erp_file' },
      // 销售额 119 EUR on a 19 % VAT store: tax 119 × 0.19 / 1.19 = 19, gross 100.
      { date: '2026-11-02', store_id: 'de-main', sku_id: 'B-1', ch: 'platform', u: 1, o: 1, g: '100.0000', t: '19.0000', rf: '0.0000', ur: 0, sessions: null, pv: null, ccy: 'EUR', source: 'erp_file' },
      { date: '2026-11-02', store_id: 'us-main', sku_id: 'A-1', ch: 'platform', u: 4, o: 3, g: '1200.5000', t: '0.0000', rf: '10.0000', ur: 1, sessions: 50, pv: 80, ccy: 'USD', source: 'erp_file' },
      { date: '2026-11-03', store_id: 'us-main', sku_id: 'A-2', ch: 'platform', u: 3, o: 2, g: '30.0000', t: '0.0000', rf: '0.0000', ur: 0, sessions: null, pv: null, ccy: 'USD', source: 'erp_file' },
      { date: '2026-11-04', store_id: 'us-main', sku_id: 'A-2', ch: 'platform', u: 1, o: 1, g: '12.5000', t: '0.0000', rf: '0.0000', ur: 0, sessions: null, pv: null, ccy: 'USD', source: 'erp_file' },
    ]);
    // GMV: us 100 + 1200.5 + 30 + 12.5 = 1343; de 100 EUR × 1.1 = 110 → 1453. Units 2+4+3+1+1 = 11,
    // tax 19 × 1.1 = 20.9, refund rate 10 / 1453. Store-level orders need distinct orders (V), which a
    // daily SKU file cannot give; per SKU they are the file's order counts (2+3 = 5 for A-1).
    const k = await kpi('custom:2026-11-01..2026-11-04', ['gmv', 'units', 'tax_amount', 'refund_rate'], 'store');
    expect(k.total).toEqual({ gmv: 1453, units: 11, tax_amount: 20.9, refund_rate: 0.006882 });
    expect(k.rows).toEqual([
      { store: 'de-main', gmv: 110, units: 1, tax_amount: 20.9, refund_rate: 0 },
      { store: 'us-main', gmv: 1343, units: 10, tax_amount: 0, refund_rate: 0.007446 },
    ]);
    const bySku = await queryKpi(d, { workspaceId: 'w', metrics: ['orders', 'gmv'], period: 'custom:2026-11-01..2026-11-04', principal: admin, now: NOW, groupBy: 'sku' });
    expect(bySku.rows).toEqual([{ sku: 'A-1', orders: 5, gmv: 1300.5 }, { sku: 'A-2', orders: 3, gmv: 42.5 }, { sku: 'B-1', orders: 1, gmv: 110 }]);
    const [runRow] = await d.query<Record<string, unknown>>(sql`select status, rows_accepted, rows_rejected, data_from_date::text as f, data_through_date::text as t, file_hash is not null as hashed from sync_runs where dataset = 'orders'`);
    expect(runRow).toEqual({ status: 'partial', rows_accepted: 5, rows_rejected: 3, f: '2026-11-01', t: '2026-11-04', hashed: true });
  });

  it('never double counts: the same file is skipped, a forced re-import replaces, a correction is a restatement', async () => {
    await run('orders-lingxing-gbk.csv', { dataset: 'orders' });
    const again = await run('orders-lingxing-gbk.csv', { dataset: 'orders' });
    expect(again).toMatchObject({ status: 'skipped', errorCode: 'duplicate_file', rowsWritten: 0 });
    const forced = await run('orders-lingxing-gbk.csv', { dataset: 'orders', force: true });
    expect(forced).toMatchObject({ status: 'partial', rowsWritten: 5, restatedDays: 0 });
    const k = await kpi('custom:2026-11-01..2026-11-04', ['gmv', 'units']);
    expect(k.total).toEqual({ gmv: 1453, units: 11 });
    const [{ n }] = await d.query<{ n: number }>(sql`select count(*)::int as n from fact_sales_daily`) as [{ n: number }];
    expect(n).toBe(5);
  });

  it('records a restatement when a re-import changes a reported day', async () => {
    await run('orders-lingxing-gbk.csv', { dataset: 'orders' });
    // us-main 11-02 A-1 was 1,200.50; the corrected daily row says 1,300.50 (+100, +8.33 %).
    const fix = await importRowsFromText('date,store_id,sku_id,units_ordered,order_count,gross_sales\n2026-11-02,us-main,A-1,4,3,1300.50\n');
    expect(fix).toMatchObject({ status: 'ok', restatedDays: 1 });
    const list = await listRestatements(d, { workspaceId: 'w', from: '2026-11-01', to: '2026-11-30' });
    expect(list.map((x) => [x.storeId, x.date, x.measure, x.before, x.after, x.change])).toEqual([['us-main', '2026-11-02', 'gross_sales', 1200.5, 1300.5, 0.0833]]);
    expect(await restatementSummary(d, { workspaceId: 'w', dataset: 'orders', measure: 'gross_sales', from: '2026-11-01', to: '2026-11-04' }))
      .toEqual({ days: 1, before: 1200.5, after: 1300.5, change: 0.0833 });

    // The chat answer's mark: GMV over 11-01..11-04 is built on gross sales, restated +8.33 % on
    // us-main's 11-02; units were unchanged (4 → 4), so no mark on them.
    const result = await kpi('custom:2026-11-01..2026-11-04', ['gmv', 'units']);
    const ask = (over: Partial<Parameters<typeof restatedMarks>[0]>) =>
      restatedMarks({ database: d, workspaceId: 'w', principal: admin, request: { m: ['gmv', 'units'], p: 'custom:2026-11-01..2026-11-04' }, result, locale: 'en', ...over });
    expect(await ask({})).toEqual({ marks: { gmv: '(restated +8.3%)' } });
    expect(await ask({ locale: 'zh-CN' })).toEqual({ marks: { gmv: '（已重述 +8.3%）' } });
    // Someone who only sees de-main (not restated) gets no mark; nor does a question about de-main.
    const deOnly: Principal = { ...admin, kind: 'user', role: 'operator', scope: { all: false, teamIds: [], storeIds: ['de-main'], skuIds: [] } };
    expect(await ask({ principal: deOnly })).toEqual({ marks: {} });
    expect(await ask({ request: { m: ['gmv'], p: 'custom:2026-11-01..2026-11-04', f: { store: ['de-main'] } } })).toEqual({ marks: {} });
  });

  it('aggregates Seller Central order lines per store-local day and skips cancelled orders', async () => {
    await run('orders-lingxing-gbk.csv', { dataset: 'orders' });
    const r = await run('orders-seller-central.txt', { dataset: 'orders', store: 'us-main' });
    expect(r).toMatchObject({ status: 'ok', delimiter: '\t', rowsRead: 6, rowsAccepted: 5, rowsSkipped: 1, rowsWritten: 4, created: { skus: 1 } });
    expect(r.profile).toMatchObject({ id: 'seller_central_orders', origin: 'documented', confidence: 1 });
    const facts = await d.query(sql`select date::text as date, sku_id, fulfillment_channel as ch, units_ordered as u, order_count as o, gross_sales::text as g
      from fact_sales_daily where store_id = 'us-main' and date >= '2026-11-04' and fulfillment_channel <> 'platform' order by date, sku_id, ch`);
    // 111-1 at 03:00 UTC is 11-04 20:00 in Los Angeles: 50 − 5 discount = 45. 11-05: 111-2 + 111-5
    // (25 + 25, two orders), 111-2's lid 10, 111-4 merchant-fulfilled 20; US prices exclude tax.
    expect(facts).toEqual([
      { date: '2026-11-04', sku_id: 'A-1', ch: 'fba', u: 2, o: 1, g: '45.0000' },
      { date: '2026-11-05', sku_id: 'A-1', ch: 'fba', u: 2, o: 2, g: '50.0000' },
      { date: '2026-11-05', sku_id: 'A-1', ch: 'fbm', u: 1, o: 1, g: '20.0000' },
      { date: '2026-11-05', sku_id: 'A-3', ch: 'fba', u: 1, o: 1, g: '10.0000' },
    ]);
    // 11-04..11-05: 12.5 (LingXing A-2) + 45 + 50 + 20 + 10 = 137.5; units 1+2+2+1+1 = 7. Distinct
    // orders: 11-04 {111-1}, 11-05 {111-2, 111-4, 111-5} (111-2's two SKUs count once) → 4.
    const k = await kpi('custom:2026-11-04..2026-11-05', ['gmv', 'orders', 'units'], 'store');
    expect(k.rows).toEqual([{ store: 'us-main', gmv: 137.5, orders: 4, units: 7 }]);
  });

  it('writes nothing with onError=abort when a row is bad, and refuses a header that matches nothing', async () => {
    const r = await run('orders-lingxing-gbk.csv', { dataset: 'orders', onError: 'abort' });
    expect(r).toMatchObject({ status: 'failed', errorCode: 'rows_rejected', rowsRejected: 3 });
    const bad = await importRowsFromText('foo,bar\n1,2\n');
    expect(bad).toMatchObject({ status: 'failed', errorCode: 'bad_header' });
    expect(bad.message).toMatch(/needs date, store_id, sku_id/);
    const [{ n }] = (await d.query<{ n: number }>(sql`select count(*)::int as n from fact_sales_daily`)) as [{ n: number }];
    expect(n).toBe(0);
    const runs = await d.query(sql`select status, error_code from sync_runs where dataset = 'orders' order by id`);
    expect(runs).toEqual([{ status: 'failed', error_code: 'rows_rejected' }, { status: 'failed', error_code: 'bad_header' }]);
  });

  async function importRowsFromText(text: string) {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const p = join(mkdtempSync(join(tmpdir(), 'ingest-')), 'f.csv');
    writeFileSync(p, text);
    return importFile(d, p, { workspaceId: 'w', requestedBy: 'test', dataset: 'orders' });
  }
});
