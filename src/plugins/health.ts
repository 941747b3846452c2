/**
 * `/healthz` = the process is alive; `/readyz` = start-up work done and the database answers.
 * The database ping has its own short timeout so a hung connection turns into 503, not a hang.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/client.ts';
import type { Readiness } from '../readiness.ts';

const PING_TIMEOUT_MS = 2_000;

async function pingWithTimeout(database: Database): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      database.ping(),
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
