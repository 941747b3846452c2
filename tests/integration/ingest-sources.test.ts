/**
 * One source of truth, reconciliation and freshness on both engines: a second source is stored
 * but not counted until an admin switches (audited); the reconciliation report compares sources
 * and a typed check value against a threshold; freshness and `data status` show what is fresh,
 * late, incomplete or missing.
 */
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import { freshness } from '../../src/ingest/freshness.ts';
import { importFile } from '../../src/ingest/import-file.ts';
import { switchPrimarySource } from '../../src/ingest/pipeline/primary-source.ts';
import { importRows } from '../../src/ingest/pipeline/run-import.ts';
import { asAsync, jsonRows } from '../../src/ingest/push/json-rows.ts';
import { reconcile } from '../../src/ingest/reconciliation.ts';
import { localDay } from '../../src/ingest/values/dates.ts';
import { queryKpi } from '../../src/kpi/query.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, insertWorkspace } from '../helpers/db.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { sayCard, seedDemoOrg } from '../helpers/org-demo.ts';

afterAll(dropCreatedDatabases);

const FIX = join(import.meta.dirname, '../fixtures/ingest');
const admin: Principal = { kind: 'system', workspaceId: 'w', role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: false };

describe.each(ENGINES)('sources and freshness on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x));
  const gmv = async (period: string) =>
    (await queryKpi(d, { workspaceId: 'w', metrics: ['gmv'], period, groupBy: 'store', principal: admin, now: new Date('2026-11-10T05:00:00Z') })).rows;
  const setup = async () => {
    await insertWorkspace(d, { id: 'w', currency: 'USD', timezone: 'Asia/Shanghai' });
    for (const [f, ds] of [['stores.csv', 'stores'], ['fx.csv', 'fx'], ['orders-lingxing-gbk.csv', 'orders']] as const) {
      await importFile(d, join(FIX, f), { workspaceId: 'w', dataset: ds, requestedBy: 'test' });
    }
  };

  it('stores a second source without counting it until an admin switches', async () => {
    await setup();
    const push = await importRows(d, asAsync(jsonRows([
      { date: '2026-11-01', store_id: 'us-main', sku_id: 'A-1', units_ordered: 3, gross_sales: 150 },
      { date: '2026-11-02', store_id: 'us-main', sku_id: 'A-1', units_ordered: 4, gross_sales: '1200.50' },
    ])), { workspaceId: 'w', dataset: 'orders', kind: 'push', requestedBy: 'push' });
    expect(push).toMatchObject({ status: 'ok', rowsWritten: 2, secondaryRows: 2 });
    // Counted: the file (erp_file, first seen): 100 + 1200.5. The push's 150 + 1200.5 is stored aside.
    expect(await gmv('custom:2026-11-01..2026-11-02')).toEqual([{ store: 'de-main', gmv: 110 }, { store: 'us-main', gmv: 1300.5 }]);
    expect(await d.query(sql`select store_id, dataset, primary_source, switched_by from source_priorities order by store_id`)).toEqual([
      { store_id: 'de-main', dataset: 'orders', primary_source: 'erp_file', switched_by: 'system:first_seen' },
      { store_id: 'us-main', dataset: 'orders', primary_source: 'erp_file', switched_by: 'system:first_seen' },
    ]);

    const rec = await reconcile(d, { workspaceId: 'w', dataset: 'orders', from: '2026-11-01', to: '2026-11-02', manual: { 'us-main': 1301 } });
    // push − file = 1350.5 − 1300.5 = 50 (3.84 % > 2 %: flagged); typed 1301 − 1300.5 = 0.5 (0.04 %).
    expect(rec.flagged).toBe(1);
    expect(rec.rows).toEqual([
      { storeId: 'de-main', currency: 'EUR', measure: 'gross_sales', primary: 'erp_file', counted: 100, bySource: { erp_file: 100 }, checks: [] },
      {
        storeId: 'us-main', currency: 'USD', measure: 'gross_sales', primary: 'erp_file', counted: 1300.5, bySource: { erp_file: 1300.5, push: 1350.5 },
        checks: [
          { against: 'push', value: 1350.5, diff: 50, diffPct: 0.0384, flagged: true },
          { against: 'manual', value: 1301, diff: 0.5, diffPct: 0.0004, flagged: false },
        ],
      },
    ]);

    await switchPrimarySource(d, { workspaceId: 'w', storeId: 'us-main', dataset: 'orders', source: 'push', actor: { kind: 'user', id: 'alice', name: '王丽' }, reason: 'ERP misses coupons' });
    expect(await gmv('custom:2026-11-01..2026-11-02')).toEqual([{ store: 'de-main', gmv: 110 }, { store: 'us-main', gmv: 1350.5 }]);
    expect(await d.query(sql`select action, entity_id, before, after, reason from audit_log where entity = 'source_priority'`)).toEqual([
      { action: 'source.switch', entity_id: 'us-main/orders', before: { primarySource: 'erp_file' }, after: { primarySource: 'push' }, reason: 'ERP misses coupons' },
    ]);
  });

  it('reports freshness: complete, late, incomplete and never', async () => {
    await setup();
    await d.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values ('w', 'jp', 'JP', 'amazon', 'JP', 'JPY', 'Asia/Tokyo')`);
    const now = new Date();
    const yesterday = localDay(new Date(now.getTime() - 86_400_000), 'America/Los_Angeles');
    await importRows(d, asAsync(jsonRows([{ date: yesterday, store_id: 'us-main', sku_id: 'A-1', units_ordered: 1, gross_sales: 5 }])), { workspaceId: 'w', dataset: 'orders', source: 'erp_file', requestedBy: 't' });
    const fresh = await freshness(d, 'w', { now });
    const us = fresh.find((e) => e.storeId === 'us-main' && e.dataset === 'orders')!;
    expect(us).toMatchObject({ source: 'erp_file', cadence: 'daily', completeThrough: yesterday, stale: false, reasons: [] });
    expect(us.ageHours).toBeLessThan(0.1);
    expect(fresh.find((e) => e.storeId === 'jp')).toMatchObject({ dataset: 'orders', stale: true, reasons: ['never'], lastSuccessAt: null });
    // de-main's data ends 2026-11-02, long before yesterday.
    expect(fresh.find((e) => e.storeId === 'de-main')).toMatchObject({ completeThrough: '2026-11-02', stale: true, reasons: ['incomplete'] });
    const later = await freshness(d, 'w', { now: new Date(now.getTime() + 3 * 86_400_000) });
    expect(later.find((e) => e.storeId === 'us-main')).toMatchObject({ stale: true, reasons: ['late', 'incomplete'] });
    // Master data has no days: a campaigns import records coverage without a "through" date,
    // and freshness must still read (it once cast '' to a date and failed the whole query).
    const names = await importRows(d, asAsync(jsonRows([{ campaign_id: 'c-1', ad_platform: 'amazon_sp', store_id: 'us-main', name: 'Brand' }])), { workspaceId: 'w', dataset: 'campaigns', source: 'erp_file', requestedBy: 't' });
    expect(names.status).toBe('ok');
    expect((await freshness(d, 'w', { now })).find((e) => e.storeId === 'us-main' && e.dataset === 'orders')).toMatchObject({ completeThrough: yesterday });
  });

  it('answers data status in chat, in English and Chinese', async () => {
    await seedDemoOrg(d);
    const now = new Date();
    const yesterday = localDay(new Date(now.getTime() - 86_400_000), 'America/Los_Angeles');
    await importRows(d, asAsync(jsonRows([{ date: yesterday, store_id: 'us-main', sku_id: 'A-1', units_ordered: 1, gross_sales: 5 }])), { workspaceId: 'demo', dataset: 'orders', requestedBy: 't' });
    const { app } = await buildTestApp(d);
    const en = await sayCard(app, '@alice', 'alice', 'data status');
    expect(en.title).toBe('Data status');
    expect(en.fallbackText).toContain(`us-main\n✅ orders: through ${yesterday.slice(5)} · just now · erp_file`);
    expect(en.fallbackText).toContain('jp-main\n⚠️ orders: no data yet');
    const zh = await sayCard(app, '@alice', 'alice', '数据 状态');
    expect(zh.title).toBe('数据状态');
    expect(zh.fallbackText).toContain(`✅ 订单: 截至 ${yesterday.slice(5)} · 刚刚 · erp_file`);
  });
});
