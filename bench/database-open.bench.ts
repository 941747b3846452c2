/**
 * Start-up cost of the database, side by side: a fresh PGlite (initdb + migrations), reopening an
 * existing PGlite data dir, and migrating a fresh Postgres database when DATABASE_URL is set.
 * This is most of `npm start`'s time to ready on a bare checkout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { openDatabase } from '../src/db/client.ts';
import type { BenchModule } from './run.ts';

const RUNS = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.floor(s.length / 2)]!);
}

async function time(fn: () => Promise<void>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const bench: BenchModule = {
  name: 'database-open',
  async run() {
    const fresh: number[] = [];
    const reopen: number[] = [];
    const pg: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'kpibot-bench-'));
      try {
        fresh.push(await time(async () => {
          const d = await openDatabase({ pgliteDir: dir });
          await d.migrate();
          await d.close();
        }));
        reopen.push(await time(async () => {
          const d = await openDatabase({ pgliteDir: dir });
          await d.migrate();
          await d.close();
        }));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const base = process.env.DATABASE_URL;
      if (base) {
        const name = `kpibot_bench_${process.pid}_${i}`;
        const admin = postgres(base, { max: 1, onnotice: () => {} });
        await admin.unsafe(`create database ${name}`);
        const url = new URL(base);
        url.pathname = `/${name}`;
        try {
          pg.push(await time(async () => {
            const d = await openDatabase({ url: url.toString() });
            await d.migrate();
            await d.close();
          }));
        } finally {
          await admin.unsafe(`drop database ${name} with (force)`);
          await admin.end();
        }
      }
    }
    return {
      runs: RUNS,
      pgliteFreshMs: median(fresh),
      pgliteReopenMs: median(reopen),
      postgresFreshMs: pg.length ? median(pg) : null,
      freshOverReopen: Number((median(fresh) / median(reopen)).toFixed(1)),
      note: pg.length ? 'medians of one run, side by side' : 'DATABASE_URL unset: Postgres skipped',
    };
  },
};
export default bench;
