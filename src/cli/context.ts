/**
 * What every CLI command gets: config, an open database (migrated) and an audit actor. On PGlite
 * the data dir lock is taken first, so a command never opens the database of a running server.
 */
import { applyRuntimeEnv, loadConfig, type AppConfig } from '../config.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { acquireDataDirLock, readLock, inUseMessage, type LockInfo } from '../db/data-dir-lock.ts';
import type { Actor } from '../audit/audit-log.ts';
import { AppError } from '../errors.ts';
import { userInfo } from 'node:os';

export interface CliContext {
  config: AppConfig;
  database: Database;
  actor: Actor;
  out: (line: string) => void;
}

export function cliActor(): Actor {
  let name = 'cli';
  try {
    name = `cli:${userInfo().username}`;
  } catch {
    // No passwd entry (some containers): keep the generic name.
  }
  return { kind: 'cli', name };
}

/** A running server on this PGlite data dir, if any (for commands that can go over HTTP). */
export function runningServer(config: AppConfig): LockInfo | null {
  if (config.databaseUrl) return null;
  const holder = readLock(config.dataDir);
  return holder?.role === 'server' ? holder : null;
}

export async function withDatabase<T>(
  fn: (ctx: CliContext) => Promise<T>,
  opts: { env?: Record<string, string | undefined>; out?: (line: string) => void } = {},
): Promise<T> {
  const config = loadConfig(opts.env);
  applyRuntimeEnv(config);
  const lock = config.databaseUrl ? undefined : acquireDataDirLock(config.dataDir, 'cli');
  try {
    const database = await openDatabase({
      url: config.databaseUrl,
      pgliteDir: config.databaseUrl ? undefined : config.pgliteDir,
      poolSize: 2,
      applicationName: 'kpibot-cli',
    });
    try {
      await database.migrate();
      return await fn({ config, database, actor: cliActor(), out: opts.out ?? ((l) => process.stdout.write(`${l}\n`)) });
    } finally {
      await database.close();
    }
  } finally {
    lock?.release();
  }
}

export function requireServerAbsent(config: AppConfig): void {
  const holder = runningServer(config);
  if (holder) throw new AppError('database_in_use', inUseMessage(holder));
}
