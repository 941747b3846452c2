/**
 * KPI query speed on Postgres at 1 M and 10 M fact rows of the demo company (bench/kpi-query-load.ts:
 * the demo generator over a longer history, its ten stores repeated KPI_BENCH_COPIES times).
 * Shapes: the morning digest (headline metrics by store, yesterday vs last week + month-to-date vs
 * the previous month), a 30-day trend, the metric families (stock over SKU-days, team events,
 * content items) over 30 days, and GMV by owner (effective-dated ownership). Reports p50/p95 per
 * shape and the 10 M / 1 M ratios. Skipped with a message when DATABASE_URL is unset: PGlite is not
 * the target here. KPI_BENCH_SIZES=1000000 limits the sizes.
 */
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openDatabase, type Database } from '../src/db/client.ts';
import type { Principal } from '../src/access/types.ts';
import { addDays } from '../src/demo/dates.ts';
import { queryKpi, type KpiQuery } from '../src/kpi/query.ts';
import { BENCH_WS, loadDemoScale } from './kpi-query-load.ts';
import type { BenchModule } from './run.ts';

const RUNS = 20;
const DIGEST = ['gmv', 'orders', 'units', 'ad_spend', 'acos', 'tacos', 'net_profit', 'net_margin', 'cvr', 'odr'];
const admin: Principal = { kind: 'system', workspaceId: BENCH_WS, role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: true };

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
}

async function time(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await fn(); // warm
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return { p50: pct(out, 50), p95: pct(out, 95) };
}

/** The query shapes, against data whose last day is `anchor` (asked the morning after, UTC noon). */
function shapes(db: Database, anchor: string): Record<string, () => Promise<unknown>> {
  const now = new Date(`${addDays(anchor, 1)}T12:00:00Z`);
  const q = (o: Partial<KpiQuery>) => () => queryKpi(db, { workspaceId: BENCH_WS, metrics: DIGEST, period: 'yesterday', principal: admin, now, ...o });
  const yesterday = q({ groupBy: 'store', compare: 'wow' });
  const mtd = q({ period: 'this_month', groupBy: 'store', compare: 'prev' });
  return {
    yesterdayByStore: yesterday,
    mtdByStore: mtd,
    digest: async () => {
      await yesterday();
      await mtd();
    },
    trend30d: q({ metrics: ['gmv', 'acos'], period: 'last_30d', groupBy: 'day' }),
    families30dByStore: q({ metrics: ['oos_rate', 'inventory_turnover', 'sku_sell_through_rate', 'listing_updates', 'videos_published'], period: 'last_30d', groupBy: 'store' }),
    gmvByOwner30d: q({ metrics: ['gmv', 'orders'], period: 'last_30d', groupBy: 'owner' }),
  };
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
    const copies = Number(process.env.KPI_BENCH_COPIES ?? 4);
    // KPI_BENCH_KEEP=1 keeps the loaded databases; a later run with it measures them again without
    // reloading (the machine may be quieter then). They are dropped by a run without it.
    const keep = process.env.KPI_BENCH_KEEP === '1';
    const results: Record<string, Record<string, unknown>> = {};
    let anchor = addDays(new Date().toISOString().slice(0, 10), -1);
    for (const size of sizes) {
      const name = `kpibot_kpi_bench_${size}`;
      const admin0 = postgres(base, { max: 1, onnotice: () => {} });
      const kept = keep && (await admin0.unsafe(`select 1 from pg_database where datname = '${name}'`)).length > 0;
      if (!kept) {
        await admin0.unsafe(`drop database if exists ${name} with (force)`);
        await admin0.unsafe(`create database ${name}`);
      }
      const url = new URL(base);
      url.pathname = `/${name}`;
      const db = await openDatabase({ url: url.toString() });
      try {
        await db.migrate();
        let load: Record<string, unknown>;
        if (kept) {
          const [r] = await db.query<{ to: string }>(sql`select max(date)::text as to from fact_sales_daily where workspace_id = ${BENCH_WS}`);
          anchor = r!.to;
          load = { reused: true, anchor };
        } else {
          console.log(`kpi-query: loading ${size} fact rows (demo generator, ${copies} copies of its 10 stores) …`);
          const l = await loadDemoScale(db, { size, anchor, copies, log: (m) => console.log(m) });
          load = { historyDays: l.days, from: l.from, loadSeconds: l.seconds, rows: l.rows };
        }
        const timings: Record<string, { p50: number; p95: number }> = {};
        for (const [shape, fn] of Object.entries(shapes(db, anchor))) timings[`${shape}Ms`] = await time(fn);
        results[String(size)] = { stores: copies * 10, ...load, ...timings };
        console.log(size, JSON.stringify(results[String(size)]));
      } finally {
        await db.close();
        if (!keep) await admin0.unsafe(`drop database if exists ${name} with (force)`);
        await admin0.end();
      }
    }
    const r1 = results['1000000'];
    const r10 = results['10000000'];
    const ratios: Record<string, number> = {};
    if (r1 && r10) {
      for (const k of Object.keys(r1).filter((x) => x.endsWith('Ms'))) {
        ratios[k.replace(/Ms$/, '')] = Math.round(((r10[k] as { p95: number }).p95 / (r1[k] as { p95: number }).p95) * 100) / 100;
      }
    }
    return { ...results, ...(r1 && r10 ? { p95Ratio10mOver1m: ratios } : {}), runs: RUNS, anchor };
  },
};
export default bench;
