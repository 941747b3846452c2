/**
 * `/healthz` = the process is alive; `/readyz` = start-up work done and the database answers.
 * The database ping has its own short timeout so a hung connection turns into 503, not a hang.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/client.ts';
import type { Readiness } from '../readiness.ts';

const PING_TIMEOUT_MS = 2_000;

/**
 * One ping at a time: while the database does not answer, every probe would otherwise queue one
 * more `select 1` behind the stuck connects; probes arriving meanwhile share the pending one.
 */
const pending = new WeakMap<Database, Promise<void>>();

function sharedPing(database: Database): Promise<void> {
  let p = pending.get(database);
  if (!p) {
    p = database.ping().finally(() => pending.delete(database));
    pending.set(database, p);
  }
  return p;
}

async function pingWithTimeout(database: Database): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      sharedPing(database),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export const healthPlugin = fp(
  async (app: FastifyInstance, opts: { database: Database; readiness: Readiness }) => {
    app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));
    app.get('/readyz', { logLevel: 'warn' }, async (_req, reply) => {
      let dbOk = true;
      let dbError: string | undefined;
      try {
        await pingWithTimeout(opts.database);
      } catch (err) {
        dbOk = false;
        dbError = err instanceof Error ? err.message : 'unknown error';
      }
      const report = opts.readiness.report(dbOk, dbError);
      return reply.code(report.ready ? 200 : 503).send({ status: report.ready ? 'ready' : 'not_ready', ...report });
    });
  },
  { name: 'health' },
);
