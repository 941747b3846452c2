/**
 * Test databases: PGlite always, and real Postgres too when DATABASE_URL is set (CI). Each
 * engine is migrated from drizzle/ exactly as production is. A fresh PGlite costs ~2.5 s of
 * initdb (pitfalls.md), so tests share one per file and reset data with `truncateAll` instead.
 * On Postgres every call gets its own freshly created database, so parallel workers never meet.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { testEnv } from './env.ts';

export type Engine = 'pglite' | 'postgres';

/** The engines this run covers: always PGlite, plus Postgres when DATABASE_URL is set. */
export const ENGINES: Engine[] = testEnv.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

const created: { url: string; name: string }[] = [];

/** Creates an empty Postgres database next to DATABASE_URL's and returns its URL. */
export async function createPostgresDatabase(): Promise<string> {
  const base = testEnv.DATABASE_URL!;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  const name = `kpibot_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  created.push({ url: base, name });
  return url.toString();
}

/** Drops the databases this process created (call from afterAll). */
export async function dropCreatedDatabases(): Promise<void> {
  while (created.length > 0) {
    const { url, name } = created.pop()!;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
    } finally {
      await admin.end({ timeout: 5 });
    }
  }
}

/** A migrated, empty database on the given engine. */
export async function openTestDatabase(engine: Engine): Promise<Database> {
  const database =
    engine === 'pglite'
      ? await openDatabase({})
      : await openDatabase({ url: await createPostgresDatabase(), poolSize: 4, applicationName: 'kpibot-test' });
  await database.migrate();
  return database;
}

/** Empties every table of the public schema (keeps the migration record). */
export async function truncateAll(database: Database): Promise<void> {
  const rows = await database.query<{ tablename: string }>(
    sql`select tablename from pg_tables where schemaname = 'public'`,
  );
  if (rows.length === 0) return;
  const list = rows.map((r) => `"${r.tablename}"`).join(', ');
  await database.query(sql.raw(`truncate ${list} restart identity cascade`));
}

/**
 * The hooks every database suite needs: one migrated database for the suite (`set` receives it),
 * emptied and re-seeded before each test.
 */
export function databaseHooks(engine: Engine, set: (d: Database) => void, seed?: (d: Database) => Promise<void>): void {
  let db: Database | undefined;
  beforeAll(async () => {
    db = await openTestDatabase(engine);
    set(db);
  });
  afterAll(async () => db?.close());
  beforeEach(async () => {
    await truncateAll(db!);
    await seed?.(db!);
  });
}

/** A bare workspace row. */
export async function insertWorkspace(
  d: Database,
  w: { id: string; currency?: string; timezone?: string; locale?: string; isDemo?: boolean; name?: string },
): Promise<void> {
  await d.query(sql`insert into workspaces (id, name, timezone, currency, locale, is_demo)
    values (${w.id}, ${w.name ?? w.id}, ${w.timezone ?? 'UTC'}, ${w.currency ?? 'USD'}, ${w.locale ?? 'en'}, ${w.isDemo ?? false})`);
}
