/**
 * LingXing (领星) ERP OpenAPI connector: one connector per LingXing account covering every mapped
 * shop. Pulls, for the window: sales per day × MSKU (`orders`, with refunds from the profit
 * statistics), fees/COGS/first leg per day × MSKU (`costs`), Sponsored Products per day × campaign
 * × ad group × SKU (`ads`) and the current FBA stock (`inventory`). Rows go through the one import
 * path, which upserts by natural key, so re-pulling a window never double counts.
 */
import { jsonRows } from '../../push/json-rows.ts';
import type { SourceRow } from '../../source/csv.ts';
import type { ConnectorDefinition, PulledBatch, PullContext } from '../types.ts';
import type { DatasetId } from '../../../db/schema/sync.ts';
import { pullAds } from './ads.ts';
import { LingXingClient } from './client.ts';
import { CONFIG_SCHEMA, readSettings } from './config.ts';
import { pullInventory } from './inventory.ts';
import { pullProfit, pullSales } from './sales.ts';
import { daysBetween } from './shape.ts';
import { mappedShops } from './shops.ts';

/**
 * Late data per dataset: ad attribution and settlement-based profit settle over ~14 days, sales
 * counts over ~3. The port has one `repullDays`, so the connector declares the largest; the
 * framework may use this table once it supports per-dataset windows.
 */
export const LINGXING_REPULL_DAYS: Partial<Record<DatasetId, number>> = { orders: 3, costs: 14, ads: 14, inventory: 0 };

/** Rows per batch, under jsonRows' push limit. */
const BATCH_ROWS = 20_000;

function* batches(dataset: DatasetId, rows: Record<string, unknown>[]): Generator<PulledBatch> {
  for (let i = 0; i < rows.length; i += BATCH_ROWS) {
    const slice: SourceRow[] = jsonRows(rows.slice(i, i + BATCH_ROWS));
    yield { dataset, rows: slice };
  }
}

export const lingxing: ConnectorDefinition = {
  kind: 'erp',
  label: { en: 'LingXing (领星) ERP', zh: '领星 ERP' },
  datasets: ['orders', 'costs', 'ads', 'inventory'],
  source: 'api',
  configSchema: CONFIG_SCHEMA,
  repullDays: 14,

  async test(ctx: PullContext) {
    const s = readSettings(ctx);
    const { detail } = await mappedShops(new LingXingClient(ctx, s), s);
    return { ok: true, detail };
  },

  async *pull(ctx: PullContext): AsyncGenerator<PulledBatch> {
    const s = readSettings(ctx);
    const client = new LingXingClient(ctx, s);
    const { shops } = await mappedShops(client, s);
    for (const shop of shops) if (shop.status !== 1) ctx.log('lingxing shop not syncing normally', { sid: shop.sid, status: shop.status });
    const days = daysBetween(ctx.from, ctx.to);

    const sales = new Map<string, Record<string, string | number>>();
    for (const sid of s.shops.keys()) await pullSales(client, s, sid, days, sales);
    const costs = await pullProfit(client, s, days, sales);
    yield* batches('orders', [...sales.values()]);
    yield* batches('costs', costs);

    const ads: Record<string, unknown>[] = [];
    for (const sid of s.shops.keys()) ads.push(...(await pullAds(client, s, sid, days)));
    yield* batches('ads', ads);

    yield* batches('inventory', await pullInventory(client, s, ctx.now()));
    ctx.log('lingxing pull done', { requests: client.requests, days: days.length, shops: shops.length });
  },
};
