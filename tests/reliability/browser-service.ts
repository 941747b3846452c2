/**
 * The service the browser journey drives: the real `src/server.ts` as a child process on a
 * zero-config start — nothing but a fresh DATA_DIR (PGlite, demo seeded by itself), or that plus
 * DATABASE_URL naming a fresh Postgres database — waited on until `/readyz` says the demo and
 * the start-up alert evaluation are done.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresDatabase } from '../helpers/db.ts';
import { startServer, waitReady, type StartedServer } from '../helpers/processes.ts';

/**
 * Seeding the demo takes seconds on a quiet machine (README: ~4 s) but minutes when the machine
 * is shared with other test runs; the wait is long so only a real hang fails the start.
 */
export const START_TIMEOUT_MS = 420_000;

export type JourneyEngine = 'pglite' | 'postgres';

export interface JourneyService {
  engine: JourneyEngine;
  url: string;
  /** From spawning the process to the first `/readyz` 200 (demo seeded, alerts evaluated). */
  readyMs: number;
  server: StartedServer;
  /** Log lines at level error or fatal (pino ≥ 50) the service printed so far. */
  errorLogs(): string[];
  stop(): Promise<void>;
}


function errorLines(output: string): string[] {
  const found: string[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: number };
      if ((entry.level ?? 0) >= 50) found.push(line.slice(0, 500));
    } catch {
      // A line cut in half by the pipe is not a log entry.
    }
  }
  return found;
}

export async function startJourneyService(engine: JourneyEngine): Promise<JourneyService> {
  const dataDir = mkdtempSync(join(tmpdir(), `kpibot-browser-${engine}-`));
  // Info logs (childEnv's default is warn) so a slow start shows how far it got; still no config.
  const env: Record<string, string> = { DATA_DIR: dataDir, LOG_LEVEL: 'info' };
  if (engine === 'postgres') env.DATABASE_URL = await createPostgresDatabase();
  const started = Date.now();
  const server = await startServer(env, START_TIMEOUT_MS).catch((err: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`${engine} start: ${err instanceof Error ? err.message : String(err)}`);
  });
  try {
    await waitReady(server, START_TIMEOUT_MS);
  } catch (err) {
    await server.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    engine,
    url: server.url,
    readyMs: Date.now() - started,
    server,
    errorLogs: () => errorLines(server.output()),
    async stop() {
      if (server.child.exitCode === null) await server.stop('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The latest day of one store's orders as the import template CSV, read back from the export —
 * what an ERP push or a re-sent report would carry. Re-importing it changes no number; it is the
 * import (and its after-import evaluation) the journey needs.
 */
export async function latestOrdersCsv(url: string, storeId: string, today = new Date()): Promise<{ csv: string; date: string; rows: number }> {
  const day = (d: number) => new Date(today.getTime() - d * 86_400_000).toISOString().slice(0, 10);
  const res = await fetch(`${url}/api/v1/exports/orders?from=${day(7)}&to=${day(-1)}`);
  if (res.status !== 200) throw new Error(`export answered ${res.status}: ${await res.text()}`);
  const [header, ...lines] = (await res.text()).split(/\r?\n/).filter(Boolean);
  const mine = lines.map((l) => l.split(',')).filter((cells) => cells[1] === storeId);
  const date = mine.map((cells) => cells[0]!).sort().at(-1);
  if (!header || !date) throw new Error(`no ${storeId} orders in the export of the last 7 days`);
  const rows = mine.filter((cells) => cells[0] === date).map((cells) => cells.join(','));
  return { csv: `${[header, ...rows].join('\n')}\n`, date, rows: rows.length };
}
