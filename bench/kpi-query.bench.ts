/**
 * KPI query speed on Postgres at 1 M and 10 M sales rows (plus ads at 1/10 and service per store
 * day): the morning digest shape (headline metrics, yesterday and month-to-date, by store, with
 * compare) and a 30-day trend. Rows come from generate_series (a stand-in for the demo generator
 * at this size). Skipped with a message when DATABASE_URL is unset: PGlite is not the target here.
 * KPI_BENCH_SIZES=1000000 limits the sizes.
 */
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openDatabase, type Database } from '../src/db/client.ts';
import type { Principal } from '../src/access/types.ts';
import { queryKpi } from '../src/kpi/query.ts';
import type { BenchModule } from './run.ts';

const STORES = 10;
const DAYS = 1000;
const RUNS = 20;
const admin: Principal = { kind: 'system', workspaceId: 'w', role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: true };

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
}

async function load(db: Database, rows: number): Promise<number> {
  const skus = Math.round(rows / (STORES * DAYS));
  const t = performance.now();
  await db.query(postgresSql(`insert into workspaces (id, name, timezone, currency, locale) values ('w', 'W', 'UTC', 'CNY', 'en')`));
  await db.query(postgresSql(`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone)
    select 'w', 's' || i, 's' || i, 'amazon', 'US', 'USD', 'UTC' from generate_series(1, ${STORES}) i`));
  await db.query(postgresSql(`insert into fx_rates (workspace_id, date, from_ccy, to_ccy, rate, source)
    select 'w', current_date - d, 'USD', 'CNY', 7 + (d % 10) / 100.0, 'bench' from generate_series(0, ${DAYS + 400}) d`));
  await db.query(postgresSql(`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, order_count,
      gross_sales, refund_amount, platform_fees, fulfillment_fees, cogs, sessions, currency, source)
    select 'w', current_date - 1 - d, 's' || st, 'k' || k, 'fba', (d + k) % 7, (d + k) % 5, ((d * 7 + k * 13) % 500) / 10.0,
      0, 1.5, 2, 10, 40, 'USD', 'api'
    from generate_series(1, ${STORES}) st, generate_series(1, ${skus}) k, generate_series(0, ${DAYS - 1}) d`));
  await db.query(postgresSql(`insert into fact_ads_daily (workspace_id, date, store_id, ad_platform, campaign_id, ad_group_id, sku_id,
      impressions, clicks, spend, attributed_sales, attributed_orders, currency, source)
    select 'w', current_date - 1 - d, 's' || st, 'amazon_sp', 'c' || (k % 5), 'g' || k, 'k' || k, 1000, 20, 5, 15, 1, 'USD', 'api'
    from generate_series(1, ${STORES}) st, generate_series(1, greatest(1, ${skus} / 10)) k, generate_series(0, ${DAYS - 1}) d`));
  await db.query(postgresSql(`insert into fact_service_daily (workspace_id, date, store_id, orders_distinct, defect_orders, source)
    select 'w', current_date - 1 - d, 's' || st, 50, 0, 'api' from generate_series(1, ${STORES}) st, generate_series(0, ${DAYS - 1}) d`));
  await db.query(postgresSql('analyze'));
  return Math.round((performance.now() - t) / 1000);
}

function postgresSql(text: string) {
  return sql.raw(text);
}

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

const bench: BenchModule = {
  name: 'kpi-query',
  async run() {
    const base = process.env.DATABASE_URL;
    if (!base) {
      console.log('kpi-query: DATABASE_URL is unset; this benchmark runs on Postgres only. Skipped.');
      return { skipped: 'DATABASE_URL unset' };
    }
    const sizes = (process.env.KPI_BENCH_SIZES ?? '1000000,10000000').split(',').map(Number);
    const results: Record<string, unknown> = {};
    const digestMetrics = ['gmv', 'orders', 'units', 'ad_spend', 'acos', 'tacos', 'net_profit', 'net_margin', 'cvr', 'odr'];
    for (const size of sizes) {
      const name = `kpibot_kpi_bench_${size}`;
      const admin0 = postgres(base, { max: 1, onnotice: () => {} });
      await admin0.unsafe(`drop database if exists ${name} with (force)`);
      await admin0.unsafe(`create database ${name}`);
      const url = new URL(base);
      url.pathname = `/${name}`;
      const db = await openDatabase({ url: url.toString() });
      try {
        await db.migrate();
        const loadSeconds = await load(db, size);
        const q = (period: string, extra: object = {}) => () =>
          queryKpi(db, { workspaceId: 'w', metrics: digestMetrics, period, groupBy: 'store', principal: admin, ...extra });
        const yesterday = await time(q('yesterday', { compare: 'wow' }));
        const mtd = await time(q('this_month', { compare: 'prev' }));
        const digest = await time(async () => {
          await q('yesterday', { compare: 'wow' })();
          await q('this_month', { compare: 'prev' })();
        });
        const trend = await time(() => queryKpi(db, { workspaceId: 'w', metrics: ['gmv', 'acos'], period: 'last_30d', groupBy: 'day', principal: admin }));
        results[String(size)] = {
          loadSeconds,
          yesterdayByStoreMs: { p50: pct(yesterday, 50), p95: pct(yesterday, 95) },
          mtdByStoreMs: { p50: pct(mtd, 50), p95: pct(mtd, 95) },
          digestMs: { p50: pct(digest, 50), p95: pct(digest, 95) },
          trend30dMs: { p50: pct(trend, 50), p95: pct(trend, 95) },
        };
        console.log(size, JSON.stringify(results[String(size)]));
      } finally {
        await db.close();
        await admin0.unsafe(`drop database if exists ${name} with (force)`);
        await admin0.end();
      }
    }
    const r1 = results['1000000'] as { digestMs: { p95: number } } | undefined;
    const r10 = results['10000000'] as { digestMs: { p95: number } } | undefined;
    return { ...results, ...(r1 && r10 ? { digestP95Ratio10mOver1m: Math.round((r10.digestMs.p95 / r1.digestMs.p95) * 100) / 100 } : {}), runs: RUNS };
  },
};
export default bench;
