/**
 * Every remaining dataset template imported from a hand-made file (UTF-8 and GBK, Chinese and
 * English headers), each with a broken row and a forced duplicate re-import that changes nothing;
 * and a workspace mapping saved with one file and recognised in the next.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import { importFile } from '../../src/ingest/import-file.ts';
import type { DatasetId } from '../../src/db/schema/sync.ts';
import { queryKpi } from '../../src/kpi/query.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, insertWorkspace } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

const FIX = join(import.meta.dirname, '../fixtures/ingest');
const admin: Principal = { kind: 'system', workspaceId: 'w', role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: true };

describe.each(ENGINES)('dataset templates on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), async (x) => {
    await insertWorkspace(x, { id: 'w', currency: 'USD', timezone: 'Asia/Shanghai' });
    for (const [f, ds] of [['stores.csv', 'stores'], ['fx.csv', 'fx'], ['orders-lingxing-gbk.csv', 'orders']] as const) {
      await importFile(x, join(FIX, f), { workspaceId: 'w', dataset: ds, requestedBy: 'test' });
    }
  });
  const run = (file: string, dataset: DatasetId, o: Partial<Parameters<typeof importFile>[2]> = {}) =>
    importFile(d, file.includes('/') ? file : join(FIX, file), { workspaceId: 'w', dataset, requestedBy: 'test', ...o });
  const rows = (q: string) => d.query(sql.raw(q));

  async function twice(file: string, dataset: DatasetId, table: string, expected: { accepted: number; issue: [number, string, string] }) {
    const first = await run(file, dataset);
    expect(first).toMatchObject({ status: 'partial', rowsAccepted: expected.accepted, rowsRejected: 1 });
    expect(first.issues.map((i) => [i.row, i.column, i.code])).toEqual([expected.issue]);
    const before = await rows(`select * from ${table} where workspace_id = 'w' order by 2, 3`);
    expect((await run(file, dataset, { force: true })).rowsWritten).toBe(expected.accepted);
    const after = await rows(`select * from ${table} where workspace_id = 'w' order by 2, 3`);
    expect(after.length).toBe(before.length);
  }

  it('costs: fees flipped positive onto the order rows, leaving sales alone', async () => {
    await twice('costs.csv', 'costs', 'fact_sales_daily', { accepted: 2, issue: [4, 'platform_fees', 'invalid_value'] });
    expect(await rows(`select date::text as date, gross_sales::text as g, platform_fees::text as pf, fulfillment_fees::text as ff, cogs::text as c, first_leg_cost::text as fl
      from fact_sales_daily where store_id = 'us-main' and sku_id = 'A-1' order by date`)).toEqual([
      { date: '2026-11-01', g: '100.0000', pf: '15.0000', ff: '10.0000', c: '30.0000', fl: '5.0000' },
      { date: '2026-11-02', g: '1200.5000', pf: '30.0000', ff: '20.0000', c: '60.0000', fl: '10.0000' },
    ]);
    // Net sales 100 + (1200.5 − 10) = 1290.5; cogs 30 + 60 → gross profit 1200.5.
    const k = await queryKpi(d, { workspaceId: 'w', metrics: ['net_sales', 'gross_profit'], period: 'custom:2026-11-01..2026-11-02', principal: admin, now: new Date('2026-11-10T05:00:00Z'), filters: { store: ['us-main'] } });
    expect(k.total).toEqual({ net_sales: 1290.5, gross_profit: 1200.5 });
  });

  it('calendar with Chinese headers: aliases, multipliers, a window that ends before it starts', async () => {
    await twice('calendar-zh.csv', 'calendar', 'season_calendar', { accepted: 1, issue: [3, 'end_date', 'invalid_row'] });
    expect(await rows(`select scope_type, scope_id, kind, name, aliases, start_date::text as s, end_date::text as e, pace_weight::text as w, threshold_multipliers as m from season_calendar`)).toEqual([
      { scope_type: 'marketplace', scope_id: 'US', kind: 'promo', name: 'bfcm', aliases: ['黑五', 'BFCM'], s: '2026-11-27', e: '2026-12-01', w: '2.500', m: { acos: 1.3, tacos: 1.3 } },
    ]);
  });

  it('skus, campaigns, warehouses: master data upserted by id, names kept when a file has none', async () => {
    await twice('skus.csv', 'skus', 'skus', { accepted: 1, issue: [3, 'lifecycle_stage', 'invalid_value'] });
    expect(await rows(`select id, name, category_id, unit_cost::text as uc, trim(currency) as ccy, lifecycle_stage from skus where id = 'A-1'`)).toEqual([
      { id: 'A-1', name: 'Mug', category_id: 'kitchen', uc: '5.5000', ccy: 'USD', lifecycle_stage: 'mature' },
    ]);
    expect(await rows(`select id, name, path from categories`)).toEqual([{ id: 'kitchen', name: 'kitchen', path: '/kitchen/' }]);
    const dir = mkdtempSync(join(tmpdir(), 'sku-'));
    writeFileSync(join(dir, 'lead.csv'), 'sku_id,lead_time_days\nA-1,45\n');
    expect((await run(join(dir, 'lead.csv'), 'skus')).status).toBe('ok');
    expect(await rows(`select name, lead_time_days, unit_cost::text as uc from skus where id = 'A-1'`)).toEqual([{ name: 'Mug', lead_time_days: 45, uc: '5.5000' }]);
    await twice('campaigns.csv', 'campaigns', 'campaigns', { accepted: 1, issue: [3, 'store_id', 'unknown_store'] });
    expect(await rows(`select id, name, status, budget::text as b, budget_period as p, trim(currency) as ccy from campaigns`)).toEqual([
      { id: 'C1', name: 'Brand SP', status: 'enabled', b: '50.0000', p: 'daily', ccy: 'USD' },
    ]);
    await twice('warehouses.csv', 'warehouses', 'warehouses', { accepted: 1, issue: [3, 'type', 'invalid_value'] });
    expect(await rows(`select id, name, type, store_id, capacity_m3::text as c from warehouses`)).toEqual([{ id: 'FBA-US', name: 'FBA US', type: 'fba', store_id: 'us-main', c: '120.500' }]);
  });

  it('activity from GBK: times without an offset in the workspace zone, events keyed by id', async () => {
    await twice('activity-gbk.csv', 'activity', 'fact_team_events', { accepted: 2, issue: [4, 'occurred_at', 'required'] });
    // 09:30 in Asia/Shanghai is 01:30 UTC; 10:00+08:00 is 02:00 UTC.
    expect(await rows(`select event_id, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as at, user_id, event_type, store_id, value::text as v from fact_team_events order by event_id`)).toEqual([
      { event_id: 'e1', at: '2026-11-01 01:30', user_id: 'alice', event_type: 'cs_reply', store_id: 'us-main', v: '12.0000' },
      { event_id: 'e2', at: '2026-11-01 02:00', user_id: 'bob', event_type: 'task_completed', store_id: null, v: null },
    ]);
  });

  it('content: daily increments, types in Chinese, currency from the store or the workspace', async () => {
    await twice('content.csv', 'content', 'fact_content_daily', { accepted: 2, issue: [4, 'content_type', 'invalid_value'] });
    expect(await rows(`select content_id, content_type, store_id, views, attributed_gmv::text as g, trim(currency) as ccy from fact_content_daily order by content_id`)).toEqual([
      { content_id: 'v1', content_type: 'video', store_id: 'us-main', views: 1000, g: '40.0000', ccy: 'USD' },
      { content_id: 'v2', content_type: 'live', store_id: null, views: 500, g: '20.0000', ccy: 'USD' },
    ]);
  });

  it('saves a mapping for an unknown layout and recognises it in the next file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'map-'));
    const file = (name: string, body: string) => {
      writeFileSync(join(dir, name), body);
      return join(dir, name);
    };
    const header = 'Tag;Laden;Artikel;Stück;Umsatz\n';
    const unknown = await run(file('a.csv', `${header}01.11.2026;us-main;A-5;2;19,90\n`), 'orders');
    expect(unknown).toMatchObject({ status: 'failed', errorCode: 'bad_header' });
    const mapped = await run(file('a.csv', `${header}01.11.2026;us-main;A-5;2;19,90\n`), 'orders', {
      map: { date: 'Tag', store_id: 'Laden', sku_id: 'Artikel', units_ordered: 'Stück', gross_sales: 'Umsatz' }, saveMapping: 'de-erp',
    });
    expect(mapped).toMatchObject({ status: 'ok', rowsWritten: 1, profile: { id: 'inline', confidence: 1 } });
    const next = await run(file('b.csv', `${header}02.11.2026;us-main;A-5;1;9,95\n`), 'orders');
    expect(next).toMatchObject({ status: 'ok', profile: { id: 'workspace:de-erp', origin: 'workspace', confidence: 1 } });
    expect(await rows(`select date::text as date, units_ordered as u, gross_sales::text as g from fact_sales_daily where sku_id = 'A-5' order by date`)).toEqual([
      { date: '2026-11-01', u: 2, g: '19.9000' },
      { date: '2026-11-02', u: 1, g: '9.9500' },
    ]);
  });
});
