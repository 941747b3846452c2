/**
 * Import speed (issue 30 "Fast path"): one template orders CSV of 1 M rows (10 stores × 1,000 SKUs
 * × 100 days) imported on Postgres through the COPY fast path, against a raw `COPY` of the same rows
 * straight into fact_sales_daily (the floor any loader pays: same table, indexes and rollup
 * triggers; goal ≥ 0.5×), and through the ordinary row-validating path; then the ordinary path on
 * PGlite (a file data dir) over the first --pglite-rows rows (default 200,000: PGlite nears 1 GB RSS
 * loading 1 M rows, pitfalls.md). Postgres parts are skipped with a note when DATABASE_URL is unset.
 * Flags: --rows=1000000 --pglite-rows=200000.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openDatabase, type Database } from '../src/db/client.ts';
import { importFile } from '../src/ingest/import-file.ts';
import type { BenchModule } from './run.ts';

const flag = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const WS = 'ingest-bench';
const HEADER = 'date,store_id,sku_id,units_ordered,order_count,gross_sales,cogs,sessions';

function* lines(rows: number, typed: boolean): Generator<string> {
  if (!typed) yield `${HEADER}\n`;
  let n = 0;
  for (let day = 0; n < rows; day++) {
    const date = new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);
    for (let s = 0; s < 10 && n < rows; s++) {
      let chunk = '';
      for (let k = 0; k < 1000 && n < rows; k++, n++) {
        const units = (k * 7 + day) % 9;
        const row = `${date},s${s},SKU-${k},${units},${units > 0 ? 1 : 0},${(units * 12.5).toFixed(2)},${(units * 4.25).toFixed(2)},${(k + day) % 50}`;
        chunk += typed ? `${WS},${row},platform,USD,erp_file\n` : `${row}\n`;
      }
      yield chunk;
    }
  }
}

async function writeFile(path: string, rows: number, typed: boolean): Promise<void> {
  await pipeline(Readable.from(lines(rows, typed)), createWriteStream(path));
}

async function seed(db: Database): Promise<void> {
  await db.query(sql`insert into workspaces (id, name, timezone, currency, locale) values (${WS}, ${WS}, 'UTC', 'USD', 'en') on conflict do nothing`);
  for (let s = 0; s < 10; s++) {
    await db.query(sql`insert into stores (workspace_id, id, name, platform, marketplace, currency, timezone) values (${WS}, ${`s${s}`}, ${`s${s}`}, 'amazon', 'US', 'USD', 'UTC') on conflict do nothing`);
  }
}

async function reset(db: Database): Promise<void> {
  await db.query(sql`delete from fact_sales_daily where workspace_id = ${WS}`);
  await db.query(sql`delete from fact_sales_store_daily where workspace_id = ${WS}`);
  await db.query(sql`delete from skus where workspace_id = ${WS}`);
  await db.query(sql`delete from source_priorities where workspace_id = ${WS}`);
  await db.query(sql`delete from sync_runs where workspace_id = ${WS}`);
}

async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { seconds: Math.round((performance.now() - t) / 10) / 100, value };
}

const perSec = (rows: number, seconds: number) => Math.round(rows / seconds);

const bench: BenchModule = {
  name: 'ingest',
  async run() {
    const rows = flag('rows', 1_000_000);
    const pgliteRows = flag('pglite-rows', 200_000);
    const dir = mkdtempSync(join(tmpdir(), 'kpibot-ingest-bench-'));
    const out: Record<string, unknown> = { rows, file: `${HEADER} (template orders CSV)` };
    try {
      const csv = join(dir, 'orders.csv');
      await writeFile(csv, rows, false);
      const base = process.env.DATABASE_URL;
      if (base) {
        const name = 'kpibot_ingest_bench';
        const admin = postgres(base, { max: 1, onnotice: () => {} });
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.unsafe(`create database ${name}`);
        const url = new URL(base);
        url.pathname = `/${name}`;
        const db = await openDatabase({ url: url.toString() });
        try {
          await db.migrate();
          await seed(db);
          const typed = join(dir, 'typed.csv');
          await writeFile(typed, rows, true);
          const client = (db.db as unknown as { $client: postgres.Sql }).$client;
          const copy = await timed(async () => {
            const w = await client.unsafe(`copy fact_sales_daily (workspace_id, date, store_id, sku_id, units_ordered, order_count, gross_sales, cogs, sessions, fulfillment_channel, currency, source) from stdin with (format csv)`).writable();
            await pipeline(createReadStream(typed), w);
          });
          console.log(`ingest: raw COPY ${rows} rows in ${copy.seconds} s`);
          await reset(db);
          const fast = await timed(() => importFile(db, csv, { workspaceId: WS, dataset: 'orders', requestedBy: 'bench' }));
          if (!fast.value.profile?.label.en.includes('COPY')) throw new Error('the fast path was not taken');
          console.log(`ingest: fast path ${fast.value.rowsWritten} rows in ${fast.seconds} s`);
          await reset(db);
          const slow = await timed(() => importFile(db, csv, { workspaceId: WS, dataset: 'orders', requestedBy: 'bench', fastPath: false }));
          console.log(`ingest: ordinary path ${slow.value.rowsWritten} rows in ${slow.seconds} s`);
          out.postgres = {
            rawCopySeconds: copy.seconds, rawCopyRowsPerSec: perSec(rows, copy.seconds),
            fastPathSeconds: fast.seconds, fastPathRowsPerSec: perSec(rows, fast.seconds),
            fastOverRawCopy: Math.round((copy.seconds / fast.seconds) * 100) / 100,
            ordinarySeconds: slow.seconds, ordinaryRowsPerSec: perSec(rows, slow.seconds),
          };
        } finally {
          await db.close();
          await admin.unsafe(`drop database if exists ${name} with (force)`);
          await admin.end();
        }
      } else {
        out.postgres = { skipped: 'DATABASE_URL unset' };
      }
      const small = join(dir, 'pglite.csv');
      await writeFile(small, pgliteRows, false);
      const pg = await openDatabase({ pgliteDir: join(dir, 'pglite') });
      try {
        await pg.migrate();
        await seed(pg);
        const r = await timed(() => importFile(pg, small, { workspaceId: WS, dataset: 'orders', requestedBy: 'bench' }));
        console.log(`ingest: PGlite ordinary path ${r.value.rowsWritten} rows in ${r.seconds} s`);
        out.pglite = { rows: pgliteRows, seconds: r.seconds, rowsPerSec: perSec(pgliteRows, r.seconds), peakRssMb: Math.round(process.memoryUsage().rss / 1048576) };
      } finally {
        await pg.close();
      }
      return out;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default bench;
