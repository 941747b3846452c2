/**
 * The Postgres COPY fast path against the ordinary path on the same files: identical facts, sync
 * run, created SKUs, restatements and last-row-wins for duplicate keys; a file outside its strict
 * rules falls back and is reported row by row. On PGlite every import takes the ordinary path.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { importFile } from '../../src/ingest/import-file.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, insertWorkspace } from '../helpers/db.ts';

afterAll(dropCreatedDatabases);

const dir = mkdtempSync(join(tmpdir(), 'fast-'));
function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

const ORDERS = file('orders.csv', [
  'date,store_id,sku_id,units_ordered,order_count,gross_sales,refund_amount,cogs,sessions,currency',
  '2026-11-01,us,A,2,2,20.50,0,-8,40,',
  '2026-11-01,us,B,1,1,5,1,2,,USD',
  '2026-11-02,us,A,3,2,30,0,12,10,',
  '2026-11-01,us,B,9,9,99,0,0,,', // same key as row 3: the last one wins
  '',
].join('\n'));
const ADS = file('ads.csv', 'date,store_id,campaign_id,ad_group_id,sku_id,impressions,clicks,spend,attributed_sales\n2026-11-01,us,C1,G1,A,100,5,2.5,10\n2026-11-01,us,C1,,,50,1,1,0\n');

describe.each(ENGINES)('COPY fast path on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), async (x) => {
    for (const ws of ['w', 'v']) {
      await insertWorkspace(x, { id: ws, currency: 'USD' });
      await x.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values (${ws}, 'us', 'US', 'amazon', 'US', 'USD', 'America/Los_Angeles')`);
    }
  });
  const facts = (ws: string, table: string) => d.query(sql.raw(`select * from ${table} where workspace_id = '${ws}'`)).then((rows) =>
    rows.map(({ workspace_id: _w, sync_run_id: _r, ingested_at: _i, ...rest }) => rest).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));

  it('writes exactly what the ordinary path writes', async () => {
    for (const [f, ds, table] of [[ORDERS, 'orders', 'fact_sales_daily'], [ADS, 'ads', 'fact_ads_daily']] as const) {
      const fast = await importFile(d, f, { workspaceId: 'w', dataset: ds, requestedBy: 't' });
      const slow = await importFile(d, f, { workspaceId: 'v', dataset: ds, requestedBy: 't', fastPath: false });
      expect(fast.profile!.label.en.includes('COPY fast path')).toBe(engine === 'postgres');
      expect(slow.profile!.label.en).not.toContain('COPY');
      const pick = (r: typeof fast) => ({ status: r.status, rowsAccepted: r.rowsAccepted, coverage: r.coverage, dateRange: r.dateRange, created: r.created });
      expect(pick(fast)).toEqual(pick(slow));
      expect(await facts('w', table)).toEqual(await facts('v', table));
    }
    expect(await d.query(sql`select sku_id, units_ordered as u, gross_sales::text as g, cogs::text as c from fact_sales_daily where workspace_id = 'w' and date = '2026-11-01' order by sku_id`))
      .toEqual([{ sku_id: 'A', u: 2, g: '20.5000', c: '8.0000' }, { sku_id: 'B', u: 9, g: '99.0000', c: '0.0000' }]);
    expect(await d.query(sql`select id from ad_groups where workspace_id = 'w'`)).toEqual([{ id: 'G1' }]);
  });

  it('records restatements and falls back, row by row, for a file outside the strict rules', async () => {
    await importFile(d, ORDERS, { workspaceId: 'w', dataset: 'orders', requestedBy: 't' });
    const fixed = await importFile(d, file('fix.csv', 'date,store_id,sku_id,units_ordered,order_count,gross_sales\n2026-11-02,us,A,3,2,33\n'), { workspaceId: 'w', dataset: 'orders', requestedBy: 't' });
    expect(fixed).toMatchObject({ status: 'ok', restatedDays: 1 });
    expect(await d.query(sql`select measure, before_value::text as b, after_value::text as a from restatements`)).toEqual([{ measure: 'gross_sales', b: '30.0000', a: '33.0000' }]);
    const dirty = await importFile(d, file('dirty.csv', 'date,store_id,sku_id,units_ordered,gross_sales\n2026-11-03,us,A,1,"1,000.00"\n2026-11-03,nowhere,A,1,1\n'), { workspaceId: 'w', dataset: 'orders', requestedBy: 't' });
    expect(dirty.profile!.label.en).not.toContain('COPY');
    expect(dirty).toMatchObject({ status: 'partial', rowsAccepted: 1, rowsRejected: 1, issues: [{ row: 3, column: 'store_id', code: 'unknown_store' }] });
    expect(await d.query(sql`select gross_sales::text as g from fact_sales_daily where workspace_id = 'w' and date = '2026-11-03'`)).toEqual([{ g: '1000.0000' }]);
    // Shapes a cast would take or refuse: an impossible day, a negative count.
    const odd = await importFile(d, file('odd.csv', 'date,store_id,sku_id,units_ordered\n2026-02-30,us,A,1\n2026-11-04,us,A,-2\n2026-11-04,us,C,2\n'), { workspaceId: 'w', dataset: 'orders', requestedBy: 't' });
    expect(odd).toMatchObject({ status: 'partial', rowsAccepted: 1, issues: [{ row: 2, column: 'date', code: 'invalid_value' }, { row: 3, column: 'units_ordered', code: 'negative' }] });
  });
});
