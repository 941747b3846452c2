/**
 * Runs `kpibot` commands in process with an explicit env and captures what they print, and gives
 * each suite a data dir (PGlite) or a fresh Postgres database of its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { createPostgresDatabase, type Engine } from './db.ts';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function cli(env: Record<string, string>, ...argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, { LOG_LEVEL: 'silent', ...env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The env a suite's commands run with; filled in `beforeAll`, cleaned up in `afterAll`. */
export function cliEnv(engine: Engine, prefix: string): Record<string, string> {
  const env: Record<string, string> = {};
  let dataDir = '';
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), prefix));
    env.DATA_DIR = dataDir;
    if (engine === 'postgres') env.DATABASE_URL = await createPostgresDatabase();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  return env;
}
