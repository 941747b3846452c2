/**
 * Opens the database: embedded PGlite (default, one process) or Postgres through postgres.js when
 * DATABASE_URL is set. Same schema, same migrations from drizzle/. Driver differences are
 * normalised in ./normalize.ts, not by callers.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema/index.ts';
import { normalizeRows, parseInt8, resultRows } from './normalize.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DbKind = 'pglite' | 'postgres';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Any advisory-lock key will do as long as every replica uses the same one. */
const MIGRATION_LOCK_KEY = 0x6b7062; // "kpb"

export interface Database {
  readonly kind: DbKind;
  readonly db: Db;
  /** Raw SQL → rows, with counts and sums as numbers on both drivers. */
  query<T extends Record<string, unknown>>(q: SQL): Promise<T[]>;
  /** Applies pending migrations; on Postgres under an advisory lock so replicas take turns. */
  migrate(): Promise<void>;
  /** Cheap round trip for readiness. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres:// URL; absent → PGlite. */
  url?: string;
  /** PGlite data directory; absent → in memory. */
  pgliteDir?: string;
  /** A PGlite data dir dump (tests start from a migrated template instead of running initdb). */
  pgliteDump?: Blob;
  /** Max pool size for Postgres. */
  poolSize?: number;
  /** Shown in pg_stat_activity, so tests can scope what they terminate. */
  applicationName?: string;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  return opts.url ? openPostgres(opts.url, opts) : openPglite(opts);
}

async function openPglite(opts: OpenOptions): Promise<Database> {
  if (opts.pgliteDir) mkdirSync(opts.pgliteDir, { recursive: true });
  const client = await PGlite.create(opts.pgliteDir, {
    ...(opts.pgliteDump ? { loadDataDir: opts.pgliteDump } : {}),
    // int8 parsed as on postgres.js (exact beyond 2^53), see normalize.ts.
    parsers: { 20: (v: string) => parseInt8(v) },
  });
  // Same session time zone as the Postgres connections, so timestamps read back alike.
  await client.exec(`SET TIME ZONE 'UTC'`);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  let closed = false;
  return {
    kind: 'pglite',
    db,
    async query(q) {
      return normalizeRows(resultRows(await db.execute(q)));
    },
    async migrate() {
      await migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    },
    async ping() {
      await client.query('select 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}

async function openPostgres(url: string, opts: OpenOptions): Promise<Database> {
  const options = {
    max: opts.poolSize ?? 10,
    // After an outage the pool must come back within seconds: postgres.js's default backoff grows
    // with every failed connect (3^n / 100 s, up to 20 s), so a 30 s outage left connections
    // waiting up to 20 s after the database was back. Ours: 0.1 s doubling, at most 2 s, jittered.
    backoff: (retries: number) => Math.min(0.1 * 2 ** retries, 2) * (0.5 + Math.random() / 2),
    // A connect that gets no answer (a partition) fails after 10 s instead of 30 s, so held work
    // retries sooner; /readyz has its own 2 s ping timeout either way.
    connect_timeout: 10,
    onnotice: () => {},
    connection: { application_name: opts.applicationName ?? 'kpibot', TimeZone: 'UTC' },
    types: {
      int8: { to: 20, from: [20], serialize: (v: unknown) => String(v), parse: parseInt8 },
    },
  };
  const client = postgres(url, options);
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    async query(q) {
      return normalizeRows(resultRows(await db.execute(q)));
    },
    async migrate() {
      // A session advisory lock needs one connection for lock, migrate and unlock.
      const single = postgres(url, { ...options, max: 1 });
      try {
        await single`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        await migratePostgres(drizzlePostgres(single), { migrationsFolder: MIGRATIONS_FOLDER });
        await single`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
      } finally {
        await single.end({ timeout: 5 });
      }
    },
    async ping() {
      await client`select 1`;
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}
